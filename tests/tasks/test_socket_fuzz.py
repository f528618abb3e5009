"""The board socket under arbitrary input: every frame, however broken, gets an answer
and the socket stays usable; nothing outside the reader's own board changes.

Run on its own with `make test PYTEST_ARGS=tests/tasks/test_socket_fuzz.py`;
HUB_FUZZ_EXAMPLES sets the number of generated sequences (default 150).
"""

import asyncio
import json
import os

import pytest
from channels.testing import WebsocketCommunicator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config.asgi import application
from platforms.models import Role, Status
from tasks import services
from tasks.commands import COMMANDS
from tasks.models import Board, BoardEvent, Card, ChecklistItem, Column, Comment
from tests.factories import PlatformFactory, UserFactory, member_of
from tests.servers import asgi_server, session_cookie
from tests.sockets import cookie_for

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES = int(os.environ.get("HUB_FUZZ_EXAMPLES", "150"))
# Frames that closed the socket with an ASGI exception before (RecursionError,
# OverflowError, UnicodeEncodeError), and their relatives.
NASTY = [
    "[" * 1000,
    "{" * 5000,
    '{"type": "card.create", "column": 1, "title": "x\\ud800"}',
    '{"type": "ping", "request": "\\udfff"}',
    '{"type": "card.update", "card": 1, "version": 1, "fields": {"assignees": [1000000000000000000000000000000]}}',
    '{"type": "card.update", "card": 1, "version": 1, "fields": {"assignees": [1e400]}}',
    '{"type": "card.move", "card": 1, "column": 99999999999999999999}',
    '{"type": "resync", "since": 99999999999999999999}',
    '{"type": "card.create", "column": NaN, "title": "x"}',
    '{"type": "comment.add", "card": 1, "body": "\\u0000"}',
    '{"type": "column.update", "column": 1, "name": {"a": [[[[[[[[]]]]]]]]}}',
    '"just a string"',
    "null",
    "",
    "\x00\x01",
]


def _world():
    platform = PlatformFactory(status=Status.ACTIVE)
    other_platform = PlatformFactory(status=Status.ACTIVE)
    coordinator, reader = UserFactory(), UserFactory()
    member_of(platform, coordinator, Role.COORDINATOR)
    member_of(platform, reader, Role.COORDINATOR)
    member_of(other_platform, coordinator, Role.COORDINATOR)
    boards = {}
    for name, where in (("own", platform), ("sibling", platform), ("foreign", other_platform)):
        board = services.board_create(actor=coordinator, platform=where, name=name)
        column = board.columns.order_by("position").first()
        card = services.card_create(actor=coordinator, board=board, column_id=column.pk, title="c")
        services.checklist_add(actor=coordinator, board=board, card_id=card.pk, text="項目")
        boards[name] = board
    return boards, reader


def _state(board) -> dict:
    """Everything a write could touch on one board."""
    return {
        "seq": Board.objects.get(pk=board.pk).seq,
        "events": BoardEvent.objects.filter(board=board).count(),
        "columns": list(Column.objects.filter(board=board).values().order_by("pk")),
        "cards": list(Card.objects.filter(board=board).values().order_by("pk")),
        "checklist": list(ChecklistItem.objects.filter(card__board=board).values().order_by("pk")),
        "comments": Comment.objects.filter(card__board=board).count(),
    }


def _ids(boards) -> list[int]:
    ids = set()
    for board in boards.values():
        ids |= set(Column.objects.filter(board=board).values_list("pk", flat=True))
        ids |= set(Card.objects.filter(board=board).values_list("pk", flat=True))
        ids |= set(ChecklistItem.objects.filter(card__board=board).values_list("pk", flat=True))
    return sorted(ids | {0, -1, 2**31, 2**53 - 1})


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


