from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    """Live task boards (their own issue). Registered now so the layout and migrations
    history start together."""

    name = "tasks"
    verbose_name = _("タスクボード")
