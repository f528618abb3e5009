"""Board services: every mutation, the ordering rules, conflicts, WIP warnings,
helper slots, goals and the confidentiality rule."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from members.models import NAMELESS
from platforms.models import PlatformEvent, Status
from tasks import services
from tasks.live import board_channel
from tasks.models import Board, BoardEvent, Card
from tests.factories import goal_of

pytestmark = pytest.mark.django_db


def order(column):
    return list(
        Card.objects.filter(column=column, archived=False)
        .order_by("position", "pk")
        .values_list("title", flat=True)
    )


def make(crew, board, column, title, actor="member", **kwargs):
    return services.card_create(
        actor=crew[actor], board=board, column_id=column.pk, title=title, **kwargs
    )


def test_board_create_uses_the_template_columns(crew):
    board = services.board_create(
        actor=crew["coordinator"],
        platform=crew["platform"],
        name="特産品",
        template="community_business",
    )

    assert list(board.columns.order_by("position").values_list("name", flat=True)) == [
        "アイデア",
        "企画(5W2H)",
        "試作",
        "販売",
        "振り返り",
    ]


@pytest.mark.parametrize("who", ["member", "observer", "outsider"])
def test_board_create_refused_for_non_coordinators(crew, who):
    with pytest.raises(PermissionDenied):
        services.board_create(actor=crew[who], platform=crew["platform"], name="x")

    assert Board.objects.count() == 0


def test_board_create_refused_on_archived_platform(crew):
    crew["platform"].status = Status.ARCHIVED
    crew["platform"].save()

    with pytest.raises(PermissionDenied):
        services.board_create(actor=crew["coordinator"], platform=crew["platform"], name="x")


def test_card_create_appends_and_records_event(
    crew, board, columns, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        first = make(crew, board, columns[0], "面談の予定を立てる")
        second = make(crew, board, columns[0], "職場見学の調整")

    assert order(columns[0]) == ["面談の予定を立てる", "職場見学の調整"]
    assert first.position < second.position
    board.refresh_from_db()
    assert board.seq == 2
    events = list(BoardEvent.objects.filter(board=board).values_list("seq", "kind", "card_id"))
    assert events == [(1, "card.created", first.pk), (2, "card.created", second.pk)]
    assert len(callbacks) == 2


def test_nothing_is_published_before_commit(
    crew, board, columns, django_capture_on_commit_callbacks, published
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make(crew, board, columns[0], "カード")
    assert published.messages == []
    for callback in callbacks:
        callback()

    [envelope] = published.frames(board_channel(board.pk))
    message = json.loads(envelope["frames"][0]["text"])
    assert (envelope["seq"], message["kind"], message["data"]["card"]["title"]) == (
        1,
        "card.created",
        "カード",
    )


def test_card_move_between_and_within_columns(crew, board, columns):
    a = make(crew, board, columns[0], "A")
    b = make(crew, board, columns[0], "B")
    c = make(crew, board, columns[0], "C")

    services.card_move(
        actor=crew["member"], board=board, card_id=c.pk, column_id=columns[0].pk, after_id=None
    )
    assert order(columns[0]) == ["C", "A", "B"]
    services.card_move(
        actor=crew["member"], board=board, card_id=c.pk, column_id=columns[0].pk, after_id=a.pk
    )
    assert order(columns[0]) == ["A", "C", "B"]
    services.card_move(actor=crew["member"], board=board, card_id=a.pk, column_id=columns[1].pk)
    assert (order(columns[0]), order(columns[1])) == (["C", "B"], ["A"])
    services.card_move(
        actor=crew["member"], board=board, card_id=b.pk, column_id=columns[1].pk, after_id=a.pk
    )
    assert order(columns[1]) == ["A", "B"]


def test_card_move_after_a_card_that_left_places_at_end(crew, board, columns):
    a = make(crew, board, columns[0], "A")
    b = make(crew, board, columns[1], "B")
    make(crew, board, columns[1], "C")

    services.card_move(actor=crew["member"], board=board, card_id=b.pk, column_id=columns[2].pk)
    services.card_move(
        actor=crew["other"], board=board, card_id=a.pk, column_id=columns[1].pk, after_id=b.pk
    )

    assert order(columns[1]) == ["C", "A"]


def test_many_moves_to_the_same_place_keep_a_strict_order(crew, board, columns):
    cards = [make(crew, board, columns[0], f"{n}") for n in range(5)]
    anchor = cards[0]
    for card in cards[1:]:
        services.card_move(
            actor=crew["member"],
            board=board,
            card_id=card.pk,
            column_id=columns[0].pk,
            after_id=anchor.pk,
        )

    assert order(columns[0]) == ["0", "4", "3", "2", "1"]
    positions = list(Card.objects.filter(column=columns[0]).values_list("position", flat=True))
    assert len(set(positions)) == 5


def test_card_move_over_wip_limit_warns_and_keeps_the_move(crew, board, columns):
    services.column_update(
        actor=crew["coordinator"], board=board, column_id=columns[1].pk, wip_limit=1
    )
    a = make(crew, board, columns[0], "A")
    b = make(crew, board, columns[0], "B")

    first = services.card_move(
        actor=crew["member"], board=board, card_id=a.pk, column_id=columns[1].pk
    )
    second = services.card_move(
        actor=crew["member"], board=board, card_id=b.pk, column_id=columns[1].pk
    )

    assert (first["wip_exceeded"], second["wip_exceeded"]) == (False, True)
    assert order(columns[1]) == ["B", "A"]
    assert BoardEvent.objects.filter(kind="card.moved").last().payload["wip_exceeded"] is True


def test_card_update_with_current_version(crew, board, columns):
    card = make(crew, board, columns[0], "古い題")

    data = services.card_update(
        actor=crew["member"],
        board=board,
        card_id=card.pk,
        version=card.version,
        fields={
            "title": "新しい題",
            "description": "詳しくは https://example.jp を見る",
            "due": "2026-12-24",
            "labels": ["急ぎ", "面談"],
            "assignees": [crew["member"].pk, crew["other"].pk],
            "helpers_needed": 3,
            "helper_skills": "運転",
        },
    )

    assert data["card"] | {"position": None} == {
        "id": card.pk,
        "column": columns[0].pk,
        "position": None,
        "title": "新しい題",
        "description": "詳しくは https://example.jp を見る",
        "due": "2026-12-24",
        "labels": ["急ぎ", "面談"],
        "assignees": [
            {"id": crew["member"].pk, "name": "鈴木"},
            {"id": crew["other"].pk, "name": "田中"},
        ],
        "checklist": [],
        "helpers": {"needed": 3, "skills": "運転", "claimed": [], "open": 3},
        "resources": [],
        "comments": 0,
        "confidential": False,
        "version": 2,
        "archived": False,
    }


def test_card_update_against_old_version_is_a_conflict_with_their_version(crew, board, columns):
    card = make(crew, board, columns[0], "元の題")
    services.card_update(
        actor=crew["other"], board=board, card_id=card.pk, version=1, fields={"title": "田中の題"}
    )

    with pytest.raises(services.CardConflict) as conflict:
        services.card_update(
            actor=crew["member"],
            board=board,
            card_id=card.pk,
            version=1,
            fields={"title": "鈴木の題"},
        )

    assert conflict.value.current["title"] == "田中の題"
    assert conflict.value.current["version"] == 2
    card.refresh_from_db()
    assert card.title == "田中の題"


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"title": ""}, "title"),
        ({"title": "あ" * 201}, "title"),
        ({"description": "<script>alert(1)</script>"}, "description"),
        ({"due": "来週"}, "due"),
        ({"assignees": [999999]}, "assignees"),
        ({"assignees": "all"}, "assignees"),
        ({"helpers_needed": -1}, "helpers_needed"),
        ({"helpers_needed": "3"}, "helpers_needed"),
        ({"confidential": "yes"}, "confidential"),
        ({"labels": ["x"] * 11}, "labels"),
    ],
)
def test_card_update_bad_input_changes_nothing(crew, board, columns, fields, key):
    card = make(crew, board, columns[0], "題")
    seq = Board.objects.get(pk=board.pk).seq

    with pytest.raises(ValidationError) as refused:
        services.card_update(
            actor=crew["member"], board=board, card_id=card.pk, version=1, fields=fields
        )

    assert key in refused.value.message_dict
    card.refresh_from_db()
    assert (card.title, card.version) == ("題", 1)
    assert Board.objects.get(pk=board.pk).seq == seq


def test_card_update_assignee_must_be_member(crew, board, columns):
    card = make(crew, board, columns[0], "題")

    with pytest.raises(ValidationError):
        services.card_update(
            actor=crew["member"],
            board=board,
            card_id=card.pk,
            version=1,
            fields={"assignees": [crew["outsider"].pk]},
        )

    assert list(card.assignees.all()) == []


def test_unknown_field_is_refused(crew, board, columns):
    card = make(crew, board, columns[0], "題")

    with pytest.raises(ValidationError):
        services.card_update(
            actor=crew["member"], board=board, card_id=card.pk, version=1, fields={"board": 2}
        )


@pytest.mark.parametrize("who", ["observer", "outsider"])
def test_read_only_people_cannot_write(crew, board, columns, who):
    card = make(crew, board, columns[0], "題")

    for call in (
        lambda: make(crew, board, columns[0], "x", actor=who),
        lambda: services.card_move(
            actor=crew[who], board=board, card_id=card.pk, column_id=columns[1].pk
        ),
        lambda: services.card_update(
            actor=crew[who], board=board, card_id=card.pk, version=1, fields={"title": "x"}
        ),
        lambda: services.comment_add(actor=crew[who], board=board, card_id=card.pk, body="x"),
        lambda: services.helper_claim(actor=crew[who], board=board, card_id=card.pk),
    ):
        with pytest.raises(PermissionDenied):
            call()

    assert Board.objects.get(pk=board.pk).seq == 1


@pytest.mark.parametrize("status", [Status.ARCHIVED, Status.CANCELLED])
def test_read_only_platform_refuses_board_writes(crew, board, columns, status):
    card = make(crew, board, columns[0], "題")
    crew["platform"].status = status
    crew["platform"].save()

    with pytest.raises(PermissionDenied) as refused:
        services.card_move(
            actor=crew["coordinator"], board=board, card_id=card.pk, column_id=columns[1].pk
        )
    with pytest.raises(PermissionDenied):
        services.column_add(actor=crew["coordinator"], board=board, name="新しい列")

    read_only = {
        Status.ARCHIVED: "アーカイブ済みのプラットフォームは読むことだけができます。",
        Status.CANCELLED: "中止したプラットフォームは変更できません。",
    }
    assert str(refused.value) == read_only[status]
    assert order(columns[0]) == ["題"]


def test_columns_are_for_coordinators(crew, board, columns):
    with pytest.raises(PermissionDenied) as refused:
        services.column_add(actor=crew["member"], board=board, name="新しい列")
    assert str(refused.value) == "列を変えられるのはコーディネーターだけです。"

    column = services.column_add(
        actor=crew["coordinator"], board=board, name="新しい列", wip_limit=3
    )
    services.column_update(actor=crew["coordinator"], board=board, column_id=column.pk, name="改名")
    services.column_move(actor=crew["coordinator"], board=board, column_id=column.pk, after_id=None)
    names = list(
        board.columns.filter(archived=False).order_by("position").values_list("name", flat=True)
    )
    assert names[0] == "改名"
    services.column_archive(actor=crew["coordinator"], board=board, column_id=column.pk)
    assert board.columns.filter(archived=False).count() == 5


def test_column_with_cards_cannot_be_archived(crew, board, columns):
    make(crew, board, columns[0], "題")

    with pytest.raises(ValidationError):
        services.column_archive(actor=crew["coordinator"], board=board, column_id=columns[0].pk)


@pytest.mark.parametrize("limit", [0, 1000, "3", True])
def test_bad_wip_limit_is_refused(crew, board, columns, limit):
    with pytest.raises(ValidationError):
        services.column_update(
            actor=crew["coordinator"], board=board, column_id=columns[0].pk, wip_limit=limit
        )

    columns[0].refresh_from_db()
    assert columns[0].wip_limit is None


def test_archive_and_restore(crew, board, columns):
    card = make(crew, board, columns[0], "題")

    services.card_archive(actor=crew["member"], board=board, card_id=card.pk)
    assert order(columns[0]) == []
    with pytest.raises(ValidationError):
        services.card_archive(actor=crew["member"], board=board, card_id=card.pk)
    with pytest.raises(ValidationError):
        services.card_move(
            actor=crew["member"], board=board, card_id=card.pk, column_id=columns[1].pk
        )
    services.card_restore(actor=crew["member"], board=board, card_id=card.pk)

    assert order(columns[0]) == ["題"]
    assert list(BoardEvent.objects.values_list("kind", flat=True)) == [
        "card.created",
        "card.archived",
        "card.restored",
    ]


def test_checklist_add_toggle_remove(crew, board, columns):
    card = make(crew, board, columns[0], "題")

    services.checklist_add(actor=crew["member"], board=board, card_id=card.pk, text="履歴書を準備")
    item = card.checklist.get()
    services.checklist_set(
        actor=crew["member"], board=board, card_id=card.pk, item_id=item.pk, done=True
    )
    item.refresh_from_db()
    assert item.done is True
    services.checklist_item_remove(
        actor=crew["member"], board=board, card_id=card.pk, item_id=item.pk
    )

    assert card.checklist.count() == 0
    with pytest.raises(ValidationError):
        services.checklist_set(
            actor=crew["member"], board=board, card_id=card.pk, item_id=item.pk, done=False
        )


def test_comment_records_mentions_of_members_only(crew, board, columns):
    card = make(crew, board, columns[0], "題")

    comment = services.comment_add(
        actor=crew["member"],
        board=board,
        card_id=card.pk,
        body="@田中 さん、@部外者 さん、確認お願いします",
    )

    assert list(comment.mentions.all()) == [crew["other"]]
    event = BoardEvent.objects.last()
    assert event.payload["comment"]["body"] == "@田中 さん、@部外者 さん、確認お願いします"
    assert event.payload["card"]["comments"] == 1


def test_helper_slots_claim_and_release(crew, board, columns):
    card = make(crew, board, columns[0], "マルシェの店番")
    services.card_update(
        actor=crew["coordinator"],
        board=board,
        card_id=card.pk,
        version=1,
        fields={"helpers_needed": 1},
    )

    data = services.helper_claim(actor=crew["member"], board=board, card_id=card.pk)
    assert data["card"]["helpers"] == {
        "needed": 1,
        "skills": "",
        "claimed": [{"id": crew["member"].pk, "name": "鈴木"}],
        "open": 0,
    }
    with pytest.raises(ValidationError) as full:
        services.helper_claim(actor=crew["other"], board=board, card_id=card.pk)
    assert full.value.messages == ["手伝いの枠はもう埋まっています。"]
    with pytest.raises(ValidationError):
        services.helper_claim(actor=crew["member"], board=board, card_id=card.pk)
    with pytest.raises(ValidationError):
        services.card_update(
            actor=crew["coordinator"],
            board=board,
            card_id=card.pk,
            version=2,
            fields={"helpers_needed": 0},
        )
    services.helper_release(actor=crew["member"], board=board, card_id=card.pk)

    assert card.claims.count() == 0


def test_goal_linked_column_counts_cards(crew, board, columns):
    goal = goal_of(crew["platform"], title="就労につながった人", target=2)
    services.column_update(
        actor=crew["coordinator"], board=board, column_id=columns[3].pk, goal_id=goal.pk
    )
    a = make(crew, board, columns[0], "Aさん")
    b = make(crew, board, columns[0], "Bさん")

    services.card_move(actor=crew["member"], board=board, card_id=a.pk, column_id=columns[3].pk)
    services.card_move(actor=crew["member"], board=board, card_id=b.pk, column_id=columns[3].pk)
    goal.refresh_from_db()
    assert goal.current_value == 2
    services.card_move(actor=crew["member"], board=board, card_id=b.pk, column_id=columns[4].pk)
    goal.refresh_from_db()

    assert goal.current_value == 1
    updates = PlatformEvent.objects.filter(kind=PlatformEvent.Kind.GOAL_UPDATED).order_by("pk")
    assert [(e.data["from"], e.data["to"], e.actor) for e in updates] == [
        (0, 1, crew["member"]),
        (1, 2, crew["member"]),
        (2, 1, crew["member"]),
    ]


def test_goal_of_another_platform_cannot_be_linked(crew, board, columns):
    from tests.factories import PlatformFactory

    foreign = goal_of(PlatformFactory())

    with pytest.raises(ValidationError):
        services.column_update(
            actor=crew["coordinator"], board=board, column_id=columns[0].pk, goal_id=foreign.pk
        )


# --- confidentiality ------------------------------------------------------------------


def test_confidential_card_is_for_coordinators_and_assignees(crew, board, columns):
    card = make(crew, board, columns[0], "Aさんの生活状況", confidential=True)

    assert list(card.assignees.all()) == [crew["member"]]
    for who in ("other",):
        with pytest.raises(PermissionDenied):
            services.card_move(
                actor=crew[who], board=board, card_id=card.pk, column_id=columns[1].pk
            )
        with pytest.raises(PermissionDenied):
            services.comment_add(actor=crew[who], board=board, card_id=card.pk, body="見たい")
    services.card_move(
        actor=crew["coordinator"], board=board, card_id=card.pk, column_id=columns[1].pk
    )
    services.comment_add(actor=crew["member"], board=board, card_id=card.pk, body="面談済み")


def test_confidential_events_are_redacted_for_others(crew, board, columns):
    from tasks.selectors import past_events_for_reader

    make(crew, board, columns[0], "Aさんの生活状況", confidential=True)
    events = BoardEvent.objects.all()
    message = past_events_for_reader(events, user_id=crew["coordinator"].pk, role="coordinator")[0]

    [for_other] = past_events_for_reader(events, user_id=crew["other"].pk, role="member")
    [for_assignee] = past_events_for_reader(events, user_id=crew["member"].pk, role="member")
    for_coordinator = message

    assert for_other["data"] == {
        "card": {
            "id": message["data"]["card"]["id"],
            "column": columns[0].pk,
            "position": message["data"]["card"]["position"],
            "confidential": True,
            "redacted": True,
            "archived": False,
        },
        "wip_exceeded": False,
    }
    assert "Aさん" not in str(for_other)
    assert for_assignee["data"]["card"]["title"] == "Aさんの生活状況"
    assert for_coordinator["data"]["card"]["title"] == "Aさんの生活状況"


def test_move_payload_is_the_same_as_a_full_read(crew, board, columns):
    from tasks.events import card_payload, card_queryset

    card = make(crew, board, columns[0], "題")
    services.card_update(
        actor=crew["member"],
        board=board,
        card_id=card.pk,
        version=1,
        fields={"assignees": [crew["other"].pk], "labels": ["急ぎ"], "helpers_needed": 2},
    )
    services.checklist_add(actor=crew["member"], board=board, card_id=card.pk, text="準備")
    services.helper_claim(actor=crew["member"], board=board, card_id=card.pk)
    services.comment_add(actor=crew["member"], board=board, card_id=card.pk, body="よろしく")

    moved = services.card_move(
        actor=crew["member"], board=board, card_id=card.pk, column_id=columns[2].pk
    )

    assert moved["card"] == card_payload(card_queryset().get(pk=card.pk))


def test_a_new_display_name_reaches_the_next_move(crew, board, columns):
    from members.services import profile_update

    card = make(crew, board, columns[0], "題")
    services.card_update(
        actor=crew["member"],
        board=board,
        card_id=card.pk,
        version=1,
        fields={"assignees": [crew["other"].pk]},
    )

    profile_update(actor=crew["other"], data={"display_name": "田中 花子"})
    moved = services.card_move(
        actor=crew["member"], board=board, card_id=card.pk, column_id=columns[1].pk
    )

    assert moved["card"]["assignees"] == [{"id": crew["other"].pk, "name": "田中 花子"}]


def test_a_name_changed_outside_the_profile_page_reaches_the_next_move(crew, board, columns):
    """The admin (a model save), or an email change of someone without a display name
    (allauth saves only the email field): the next live event names them as they are
    named now. The cached payloads naming them are dropped on save (tasks.receivers)."""
    from allauth.account.utils import user_email

    card = make(crew, board, columns[0], "題")
    services.card_update(
        actor=crew["member"],
        board=board,
        card_id=card.pk,
        version=1,
        fields={"assignees": [crew["other"].pk], "helpers_needed": 1},
    )
    services.helper_claim(actor=crew["member"], board=board, card_id=card.pk)
    crew["other"].display_name = "管理画面で変更"
    crew["other"].save()
    crew["member"].display_name = ""
    crew["member"].save(update_fields=["display_name"])
    services.checklist_add(actor=crew["member"], board=board, card_id=card.pk, text="項目")
    user_email(crew["member"], "new.address@example.jp", commit=True)

    moved = services.card_move(
        actor=crew["coordinator"], board=board, card_id=card.pk, column_id=columns[1].pk
    )

    assert moved["card"]["assignees"] == [{"id": crew["other"].pk, "name": "管理画面で変更"}]
    # A cleared name shows as "not given", never as part of the email address.
    assert moved["card"]["helpers"]["claimed"] == [{"id": crew["member"].pk, "name": str(NAMELESS)}]


def test_a_login_keeps_the_cached_payloads(crew, board, columns):
    """A save that touches no part of the name (last_login on every sign-in) drops
    nothing."""
    card = make(crew, board, columns[0], "題")
    services.card_update(
        actor=crew["member"],
        board=board,
        card_id=card.pk,
        version=1,
        fields={"assignees": [crew["member"].pk]},
    )
    crew["member"].save(update_fields=["last_login"])
    kept = Card.objects.get(pk=card.pk).payload_cache
    crew["member"].save()

    assert kept is not None
    assert Card.objects.get(pk=card.pk).payload_cache is None


@pytest.mark.django_db
def test_positions_are_stored_with_a_byte_order_collation():
    """Declared on the field (not only by raw SQL a model would not know about): CI's
    C.UTF-8 database sorts ASCII the same way either way, so the catalogue is read."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT table_name, collation_name FROM information_schema.columns"
                " WHERE table_name IN ('tasks_card', 'tasks_column') AND column_name = 'position'"
                " ORDER BY table_name"
            )
            assert cursor.fetchall() == [("tasks_card", "C"), ("tasks_column", "C")]
        else:
            for table in ("tasks_card", "tasks_column"):
                cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [table])
                assert '"position" varchar(64) COLLATE BINARY NOT NULL' in cursor.fetchone()[0]
