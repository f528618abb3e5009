from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    """Live task boards."""

    name = "tasks"
    verbose_name = _("タスクボード")

    def ready(self):
        from notifications import reminders

        from . import attention, exports, notices, receivers  # noqa: F401 - registers kinds, parts, receivers
        from .reminders import card_reminders_send

        reminders.register("tasks.cards", card_reminders_send)
