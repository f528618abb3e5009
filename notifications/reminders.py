"""The hourly reminder run. Each app registers the reminders whose rules are its own
(tasks: cards due tomorrow or overdue; platforms: a deadline 7 days and 1 day ahead),
as a function of the run's time that notifies and returns how many it told.

Each reminder carries a key (what it is about and the date it is about), so running
the job again, or after a missed hour, tells nobody twice.
"""

from collections.abc import Callable
from datetime import date, datetime

from django.db import connection, transaction

from .preferences import TOKYO

Reminder = Callable[[datetime], int]
_REMINDERS: dict[str, Reminder] = {}


def register(name: str, reminder: Reminder) -> None:
    _REMINDERS[name] = reminder


def today_in_tokyo(now: datetime) -> date:
    return now.astimezone(TOKYO).date()


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
    return sum(reminder(now) for reminder in _REMINDERS.values())