def _frames(ids):
    some_id = st.sampled_from(ids) | st.integers()
    fields = st.dictionaries(
        st.sampled_from(
            ["title", "description", "due", "confidential", "assignees", "labels"]
            + ["helpers_needed", "helper_skills", "column", "unknown"]
        ),
        json_values | st.lists(some_id, max_size=3),
        max_size=4,
    )
    message = st.fixed_dictionaries(
        {"type": st.sampled_from([*COMMANDS, "ping", "resync", "nonsense"])},
        optional={
            "card": some_id | json_values,
            "column": some_id | json_values,
            "after": some_id | json_values,
            "item": some_id | json_values,
            "since": some_id | json_values,
            "version": st.integers(min_value=-2, max_value=5) | json_values,
            "title": st.text(max_size=40) | json_values,
            "body": st.text(max_size=40) | json_values,
            "text": st.text(max_size=40) | json_values,
            "name": st.text(max_size=40) | json_values,
            "done": st.booleans() | json_values,
            "fields": fields | json_values,
            "request": json_values,
        },
    )
    as_text = message.map(json.dumps) | json_values.map(json.dumps) | st.sampled_from(NASTY)
    return st.lists(
        st.one_of(
            as_text.map(lambda text: ("text", text)),
            st.text(max_size=50).map(lambda text: ("text", text)),
            st.binary(max_size=50).map(lambda raw: ("bytes", raw)),
        ),
        min_size=1,
        max_size=15,
    )


async def _throw(board, cookie, frames) -> list[str]:
    """Sends each frame, then a ping; returns what went wrong (a socket that closed or
    raised, or a ping that got no pong)."""
    socket = WebsocketCommunicator(
        application,
        f"/ws/platforms/{board.platform_id}/boards/{board.pk}/",
        headers=[(b"host", b"testserver"), (b"origin", b"http://testserver"), (b"cookie", cookie)],
    )
    connected, _code = await socket.connect(timeout=5)
    assert connected
    deaths = []
    for number, (kind, frame) in enumerate(frames):
        # send_input, not send_to: an empty frame is a frame too.
        key = "bytes" if kind == "bytes" else "text"
        await socket.send_input({"type": "websocket.receive", key: frame})
        await socket.send_json_to({"type": "ping", "request": f"alive-{number}"})
        try:
            async with asyncio.timeout(10):
                while True:
                    answer = json.loads(await socket.receive_from(timeout=10))
                    if answer == {"type": "pong", "request": f"alive-{number}"}:
                        break
        except Exception as error:  # closed, raised or silent: the socket died
            deaths.append(f"{frame!r}: {error!r}")
            break
    await socket.disconnect()
    return deaths


def test_no_frame_kills_the_socket_or_changes_another_board():
    boards, reader = _world()
    cookie = cookie_for(reader).encode()
    ids = _ids(boards)
    before = {name: _state(board) for name, board in boards.items() if name != "own"}
    deaths: list[str] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(frames=_frames(ids))
    def throw(frames):
        deaths.extend(asyncio.run(_throw(boards["own"], cookie, frames)))

    throw()
    # The known killers, each once more, in one socket.
    deaths.extend(asyncio.run(_throw(boards["own"], cookie, [("text", n) for n in NASTY])))

    assert deaths == []
    assert {name: _state(board) for name, board in boards.items() if name != "own"} == before


def test_a_real_server_answers_each_known_killer_with_an_error_frame():
    """The same frames through uvicorn: an ASGI exception would close with 1011."""
    import websockets

    boards, reader = _world()
    board = boards["own"]
    cookie = session_cookie(reader)

    async def scenario(base):
        answers = []
        async with websockets.connect(
            base.replace("http", "ws") + f"/ws/platforms/{board.platform_id}/boards/{board.pk}/",
            origin=base,
            additional_headers={"Cookie": f"sessionid={cookie}"},
            open_timeout=10,
        ) as ws:
            await ws.recv()  # the snapshot
            for number, frame in enumerate(NASTY):
                await ws.send(frame)
                await ws.send(json.dumps({"type": "ping", "request": number}))
                async with asyncio.timeout(10):
                    while True:
                        answer = json.loads(await ws.recv())
                        if answer["type"] in ("error", "pong") and answer["request"] != number:
                            answers.append(answer["type"] + ":" + answer.get("code", ""))
                        if answer == {"type": "pong", "request": number}:
                            break
        return answers

    with asgi_server() as base:
        answers = asyncio.run(scenario(base))

    # Every one is answered with an error frame of its own; none is a server error.
    assert len(answers) == len(NASTY)
    assert all(a.startswith("error:") for a in answers), answers
    assert "error:server_error" not in answers
