from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformsConfig(AppConfig):
    name = "platforms"
    verbose_name = _("プラットフォーム")

    def ready(self):
        from notifications import messages, reminders

        from . import notices, receivers  # noqa: F401 - registers kinds and receivers
        from .emails import invitation_message
        from .reminders import deadline_reminders_send

        messages.register("platforms.invitation", invitation_message)
        reminders.register("platforms.deadline", deadline_reminders_send)
