"""Reminders the schedule sends: cards due tomorrow or overdue (to their assignees)
and a platform's deadline 7 days and 1 day ahead (to its coordinators).

The job runs every hour. Each reminder carries a key (the card or platform and the
date it is about), so running it again, or after a missed hour, tells nobody twice.
A card stops reminding when it is archived, its board or column is archived, or its
platform is no longer open for work.
"""

from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Q

from platforms.models import Membership, Platform, Role, Status
from tasks.models import Card

from .models import Kind
from .preferences import TOKYO
from .services import notify

DEADLINE_DAYS = (7, 1)
OPEN_STATUSES = (Status.RECRUITING, Status.ACTIVE)


def today_in_tokyo(now: datetime) -> date:
    return now.astimezone(TOKYO).date()


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


# Two runs at once (beat and a catch-up, or two beats) would both find a reminder
# missing and both write it; the second then fails on the unique key. Runs take this
# lock in turn instead: the second finds the first's reminders and writes none.
# (SQLite serialises writing transactions already.)
RUN_LOCK_KEY = 0x68756272  # "hubr"


def _one_run_at_a_time() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RUN_LOCK_KEY])


@transaction.atomic
def reminders_send(*, now: datetime) -> int:
    _one_run_at_a_time()
    today = today_in_tokyo(now)
    count = 0
    due_tomorrow = (Kind.CARD_DUE_TOMORROW, "due", Q(due_date=today + timedelta(days=1)))
    overdue = (Kind.CARD_OVERDUE, "overdue", Q(due_date__lt=today))
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
    for days in DEADLINE_DAYS:
        deadline = today + timedelta(days=days)
        for platform in Platform.objects.filter(status__in=OPEN_STATUSES, deadline=deadline):
            coordinators = [
                m.user
                for m in Membership.objects.filter(
                    platform=platform, role=Role.COORDINATOR
                ).select_related("user")
            ]
            count += len(
                notify(
                    recipients=coordinators,
                    kind=Kind.DEADLINE_NEAR,
                    platform=platform,
                    data={"days": days, "deadline": deadline.isoformat()},
                    dedupe_key=f"platform:{platform.pk}:deadline:{days}:{deadline.isoformat()}",
                )
            )
    return count
