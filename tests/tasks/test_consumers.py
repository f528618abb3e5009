"""The board socket against the real stack: config.asgi (origin check, session auth),
the consumer, the fan-out in both modes (in-process and Redis pub/sub) and the
database. Every frame the client gets is asserted."""

import asyncio
import json

import pytest
import redis
from channels.db import database_sync_to_async
from django.test import override_settings

from common import live
from common.live.hubs import redis_channel
from platforms import services as platform_services
from platforms.models import Membership, Role, Status
from tasks import services
from tasks.live import board_channel
from tasks.models import Board, Card, Column
from tests.servers import REDIS_URL, redis_answers
from tests.sockets import (
    connect,
    create,
    next_event,
    open_socket,
    receive,
    request,
    world,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


# --- who may connect -------------------------------------------------------------------


async def test_anonymous_outsider_and_foreign_origin_are_refused(live_mode):
    platform, board, columns, people = await world()

    anonymous = await connect(board)
    outsider = await connect(board, people["outsider"])
    foreign = await connect(board, people["member"], origin=b"http://evil.example")
    missing_origin = await connect(board, people["member"], origin=None)
    other_port = await connect(board, people["member"], origin=b"http://testserver:1")
    other_scheme = await connect(board, people["member"], origin=b"https://testserver")
    same_origin = await connect(board, people["member"], origin=b"http://testserver")
    wrong_platform = await connect(
        await database_sync_to_async(
            lambda: Board(pk=board.pk, platform_id=board.platform_id + 1)
        )(),
        people["member"],
    )

    for communicator, connected, _code in (
        anonymous,
        outsider,
        foreign,
        missing_origin,
        other_port,
        other_scheme,
        wrong_platform,
    ):
        assert connected is False
        await communicator.disconnect()
    assert (anonymous[2], outsider[2], other_port[2]) == (4403, 4403, 4403)
    assert same_origin[1] is True
    await same_origin[0].disconnect()


async def test_member_gets_a_snapshot(live_mode):
    platform, board, columns, people = await world()
    card = await create(people, board, columns[0], "面談")

    communicator, snapshot = await open_socket(board, people["member"])

    assert snapshot["type"] == "snapshot"
    assert snapshot["seq"] == 1
    assert [c["name"] for c in snapshot["columns"]] == ["やること", "進行中", "完了"]
    assert [(c["id"], c["title"]) for c in snapshot["cards"]] == [(card.pk, "面談")]
    await communicator.disconnect()


# --- live events -------------------------------------------------------------------------


async def test_a_move_reaches_every_open_socket_in_order(live_mode):
    platform, board, columns, people = await world()
    card = await create(people, board, columns[0], "面談")
    mover, _ = await open_socket(board, people["member"])
    watcher, _ = await open_socket(board, people["other"])

    ack = await request(
        mover,
        {
            "type": "card.move",
            "card": card.pk,
            "column": columns[1].pk,
            "after": None,
            "request": "r1",
        },
    )
    seen_by_mover = await next_event(mover)
    seen_by_watcher = await next_event(watcher)

    assert ack == {"type": "ack", "request": "r1", "wip_exceeded": False}
    for event in (seen_by_mover, seen_by_watcher):
        assert (event["seq"], event["kind"], event["data"]["card"]["column"]) == (
            2,
            "card.moved",
            columns[1].pk,
        )
        assert event["actor"] == {"id": people["member"].pk, "name": "member"}
    await mover.disconnect()
    await watcher.disconnect()


async def test_replay_after_a_gap_returns_exactly_the_missed_events(live_mode):
    platform, board, columns, people = await world()
    card = await create(people, board, columns[0], "面談")
    communicator, snapshot = await open_socket(board, people["member"])
    await communicator.disconnect()
    for column in (columns[1], columns[2]):
        await database_sync_to_async(services.card_move)(
            actor=people["other"], board=board, card_id=card.pk, column_id=column.pk
        )

    again, first = await open_socket(board, people["member"], since=snapshot["seq"])
    second = await receive(again)
    synced = await receive(again)

    assert [(f["seq"], f["kind"]) for f in (first, second)] == [
        (2, "card.moved"),
        (3, "card.moved"),
    ]
    assert synced == {"type": "synced", "seq": 3}
    await again.disconnect()


async def test_replay_too_far_behind_gets_a_snapshot(live_mode, monkeypatch):
    monkeypatch.setattr("tasks.selectors.REPLAY_LIMIT", 2)
    platform, board, columns, people = await world()
    for n in range(4):
        await create(people, board, columns[0], f"カード{n}")

    communicator, frame = await open_socket(board, people["member"], since=0)

    assert (frame["type"], frame["seq"], len(frame["cards"])) == ("snapshot", 4, 4)
    await communicator.disconnect()


async def test_a_since_the_board_has_not_reached_gets_a_snapshot_and_live_events(live_mode):
    """A reader claiming to be ahead (a stale tab after the database was restored, or a
    broken client) would otherwise wait forever for a seq that never comes."""
    platform, board, columns, people = await world()
    card = await create(people, board, columns[0], "面談")

    communicator, frame = await open_socket(board, people["member"], since=50)
    await communicator.send_json_to({"type": "resync", "since": 2**40})
    again = await receive(communicator)
    await database_sync_to_async(services.card_move)(
        actor=people["other"], board=board, card_id=card.pk, column_id=columns[1].pk
    )
    live = await next_event(communicator)

    assert (frame["type"], frame["seq"]) == ("snapshot", 1)
    assert (again["type"], again["seq"]) == ("snapshot", 1)
    assert (live["seq"], live["kind"]) == (2, "card.moved")
    await communicator.disconnect()


async def test_a_dropped_live_message_is_filled_from_the_log(live_mode):
    platform, board, columns, people = await world()
    card = await create(people, board, columns[0], "面談")
    communicator, _ = await open_socket(board, people["member"])
    with live.recording(deliver=False) as lost:
        await database_sync_to_async(services.card_move)(
            actor=people["other"], board=board, card_id=card.pk, column_id=columns[1].pk
        )
    assert [m["seq"] for m in lost.frames(board_channel(board.pk))] == [2]
    await database_sync_to_async(services.card_move)(
        actor=people["other"], board=board, card_id=card.pk, column_id=columns[2].pk
    )

    first = await next_event(communicator)
    second = await next_event(communicator)

    assert [(e["seq"], e["data"]["card"]["column"]) for e in (first, second)] == [
        (2, columns[1].pk),
        (3, columns[2].pk),
    ]
    await communicator.disconnect()


# --- bad and refused messages -------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("not json", "malformed"),
        ("[1, 2]", "malformed"),
        ('{"no": "type"}', "malformed"),
        ('{"type": "card.explode"}', "unknown_type"),
        ('{"type": "card.move", "card": "one", "column": 1}', "invalid"),
        ('{"type": "card.move", "card": true, "column": 1}', "invalid"),
        ('{"type": "card.create", "column": 1, "title": ["x"]}', "invalid"),
        ('{"type": "card.update", "card": 1, "version": 1, "fields": "x"}', "invalid"),
        ('{"type": "column.add", "name": "新しい列"}', "forbidden"),
        ('{"type": "card.move", "card": 99999, "column": 1}', "invalid"),
    ],
)
async def test_bad_messages_get_an_error_frame_and_the_socket_stays_usable(live_mode, raw, code):
    platform, board, columns, people = await world()
    communicator, _ = await open_socket(board, people["member"])

    await communicator.send_to(text_data=raw)
    error = await receive(communicator)
    pong = await request(communicator, {"type": "ping", "request": 7})

    assert (error["type"], error["code"]) == ("error", code)
    assert isinstance(error["message"], str) and error["message"]
    assert pong == {"type": "pong", "request": 7}
    await communicator.disconnect()


