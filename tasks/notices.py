"""The notifications boards send, all about one card. A confidential card's
notifications reach only the people who may see it when they are written, and its
title is shown only to those who may still see it when they are read."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.kinds import EmailMode, NoticeKind, register
from platforms.models import Membership
from platforms.permissions import role_of

from .permissions import can_see_card, can_see_card_content

IMMEDIATE, DIGEST = EmailMode.IMMEDIATE, EmailMode.DIGEST


def card_readers(*, card, platform, user_ids) -> set[int]:
    """Who among user_ids may see the card (the boards' confidentiality rule)."""
    if card is None or not card.confidential:
        return set(user_ids)
    roles = dict(
        Membership.objects.filter(
            platform_id=card.board.platform_id, user_id__in=user_ids
        ).values_list("user_id", "role")
    )
    assignees = set(card.assignees.values_list("pk", flat=True))
    return {u for u in user_ids if can_see_card(u, roles.get(u), True, assignees)}


def _card_title(notification) -> str:
    card = notification.card
    if card is None:
        return ""
    role = role_of(notification.recipient, card.board.platform)
    if can_see_card_content(notification.recipient_id, role, card):
        return card.title
    return _("非公開のカード")


def _words(notification) -> dict:
    data = notification.data
    return {
        "card": _card_title(notification),
        "actor": data.get("actor_name", ""),
        "name": data.get("platform_name", ""),
    }


CARD_ASSIGNED = register(
    NoticeKind(
        key="card.assigned",
        label=gettext_lazy("カードの担当になった"),
        email=IMMEDIATE,
        push=True,
        readers=card_readers,
        render=lambda n: (
            _("%(actor)sさんがカード「%(card)s」の担当にあなたを加えました。") % _words(n)
        ),
    )
)
MENTIONED = register(
    NoticeKind(
        key="card.mentioned",
        label=gettext_lazy("コメントで名前を呼ばれた"),
        email=IMMEDIATE,
        push=True,
        readers=card_readers,
        render=lambda n: (
            _("%(actor)sさんがカード「%(card)s」のコメントであなたの名前を挙げました。") % _words(n)
        ),
    )
)
CARD_COMMENTED = register(
    NoticeKind(
        key="card.commented",
        label=gettext_lazy("担当・ウォッチ中のカードへのコメント"),
        email=DIGEST,
        push=False,
        readers=card_readers,
        render=lambda n: _("%(actor)sさんがカード「%(card)s」にコメントしました。") % _words(n),
    )
)
HELPER_SLOT_CHANGED = register(
    NoticeKind(
        key="card.helper_changed",
        label=gettext_lazy("手を挙げたカードの変更"),
        email=IMMEDIATE,
        push=True,
        readers=card_readers,
        render=lambda n: _("手を挙げたカード「%(card)s」の内容が変わりました。") % _words(n),
    )
)
CARD_DUE_TOMORROW = register(
    NoticeKind(
        key="card.due_tomorrow",
        label=gettext_lazy("明日が期日のカード"),
        email=DIGEST,
        push=True,
        readers=card_readers,
        render=lambda n: _("カード「%(card)s」の期日は明日です。") % _words(n),
    )
)
CARD_OVERDUE = register(
    NoticeKind(
        key="card.overdue",
        label=gettext_lazy("期日を過ぎたカード"),
        email=IMMEDIATE,
        push=True,
        readers=card_readers,
        render=lambda n: _("カード「%(card)s」は期日を過ぎています。") % _words(n),
    )
)
