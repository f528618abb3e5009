"""Two real server processes sharing Redis and the database: a move made through one
reaches a client connected to the other, and replay works across them."""

import asyncio
import json

import pytest
import websockets
from django.conf import settings

from platforms.models import Role, Status
from tasks import services
from tests.factories import PlatformFactory, UserFactory, member_of
from tests.servers import REDIS_URL, asgi_server, redis_answers, session_cookie

pytestmark = [pytest.mark.django_db(transaction=True)]


def _world():
    platform = PlatformFactory(status=Status.ACTIVE)
    mover, watcher = UserFactory(display_name="移す人"), UserFactory(display_name="見る人")
    member_of(platform, mover, Role.COORDINATOR)
    member_of(platform, watcher, Role.MEMBER)
    board = services.board_create(actor=mover, platform=platform, name="ボード", template="blank")
    columns = list(board.columns.order_by("position"))
    card = services.card_create(actor=mover, board=board, column_id=columns[0].pk, title="面談")
    return board, columns, card, session_cookie(mover), session_cookie(watcher)


async def _open(base, board, cookie, since=None):
    url = base.replace("http", "ws") + f"/ws/platforms/{board.platform_id}/boards/{board.pk}/"
    if since is not None:
        url += f"?since={since}"
    return await websockets.connect(
        url,
        origin=base,
        additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"},
        open_timeout=10,
    )


async def _frame(ws, wanted, timeout=10):
    async with asyncio.timeout(timeout):
        while True:
            frame = json.loads(await ws.recv())
            if frame["type"] in wanted:
                return frame


@pytest.mark.skipif(not redis_answers(), reason="two processes share Redis")
def test_move_through_one_process_reaches_a_client_of_the_other():
    board, columns, card, mover_cookie, watcher_cookie = _world()

    async def scenario(first, second):
        watcher = await _open(second, board, watcher_cookie)
        snapshot = await _frame(watcher, {"snapshot"})
        mover = await _open(first, board, mover_cookie)
        await _frame(mover, {"snapshot"})
        await mover.send(
            json.dumps(
                {"type": "card.move", "card": card.pk, "column": columns[1].pk, "request": "m1"}
            )
        )
        ack = await _frame(mover, {"ack", "error"})
        live = await _frame(watcher, {"event"})

        # the watcher drops off; two more moves go through the first process
        await watcher.close()
        for column in (columns[2], columns[0]):
            await mover.send(
                json.dumps({"type": "card.move", "card": card.pk, "column": column.pk})
            )
            await _frame(mover, {"ack"})
        back = await _open(second, board, watcher_cookie, since=live["seq"])
        replayed = [await _frame(back, {"event"}), await _frame(back, {"event"})]
        synced = await _frame(back, {"synced"})
        await mover.close()
        await back.close()
        return snapshot, ack, live, replayed, synced

    with asgi_server(redis_url=REDIS_URL) as first, asgi_server(redis_url=REDIS_URL) as second:
        snapshot, ack, live, replayed, synced = asyncio.run(scenario(first, second))

    assert snapshot["seq"] == 1
    assert ack == {"type": "ack", "request": "m1", "wip_exceeded": False}
    assert (live["seq"], live["kind"], live["data"]["card"]["column"]) == (
        2,
        "card.moved",
        columns[1].pk,
    )
    assert [(e["seq"], e["data"]["card"]["column"]) for e in replayed] == [
        (3, columns[2].pk),
        (4, columns[0].pk),
    ]
    assert synced == {"type": "synced", "seq": 4}


def test_the_server_refuses_frames_over_64_kib():
    board, columns, card, mover_cookie, _ = _world()

    async def scenario(base):
        ws = await _open(base, board, mover_cookie)
        await _frame(ws, {"snapshot"})
        await ws.send("x" * (70 * 1024))
        try:
            async with asyncio.timeout(10):
                while True:
                    await ws.recv()
        except websockets.ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None

    with asgi_server() as base:
        code = asyncio.run(scenario(base))

    assert code == 1009  # message too big
