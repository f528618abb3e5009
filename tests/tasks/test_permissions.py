"""Who may do what on a board, through the pages: members read (observers too),
outsiders get the same 404 as a missing board, and every form post a coordinator can
make is refused to each person who may not make it, with nothing changed, written,
notified or mailed, and with the one wording the service gives that refusal."""

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from notifications.models import Delivery, Notification
from platforms.models import Platform, Status
from resources import services as resource_services
from tasks import services
from tasks.models import Board, BoardEvent, Card, ChecklistItem, Column, Comment, HelperClaim
from tests.factories import ResourceFactory

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
    # Two resources the platform uses: one to link to the card, one linked already.
    to_link, linked = ResourceFactory(), ResourceFactory()
    for resource in (to_link, linked):
        resource_services.platform_resource_link(
            actor=coordinator, platform=board.platform, resource=resource
        )
    services.card_resource_link(
        actor=coordinator, board=board, card_id=card.pk, resource_id=linked.pk
    )
    card.refresh_from_db()
    return {
        "to_link": to_link,
        "linked": linked,
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
    "link resource": (
        "tasks:card-action",
        _card("link-resource"),
        lambda s: {"resource": s["to_link"].pk},
        False,
    ),
    "unlink resource": (
        "tasks:card-action",
        _card("unlink-resource"),
        lambda s: {"resource": s["linked"].pk},
        False,
    ),
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
        "resources": list(cards.values_list("pk", "resources").order_by("pk", "resources")),
        "events": BoardEvent.objects.filter(board__platform=board.platform).count(),
        "notifications": Notification.objects.count(),
        "deliveries": Delivery.objects.count(),
        "mail": len(mail.outbox),
    }


def _post(client, board, scene, row):

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


# The one wording each refusal has (tasks.services' guards, platforms.permissions).
OBSERVERS_READ = "オブザーバーはボードを読むことだけができます。"
COORDINATORS_COLUMNS = "列を変えられるのはコーディネーターだけです。"
COORDINATORS_BOARDS = "ボードを作れるのはコーディネーターだけです。"
ARCHIVED_READ = "アーカイブ済みのプラットフォームは読むことだけができます。"


def refusal_words(who: str, row: str) -> str:
    """A role is refused for its role, a coordinator of a read-only platform for the
    platform's state (never "only coordinators may")."""
    if who == "read-only coordinator":
        return ARCHIVED_READ
    if row == "board create":
        return COORDINATORS_BOARDS
    if BOARD_POSTS[row][3]:
        return COORDINATORS_COLUMNS
    return OBSERVERS_READ


@pytest.mark.parametrize(("who", "row"), REFUSED)
def test_every_board_post_is_refused_with_nothing_changed(client, crew, board, columns, row, who):
    """The same requests from people who may not make them: refused (a login, a 404,
    a 403 or a message, in the service's words), and nothing changed, written,
    notified or mailed."""

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
        told = response.content.decode() if response.status_code == 403 else " ".join(errors)
        assert refusal_words(who, row) in told, told[-600:]


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
