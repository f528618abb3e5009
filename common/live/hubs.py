"""The hub of each event loop, and publishing from any thread.

Without REDIS_URL (the embedded default, one process) a publisher hands messages
straight to the event loops of this process (LocalHub). With REDIS_URL every
process keeps one Redis subscription per channel that has local listeners
(RedisHub; the idea behind Phoenix's "fastlane"): a message is published once,
parsed once per process and handed to each matching listener, instead of one
channel-layer message per socket. Frames with a seq also reach this process's
listeners at once; the copy that comes back from Redis is dropped by seq.
"""

import asyncio
import contextvars
import json
import logging
import weakref
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

import redis
import redis.asyncio as aioredis
from django.conf import settings

logger = logging.getLogger(__name__)

REDIS_PREFIX = "hub.live."
PRESENCE_PREFIX = "hub.presence."
PRESENCE_TTL_SECONDS = 24 * 3600
# Presence changes are gathered for this long before one update goes out, so thirty
# people opening a board together cause one broadcast, not thirty.
PRESENCE_DELAY_SECONDS = 0.2


@dataclass(frozen=True)
class Audience:
    """Listeners with one of these user ids or one of these tags."""

    users: frozenset = field(default_factory=frozenset)
    tags: frozenset = field(default_factory=frozenset)

    def includes(self, listener) -> bool:
        return listener.user_id in self.users or not self.tags.isdisjoint(listener.tags)

    def wire(self) -> dict:
        return {"users": sorted(self.users), "tags": sorted(self.tags)}

    @classmethod
    def from_wire(cls, data) -> "Audience | None":
        if data is None:
            return None
        return cls(frozenset(data.get("users", ())), frozenset(data.get("tags", ())))


@dataclass(frozen=True)
class Frame:
    text: str
    audience: Audience | None = None


