"""The board socket: authenticated, origin-checked (config.asgi), members only.

A reader gets a snapshot (or the events since the seq it already has), then every
event in seq order, exactly once: the writer task below checks continuity and fills
any gap from the event log. Writes arrive as JSON messages, are validated here and
passed to the same services as the pages use; each gets an "ack" or an "error" frame
and the socket stays usable.
"""

import asyncio
import json
import logging
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from common.live import hub
from common.live.fastsend import finish_send, frame_writer, start_send, text_frame

from . import commands, selectors, services
from .events import card_for
from .live import board_channel, platform_channel
from .permissions import access_board, role_tag

logger = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 16 * 1024
CLOSE_FORBIDDEN = 4403
CLOSE_ENDED = 4410


# A message nests at most this deep ({"fields": {"assignees": [1]}} is 3).
MAX_DEPTH = 6
MAX_REQUEST_ID_LENGTH = 64


def _well_formed(value, depth: int = 0) -> bool:
    """JSON that the services can take: not too deep, integers that fit the database,
    finite numbers and text that is valid Unicode (no lone surrogates)."""
    if depth > MAX_DEPTH:
        return False
    if isinstance(value, bool) or value is None:
        return True
    if isinstance(value, int):
        return -(2**53) < value < 2**53
    if isinstance(value, float):
        return value == value and abs(value) != float("inf")
    if isinstance(value, str):
        return not any("\ud800" <= ch <= "\udfff" for ch in value)
    if isinstance(value, list):
        return all(_well_formed(item, depth + 1) for item in value)
    if isinstance(value, dict):
        return all(
            _well_formed(key, depth + 1) and _well_formed(item, depth + 1)
            for key, item in value.items()
        )
    return False


def _parse(text_data) -> dict:
    if text_data is None:
        raise MessageError("malformed", _("メッセージはJSONの文字列で送ってください。"))
    if len(text_data.encode("utf-8", "surrogatepass")) > MAX_MESSAGE_BYTES:
        raise MessageError("too_large", _("メッセージが大きすぎます。"))
    try:
        message = json.loads(text_data)
    except (ValueError, RecursionError):
        raise MessageError("malformed", _("メッセージの形式が正しくありません。")) from None
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise MessageError("malformed", _("メッセージの形式が正しくありません。"))
    if not _well_formed(message):
        raise MessageError("invalid", _("メッセージに扱えない値が含まれています。"))
    return message


def _request_id(message: dict):
    """The client's id for this request, echoed in the answer when it is usable."""
    request = message.get("request")
    if isinstance(request, bool) or not isinstance(request, str | int):
        return None
    if isinstance(request, str) and len(request) > MAX_REQUEST_ID_LENGTH:
        return None
    return request


class MessageError(Exception):
    def __init__(self, code: str, message: str, **extra):
        super().__init__(message)
        self.code = code
        self.message = message
        self.extra = extra


def _int(message: dict, key: str, *, optional: bool = False, minimum: int = 1):
    value = message.get(key)
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value < 2**53:
        raise MessageError("invalid", _("「%(key)s」には数を指定してください。") % {"key": key})
    return value


def _socket_access(user, platform_id, board_id):
    """(board, role, name) when the user may open the board's socket, else None: the
    same access_board the pages use."""
    if not user.is_authenticated:
        return None
    try:
        board, role = access_board(user, platform_id, board_id)
    except Http404:
        return None
    return board, role, user.name


