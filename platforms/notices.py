"""The notifications platforms sends: their keys, defaults and words.

Defaults: email at once for what asks something of the person or changes their
place in a group, the daily digest for what is good to know, and none for an
invitation (the invitation email itself is the message). Push for what wants
attention today.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.kinds import EmailMode, NoticeKind, register

from .models import Role, Status

IMMEDIATE, DIGEST, OFF = EmailMode.IMMEDIATE, EmailMode.DIGEST, EmailMode.OFF


def _words(notification) -> dict:
    data = notification.data
    return {"name": data.get("platform_name", ""), "actor": data.get("actor_name", "")}


def _status_changed(notification) -> str:
    to = notification.data.get("to")
    status = Status(to).label if to in Status.values else ""
    return _("「%(name)s」が「%(status)s」になりました。") % (
        _words(notification) | {"status": status}
    )


INVITED = register(
    NoticeKind(
        key="platform.invited",
        label=gettext_lazy("プラットフォームへの招待"),
        email=OFF,
        push=True,
        emails=False,
        render=lambda n: _("%(actor)sさんから「%(name)s」に招待されました。") % _words(n),
    )
)
INVITATION_ACCEPTED = register(
    NoticeKind(
        key="invitation.accepted",
        label=gettext_lazy("招待した人の参加"),
        email=IMMEDIATE,
        push=True,
        render=lambda n: _("%(actor)sさんが招待を受けて「%(name)s」に参加しました。") % _words(n),
    )
)
JOIN_REQUESTED = register(
    NoticeKind(
        key="join.requested",
        label=gettext_lazy("判断を待つ参加申請"),
        email=IMMEDIATE,
        push=True,
        render=lambda n: _("%(actor)sさんが「%(name)s」への参加を申請しました。") % _words(n),
    )
)
JOIN_APPROVED = register(
    NoticeKind(
        key="join.approved",
        label=gettext_lazy("参加申請の承認"),
        email=IMMEDIATE,
        push=True,
        render=lambda n: _("「%(name)s」への参加が承認されました。") % _words(n),
    )
)
JOIN_DECLINED = register(
    NoticeKind(
        key="join.declined",
        label=gettext_lazy("参加申請の見送り"),
        email=IMMEDIATE,
        push=False,
        render=lambda n: _("「%(name)s」への参加は見送られました。") % _words(n),
    )
)
MADE_COORDINATOR = register(
    NoticeKind(
        key="member.made_coordinator",
        label=gettext_lazy("コーディネーターになった"),
        email=IMMEDIATE,
        push=False,
        render=lambda n: (
            _("「%(name)s」の%(role)sになりました。")
            % (_words(n) | {"role": Role.COORDINATOR.label})
        ),
    )
)
REMOVED = register(
    NoticeKind(
        key="member.removed",
        label=gettext_lazy("プラットフォームから外された"),
        email=IMMEDIATE,
        push=False,
        render=lambda n: _("「%(name)s」の参加者から外れました。") % _words(n),
    )
)
STATUS_CHANGED = register(
    NoticeKind(
        key="platform.status_changed",
        label=gettext_lazy("プラットフォームの状態の変更"),
        email=DIGEST,
        push=False,
        render=_status_changed,
    )
)
DEADLINE_NEAR = register(
    NoticeKind(
        key="platform.deadline_near",
        label=gettext_lazy("プラットフォームの期限が近い"),
        email=IMMEDIATE,
        push=True,
        render=lambda n: (
            _("「%(name)s」の期限まであと%(days)s日です。")
            % (_words(n) | {"days": n.data.get("days", "")})
        ),
    )
)
GOAL_REACHED = register(
    NoticeKind(
        key="goal.reached",
        label=gettext_lazy("目標の達成"),
        email=DIGEST,
        push=False,
        render=lambda n: (
            _("「%(name)s」の目標「%(goal)s」を達成しました。")
            % (_words(n) | {"goal": n.data.get("goal_title", "")})
        ),
    )
)
