"""What a platform announces on its live channel (`platform.<id>`), after commit:
a member left or was removed, a member's role changed, the platform closed for good.
Apps above platforms listen (a board's sockets close or re-check the role); the
platform does not know who listens."""

from django.db import transaction

from common import live


def platform_channel(platform_id: int) -> str:
    return live.channel("platform", platform_id)


def _after_commit(platform, control: dict, audience=None) -> None:
    channel = platform_channel(platform.pk)
    transaction.on_commit(lambda: live.publish_control(channel, control, audience=audience))


def announce_member_gone(platform, user_id: int, reason: str) -> None:
    """`reason` is "left" or "removed"."""
    _after_commit(
        platform,
        {"kind": "member_gone", "user": user_id, "reason": reason},
        live.Audience(users=frozenset({user_id})),
    )


def announce_role_changed(platform, user_id: int) -> None:
    _after_commit(
        platform,
        {"kind": "role_changed", "user": user_id},
        live.Audience(users=frozenset({user_id})),
    )


def announce_closed(platform) -> None:
    """Archived or cancelled: read-only for good."""
    _after_commit(platform, {"kind": "closed", "reason": f"platform_{platform.status}"})
