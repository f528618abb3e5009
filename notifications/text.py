"""A notification's words, rendered when someone reads it (the list, an email, a
push, a digest), in the active language and under the rules as they stand at that
moment. The words belong to the kind's app (NoticeKind.render)."""

from . import kinds


def notification_text(notification) -> str:
    kind = kinds.get(notification.kind)
    if kind is None:
        # A kind no app registers any more: its platform's name is all we can say.
        return notification.data.get("platform_name", "")
    return kind.render(notification)
