"""Addressed emails that are messages of their own: an invitation to someone who may
have no account yet. They travel through the same outbox as notifications (a
Delivery row written with the change, sent after commit, retried with backoff,
swept when its job was lost), but their words belong to the app that sends them.

An app registers a renderer by name in its AppConfig.ready(); notifications knows
none of the apps. A renderer takes the object's id and returns the message, or None
when it is no longer wanted (the delivery is then cancelled, not sent).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class AddressedMessage:
    subject: str
    text: str


Renderer = Callable[[int], AddressedMessage | None]
RENDERERS: dict[str, Renderer] = {}


def register(name: str, renderer: Renderer) -> None:
    RENDERERS[name] = renderer


def render(name: str, ref: int) -> AddressedMessage | None:
    return RENDERERS[name](ref)