async def test_oversized_message_is_refused(live_mode):
    platform, board, columns, people = await world()
    communicator, _ = await open_socket(board, people["member"])

    await communicator.send_json_to(
        {"type": "card.create", "column": columns[0].pk, "title": "x" * 20000}
    )
    error = await receive(communicator)

    assert (error["type"], error["code"], error["message"]) == (
        "error",
        "too_large",
        "メッセージが大きすぎます。",
    )
    assert await database_sync_to_async(Card.objects.count)() == 0
    await communicator.disconnect()


async def test_observer_reads_but_every_write_is_refused(live_mode):
    platform, board, columns, people = await world()
    card = await create(people, board, columns[0], "面談")
    communicator, snapshot = await open_socket(board, people["observer"])

    errors = [
        await request(communicator, message)
        for message in (
            {"type": "card.create", "column": columns[0].pk, "title": "x"},
            {"type": "card.move", "card": card.pk, "column": columns[1].pk},
            {"type": "card.update", "card": card.pk, "version": 1, "fields": {"title": "x"}},
            {"type": "comment.add", "card": card.pk, "body": "x"},
            {"type": "helper.claim", "card": card.pk},
        )
    ]

    assert snapshot["cards"][0]["title"] == "面談"
    assert {(e["type"], e["code"]) for e in errors} == {("error", "forbidden")}
    assert errors[0]["message"] == "オブザーバーはボードを読むことだけができます。"
    assert await database_sync_to_async(lambda: Board.objects.get(pk=board.pk).seq)() == 1
    await communicator.disconnect()


