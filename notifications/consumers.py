"""The bell's socket: one per open page of a signed-in person. It only ever sends the
person's unread count; anything a client sends is ignored."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .jobs import BELL_GROUP
from .selectors import unread_count_for_user

CLOSE_UNAUTHENTICATED = 4401


class BellConsumer(AsyncJsonWebsocketConsumer):
    group = None

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user = user
        self.group = BELL_GROUP.format(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self._send_count()

    async def disconnect(self, code):
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        # Nothing to ask of this socket; a broken or hostile client gets no reaction.
        return

    async def bell_changed(self, event):
        await self._send_count()

    async def _send_count(self):
        count = await database_sync_to_async(unread_count_for_user)(user=self.user)
        await self.send_json({"type": "unread", "count": count})
