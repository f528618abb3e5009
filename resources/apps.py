from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    """The directory of social resources (社会資源): what platforms use, lack and create."""

    name = "resources"
    verbose_name = _("社会資源")

    def ready(self):
        from notifications import reminders

        from . import notices, platform_parts  # noqa: F401 - registers kinds and platform parts
        from .reminders import confirm_reminders_send

        reminders.register("resources.confirm", confirm_reminders_send)
