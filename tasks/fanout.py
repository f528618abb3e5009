"""Live fan-out of board events to open sockets.

Every server process keeps its own registry of the sockets looking at each board and,
when Redis is configured, one Redis subscription per board that has local sockets
(the idea behind Phoenix's "fastlane"). A board event is published once; each
process parses it once, encodes it once per audience (full, and redacted when the
card is confidential) and queues the right text on each local socket. This replaces
one channel-layer message per socket, whose cost grows with every recipient.

Delivery here is at-most-once, like any pub/sub: correctness comes from the board's
event log. Each socket's writer (tasks.consumers) checks seq continuity and fills
any gap from the database, so a dropped message only costs a query.

Without REDIS_URL (the embedded default, one process) the publisher hands messages
straight to the event loops of this process.
"""

import asyncio
import json
import logging
import weakref
from collections import defaultdict

import redis
import redis.asyncio as aioredis
from django.conf import settings

from .events import card_visible_to, redact_event

logger = logging.getLogger(__name__)

CHANNEL_PREFIX = "hub.board."
PRESENCE_PREFIX = "hub.presence."
PRESENCE_TTL_SECONDS = 24 * 3600
# Presence changes are gathered for this long before one update goes out, so thirty
# people opening a board together cause one broadcast, not thirty.
PRESENCE_DELAY_SECONDS = 0.2


def channel_for(board_id: int) -> str:
    return f"{CHANNEL_PREFIX}{board_id}"


def _encode(envelope: dict) -> str:
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":"))


# --- publishing (sync; services call these after commit) ---------------------------

_sync_client = None


def _redis_client():
    global _sync_client
    if _sync_client is None:
        _sync_client = redis.Redis.from_url(
            settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2
        )
    return _sync_client


def _publish(board_id: int, envelope: dict) -> None:
    raw = _encode(envelope)
    # This process's own sockets get an event at once, others through Redis; the
    # Redis copy that comes back is dropped by seq (BoardHub._dispatch). Control
    # messages have no seq and go one way only.
    if envelope["kind"] == "event" or not settings.REDIS_URL:
        for hub in list(_hubs.values()):
            hub.deliver_threadsafe(board_id, raw)
    if not settings.REDIS_URL:
        return
    try:
        _redis_client().publish(channel_for(board_id), raw)
    except redis.RedisError:
        # The change is committed and in the event log; sockets catch up on their next
        # event or reconnect. The person's action must not fail for this.
        logger.warning("board %s: live publish failed; clients will catch up", board_id)


def publish_event(board_id: int, message: dict) -> None:
    _publish(board_id, {"kind": "event", "message": message})


def publish_close(board_id: int, reason: str) -> None:
    """Tells every socket on the board that it is closed for good (board or platform
    archived) and closes them."""
    _publish(board_id, {"kind": "close", "reason": reason})


def publish_revoke(board_id: int, user_id: int, reason: str) -> None:
    """Closes one person's sockets on the board (they were removed or left)."""
    _publish(board_id, {"kind": "revoke", "user": user_id, "reason": reason})


def publish_role_changed(board_id: int, user_id: int) -> None:
    _publish(board_id, {"kind": "role", "user": user_id})


# --- the per-process hub (async) ------------------------------------------------------


