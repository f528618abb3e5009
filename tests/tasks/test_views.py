"""Board pages: the no-JavaScript forms, conflicts, confidential cards, activity feeds
and query counts (who may do what: test_permissions.py)."""

import re

import pytest
from django.urls import reverse

from tasks import services
from tasks.models import Board, Card
from tests.factories import CardFactory, goal_of

pytestmark = pytest.mark.django_db


def board_url(board):
    return reverse("tasks:board-detail", args=[board.platform_id, board.pk])


def card_url(card):
    return reverse("tasks:card-detail", args=[card.board.platform_id, card.board_id, card.pk])


def make(crew, board, column, title, actor="member", **kwargs):
    return services.card_create(
        actor=crew[actor], board=board, column_id=column.pk, title=title, **kwargs
    )


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
        card = CardFactory(column=columns[n % 5])
        card.assignees.add(crew["member"])
    client.force_login(crew["member"])

    with django_assert_num_queries(14):  # the cards' social resources: one query
        response = client.get(board_url(board))

    assert len(response.context["snapshot"]["cards"]) == size


@pytest.mark.parametrize("size", [10, 500])
def test_snapshot_query_count_is_fixed(crew, board, columns, django_assert_num_queries, size):
    from tasks.selectors import board_snapshot

    for n in range(size):
        CardFactory(column=columns[n % 5])

    with django_assert_num_queries(8):  # the cards' social resources: one query
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
    assert "カード,職場見学,就労支援／相談・アセスメント,公開" in rows


def test_export_data_for_a_member_redacts_confidential_cards(crew, board, columns):
    from platforms.exports import platform_export_data

    make(crew, board, columns[1], "Aさんの生活状況", confidential=True, actor="coordinator")

    data = platform_export_data(crew["platform"], crew["member"])

    assert "Aさん" not in str(data["boards"])
    assert data["boards"][0]["cards"][0]["redacted"] is True


def test_no_js_quick_add_makes_a_confidential_card_at_once(client, crew, board, columns):
    client.force_login(crew["member"])

    response = client.post(
        reverse("tasks:card-create", args=[board.platform_id, board.pk]),
        {"column": columns[0].pk, "title": "Dさん 生活の相談", "confidential": "true"},
    )
    client.force_login(crew["other"])
    page = client.get(board_url(board)).content.decode()

    card = Card.objects.get(title="Dさん 生活の相談")
    assert response.status_code == 302
    assert (card.confidential, list(card.assignees.all())) == (True, [crew["member"]])
    assert "Dさん 生活の相談" not in page
