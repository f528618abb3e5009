"""Archiving a board's column asks first, without JavaScript; the question changes
nothing and is only for whom may manage the board."""

import pytest
from django.urls import reverse

from tasks.models import Column

pytestmark = pytest.mark.django_db


def test_archiving_a_column_asks_first(client, crew, board, columns):
    url = reverse("tasks:column-archive", args=[board.platform_id, board.pk, columns[-1].pk])
    client.force_login(crew["coordinator"])

    html = client.get(url).content.decode()

    assert f"列「{columns[-1].name}」をアーカイブしますか？" in html
    assert "この操作は元に戻せません。" in html
    assert f'<form method="post" action="{url}" class="confirm-form">' in html
    assert not Column.objects.get(pk=columns[-1].pk).archived
    assert f'href="{url}"' in client.get(board.get_absolute_url()).content.decode()


def test_only_board_managers_are_asked(client, crew, board, columns):
    url = reverse("tasks:column-archive", args=[board.platform_id, board.pk, columns[0].pk])

    client.force_login(crew["member"])
    member = client.get(url)
    client.force_login(crew["outsider"])
    outsider = client.get(url)

    client.logout()
    anonymous = client.get(url)

    assert member.status_code == 403
    assert outsider.status_code == 404
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("account_login"))


def test_an_unknown_column_is_a_404(client, crew, board):
    client.force_login(crew["coordinator"])

    response = client.get(
        reverse("tasks:column-archive", args=[board.platform_id, board.pk, 999999])
    )

    assert response.status_code == 404


def test_archiving_a_card_asks_first_and_says_it_can_be_undone(client, crew, board, columns):
    from tasks import services

    card = services.card_create(
        actor=crew["member"], board=board, column_id=columns[0].pk, title="見学"
    )
    url = reverse("tasks:card-action", args=[board.platform_id, board.pk, card.pk, "archive"])
    client.force_login(crew["member"])

    html = client.get(url).content.decode()
    card.refresh_from_db()
    asked_and_unchanged = card.archived is False
    client.post(url)
    card.refresh_from_db()

    assert "カード「見学」をアーカイブしますか？" in html
    assert "あとで元に戻せます。" in html and "「元に戻す」で、いつでも戻せます" in html
    assert asked_and_unchanged and card.archived is True


def test_removing_a_checklist_item_asks_first(client, crew, board, columns):
    from tasks import services
    from tasks.models import ChecklistItem

    card = services.card_create(
        actor=crew["member"], board=board, column_id=columns[0].pk, title="見学"
    )
    services.checklist_add(actor=crew["member"], board=board, card_id=card.pk, text="日程を決める")
    item = ChecklistItem.objects.get(card=card)
    url = reverse("tasks:card-action", args=[board.platform_id, board.pk, card.pk, "remove-item"])
    client.force_login(crew["member"])

    html = client.get(url, {"item": item.pk}).content.decode()
    missing = client.get(url, {"item": "999999"})
    other_actions = client.get(
        reverse("tasks:card-action", args=[board.platform_id, board.pk, card.pk, "watch"])
    )

    assert "チェックリストの「日程を決める」を削除しますか？" in html
    assert f'<input type="hidden" name="item" value="{item.pk}">' in html
    assert ChecklistItem.objects.filter(pk=item.pk).exists()
    assert missing.status_code == 404
    assert other_actions.status_code == 405


def test_a_confidential_card_is_not_named_on_the_question_to_whom_may_not_see_it(
    client, crew, board, columns
):
    from tasks import services

    card = services.card_create(
        actor=crew["coordinator"],
        board=board,
        column_id=columns[0].pk,
        title="Aさんの通院",
        confidential=True,
    )
    client.force_login(crew["member"])

    response = client.get(
        reverse("tasks:card-action", args=[board.platform_id, board.pk, card.pk, "archive"])
    )

    assert response.status_code == 403
    assert "Aさんの通院" not in response.content.decode()


def test_card_questions_are_refused_to_outsiders_and_anonymous_people(client, crew, board, columns):
    from tasks import services

    card = services.card_create(
        actor=crew["member"], board=board, column_id=columns[0].pk, title="見学"
    )
    url = reverse("tasks:card-action", args=[board.platform_id, board.pk, card.pk, "archive"])

    anonymous = client.get(url)
    client.force_login(crew["outsider"])
    outsider = client.get(url)
    client.force_login(crew["observer"])
    observer = client.get(url)

    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("account_login"))
    assert outsider.status_code == 404
    assert observer.status_code == 403
    assert "見学" not in outsider.content.decode()
