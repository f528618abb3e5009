"""The board page, calm: one labelled "移動…" control per card, filters folded away,
a cue when columns go past the edge, a column switcher for phones; the card page
offers either 手伝う or 手伝いを取り消す, and does not mark optional additions 必須."""

import re

import pytest
from django.urls import reverse

from tasks import services

pytestmark = pytest.mark.django_db


def board_html(client, user, board):
    client.force_login(user)
    return client.get(board.get_absolute_url()).content.decode()


def test_each_card_has_one_move_control_named_with_its_title(client, crew, board, columns):
    for title in ("面談の予定", "見学の調整"):
        services.card_create(
            actor=crew["member"], board=board, column_id=columns[0].pk, title=title
        )

    html = board_html(client, crew["member"], board)

    assert html.count('<details class="move">') == 2
    assert 'aria-label="「面談の予定」を移動…"' in html
    assert html.count('class="step"') == 0  # no row of arrow buttons any more
    # The move works without JavaScript: the disclosure holds a plain form.
    card = services.card_create(
        actor=crew["member"], board=board, column_id=columns[0].pk, title="三枚目"
    )
    move = reverse("tasks:card-move", args=[board.platform_id, board.pk, card.pk])
    client.post(move, {"column": columns[2].pk, "place": "top"})
    card.refresh_from_db()
    assert card.column_id == columns[2].pk


def test_filters_fold_away_unless_one_is_set_and_the_board_scrolls_with_a_cue(
    client, crew, board, columns
):
    plain = board_html(client, crew["member"], board)
    filtered = client.get(board.get_absolute_url(), {"text": "面談"}).content.decode()

    assert '<details class="filters-box">' in plain
    assert '<details class="filters-box" open>' in filtered
    assert "data-scroll-hint hidden" in plain and f"全{len(columns)}列" in plain
    assert re.search(r'id="board" class="board" tabindex="0" role="region"', plain)
    switcher = plain[
        plain.index('class="column-switcher"') : plain.index(
            "</nav>", plain.index('class="column-switcher"')
        )
    ]
    assert all(f'href="#column-{column.pk}"' in switcher for column in columns)


def test_observers_get_no_move_control(client, crew, board, columns):
    services.card_create(
        actor=crew["member"], board=board, column_id=columns[0].pk, title="面談の予定"
    )

    assert '<details class="move">' not in board_html(client, crew["observer"], board)


def test_the_card_page_offers_either_help_or_release(client, crew, board, columns):
    card = services.card_create(
        actor=crew["coordinator"], board=board, column_id=columns[0].pk, title="見学"
    )
    services.card_update(
        actor=crew["coordinator"],
        board=board,
        card_id=card.pk,
        version=card.version,
        fields={"helpers_needed": 2},
    )
    url = reverse("tasks:card-detail", args=[board.platform_id, board.pk, card.pk])
    client.force_login(crew["member"])

    before = client.get(url).content.decode()
    services.helper_claim(actor=crew["member"], board=board, card_id=card.pk)
    after = client.get(url).content.decode()

    assert 'data-testid="claim"' in before and 'data-testid="release"' not in before
    assert 'data-testid="release"' in after and 'data-testid="claim"' not in after


def test_optional_additions_on_the_card_page_are_not_marked_required(client, crew, board, columns):
    card = services.card_create(
        actor=crew["member"], board=board, column_id=columns[0].pk, title="見学"
    )
    client.force_login(crew["member"])

    html = client.get(
        reverse("tasks:card-detail", args=[board.platform_id, board.pk, card.pk])
    ).content.decode()
    checklist = html[html.index("チェックリスト</h2>") : html.index("コメント</h2>")]
    comments = html[
        html.index("コメント</h2>") : html.index("</section>", html.index("コメント</h2>"))
    ]

    assert "※必須" not in checklist and "※必須" not in comments


def test_the_header_menu_folds_on_phones_with_a_button(client, crew):
    client.force_login(crew["member"])

    html = client.get(reverse("platforms:dashboard")).content.decode()

    assert 'class="menu-toggle" aria-expanded="false" aria-controls="site-menu" hidden' in html
    assert 'id="site-menu"' in html
    assert "js/menu.js" in html
