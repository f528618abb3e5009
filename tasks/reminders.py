"""Cards due tomorrow or overdue, told to their assignees once per card and date. A
card stops reminding when it is archived, its board or column is archived, or its
platform is no longer open for work."""

from datetime import datetime, timedelta

from django.db.models import Q

from notifications.reminders import today_in_tokyo
from notifications.services import notify
from platforms.permissions import OPEN_STATUSES

from . import notices
from .models import Card


def _open_cards():
    return (
        Card.objects.filter(
            archived=False,
            column__archived=False,
            board__archived=False,
            board__platform__status__in=OPEN_STATUSES,
        )
        .select_related("board__platform")
        .prefetch_related("assignees")
    )


def card_reminders_send(now: datetime) -> int:
    today = today_in_tokyo(now)
    count = 0
    due_tomorrow = (notices.CARD_DUE_TOMORROW, "due", Q(due_date=today + timedelta(days=1)))
    overdue = (notices.CARD_OVERDUE, "overdue", Q(due_date__lt=today))
    for kind, tag, when in (due_tomorrow, overdue):
        for card in _open_cards().filter(when):
            due = card.due_date.isoformat()
            count += len(
                notify(
                    recipients=card.assignees.all(),
                    kind=kind,
                    card=card,
                    data={"due": due},
                    dedupe_key=f"card:{card.pk}:{tag}:{due}",
                )
            )
    return count
