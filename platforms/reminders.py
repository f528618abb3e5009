"""A platform's deadline, told to its coordinators 7 days and 1 day ahead, once per
platform, distance and date, while the platform is open for work."""

from datetime import datetime, timedelta

from notifications.reminders import today_in_tokyo
from notifications.services import notify

from . import notices
from .models import Membership, Platform, Role
from .permissions import OPEN_STATUSES

DEADLINE_DAYS = (7, 1)


def deadline_reminders_send(now: datetime) -> int:
    today = today_in_tokyo(now)
    count = 0
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
                    kind=notices.DEADLINE_NEAR,
                    platform=platform,
                    data={"days": days, "deadline": deadline.isoformat()},
                    dedupe_key=f"platform:{platform.pk}:deadline:{days}:{deadline.isoformat()}",
                )
            )
    return count