class BoardHub:
    """The sockets of this process and event loop, by board."""

    def __init__(self, loop):
        self.loop = loop
        self.listeners: dict[int, set] = defaultdict(set)
        self.presence: dict[int, dict] = defaultdict(dict)  # local mode: listener -> user
        self.dispatched: dict[int, int] = {}  # board -> highest event seq dispatched
        self._redis = None
        self._pubsub = None
        self._reader = None
        self._presence_due: set[int] = set()

    # membership of the registry

    async def join(self, board_id: int, listener) -> None:
        first = not self.listeners[board_id]
        self.listeners[board_id].add(listener)
        if settings.REDIS_URL:
            if first:
                await self._subscribe(board_id)
            await self._presence_change(board_id, listener, +1)
        else:
            self.presence[board_id][listener] = (listener.user_id, listener.user_name)
            self._presence_soon(board_id)

    async def leave(self, board_id: int, listener) -> None:
        listeners = self.listeners.get(board_id)
        if not listeners or listener not in listeners:
            return
        listeners.discard(listener)
        if settings.REDIS_URL:
            if not listeners:
                self.listeners.pop(board_id, None)
                self.dispatched.pop(board_id, None)
                await self._unsubscribe(board_id)
            await self._presence_change(board_id, listener, -1)
        else:
            self.presence[board_id].pop(listener, None)
            if not listeners:
                self.listeners.pop(board_id, None)
                self.dispatched.pop(board_id, None)
                self.presence.pop(board_id, None)
            else:
                self._presence_soon(board_id)

    # delivery

    def deliver_threadsafe(self, board_id: int, raw: str) -> None:
        if board_id in self.listeners and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self._dispatch, board_id, raw)

    def _dispatch(self, board_id: int, raw: str) -> None:
        listeners = self.listeners.get(board_id)
        if not listeners:
            return
        envelope = json.loads(raw)
        kind = envelope.get("kind")
        if kind == "event":
            seq = envelope["message"]["seq"]
            if seq <= self.dispatched.get(board_id, 0):
                return  # already delivered here (local copy, or a late duplicate)
            self.dispatched[board_id] = seq
            self._dispatch_event(listeners, envelope["message"])
        elif kind == "presence":
            text = _encode({"type": "presence", "users": envelope["users"]})
            for listener in listeners:
                listener.push_text(None, text)
        else:
            for listener in list(listeners):
                listener.push_control(envelope)

    @staticmethod
    def _dispatch_event(listeners, message: dict) -> None:
        seq = message["seq"]
        full = _encode(message)
        card = message.get("data", {}).get("card")
        if not (card and card.get("confidential")):
            for listener in listeners:
                listener.push_text(seq, full)
            return
        redacted = _encode(redact_event(message))
        for listener in listeners:
            visible = card_visible_to(card, listener.user_id, listener.role)
            listener.push_text(seq, full if visible else redacted)

    # presence

    def _presence_soon(self, board_id: int) -> None:
        if board_id not in self._presence_due:
            self._presence_due.add(board_id)
            self.loop.call_later(
                PRESENCE_DELAY_SECONDS, lambda: self.loop.create_task(self._presence_send(board_id))
            )

    async def _presence_send(self, board_id: int) -> None:
        self._presence_due.discard(board_id)
        if not settings.REDIS_URL:
            if board_id in self.presence:
                users = {user_id: name for user_id, name in self.presence[board_id].values()}
                envelope = {"kind": "presence", "users": _presence_list(users)}
                self._dispatch(board_id, _encode(envelope))
            return
        try:
            client = await self._client()
            fields = await client.hgetall(f"{PRESENCE_PREFIX}{board_id}")
            users = {}
            for raw_field, raw_count in fields.items():
                if int(raw_count) > 0:
                    user_id, _, name = raw_field.decode().partition(":")
                    users[int(user_id)] = name
            await client.publish(
                channel_for(board_id), _encode({"kind": "presence", "users": _presence_list(users)})
            )
        except redis.RedisError:
            logger.warning("board %s: presence update failed", board_id)

    async def _presence_change(self, board_id: int, listener, delta: int) -> None:
        """Counts the person's sockets on the board in Redis (shared by every process)."""
        key = f"{PRESENCE_PREFIX}{board_id}"
        field = f"{listener.user_id}:{listener.user_name}"
        try:
            client = await self._client()
            count = await client.hincrby(key, field, delta)
            if count <= 0:
                await client.hdel(key, field)
            await client.expire(key, PRESENCE_TTL_SECONDS)
        except redis.RedisError:
            logger.warning("board %s: presence update failed", board_id)
            return
        self._presence_soon(board_id)

    # Redis subscription

    async def _client(self):
        if self._redis is None:
            # No read timeout: an idle subscription must stay open.
            self._redis = aioredis.Redis.from_url(settings.REDIS_URL, socket_timeout=None)
        return self._redis

    async def _subscribe(self, board_id: int) -> None:
        client = await self._client()
        if self._pubsub is None:
            self._pubsub = client.pubsub(ignore_subscribe_messages=True)
        try:
            await self._pubsub.subscribe(channel_for(board_id))
        except redis.RedisError:
            logger.warning("board %s: subscribe failed; will retry", board_id)
        if self._reader is None or self._reader.done():
            self._reader = self.loop.create_task(self._read())

    async def _unsubscribe(self, board_id: int) -> None:
        if self._pubsub is not None:
            try:
                await self._pubsub.unsubscribe(channel_for(board_id))
            except redis.RedisError:
                logger.warning("board %s: unsubscribe failed", board_id)

    async def _read(self) -> None:
        """Reads the subscription until no board has local sockets; after a Redis
        failure it resubscribes and asks every local socket to catch up."""
        while self.listeners:
            try:
                message = await self._pubsub.get_message(timeout=1.0)
            except (redis.RedisError, OSError, RuntimeError):
                logger.warning("live subscription lost; resubscribing")
                await asyncio.sleep(1)
                await self._resubscribe()
                continue
            if message and message.get("type") == "message":
                try:
                    board_id = int(message["channel"].decode().removeprefix(CHANNEL_PREFIX))
                    self._dispatch(board_id, message["data"].decode())
                except Exception:
                    # One bad message must not stop this process's live boards.
                    logger.exception("live message could not be delivered")

    async def _resubscribe(self) -> None:
        try:
            await self._pubsub.reset()
            boards = list(self.listeners)
            if boards:
                await self._pubsub.subscribe(*[channel_for(b) for b in boards])
        except redis.RedisError:
            return
        for listeners in self.listeners.values():
            for listener in listeners:
                listener.push_control({"kind": "catch_up"})


def _presence_list(users: dict) -> list:
    return [{"id": user_id, "name": name} for user_id, name in sorted(users.items())]


_hubs: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, BoardHub]" = (
    weakref.WeakKeyDictionary()
)


def hub() -> BoardHub:
    """The hub of the running event loop (one per server process in production; one
    per test loop in tests)."""
    loop = asyncio.get_running_loop()
    if loop not in _hubs:
        _hubs[loop] = BoardHub(loop)
    return _hubs[loop]
