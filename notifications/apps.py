from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Notifications by app, email and web push (their own issue). Platform services
    already record a PlatformEvent for every change; this app will turn them into
    notifications."""

    name = "notifications"
    verbose_name = _("通知")
