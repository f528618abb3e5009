"""Board pages: who may open them, the no-JavaScript forms, conflicts, confidential
cards, activity feeds and query counts."""

import re

import pytest
from django.urls import reverse

from tasks import services
from tasks.models import Board, Card

pytestmark = pytest.mark.django_db


def board_url(board):
    return reverse("tasks:board-detail", args=[board.platform_id, board.pk])


def card_url(card):
    return reverse("tasks:card-detail", args=[card.board.platform_id, card.board_id, card.pk])


def make(crew, board, column, title, actor="member", **kwargs):
    return services.card_create(
        actor=crew[actor], board=board, column_id=column.pk, title=title, **kwargs
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("outsider", 404),
        ("observer", 200),
        ("member", 200),
        ("coordinator", 200),
    ],
)
def test_board_pages_are_for_members(client, crew, board, columns, who, status):
    card = make(crew, board, columns[0], "面談")
    if who != "anonymous":
        client.force_login(crew[who])

    answers = {
        client.get(url).status_code
        for url in (
            reverse("tasks:board-list", args=[board.platform_id]),
            board_url(board),
            card_url(card),
            reverse("tasks:board-activity", args=[board.platform_id, board.pk]),
            reverse("tasks:platform-activity", args=[board.platform_id]),
        )
    }

    assert answers == {status}


def test_outsider_cannot_post_anything(client, crew, board, columns):
    card = make(crew, board, columns[0], "面談")
    client.force_login(crew["outsider"])

    answers = [
        client.post(
            reverse("tasks:card-create", args=[board.platform_id, board.pk]),
            {"column": columns[0].pk, "title": "x"},
        ).status_code,
        client.post(
            reverse("tasks:card-move", args=[board.platform_id, board.pk, card.pk]),
            {"column": columns[1].pk, "place": "top"},
        ).status_code,
        client.post(card_url(card), {"version": 1, "title": "x", "helpers_needed": 0}).status_code,
        client.post(
            reverse("tasks:card-action", args=[board.platform_id, board.pk, card.pk, "comment"]),
            {"body": "x"},
        ).status_code,
        client.post(
            reverse("tasks:column-add", args=[board.platform_id, board.pk]), {"name": "x"}
        ).status_code,
    ]

    assert answers == [404] * 5
    card.refresh_from_db()
    assert (card.title, card.column) == ("面談", columns[0])
    assert Board.objects.get(pk=board.pk).seq == 1


def test_board_page_shows_columns_cards_and_controls(client, crew, board, columns):
    make(crew, board, columns[0], "面談の予定")
    client.force_login(crew["member"])

    page = client.get(board_url(board)).content.decode()

    for name in (
        "相談・アセスメント",
        "職場開拓",
        "体験・訓練",
        "就労中",
        "定着支援",
        "面談の予定",
    ):
        assert name in page
    assert 'data-can-write="1"' in page
    assert "vendor/sortablejs/Sortable.min.js" in page
    assert 'id="board-snapshot"' in page


def test_observer_page_has_no_edit_control(client, crew, board, columns):
    card = make(crew, board, columns[0], "面談の予定")
    client.force_login(crew["observer"])

    board_page = client.get(board_url(board)).content.decode()
    card_page = client.get(card_url(card)).content.decode()

    assert 'data-can-write="0"' in board_page
    assert "このボードは読むことだけができます。" in board_page
    for page in (board_page, card_page):
        main = page.split('<main id="main">')[1]
        # Watching a card is reading, not editing: observers may do it.
        forms = re.findall(r'<form method="post" action="([^"]*)"', main)
        assert main.count('method="post"') == len(forms)
        assert all(action.endswith("/watch/") for action in forms), forms


def test_no_js_create_move_and_comment(client, crew, board, columns):
    client.force_login(crew["member"])

    client.post(
        reverse("tasks:card-create", args=[board.platform_id, board.pk]),
        {"column": columns[0].pk, "title": "職場見学"},
    )
    card = Card.objects.get()
    client.post(
        reverse("tasks:card-move", args=[board.platform_id, board.pk, card.pk]),
        {"column": columns[1].pk, "place": "bottom"},
    )
    client.post(
        reverse("tasks:card-action", args=[board.platform_id, board.pk, card.pk, "comment"]),
        {"body": "@田中 さん確認を"},
    )
    page = client.get(card_url(card)).content.decode()

    card.refresh_from_db()
    assert card.column == columns[1]
    assert "@田中 さん確認を" in page
    assert list(card.comments.get().mentions.all()) == [crew["other"]]


