"""Live frames reach every socket complete and in order with fast send on (the
default, with `make run`'s `--ws websockets-sansio` and no compression: one
pre-encoded frame written to every socket), on with compression negotiated (each
socket's own ASGI send, driven by hand), and off (HUB_LIVE_FAST_SEND=false: every
frame through the socket's writer task), and with fast send off on uvicorn's legacy
`websockets` implementation, which fast send does not support."""

import asyncio
import json

import pytest
from django.conf import settings

from platforms.models import Role, Status
from tasks import services
from tasks.models import Board
from tests.factories import PlatformFactory, UserFactory, member_of
from tests.servers import asgi_server, session_cookie

pytestmark = [pytest.mark.django_db(transaction=True)]

WATCHERS = 6
MOVES = 15


def _world():
    platform = PlatformFactory(status=Status.ACTIVE)
    mover = UserFactory(display_name="移す人")
    member_of(platform, mover, Role.COORDINATOR)
    watchers = [UserFactory(display_name=f"見る人{n}") for n in range(WATCHERS)]
    for watcher in watchers:
        member_of(platform, watcher, Role.MEMBER)
    board = services.board_create(actor=mover, platform=platform, name="ボード", template="blank")
    columns = list(board.columns.order_by("position"))
    card = services.card_create(actor=mover, board=board, column_id=columns[0].pk, title="面談")
    cookies = [session_cookie(mover), *[session_cookie(w) for w in watchers]]
    return board, columns, card, cookies


async def _events(base, board, columns, card, cookies) -> list[list[int]]:
    import websockets

    url = base.replace("http", "ws") + f"/ws/platforms/{board.platform_id}/boards/{board.pk}/"
    sockets = [
        await websockets.connect(
            url,
            origin=base,
            additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"},
            open_timeout=10,
        )
        for cookie in cookies
    ]

    async def seqs(ws, count):
        got = []
        async with asyncio.timeout(20):
            while len(got) < count:
                frame = json.loads(await ws.recv())
                if frame["type"] == "event":
                    got.append(frame["seq"])
        return got

    for ws in sockets:
        async with asyncio.timeout(10):
            while json.loads(await ws.recv())["type"] != "snapshot":
                pass
    mover, watchers = sockets[0], sockets[1:]
    readers = [asyncio.create_task(seqs(ws, MOVES)) for ws in watchers]
    for number in range(MOVES):
        column = columns[(number + 1) % len(columns)]
        await mover.send(json.dumps({"type": "card.move", "card": card.pk, "column": column.pk}))
    received = await asyncio.gather(*readers)
    for ws in sockets:
        await ws.close()
    return received


@pytest.mark.parametrize(
    ("ws", "deflate", "fast_send"),
    [
        ("websockets-sansio", "false", "true"),
        ("websockets-sansio", "true", "true"),
        ("websockets-sansio", "false", "false"),
        ("websockets", "false", "false"),
    ],
)
def test_every_frame_arrives_once_and_in_order(ws, deflate, fast_send):
    board, columns, card, cookies = _world()
    first = Board.objects.get(pk=board.pk).seq + 1
    options = {"--ws": ws, "--ws-per-message-deflate": deflate}

    with asgi_server(options=options, env={"HUB_LIVE_FAST_SEND": fast_send}) as base:
        received = asyncio.run(_events(base, board, columns, card, cookies))

    assert received == [list(range(first, first + MOVES))] * WATCHERS