async def test_conflict_frame_carries_their_version(live_mode):
    platform, board, columns, people = await world()
    card = await create(people, board, columns[0], "元の題")
    communicator, _ = await open_socket(board, people["member"])
    await database_sync_to_async(services.card_update)(
        actor=people["other"], board=board, card_id=card.pk, version=1, fields={"title": "田中の題"}
    )

    error = await request(
        communicator,
        {
            "type": "card.update",
            "card": card.pk,
            "version": 1,
            "fields": {"title": "鈴木の題"},
            "request": "e",
        },
    )

    assert (error["code"], error["current"]["title"], error["current"]["version"]) == (
        "conflict",
        "田中の題",
        2,
    )
    assert "ほかの人が先にこのカードを変更しました" in error["message"]
    await communicator.disconnect()


# --- confidentiality -------------------------------------------------------------------


async def test_confidential_content_never_reaches_a_member_who_may_not_see_it(live_mode):
    platform, board, columns, people = await world()
    secret = await create(people, board, columns[0], "Aさんの生活保護の相談", confidential=True)
    other, snapshot = await open_socket(board, people["other"])
    assignee, _ = await open_socket(board, people["member"])
    coordinator, _ = await open_socket(board, people["coordinator"])

    await request(assignee, {"type": "comment.add", "card": secret.pk, "body": "家賃の滞納あり"})
    await request(
        assignee, {"type": "card.move", "card": secret.pk, "column": columns[1].pk, "after": None}
    )
    frames_for_other = [await next_event(other), await next_event(other)]
    frames_for_coordinator = [await next_event(coordinator), await next_event(coordinator)]
    denied = await request(other, {"type": "comment.add", "card": secret.pk, "body": "見せて"})
    await other.disconnect()
    replay, first = await open_socket(board, people["other"], since=0)
    replayed = [first, await receive(replay), await receive(replay)]

    everything_other_got = json.dumps(
        [snapshot, frames_for_other, denied, replayed], ensure_ascii=False
    )
    assert "Aさん" not in everything_other_got
    assert "家賃" not in everything_other_got
    assert snapshot["cards"] == [
        {
            "id": secret.pk,
            "column": columns[0].pk,
            "position": snapshot["cards"][0]["position"],
            "confidential": True,
            "redacted": True,
            "archived": False,
        }
    ]
    assert frames_for_other[1]["data"]["card"]["column"] == columns[1].pk
    assert denied["code"] == "forbidden"
    assert frames_for_coordinator[0]["data"]["comment"]["body"] == "家賃の滞納あり"
    for communicator in (assignee, coordinator, replay):
        await communicator.disconnect()


# --- sockets told when membership or the platform changes ------------------------------


async def test_removed_member_is_told_and_closed(live_mode):
    platform, board, columns, people = await world()
    communicator, _ = await open_socket(board, people["other"])
    membership = await database_sync_to_async(Membership.objects.get)(
        platform=platform, user=people["other"]
    )

    await database_sync_to_async(platform_services.membership_remove)(
        actor=people["coordinator"], membership=membership
    )
    closed = await receive(communicator)
    output = await communicator.receive_output(timeout=5)

    assert closed == {"type": "closed", "reason": "removed"}
    assert output == {"type": "websocket.close", "code": 4403}
    await communicator.disconnect()


async def test_archiving_the_platform_closes_every_socket(live_mode):
    platform, board, columns, people = await world()
    member, _ = await open_socket(board, people["member"])
    observer, _ = await open_socket(board, people["observer"])

    def archive():
        for status in (Status.GOAL_MET,):
            platform_services.platform_transition(
                actor=people["coordinator"], platform=platform, to_status=status
            )
        platform_services.platform_evaluation_write(
            actor=people["coordinator"], platform=platform, data={"outcome": "達成"}
        )
        platform_services.platform_transition(
            actor=people["coordinator"], platform=platform, to_status=Status.ARCHIVED
        )

    await database_sync_to_async(archive)()

    for communicator in (member, observer):
        assert await receive(communicator) == {"type": "closed", "reason": "platform_archived"}
        assert (await communicator.receive_output(timeout=5))["code"] == 4410
        await communicator.disconnect()


async def test_made_observer_loses_writes_at_once(live_mode):
    platform, board, columns, people = await world()
    communicator, _ = await open_socket(board, people["other"])
    membership = await database_sync_to_async(Membership.objects.get)(
        platform=platform, user=people["other"]
    )

    await database_sync_to_async(platform_services.membership_role_change)(
        actor=people["coordinator"], membership=membership, role=Role.OBSERVER
    )
    role = await receive(communicator)
    refused = await request(
        communicator, {"type": "card.create", "column": columns[0].pk, "title": "x"}
    )

    assert role == {"type": "role", "role": "observer"}
    assert refused["code"] == "forbidden"
    await communicator.disconnect()


