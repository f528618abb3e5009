"""A notification's words, rendered when someone reads it, in their language."""

from django.utils.translation import gettext as _

from platforms.models import Role, Status

from .models import Kind


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
    if kind == Kind.GOAL_REACHED:
        return _("「%(name)s」の目標「%(goal)s」を達成しました。") % {
            "name": name,
            "goal": data.get("goal_title", ""),
        }
    return name
