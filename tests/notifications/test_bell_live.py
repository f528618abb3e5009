"""The bell rings live for a notification made by a board socket's message: the
service runs in the socket's worker thread, and its publish must not lend that
thread's context to the bell (in one process, the embedded default, the bell's count
query then waited forever). Run with the in-process hub and with Redis."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from config.asgi import application
from tests.sockets import create, open_socket, request, world


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_mention_over_the_board_socket_rings_the_mentioned_persons_bell(live_mode):
    platform, board, columns, people = await world()
    card = await create(people, board, columns[0], "面談")
    client = Client()
    await sync_to_async(client.force_login)(people["other"])
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    bell = WebsocketCommunicator(
        application,
        "/ws/notifications/",
        headers=[
            (b"origin", b"http://testserver"),
            (b"host", b"testserver"),
            (b"cookie", cookie.encode()),
        ],
    )
    assert (await bell.connect())[0]
    assert await bell.receive_json_from(timeout=5) == {"type": "unread", "count": 0}
    board_socket, _ = await open_socket(board, people["member"])

    answer = await request(
        board_socket,
        {"type": "comment.add", "card": card.pk, "body": "@other さん、お願いします", "request": 1},
    )

    assert answer["type"] == "ack"
    assert await bell.receive_json_from(timeout=5) == {"type": "unread", "count": 1}
    await board_socket.disconnect()
    await bell.disconnect()