# --- presence and idle sockets -----------------------------------------------------------


async def test_presence_lists_who_is_looking(live_mode):
    platform, board, columns, people = await world()
    first, _ = await open_socket(board, people["member"])
    second, _ = await open_socket(board, people["other"])

    async def presence(communicator, expected):
        for _ in range(10):
            frame = await receive(communicator, skip_presence=False)
            if (
                frame["type"] == "presence"
                and sorted(u["name"] for u in frame["users"]) == expected
            ):
                return frame
        raise AssertionError(f"no presence {expected}")

    await presence(first, ["member", "other"])
    await second.disconnect()
    frame = await presence(first, ["member"])

    assert frame["users"] == [{"id": people["member"].pk, "name": "member"}]
    await first.disconnect()


async def test_an_idle_socket_still_gets_events(live_mode):
    platform, board, columns, people = await world()
    card = await create(people, board, columns[0], "面談")
    communicator, _ = await open_socket(board, people["member"])

    await asyncio.sleep(6)  # longer than redis-py's read timeouts that once dropped idle layers
    await database_sync_to_async(services.card_move)(
        actor=people["other"], board=board, card_id=card.pk, column_id=columns[1].pk
    )
    event = await next_event(communicator)

    assert (event["seq"], event["kind"]) == (2, "card.moved")
    await communicator.disconnect()


async def test_a_socket_that_fails_to_send_does_not_stop_the_others(live_mode):
    platform, board, columns, people = await world()
    card = await create(people, board, columns[0], "面談")
    broken, _ = await open_socket(board, people["member"])
    healthy, _ = await open_socket(board, people["other"])
    consumer = next(
        listener
        for listener in live.hub().listeners[board_channel(board.pk)]
        if listener.user_id == people["member"].pk
    )

    async def gone(message):
        raise OSError("client went away")

    consumer.base_send = gone
    await database_sync_to_async(services.card_move)(
        actor=people["coordinator"], board=board, card_id=card.pk, column_id=columns[1].pk
    )
    event = await next_event(healthy)

    assert (event["seq"], event["kind"]) == (2, "card.moved")
    await broken.disconnect()
    await healthy.disconnect()


@pytest.fixture
def redis_live():
    if not redis_answers():
        pytest.skip("no Redis at REDIS_URL or 127.0.0.1:6379")
    with override_settings(REDIS_URL=REDIS_URL):
        yield


async def test_a_malformed_published_message_does_not_stop_delivery(redis_live):
    """Another process's messages arrive only through the subscription: a bad one in
    between must not end this process's reader."""
    platform, board, columns, people = await world()
    await create(people, board, columns[0], "面談")
    communicator, _ = await open_socket(board, people["member"])
    noted = {"type": "event", "seq": 2, "kind": "board.noted", "actor": None, "data": {}}
    from_elsewhere = {"seq": 2, "frames": [{"text": json.dumps(noted), "audience": None}]}

    def publish(raw):
        redis.Redis.from_url(REDIS_URL).publish(redis_channel(board_channel(board.pk)), raw)

    await database_sync_to_async(publish)("not json")
    await database_sync_to_async(publish)(json.dumps(from_elsewhere))
    event = await next_event(communicator)

    assert (event["seq"], event["kind"]) == (2, "board.noted")
    await communicator.disconnect()


async def test_ids_from_another_board_are_refused_and_change_nothing(live_mode):
    platform, board, columns, people = await world()
    other = await database_sync_to_async(services.board_create)(
        actor=people["coordinator"], platform=platform, name="別のボード", template="blank"
    )
    other_column = await database_sync_to_async(lambda: other.columns.first())()
    other_card = await create(people, other, other_column, "別の面談")
    card = await create(people, board, columns[0], "面談")
    communicator, _ = await open_socket(board, people["coordinator"])

    def state():
        return (
            list(Card.objects.values_list("pk", "board_id", "column_id", "archived", "title")),
            list(Board.objects.values_list("pk", "seq")),
            list(Column.objects.values_list("pk", "board_id", "name", "archived")),
        )

    before = await database_sync_to_async(state)()
    answers = [
        await request(communicator, message)
        for message in (
            {"type": "card.move", "card": other_card.pk, "column": columns[1].pk},
            {"type": "card.move", "card": card.pk, "column": other_column.pk},
            {"type": "card.archive", "card": other_card.pk},
            {"type": "comment.add", "card": other_card.pk, "body": "見えますか"},
            {"type": "column.update", "column": other_column.pk, "name": "乗っ取り"},
            {"type": "column.archive", "column": other_column.pk},
        )
    ]

    assert [(a["type"], a["code"]) for a in answers] == [("error", "invalid")] * 6
    assert await database_sync_to_async(state)() == before
    await communicator.disconnect()
