"""A notification's words, rendered when someone reads it (the list, an email, a
push, a digest), in the active language and under the confidentiality rule as it
stands at that moment: a confidential card's title reaches only people who may see
it, whatever changed since the notification was written."""

from django.utils.translation import gettext as _

from platforms.models import Role, Status

from .models import Kind


def card_title_for_recipient(notification) -> str:
    card = notification.card
    if card is None:
        return ""
    from tasks.permissions import can_see_card_content

    if can_see_card_content(notification.recipient, card, card.board):
        return card.title
    return _("非公開のカード")


def notification_text(notification) -> str:
    data = notification.data
    name = data.get("platform_name", "")
    actor = data.get("actor_name", "")
    kind = notification.kind
    if kind == Kind.INVITED:
        return _("%(actor)sさんから「%(name)s」に招待されました。") % {"actor": actor, "name": name}
    if kind == Kind.JOIN_REQUESTED:
        return _("%(actor)sさんが「%(name)s」への参加を申請しました。") % {
            "actor": actor,
            "name": name,
        }
    if kind == Kind.JOIN_APPROVED:
        return _("「%(name)s」への参加が承認されました。") % {"name": name}
    if kind == Kind.JOIN_DECLINED:
        return _("「%(name)s」への参加は見送られました。") % {"name": name}
    if kind == Kind.MADE_COORDINATOR:
        return _("「%(name)s」の%(role)sになりました。") % {
            "name": name,
            "role": Role.COORDINATOR.label,
        }
    if kind == Kind.REMOVED:
        return _("「%(name)s」の参加者から外れました。") % {"name": name}
    if kind == Kind.STATUS_CHANGED:
        status = Status(data["to"]).label if data.get("to") in Status.values else ""
        return _("「%(name)s」が「%(status)s」になりました。") % {"name": name, "status": status}
    if kind == Kind.DEADLINE_NEAR:
        return _("「%(name)s」の期限まであと%(days)s日です。") % {
            "name": name,
            "days": data.get("days", ""),
        }
    if kind == Kind.GOAL_REACHED:
        return _("「%(name)s」の目標「%(goal)s」を達成しました。") % {
            "name": name,
            "goal": data.get("goal_title", ""),
        }
    card = {"card": card_title_for_recipient(notification), "actor": actor, "name": name}
    if kind == Kind.CARD_ASSIGNED:
        return _("%(actor)sさんがカード「%(card)s」の担当にあなたを加えました。") % card
    if kind == Kind.MENTIONED:
        return _("%(actor)sさんがカード「%(card)s」のコメントであなたの名前を挙げました。") % card
    if kind == Kind.CARD_COMMENTED:
        return _("%(actor)sさんがカード「%(card)s」にコメントしました。") % card
    if kind == Kind.HELPER_SLOT_CHANGED:
        return _("手を挙げたカード「%(card)s」の内容が変わりました。") % card
    if kind == Kind.CARD_DUE_TOMORROW:
        return _("カード「%(card)s」の期日は明日です。") % card
    if kind == Kind.CARD_OVERDUE:
        return _("カード「%(card)s」は期日を過ぎています。") % card
    return name
