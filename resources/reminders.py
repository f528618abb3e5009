"""Every six months a steward is asked whether an active resource is still right
(「今も正しいですか」). The clock runs from the last confirmation (or registration, for
one never confirmed) and from the last reminder, so an unanswered reminder comes
again six months later, not every hour; the day of the reminder is its key, so
running the job twice tells nobody twice. Resources reminded recently are left out
in the query, so the hourly run reads only what is due."""

from datetime import datetime, timedelta

from django.db.models import Q

from notifications.reminders import today_in_tokyo
from notifications.services import notify

from . import notices
from .models import Resource, Status
from .selectors import steward_people

CONFIRM_EVERY = timedelta(days=182)


def confirm_reminders_send(now: datetime) -> int:
    today = today_in_tokyo(now)
    due = today - CONFIRM_EVERY
    resources = (
        Resource.objects.filter(status=Status.ACTIVE)
        .filter(Q(confirmed_at__lte=due) | Q(confirmed_at__isnull=True, created_at__date__lte=due))
        .filter(Q(confirm_reminded_on__isnull=True) | Q(confirm_reminded_on__lte=due))
        .filter(Q(steward__isnull=False) | Q(steward_organisation__isnull=False))
    )
    count = 0
    for resource in resources.order_by("pk").iterator():
        since = (resource.confirmed_at or resource.created_at.date()).isoformat()
        count += len(
            notify(
                recipients=steward_people(resource),
                kind=notices.CONFIRM_DUE,
                data={"resource_name": resource.name, "since": since},
                url=resource.get_absolute_url(),
                dedupe_key=f"resource:{resource.pk}:confirm:{today.isoformat()}",
            )
        )
        Resource.objects.filter(pk=resource.pk).update(confirm_reminded_on=today)
    return count
