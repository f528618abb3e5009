"""The bell's socket: one per open page of a signed-in person. It only ever sends the
person's unread count; anything a client sends is ignored. It listens on the
person's channel of the live hub (`user.<id>`, common.live; docs/live.md)."""

import asyncio

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from common import live

from .selectors import unread_count_for_user

CLOSE_UNAUTHENTICATED = 4401


def user_channel(user_id: int) -> str:
    return live.channel("user", user_id)


class BellConsumer(AsyncJsonWebsocketConsumer):
    channel_layer_alias = None  # the live hub, not the channel layer
    channel = None
    tags = frozenset()
    _counting = None

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user = user
        self.user_id = user.pk
        self.channel = user_channel(user.pk)
        await self.accept()
        await live.hub().join(self.channel, self)
        await self._send_count()

    async def disconnect(self, code):
        if self.channel is not None:
            await live.hub().leave(self.channel, self)
        if self._counting is not None:
            self._counting.cancel()

    async def receive(self, text_data=None, bytes_data=None):
        # Nothing to ask of this socket; a broken or hostile client gets no reaction.
        return

    # --- called by the hub, in this event loop ----------------------------------------

    def on_frame(self, channel, seq, text):
        return  # the bell's channel carries controls only

    def on_control(self, channel, control):
        # "unread_changed", or the hub's "catch_up": either way the count is re-read;
        # a burst of changes costs one query while one is under way.
        if self._counting is None or self._counting.done():
            self._counting = asyncio.ensure_future(self._send_count())

    async def _send_count(self):
        count = await database_sync_to_async(unread_count_for_user)(user=self.user)
        await self.send_json({"type": "unread", "count": count})