def test_card_edit_conflict_shows_their_version_and_keeps_mine(client, crew, board, columns):
    card = make(crew, board, columns[0], "元の題")
    services.card_update(
        actor=crew["other"], board=board, card_id=card.pk, version=1, fields={"title": "田中の題"}
    )
    client.force_login(crew["member"])

    response = client.post(
        card_url(card),
        {
            "version": "1",
            "title": "鈴木の題",
            "description": "",
            "helpers_needed": "0",
            "labels": "",
        },
    )

    page = response.content.decode()
    assert response.status_code == 409
    assert "田中の題" in page
    assert 'value="鈴木の題"' in page
    card.refresh_from_db()
    assert card.title == "田中の題"


def test_card_edit_saves_and_makes_links_clickable(client, crew, board, columns):
    card = make(crew, board, columns[0], "元の題")
    client.force_login(crew["member"])

    response = client.post(
        card_url(card),
        {
            "version": "1",
            "title": "新しい題",
            "description": "資料 https://example.jp/a <b>太字</b>?",
            "helpers_needed": "2",
            "labels": "急ぎ、面談",
            "assignees": [str(crew["member"].pk)],
        },
    )

    assert response.status_code == 400  # markup refused
    response = client.post(
        card_url(card),
        {
            "version": "1",
            "title": "新しい題",
            "description": "資料 https://example.jp/a",
            "helpers_needed": "2",
            "labels": "急ぎ、面談",
            "assignees": [str(crew["member"].pk)],
        },
    )
    page = client.get(card_url(card)).content.decode()

    assert response.status_code == 302
    assert '<a href="https://example.jp/a" rel="nofollow">https://example.jp/a</a>' in page
    card.refresh_from_db()
    assert (
        card.title,
        card.helpers_needed,
        sorted(card.labels.values_list("name", flat=True)),
    ) == (
        "新しい題",
        2,
        ["急ぎ", "面談"],
    )


def test_tampered_assignee_is_refused(client, crew, board, columns):
    card = make(crew, board, columns[0], "題")
    client.force_login(crew["member"])

    response = client.post(
        card_url(card),
        {
            "version": "1",
            "title": "題",
            "helpers_needed": "0",
            "assignees": [str(crew["outsider"].pk)],
        },
    )

    assert response.status_code == 400
    assert list(card.assignees.all()) == []


def test_confidential_card_page_and_feed_show_nothing_to_others(client, crew, board, columns):
    secret = make(crew, board, columns[0], "Aさんの生活状況", confidential=True)
    services.comment_add(actor=crew["member"], board=board, card_id=secret.pk, body="家賃の滞納")
    client.force_login(crew["other"])

    pages = [
        client.get(url).content.decode()
        for url in (
            board_url(board),
            card_url(secret),
            reverse("tasks:board-activity", args=[board.platform_id, board.pk]),
            reverse("tasks:platform-activity", args=[board.platform_id]),
        )
    ]
    edit = client.post(card_url(secret), {"version": "1", "title": "x", "helpers_needed": "0"})

    for page in pages:
        assert "Aさん" not in page
        assert "家賃" not in page
    assert "非公開のカード" in pages[0]
    assert edit.status_code == 403
    client.force_login(crew["coordinator"])
    assert "家賃の滞納" in client.get(card_url(secret)).content.decode()


def test_board_create_by_coordinator_only(client, crew):
    url = reverse("tasks:board-list", args=[crew["platform"].pk])
    client.force_login(crew["member"])
    refused = client.post(url, {"name": "ボード", "template": "blank"})
    client.force_login(crew["coordinator"])
    bad = client.post(url, {"name": "ボード", "template": "kanban-pro"})
    made = client.post(url, {"name": "特産品づくり", "template": "community_business"})

    assert (refused.status_code, bad.status_code, made.status_code) == (403, 400, 302)
    assert list(Board.objects.values_list("name", flat=True)) == ["特産品づくり"]


