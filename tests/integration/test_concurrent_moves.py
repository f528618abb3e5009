"""Concurrent card moves through real sockets on two server processes sharing Redis
and the database (PostgreSQL in CI, where the writes really overlap): every move is
answered, every client sees every event once and in order, and every client ends
with the database's order."""

import asyncio
import json
import random

import pytest
import websockets
from django.conf import settings
from django.db import connections

from platforms.models import Role, Status
from tasks import services
from tasks.models import Board, Card
from tests.factories import PlatformFactory, UserFactory, member_of
from tests.servers import REDIS_URL, asgi_server, redis_answers, session_cookie

pytestmark = [pytest.mark.django_db(transaction=True)]

MOVES_PER_CLIENT = 25
CLIENTS = 3


def _world():
    platform = PlatformFactory(status=Status.ACTIVE)
    people = [UserFactory() for _ in range(CLIENTS)]
    member_of(platform, people[0], Role.COORDINATOR)
    for person in people[1:]:
        member_of(platform, person, Role.MEMBER)
    board = services.board_create(actor=people[0], platform=platform, name="ボード")
    columns = [c.pk for c in board.columns.order_by("position")]
    cards = [
        services.card_create(actor=people[0], board=board, column_id=columns[0], title=f"c{n}").pk
        for n in range(6)
    ]
    return board, columns, cards, [session_cookie(p) for p in people]


async def _client(base, board, cookie, moves):
    """Sends its moves without waiting, then reads until it has an answer to each and
    has applied every event up to the board's last seq."""
    url = base.replace("http", "ws") + f"/ws/platforms/{board.platform_id}/boards/{board.pk}/"
    ws = await websockets.connect(
        url,
        origin=base,
        additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"},
        open_timeout=10,
    )
    snapshot = json.loads(await ws.recv())
    cards = {c["id"]: (c["column"], c["position"]) for c in snapshot["cards"]}
    seqs = [snapshot["seq"]]
    for number, (card, column, after) in enumerate(moves):
        message = {"type": "card.move", "card": card, "column": column, "request": number}
        if after is not None:
            message["after"] = after
        await ws.send(json.dumps(message))
    answers = {}
    async with asyncio.timeout(60):
        while len(answers) < len(moves):
            frame = json.loads(await ws.recv())
            if frame["type"] in ("ack", "error"):
                answers[frame["request"]] = frame["type"]
            elif frame["type"] == "event":
                seqs.append(frame["seq"])
                card = frame["data"]["card"]
                cards[card["id"]] = (card["column"], card["position"])
    return ws, cards, seqs, answers


async def _drain(ws, cards, seqs, last_seq):
    async with asyncio.timeout(60):
        while seqs[-1] < last_seq:
            frame = json.loads(await ws.recv())
            if frame["type"] == "event":
                seqs.append(frame["seq"])
                card = frame["data"]["card"]
                cards[card["id"]] = (card["column"], card["position"])


def _board_seq(board_id: int) -> int:
    """Read in a worker thread, whose connection is closed so the test database can
    be dropped."""
    try:
        return Board.objects.get(pk=board_id).seq
    finally:
        connections.close_all()


@pytest.mark.skipif(not redis_answers(), reason="two processes share Redis")
def test_concurrent_moves_from_real_sockets_converge_on_the_databases_order():
    board, columns, cards, cookies = _world()
    randomness = random.Random(8)  # fixed: the same interleaving pressure every run
    plans = [
        [
            (
                randomness.choice(cards),
                randomness.choice(columns),
                randomness.choice([None, *cards]),
            )
            for _ in range(MOVES_PER_CLIENT)
        ]
        for _ in range(CLIENTS)
    ]

    async def scenario(first, second):
        bases = [first, first, second]
        opened = await asyncio.gather(
            *[
                _client(base, board, cookie, plan)
                for base, cookie, plan in zip(bases, cookies, plans, strict=True)
            ]
        )
        last_seq = await asyncio.to_thread(_board_seq, board.pk)
        for ws, client_cards, seqs, _answers in opened:
            await _drain(ws, client_cards, seqs, last_seq)
            await ws.close()
        return last_seq, [(cards_, seqs, answers) for _ws, cards_, seqs, answers in opened]

    with asgi_server(redis_url=REDIS_URL) as first, asgi_server(redis_url=REDIS_URL) as second:
        last_seq, seen = asyncio.run(scenario(first, second))

    database = {
        card.pk: (card.column_id, card.position) for card in Card.objects.filter(board=board)
    }
    acked = sum(list(answers.values()).count("ack") for _cards, _seqs, answers in seen)
    for client_cards, seqs, answers in seen:
        assert len(answers) == MOVES_PER_CLIENT
        # Every event once, in order, from the client's snapshot to the last one.
        assert seqs == list(range(seqs[0], last_seq + 1))
        assert client_cards == database
    # Every acknowledged move is one event on the board (7 events before: the cards).
    assert last_seq == 6 + acked
    # No two cards share a place in a column.
    places = [(column, position) for column, position in database.values()]
    assert len(set(places)) == len(places)
