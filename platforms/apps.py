from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformsConfig(AppConfig):
    name = "platforms"
    verbose_name = _("プラットフォーム")

    def ready(self):
        from notifications import messages

        from .emails import invitation_message

        messages.register("platforms.invitation", invitation_message)