def test_column_settings_by_coordinator(client, crew, board, columns):
    from tests.factories import goal_of

    goal = goal_of(crew["platform"])
    url = reverse("tasks:column-update", args=[board.platform_id, board.pk, columns[3].pk])
    client.force_login(crew["member"])
    assert client.post(url, {"name": "x"}).status_code == 403
    client.force_login(crew["coordinator"])

    bad = client.post(url, {"name": "就労中", "wip_limit": "0"}, follow=True)
    client.post(url, {"name": "就労中", "wip_limit": "3", "goal": str(goal.pk)})

    columns[3].refresh_from_db()
    assert "WIP制限は1から999の数で入れてください。" in bad.content.decode()
    assert (columns[3].wip_limit, columns[3].goal) == (3, goal)


@pytest.mark.parametrize("size", [10, 500])
def test_board_page_query_count_is_fixed(
    client, crew, board, columns, django_assert_num_queries, size
):
    for n in range(size):
        card = Card.objects.create(
            board=board, column=columns[n % 5], position=f"a{n:04d}", title=f"カード{n}"
        )
        card.assignees.add(crew["member"])
    client.force_login(crew["member"])

    with django_assert_num_queries(13):
        response = client.get(board_url(board))

    assert len(response.context["snapshot"]["cards"]) == size


@pytest.mark.parametrize("size", [10, 500])
def test_snapshot_query_count_is_fixed(crew, board, columns, django_assert_num_queries, size):
    from tasks.selectors import board_snapshot

    for n in range(size):
        Card.objects.create(
            board=board, column=columns[n % 5], position=f"a{n:04d}", title=f"カード{n}"
        )

    with django_assert_num_queries(7):
        snapshot = board_snapshot(board=board, user_id=crew["member"].pk, role="member")

    assert len(snapshot["cards"]) == size


def test_column_reorder_with_buttons(client, crew, board, columns):
    url = reverse("tasks:column-move", args=[board.platform_id, board.pk, columns[2].pk])
    client.force_login(crew["member"])
    refused = client.post(url, {"direction": "left"})
    client.force_login(crew["coordinator"])

    client.post(url, {"direction": "left"})
    tampered = client.post(url, {"direction": "up"}, follow=True)

    names = list(board.columns.order_by("position").values_list("name", flat=True))
    assert refused.status_code == 403
    assert names == ["相談・アセスメント", "体験・訓練", "職場開拓", "就労中", "定着支援"]
    assert "移動先を選んでください。" in tampered.content.decode()


def test_archived_cards_are_listed_for_restore(client, crew, board, columns):
    card = make(crew, board, columns[0], "終わった面談")
    secret = make(crew, board, columns[0], "Aさんの記録", confidential=True)
    services.card_archive(actor=crew["member"], board=board, card_id=card.pk)
    services.card_archive(actor=crew["member"], board=board, card_id=secret.pk)
    client.force_login(crew["other"])

    page = client.get(board_url(board)).content.decode()

    assert "アーカイブしたカード（2枚）" in page
    assert "終わった面談" in page
    assert "Aさん" not in page


def test_platform_export_includes_boards_with_the_confidentiality_rule(
    client, crew, board, columns
):
    import json

    make(crew, board, columns[0], "職場見学")
    make(crew, board, columns[1], "Aさんの生活状況", confidential=True)
    client.force_login(crew["coordinator"])

    data = json.loads(
        client.get(reverse("platforms:platform-export", args=[board.platform_id, "json"])).content
    )
    rows = client.get(
        reverse("platforms:platform-export", args=[board.platform_id, "csv"])
    ).content.decode("utf-8-sig")

    titles = sorted(card["title"] for card in data["boards"][0]["cards"])
    assert titles == ["Aさんの生活状況", "職場見学"]
    assert "就労支援,職場見学,相談・アセスメント," in rows


def test_export_data_for_a_member_redacts_confidential_cards(crew, board, columns):
    from platforms.exports import platform_export_data

    make(crew, board, columns[1], "Aさんの生活状況", confidential=True, actor="coordinator")

    data = platform_export_data(crew["platform"], crew["member"])

    assert "Aさん" not in str(data["boards"])
    assert data["boards"][0]["cards"][0]["redacted"] is True


