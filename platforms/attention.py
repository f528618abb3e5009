"""A coordinator's "needs attention" on マイページ: what is waiting for them on the live
platforms they coordinate. Platforms finds its own (join requests, invitations left
unanswered, deadlines, goals met but not closed); an app above it registers a
provider for the rest (tasks: overdue cards, open helper slots), so this module
imports no app above it. Each provider takes a fixed number of queries."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Invitation, JoinRequest, Platform, Status
from .selectors import platform_list_coordinated

# An invitation unanswered this long is worth a reminder or a phone call.
INVITATION_WAIT = timedelta(days=7)
# Deadlines this close are shown.
DEADLINE_SOON_DAYS = 7


@dataclass(frozen=True)
class Attention:
    """One thing a coordinator should look at: on which platform, what, where to go.
    `order` sorts the list: what blocks other people first."""

    order: int
    platform: Platform
    text: str
    url: str


Provider = Callable[[list[Platform], date], list[Attention]]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    _PROVIDERS.append(provider)
    return provider


def coordinated_live_platforms(user) -> list[Platform]:
    return list(platform_list_coordinated(user=user).prefetch_related("goals"))


def needs_attention(user, today: date | None = None) -> list[Attention]:
    today = today or timezone.localdate()
    platforms = coordinated_live_platforms(user)
    if not platforms:
        return []
    items = _platform_items(platforms, today)
    for provider in _PROVIDERS:
        items.extend(provider(platforms, today))
    return sorted(items, key=lambda item: (item.order, item.platform.deadline, item.platform.pk))


def per_platform(rows, by_id, *, order: int, text, url_name: str, key: str = "platform"):
    """Attention items from rows of (platform id, count n): `text(n)` says what."""
    return [
        Attention(order, by_id[row[key]], text(row["n"]), reverse(url_name, args=[row[key]]))
        for row in rows
    ]


def _platform_items(platforms: list[Platform], today: date) -> list[Attention]:
    by_id = {platform.pk: platform for platform in platforms}
    requests = (
        JoinRequest.objects.filter(platform__in=by_id, status=JoinRequest.Status.PENDING)
        .values("platform")
        .annotate(n=Count("pk"))
    )
    waiting = (
        Invitation.objects.filter(
            platform__in=by_id,
            status=Invitation.Status.PENDING,
            created_at__lte=timezone.now() - INVITATION_WAIT,
        )
        .values("platform")
        .annotate(n=Count("pk"))
    )
    items = per_platform(
        requests,
        by_id,
        order=10,
        text=lambda n: (
            ngettext(
                "判断を待っている参加申請が%(n)d件あります。",
                "判断を待っている参加申請が%(n)d件あります。",
                n,
            )
            % {"n": n}
        ),
        url_name="platforms:join-request-list",
    ) + per_platform(
        waiting,
        by_id,
        order=40,
        text=lambda n: (
            ngettext(
                "7日以上返事のない招待が%(n)d件あります。",
                "7日以上返事のない招待が%(n)d件あります。",
                n,
            )
            % {"n": n}
        ),
        url_name="platforms:invitation-list",
    )
    for platform in platforms:
        items.extend(_lifecycle_items(platform, today))
    return items


def _lifecycle_items(platform: Platform, today: date) -> list[Attention]:
    url = platform.get_absolute_url()
    goals = list(platform.goals.all())
    if platform.deadline < today:
        return [
            Attention(
                20,
                platform,
                _("期限（%(date)s）を過ぎています。期限を延ばすか、閉じる準備をしてください。")
                % {"date": _date(platform.deadline)},
                url,
            )
        ]
    items = []
    if platform.deadline <= today + timedelta(days=DEADLINE_SOON_DAYS):
        items.append(
            Attention(
                50,
                platform,
                _("期限（%(date)s）まで7日以内です。") % {"date": _date(platform.deadline)},
                url,
            )
        )
    if platform.status == Status.GOAL_MET:
        items.append(
            Attention(60, platform, _("目標を達成しました。評価を書いて、閉じましょう。"), url)
        )
    elif goals and all(goal.current_value >= goal.target_value for goal in goals):
        items.append(
            Attention(
                60,
                platform,
                _("すべての目標に届いています。「目標達成」にして、閉じる準備をしましょう。"),
                url,
            )
        )
    return items


def _date(value) -> str:
    return date_format(value, "DATE_FORMAT")
