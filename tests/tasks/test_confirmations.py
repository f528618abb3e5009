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

    assert member.status_code == 403
    assert outsider.status_code == 404


def test_an_unknown_column_is_a_404(client, crew, board):
    client.force_login(crew["coordinator"])

    response = client.get(
        reverse("tasks:column-archive", args=[board.platform_id, board.pk, 999999])
    )

    assert response.status_code == 404
