"""Writing one frame to a socket now, from the hub's loop over a channel's listeners,
without a task or a queue hop per socket (docs/live.md, "fast send").

An ASGI `send` is a coroutine. With uvicorn's WebSocket protocols a frame is written
to the transport at once and the coroutine finishes without suspending, unless the
transport pushes back (its buffer is full), when it waits on a future. start_send()
drives the coroutine by hand up to that point: None means the frame is written; a
future means the rest must be finished by finish_send() in order, before any later
frame of that socket.

A step further, frame_writer() writes one pre-encoded frame to many sockets: a
server's text frame is the same bytes for every socket that negotiated no extension
(no compression), so it is built once per message (text_frame) and handed to each
socket's transport, instead of each send building it again (about half of a send's
cost). Only uvicorn's `websockets-sansio` protocol offers this, and only for a socket
that is open and not pushing back; every other socket gets start_send().

This relies on the server, so it is a setting (LIVE_FAST_SEND; off: every frame goes
through the socket's writer task, awaited normally) and tests/common/test_fastsend.py
checks the contract for each `--ws` implementation we support with a real uvicorn.
"""

import asyncio
import logging
from functools import lru_cache

from websockets.frames import Frame, Opcode
from websockets.protocol import State

logger = logging.getLogger(__name__)

try:
    from uvicorn.protocols.websockets.websockets_sansio_impl import (
        WebSocketsSansIOProtocol,
    )
except ImportError:  # another server: every send goes through start_send()
    WebSocketsSansIOProtocol = None


@lru_cache(maxsize=16)
def text_frame(text: str) -> bytes:
    """A server's unmasked, unfragmented, uncompressed text frame. The hub hands the
    same str object to every listener, so the key's hash is computed once."""
    return Frame(Opcode.TEXT, text.encode()).serialize(mask=False)


def frame_writer(send):
    """How to write pre-encoded frames to this socket directly, or None when it cannot
    take them (another server or protocol, or compression was negotiated).

    The writer returns False, writing nothing, when the socket is not open or its
    transport is pushing back; the caller then uses the ASGI send, which waits or
    fails as the server decides."""
    protocol = getattr(send, "__self__", None)
    if WebSocketsSansIOProtocol is None or not isinstance(protocol, WebSocketsSansIOProtocol):
        return None
    if protocol.conn.extensions:
        return None

    def write(frame: bytes) -> bool:
        if (
            protocol.close_sent
            or protocol.disconnected
            or protocol.conn.state is not State.OPEN
            or not protocol.writable.is_set()
            or protocol.transport.is_closing()
        ):
            return False
        protocol.transport.write(frame)
        return True

    return write


def start_send(send):
    """Runs the send coroutine until it finishes (returns None) or first waits
    (returns what it waits on). A send that fails (the client went away) is closed
    and counts as finished: the socket's disconnect cleans up."""
    try:
        return send.send(None) or _YIELDED
    except StopIteration:
        return None
    except Exception:  # noqa: BLE001 - the connection is gone; nothing to write to
        logger.debug("socket send failed", exc_info=True)
        send.close()
        return None


# A bare `yield` inside the send (asyncio.sleep(0)) suspends without a future.
_YIELDED = object()


async def finish_send(send, waiting_for) -> None:
    """Drives a send that start_send() left waiting, as an asyncio task would: wait
    for the future, resume, until the coroutine returns."""
    while True:
        if waiting_for is _YIELDED or waiting_for is None:
            await asyncio.sleep(0)
            error = None
        else:
            try:
                await waiting_for
                error = None
            except Exception as caught:  # noqa: BLE001 - handed back to the coroutine
                error = caught
        try:
            waiting_for = send.throw(error) if error is not None else send.send(None)
        except StopIteration:
            return
        waiting_for = waiting_for or _YIELDED
