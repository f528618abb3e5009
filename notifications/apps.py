from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Notifications: rows written with the change that caused them; read in the app
    (email and web push deliveries come next)."""

    name = "notifications"
    verbose_name = _("通知")