def encode(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def redis_channel(channel: str) -> str:
    return f"{REDIS_PREFIX}{channel}"


# --- publishing (any thread; services call these after commit) ----------------------

_sync_clients: dict[str, redis.Redis] = {}
_recorders: list = []


def _redis_client(url: str) -> redis.Redis:
    if url not in _sync_clients:
        _sync_clients[url] = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    return _sync_clients[url]


def publish(channel: str, frames: Iterable[Frame], *, seq: int | None = None) -> None:
    envelope = {
        "seq": seq,
        "frames": [
            {"text": f.text, "audience": f.audience.wire() if f.audience else None} for f in frames
        ],
    }
    _send(channel, envelope, local_at_once=True)


def publish_control(channel: str, control: dict, *, audience: Audience | None = None) -> None:
    envelope = {"control": control, "audience": audience.wire() if audience else None}
    _send(channel, envelope, local_at_once=False)


def _send(channel: str, envelope: dict, *, local_at_once: bool) -> None:
    for recorder in list(_recorders):
        recorder.messages.append((channel, envelope))
        if not recorder.deliver:
            return
    raw = encode(envelope)
    url = settings.REDIS_URL
    # Controls and presence go one way only (through Redis when it is there); they
    # carry no seq to drop a second copy by.
    if local_at_once or not url:
        for loop_hub in list(_hubs.values()):
            loop_hub.deliver_threadsafe(channel, raw)
    if not url:
        return
    try:
        _redis_client(url).publish(redis_channel(channel), raw)
    except redis.RedisError:
        # The change is committed and in its own log; listeners catch up on their
        # next message or reconnect. The person's action must not fail for this.
        logger.warning("%s: live publish failed; listeners will catch up", channel)


class Recorder:
    def __init__(self, deliver: bool):
        self.deliver = deliver
        self.messages: list[tuple[str, dict]] = []

    def frames(self, channel: str | None = None) -> list[dict]:
        """Published frame messages (seq and frames), of one channel or all."""
        return [
            envelope
            for name, envelope in self.messages
            if "frames" in envelope and (channel is None or name == channel)
        ]

    def controls(self, channel: str | None = None) -> list[dict]:
        return [
            envelope["control"]
            for name, envelope in self.messages
            if "control" in envelope and (channel is None or name == channel)
        ]


@contextmanager
def recording(*, deliver: bool = True):
    """Records what is published meanwhile (for tests and benchmarks); with
    deliver=False the messages are also dropped, as a lost message would be."""
    recorder = Recorder(deliver)
    _recorders.append(recorder)
    try:
        yield recorder
    finally:
        _recorders.remove(recorder)


# --- the per-loop hub (async) ---------------------------------------------------------


class LocalHub:
    """The listeners of this event loop, by channel; messages come from publishers
    in this process."""

    def __init__(self, loop):
        self.loop = loop
        self.listeners: dict[str, set] = defaultdict(set)
        self.dispatched: dict[str, int] = {}  # channel -> highest seq dispatched
        self.presence_channels: set[str] = set()
        self._presence: dict[str, dict] = defaultdict(dict)  # channel -> listener -> user
        self._presence_due: set[str] = set()

    async def join(self, channel: str, listener, *, presence: bool = False) -> None:
        self.listeners[channel].add(listener)
        if presence:
            self.presence_channels.add(channel)
            self._presence[channel][listener] = (listener.user_id, listener.user_name)
            self._presence_soon(channel)

    async def leave(self, channel: str, listener) -> None:
        if not self._discard(channel, listener):
            return
        if channel in self.presence_channels:
            self._presence[channel].pop(listener, None)
            if channel in self.listeners:
                self._presence_soon(channel)
            else:
                self._presence.pop(channel, None)
                self.presence_channels.discard(channel)

    def _discard(self, channel: str, listener) -> bool:
        """Removes the listener; True if it was there. Forgets an empty channel."""
        listeners = self.listeners.get(channel)
        if not listeners or listener not in listeners:
            return False
        listeners.discard(listener)
        if not listeners:
            self.listeners.pop(channel, None)
            self.dispatched.pop(channel, None)
        return True

    # delivery

    def deliver_threadsafe(self, channel: str, raw: str) -> None:
        if channel in self.listeners and not self.loop.is_closed():
            # A fresh context, not the publisher's: a publisher inside a worker thread
            # of asgiref's sync_to_async would otherwise lend its context to the
            # tasks listeners start, and their own database_sync_to_async calls would
            # wait on that thread (the bell's count never came in embedded mode).
            self.loop.call_soon_threadsafe(
                self.dispatch, channel, raw, context=contextvars.Context()
            )

    def dispatch(self, channel: str, raw: str) -> None:
        listeners = self.listeners.get(channel)
        if not listeners:
            return
        envelope = json.loads(raw)
        if "control" in envelope:
            audience = Audience.from_wire(envelope.get("audience"))
            for listener in list(listeners):
                if audience is None or audience.includes(listener):
                    listener.on_control(channel, envelope["control"])
            return
        if "presence" in envelope:
            text = encode({"type": "presence", "users": envelope["presence"]})
            for listener in list(listeners):
                listener.on_frame(channel, None, text)
            return
        seq = envelope.get("seq")
        if seq is not None:
            if seq <= self.dispatched.get(channel, 0):
                return  # already delivered here (local copy, or a late duplicate)
            self.dispatched[channel] = seq
        frames = [(f["text"], Audience.from_wire(f.get("audience"))) for f in envelope["frames"]]
        if len(frames) == 1 and frames[0][1] is None:
            text = frames[0][0]
            for listener in list(listeners):
                listener.on_frame(channel, seq, text)
            return
        for listener in list(listeners):
            for text, audience in frames:
                if audience is None or audience.includes(listener):
                    listener.on_frame(channel, seq, text)
                    break

    # presence

    def _presence_soon(self, channel: str) -> None:
        if channel not in self._presence_due:
            self._presence_due.add(channel)
            self.loop.call_later(
                PRESENCE_DELAY_SECONDS,
                lambda: self.loop.create_task(self._presence_send(channel)),
            )

    async def _presence_send(self, channel: str) -> None:
        self._presence_due.discard(channel)
        if channel in self._presence:
            users = dict(self._presence[channel].values())
            self.dispatch(channel, encode({"presence": presence_list(users)}))


class RedisHub(LocalHub):
    """Listeners of this event loop fed by one Redis subscription (per channel with
    local listeners); presence is counted in Redis, shared by every process."""

    def __init__(self, loop, url: str):
        super().__init__(loop)
        self.url = url
        self._redis = None
        self._pubsub = None
        self._reader = None

    async def join(self, channel: str, listener, *, presence: bool = False) -> None:
        first = not self.listeners[channel]
        self.listeners[channel].add(listener)
        if first:
            await self._subscribe(channel)
        if presence:
            self.presence_channels.add(channel)
            await self._presence_change(channel, listener, +1)

    async def leave(self, channel: str, listener) -> None:
        if not self._discard(channel, listener):
            return
        if channel not in self.listeners:
            await self._unsubscribe(channel)
        if channel in self.presence_channels:
            await self._presence_change(channel, listener, -1)
            if channel not in self.listeners:
                self.presence_channels.discard(channel)

    async def _presence_send(self, channel: str) -> None:
        self._presence_due.discard(channel)
        try:
            client = await self._client()
            fields = await client.hgetall(f"{PRESENCE_PREFIX}{channel}")
            users = {}
            for raw_field, raw_count in fields.items():
                if int(raw_count) > 0:
                    user_id, _, name = raw_field.decode().partition(":")
                    users[int(user_id)] = name
            await client.publish(redis_channel(channel), encode({"presence": presence_list(users)}))
        except redis.RedisError:
            logger.warning("%s: presence update failed", channel)

    async def _presence_change(self, channel: str, listener, delta: int) -> None:
        """Counts the person's listeners on the channel in Redis."""
        key = f"{PRESENCE_PREFIX}{channel}"
        user_field = f"{listener.user_id}:{listener.user_name}"
        try:
            client = await self._client()
            count = await client.hincrby(key, user_field, delta)
            if count <= 0:
                await client.hdel(key, user_field)
            await client.expire(key, PRESENCE_TTL_SECONDS)
        except redis.RedisError:
            logger.warning("%s: presence update failed", channel)
            return
        self._presence_soon(channel)

    # the subscription

    async def _client(self):
        if self._redis is None:
            # No read timeout: an idle subscription must stay open.
            self._redis = aioredis.Redis.from_url(self.url, socket_timeout=None)
        return self._redis

    async def _subscribe(self, channel: str) -> None:
        client = await self._client()
        if self._pubsub is None:
            self._pubsub = client.pubsub(ignore_subscribe_messages=True)
        try:
            await self._pubsub.subscribe(redis_channel(channel))
        except redis.RedisError:
            logger.warning("%s: subscribe failed; will retry", channel)
        if self._reader is None or self._reader.done():
            self._reader = self.loop.create_task(self._read())

    async def _unsubscribe(self, channel: str) -> None:
        if self._pubsub is not None:
            try:
                await self._pubsub.unsubscribe(redis_channel(channel))
            except redis.RedisError:
                logger.warning("%s: unsubscribe failed", channel)

    async def _read(self) -> None:
        """Reads the subscription until no channel has local listeners; after a Redis
        failure it resubscribes and asks every local listener to catch up."""
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
                    channel = message["channel"].decode().removeprefix(REDIS_PREFIX)
                    self.dispatch(channel, message["data"].decode())
                except Exception:
                    # One bad message must not stop this process's live channels.
                    logger.exception("live message could not be delivered")

    async def _resubscribe(self) -> None:
        try:
            await self._pubsub.reset()
            channels = list(self.listeners)
            if channels:
                await self._pubsub.subscribe(*[redis_channel(c) for c in channels])
        except redis.RedisError:
            return
        for channel, listeners in list(self.listeners.items()):
            for listener in list(listeners):
                listener.on_control(channel, {"kind": "catch_up"})


def presence_list(users: dict) -> list:
    return [{"id": user_id, "name": name} for user_id, name in sorted(users.items())]


_hubs: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, LocalHub]" = (
    weakref.WeakKeyDictionary()
)


def hub() -> LocalHub:
    """The hub of the running event loop (one per server process in production; one
    per test loop in tests), local or Redis as the settings say when it is made."""
    loop = asyncio.get_running_loop()
    if loop not in _hubs:
        url = settings.REDIS_URL
        _hubs[loop] = RedisHub(loop, url) if url else LocalHub(loop)
    return _hubs[loop]
