"""The live hub: named channels, the listeners on them, and messages published to
them, in one process or across many through Redis. It knows nothing of boards or
platforms; docs/live.md describes the protocol.

Channels are named `<kind>.<id>`: `board.<id>` (a board's events), `platform.<id>`
(a platform's membership and lifecycle), `user.<id>` (one person's pages).

The domain decides the audience before it publishes. A message is either
- frames: one text per audience, in order; each listener gets the first frame whose
  audience includes it (a frame without audience includes everyone), or nothing; an
  optional `seq` lets every process deliver a message once even when it arrives
  twice (published here and echoed by Redis);
- a control: a small dict for the listeners it addresses (all, when no audience).

A listener is any object with
- `user_id` (int) and `tags` (a set of str, read at every message; e.g. a role),
- `user_name` (str), when it joins a channel with presence,
- `on_frame(channel, seq, text)` and `on_control(channel, control)`, called in the
  listener's event loop; they must not block. The hub sends the control
  `{"kind": "catch_up"}` when messages may have been lost (Redis reconnected).

Delivery is at most once: listeners that need every message keep a sequence and
fill gaps from their own store.
"""

from .hubs import Audience, Frame, encode, hub, publish, publish_control, recording

__all__ = [
    "Audience",
    "Frame",
    "channel",
    "hub",
    "encode",
    "publish",
    "publish_control",
    "recording",
]


def channel(kind: str, object_id: int) -> str:
    return f"{kind}.{object_id}"