class BoardConsumer(AsyncWebsocketConsumer):
    """A listener on the live hub (common.live) for its board's channel and its
    platform's: no channel-layer channel per socket (get_channel_layer(None) is None)."""

    channel_layer_alias = None
    board = None
    writer = None
    write_frame = None

    @property
    def tags(self) -> set[str]:
        return {role_tag(self.role)}

    def _channels(self) -> tuple[str, str]:
        return board_channel(self.board.pk), platform_channel(self.board.platform_id)

    async def connect(self):
        user = self.scope["user"]
        route = self.scope["url_route"]["kwargs"]
        access = await database_sync_to_async(_socket_access)(
            user, route["platform_id"], route["board_id"]
        )
        if access is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.board, self.role, self.user_name = access
        self.user = user
        self.user_id = user.pk
        self.language = self.scope.get("cookies", {}).get("django_language") or "ja"
        self.seq = None
        self.queue = asyncio.Queue()
        self.writer_busy = True  # until the first sync has been sent
        await self.accept()
        self.write_frame = frame_writer(self.base_send)
        board, platform = self._channels()
        await hub().join(board, self, presence=True)
        await hub().join(platform, self)
        self.queue.put_nowait(("sync", self._since()))
        self.writer = asyncio.create_task(self._write())

    def _since(self):
        query = parse_qs(self.scope.get("query_string", b"").decode())
        try:
            since = int(query.get("since", [""])[0])
        except ValueError:
            return None
        return since if since >= 0 else None

    async def disconnect(self, code):
        if self.board is not None:
            for channel in self._channels():
                await hub().leave(channel, self)
        if self.writer is not None:
            self.writer.cancel()

    # --- called by the hub, in this event loop ----------------------------------------

    def on_frame(self, channel, seq, text):
        """Fast path: a socket that is caught up, with nothing queued, gets the frame
        written now, in the hub's loop over the board's sockets; everything else
        (catching up, presence before sync, a socket pushing back) goes through the
        writer task so frames stay in order."""
        in_order = seq is None or (self.seq is not None and seq == self.seq + 1)
        fast = settings.LIVE_FAST_SEND and not self.writer_busy and self.queue.empty()
        if in_order and fast:
            if seq is not None:
                self.seq = seq
            self._write_now(text)
            return
        self.queue.put_nowait(("text", seq, text))

    def on_control(self, channel, control):
        self.queue.put_nowait(("control", control))

    def _write_now(self, text: str) -> None:
        """The frame written now (common.live.fastsend): the shared pre-encoded frame
        when the socket takes it, else the ASGI send driven by hand; if the transport
        pushes back, the rest of that send is handed to the writer task, and later
        frames queue behind it."""
        if self.write_frame is not None and self.write_frame(text_frame(text)):
            return
        send = self.base_send({"type": "websocket.send", "text": text})
        waiting_for = start_send(send)
        if waiting_for is not None:
            self.queue.put_nowait(("finish", send, waiting_for))

    # --- the writer: one task per socket keeps its frames in order -------------------

    async def _write(self):
        try:
            while True:
                item = await self.queue.get()
                self.writer_busy = True
                if item[0] == "sync":
                    await self._resume(item[1])
                elif item[0] == "text":
                    await self._forward(item[1], item[2])
                elif item[0] == "finish":
                    await finish_send(item[1], item[2])
                elif await self._control(item[1]):
                    return
                self.writer_busy = not self.queue.empty()
        except asyncio.CancelledError:
            pass
        except Exception:
            logger.exception("board socket writer failed")
            await self.close(code=1011)

    async def _forward(self, seq, text):
        if seq is None:  # presence
            await self.send(text_data=text)
            return
        if self.seq is None or seq <= self.seq:
            return
        if seq > self.seq + 1:
            await self._catch_up()
            if seq <= self.seq:
                return
        await self.send(text_data=text)
        self.seq = seq

    async def _resume(self, since):
        """Sends the events after `since`, or a snapshot when there is no `since` or the
        gap is too long."""
        if since is not None:
            events = await database_sync_to_async(selectors.board_events_after)(
                board=self.board, seq=since, user_id=self.user_id, role=self.role
            )
            if events is not None:
                for event in events:
                    await self.send(text_data=json.dumps(event, ensure_ascii=False))
                self.seq = events[-1]["seq"] if events else since
                await self.send(text_data=json.dumps({"type": "synced", "seq": self.seq}))
                return
        snapshot = await database_sync_to_async(self._snapshot)()
        await self.send(text_data=json.dumps(snapshot, ensure_ascii=False))
        self.seq = snapshot["seq"]

    def _snapshot(self):
        with transaction.atomic():
            return selectors.board_snapshot(board=self.board, user_id=self.user_id, role=self.role)

    async def _catch_up(self):
        events = await database_sync_to_async(selectors.board_events_after)(
            board=self.board, seq=self.seq, user_id=self.user_id, role=self.role
        )
        if events is None:
            await self._resume(None)
            return
        for event in events:
            await self.send(text_data=json.dumps(event, ensure_ascii=False))
            self.seq = event["seq"]

    async def _control(self, control) -> bool:
        """Handles a control message (the hub's catch_up, the platform's announcements
        in platforms.live); True when the socket is closed."""
        kind = control.get("kind")
        if kind == "catch_up":
            await self._catch_up()
            return False
        if kind == "role_changed" and control.get("user") == self.user_id:
            access = await database_sync_to_async(_socket_access)(
                self.user, self.board.platform_id, self.board.pk
            )
            if access is not None:
                self.role = access[1]
                await self.send(text_data=json.dumps({"type": "role", "role": self.role}))
                return False
            return await self._closed("removed", CLOSE_FORBIDDEN)
        if kind == "member_gone" and control.get("user") == self.user_id:
            return await self._closed(control.get("reason", "removed"), CLOSE_FORBIDDEN)
        if kind == "closed":
            return await self._closed(control.get("reason", "closed"), CLOSE_ENDED)
        return False

    async def _closed(self, reason: str, code: int) -> bool:
        await self.send(text_data=json.dumps({"type": "closed", "reason": reason}))
        await self.close(code=code)
        return True

    # --- incoming messages ------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        request = None
        try:
            message = _parse(text_data)
            request = _request_id(message)
            kind = message["type"]
            if kind == "ping":
                await self.send(text_data=json.dumps({"type": "pong", "request": request}))
                return
            if kind == "resync":
                self.queue.put_nowait(("sync", _int(message, "since", optional=True, minimum=0)))
                return
            if kind not in commands.COMMANDS:
                raise MessageError("unknown_type", _("この種類のメッセージは扱えません。"))
            result = await database_sync_to_async(self._apply)(kind, message)
            await self.send(
                text_data=json.dumps(
                    {"type": "ack", "request": request} | result, ensure_ascii=False
                )
            )
        except MessageError as error:
            frame = {
                "type": "error",
                "request": request,
                "code": error.code,
                "message": error.message,
            }
            await self.send(text_data=json.dumps(frame | error.extra, ensure_ascii=False))
        except Exception:
            # A bug must cost one message, not the socket: the service's transaction
            # has rolled back, the reader is told, and the socket stays usable.
            logger.exception("board socket message failed")
            frame = {
                "type": "error",
                "request": request,
                "code": "server_error",
                "message": _("処理できませんでした。時間をおいてもう一度お試しください。"),
            }
            await self.send(text_data=json.dumps(frame, ensure_ascii=False))

    def _apply(self, kind: str, message: dict) -> dict:
        """Runs a write (tasks.commands, as the pages do) in a worker thread with the
        user's language; maps refusals to error frames."""
        with translation.override(self.language):
            try:
                return commands.run(kind, actor=self.user, board=self.board, data=message)
            except services.CardConflict as conflict:
                current = card_for(conflict.current, self.user_id, self.role)
                raise MessageError("conflict", str(conflict), current=current) from None
            except PermissionDenied as refusal:
                raise MessageError("forbidden", str(refusal)) from None
            except ValidationError as error:
                errors = error.message_dict if hasattr(error, "error_dict") else {}
                raise MessageError("invalid", " ".join(error.messages), errors=errors) from None