def _scene(crew, board, columns):
    """A board where every form post has something to change."""
    coordinator = crew["coordinator"]
    card = make(crew, board, columns[0], "面談")
    services.card_update(
        actor=crew["member"], board=board, card_id=card.pk, version=1, fields={"helpers_needed": 1}
    )
    services.checklist_add(actor=crew["member"], board=board, card_id=card.pk, text="未済")
    services.checklist_add(actor=crew["member"], board=board, card_id=card.pk, text="済み")
    unchecked, checked = card.checklist.order_by("position")
    services.checklist_set(
        actor=crew["member"], board=board, card_id=card.pk, item_id=checked.pk, done=True
    )
    archived = make(crew, board, columns[0], "片付け済み")
    services.card_archive(actor=crew["member"], board=board, card_id=archived.pk)
    claimed = make(crew, board, columns[0], "手伝い")
    services.card_update(
        actor=crew["member"],
        board=board,
        card_id=claimed.pk,
        version=1,
        fields={"helpers_needed": 1},
    )
    services.helper_claim(actor=coordinator, board=board, card_id=claimed.pk)
    empty = services.column_add(actor=coordinator, board=board, name="空の列")
    card.refresh_from_db()
    return {
        "card": card,
        "unchecked": unchecked,
        "checked": checked,
        "archived": archived,
        "claimed": claimed,
        "empty": empty,
        "column": columns[0],
        "other_column": columns[1],
    }


def _card(action):
    def args(board, s, card="card"):
        return [board.platform_id, board.pk, s[card].pk, action]

    return args


# (url name, args(board, scene), data(scene), coordinators only)
BOARD_POSTS = {
    "card create": (
        "tasks:card-create",
        lambda b, s: [b.platform_id, b.pk],
        lambda s: {"column": s["column"].pk, "title": "新しいカード"},
        False,
    ),
    "card edit": (
        "tasks:card-detail",
        lambda b, s: [b.platform_id, b.pk, s["card"].pk],
        lambda s: {"version": s["card"].version, "title": "変えた題", "helpers_needed": 1},
        False,
    ),
    "card move": (
        "tasks:card-move",
        lambda b, s: [b.platform_id, b.pk, s["card"].pk],
        lambda s: {"column": s["other_column"].pk, "place": "top"},
        False,
    ),
    "comment": ("tasks:card-action", _card("comment"), lambda s: {"body": "コメント"}, False),
    "checklist add": ("tasks:card-action", _card("checklist"), lambda s: {"text": "項目"}, False),
    "check": ("tasks:card-action", _card("check"), lambda s: {"item": s["unchecked"].pk}, False),
    "uncheck": ("tasks:card-action", _card("uncheck"), lambda s: {"item": s["checked"].pk}, False),
    "remove item": (
        "tasks:card-action",
        _card("remove-item"),
        lambda s: {"item": s["unchecked"].pk},
        False,
    ),
    "archive": ("tasks:card-action", _card("archive"), lambda s: {}, False),
    "restore": (
        "tasks:card-action",
        lambda b, s: _card("restore")(b, s, "archived"),
        lambda s: {},
        False,
    ),
    "claim": ("tasks:card-action", _card("claim"), lambda s: {}, False),
    "release": (
        "tasks:card-action",
        lambda b, s: _card("release")(b, s, "claimed"),
        lambda s: {},
        False,
    ),
    "column add": (
        "tasks:column-add",
        lambda b, s: [b.platform_id, b.pk],
        lambda s: {"name": "新しい列"},
        True,
    ),
    "column update": (
        "tasks:column-update",
        lambda b, s: [b.platform_id, b.pk, s["column"].pk],
        lambda s: {"name": "改名した列"},
        True,
    ),
    "column move": (
        "tasks:column-move",
        lambda b, s: [b.platform_id, b.pk, s["column"].pk],
        lambda s: {"direction": "right"},
        True,
    ),
    "column archive": (
        "tasks:column-archive",
        lambda b, s: [b.platform_id, b.pk, s["empty"].pk],
        lambda s: {},
        True,
    ),
    "board create": (
        "tasks:board-list",
        lambda b, s: [b.platform_id],
        lambda s: {"name": "新しいボード", "template": "blank"},
        True,
    ),
}


