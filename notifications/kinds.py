"""The kinds of notification, registered by the apps that own them.

notifications knows none of the domain apps: each app declares its kinds (in its
`notices.py`, imported from its AppConfig.ready()) with everything this app needs to
store, deliver and show one: its key, its label on the preferences page, the default
channels, how it reads in the reader's language, and who may read it. Adding a kind
touches the app that owns it and nothing here.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("すぐに送る")
    DIGEST = "digest", _("1日1回まとめて送る")
    OFF = "off", _("送らない")


def everyone(*, card, platform, user_ids: Iterable[int]) -> set[int]:
    return set(user_ids)


@dataclass(frozen=True, eq=False)
class NoticeKind:
    key: str
    label: str
    # Defaults until a person chooses: email mode (EmailMode) and push on or off.
    email: str
    push: bool
    # The notification's words, rendered when it is read (in the active language,
    # under the rules as they stand then).
    render: Callable = field(repr=False)
    # Who among user_ids may be told, when the notification is written.
    readers: Callable = field(default=everyone, repr=False)
    # False when another message already reaches the person by email (an invitation).
    emails: bool = True

    def __str__(self) -> str:
        return self.key


_KINDS: dict[str, NoticeKind] = {}


def register(kind: NoticeKind) -> NoticeKind:
    if len(kind.key) > 40:
        raise ValueError(f"notice kind key too long: {kind.key!r}")
    if kind.key in _KINDS and _KINDS[kind.key] is not kind:
        raise ValueError(f"notice kind registered twice: {kind.key!r}")
    if not kind.emails and kind.email != EmailMode.OFF:
        raise ValueError(f"{kind.key!r} sends no email, so its default must be off")
    _KINDS[kind.key] = kind
    return kind


def get(key: str) -> NoticeKind | None:
    return _KINDS.get(key)


def all_kinds() -> list[NoticeKind]:
    """In registration order: the apps' order in INSTALLED_APPS, then declaration."""
    return list(_KINDS.values())


def choices() -> list[tuple[str, str]]:
    """For the models' `kind` fields (a callable, so migrations do not list kinds)."""
    return [(kind.key, kind.label) for kind in _KINDS.values()]
