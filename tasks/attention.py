"""What boards add to a coordinator's "needs attention" (platforms.attention): overdue
cards and open helper slots on the platforms they coordinate. Two queries."""

from django.db.models import Count, F
from django.utils.translation import ngettext

from platforms.attention import Attention, per_platform, register

from .models import Card


def _live_cards(platforms):
    return Card.objects.filter(
        board__platform__in=platforms,
        archived=False,
        board__archived=False,
        column__archived=False,
    )


@register
def board_attention(platforms, today) -> list[Attention]:
    by_id = {platform.pk: platform for platform in platforms}
    overdue = (
        _live_cards(platforms)
        .filter(due_date__lt=today)
        .values("board__platform")
        .annotate(n=Count("pk"))
    )
    open_slots = (
        _live_cards(platforms)
        .filter(helpers_needed__gt=0)
        .annotate(taken=Count("claims"))
        .filter(taken__lt=F("helpers_needed"))
        .values("board__platform", "helpers_needed", "taken")
    )
    slots: dict[int, int] = {}
    for row in open_slots:
        platform_id = row["board__platform"]
        slots[platform_id] = slots.get(platform_id, 0) + row["helpers_needed"] - row["taken"]
    return per_platform(
        overdue,
        by_id,
        order=30,
        key="board__platform",
        text=lambda n: (
            ngettext(
                "期日を過ぎたカードが%(n)d枚あります。", "期日を過ぎたカードが%(n)d枚あります。", n
            )
            % {"n": n}
        ),
        url_name="tasks:board-list",
    ) + per_platform(
        [{"board__platform": platform_id, "n": n} for platform_id, n in slots.items()],
        by_id,
        order=70,
        key="board__platform",
        text=lambda n: (
            ngettext(
                "手伝いの枠があと%(n)d人分空いています。",
                "手伝いの枠があと%(n)d人分空いています。",
                n,
            )
            % {"n": n}
        ),
        url_name="tasks:board-list",
    )