def _board_state(board) -> dict:
    """Everything a board post could change, or send."""
    from django.core import mail

    from notifications.models import Delivery, Notification
    from tasks.models import BoardEvent, ChecklistItem, Column, Comment, HelperClaim

    cards = Card.objects.filter(board__platform=board.platform)
    return {
        "boards": list(Board.objects.filter(platform=board.platform).values().order_by("pk")),
        "columns": list(Column.objects.filter(board=board).values().order_by("pk")),
        "cards": list(cards.values().order_by("pk")),
        "assignees": list(cards.values_list("pk", "assignees").order_by("pk", "assignees")),
        "watchers": list(cards.values_list("pk", "watchers").order_by("pk", "watchers")),
        "checklist": list(ChecklistItem.objects.filter(card__in=cards).values().order_by("pk")),
        "comments": list(Comment.objects.filter(card__in=cards).values().order_by("pk")),
        "claims": list(HelperClaim.objects.filter(card__in=cards).values().order_by("pk")),
        "events": BoardEvent.objects.filter(board__platform=board.platform).count(),
        "notifications": Notification.objects.count(),
        "deliveries": Delivery.objects.count(),
        "mail": len(mail.outbox),
    }


def _post(client, board, scene, row):
    from django.contrib.messages import get_messages

    name, args, data, _manager = BOARD_POSTS[row]
    before = _board_state(board)
    response = client.post(reverse(name, args=args(board, scene)), data(scene))
    errors = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
    changed = _board_state(board) != before
    return response, errors, changed


@pytest.mark.parametrize("row", BOARD_POSTS)
def test_every_board_post_changes_the_board_for_a_coordinator(client, crew, board, columns, row):
    """The positive control: each payload below is one that does change the board."""
    scene = _scene(crew, board, columns)
    client.force_login(crew["coordinator"])

    response, errors, changed = _post(client, board, scene, row)

    assert (response.status_code, errors, changed) == (302, [], True)


# Members may make the card changes: they are refused the coordinators' ones only.
REFUSED = [
    (who, row)
    for row, (*_rest, manager_only) in BOARD_POSTS.items()
    for who in ("anonymous", "outsider", "observer", "member", "read-only coordinator")
    if who != "member" or manager_only
]


@pytest.mark.parametrize(("who", "row"), REFUSED)
def test_every_board_post_is_refused_with_nothing_changed(client, crew, board, columns, row, who):
    """The same requests from people who may not make them: refused (a login, a 404,
    a 403 or a message), and nothing changed, written, notified or mailed."""
    from django.core import mail

    from platforms.models import Platform, Status

    scene = _scene(crew, board, columns)
    mail.outbox.clear()
    if who == "read-only coordinator":
        Platform.objects.filter(pk=board.platform_id).update(status=Status.ARCHIVED)
        client.force_login(crew["coordinator"])
    elif who != "anonymous":
        client.force_login(crew[who])

    response, errors, changed = _post(client, board, scene, row)

    assert changed is False
    if who == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    elif who == "outsider":
        assert response.status_code == 404
    else:
        assert response.status_code == 403 or (response.status_code == 302 and errors), (
            response.status_code,
            errors,
        )


def test_ids_of_another_boards_cards_and_columns_change_nothing(client, crew, board, columns):
    """The coordinator of both boards, through board A's URLs, naming board B's card or
    column: not found, and neither board changes."""
    other = services.board_create(
        actor=crew["coordinator"], platform=crew["platform"], name="別のボード"
    )
    other_column = other.columns.order_by("position").first()
    other_card = make(crew, other, other_column, "別の面談")
    card = make(crew, board, columns[0], "面談")
    client.force_login(crew["coordinator"])
    before = (_board_state(board), _board_state(other))
    a = [board.platform_id, board.pk]

    answers = [
        client.get(reverse("tasks:card-detail", args=[*a, other_card.pk])).status_code,
        client.post(reverse("tasks:card-action", args=[*a, other_card.pk, "archive"])).status_code,
        client.post(
            reverse("tasks:card-move", args=[*a, card.pk]),
            {"column": other_column.pk, "place": "top"},
        ).status_code,
        client.post(
            reverse("tasks:column-update", args=[*a, other_column.pk]), {"name": "乗っ取り"}
        ).status_code,
        client.post(reverse("tasks:column-archive", args=[*a, other_column.pk])).status_code,
        client.post(
            reverse("tasks:column-move", args=[*a, other_column.pk]), {"direction": "left"}
        ).status_code,
    ]

    assert answers[:2] == [404, 404]
    assert answers[2:] == [302, 302, 302, 302]  # refused with a message
    assert (_board_state(board), _board_state(other)) == before
