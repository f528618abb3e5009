"""The notifications resources sends: to a steward (a question, a platform using the
resource, the six-monthly 「今も正しいですか」) and to the person who asked."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.kinds import EmailMode, NoticeKind, register

IMMEDIATE, DIGEST = EmailMode.IMMEDIATE, EmailMode.DIGEST


def _words(notification) -> dict:
    data = notification.data
    return {
        "resource": data.get("resource_name", ""),
        "actor": data.get("actor_name", ""),
        "name": data.get("platform_name", ""),
    }


QUESTION_ASKED = register(
    NoticeKind(
        key="resource.question",
        label=gettext_lazy("担当する社会資源への質問"),
        email=IMMEDIATE,
        push=True,
        render=lambda n: (
            _("%(actor)sさんから「%(resource)s」について質問が届きました。") % _words(n)
        ),
    )
)
QUESTION_ANSWERED = register(
    NoticeKind(
        key="resource.answered",
        label=gettext_lazy("社会資源への質問の回答"),
        email=IMMEDIATE,
        push=True,
        render=lambda n: _("「%(resource)s」への質問に回答がありました。") % _words(n),
    )
)
RESOURCE_LINKED = register(
    NoticeKind(
        key="resource.linked",
        label=gettext_lazy("担当する社会資源を使うプラットフォーム"),
        email=DIGEST,
        push=False,
        render=lambda n: (
            _("「%(name)s」が「%(resource)s」を活用したいと提案しました。") % _words(n)
        ),
    )
)
CONFIRM_DUE = register(
    NoticeKind(
        key="resource.confirm_due",
        label=gettext_lazy("社会資源の情報の確認（半年ごと）"),
        email=DIGEST,
        push=False,
        render=lambda n: (
            _("「%(resource)s」の情報は今も正しいですか？確かめてください。") % _words(n)
        ),
    )
)
