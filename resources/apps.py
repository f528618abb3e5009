from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    """The directory of social resources (社会資源): what platforms use, lack and create."""

    name = "resources"
    verbose_name = _("社会資源")
