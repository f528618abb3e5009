"""What one board write costs the database, counted: a card move is the hot path of a
live board (every receiver waits for it), so its own statements are few and do not
grow with the board. Savepoints are the test's transaction, not the move's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tasks import services
from tasks.models import Card
from tests.factories import CardFactory

pytestmark = pytest.mark.django_db


def own_statements(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


def crowd(crew, columns, size):
    for n in range(size):
        CardFactory(column=columns[n % 2]).assignees.add(crew["other"])


@pytest.mark.parametrize("size", [2, 40])
def test_a_move_costs_six_statements_whatever_the_board(crew, board, columns, size):
    crowd(crew, columns, size)
    services.column_update(
        actor=crew["coordinator"], board=board, column_id=columns[1].pk, wip_limit=3
    )
    moving = services.card_create(
        actor=crew["member"], board=board, column_id=columns[0].pk, title="動かす"
    )
    services.card_update(
        actor=crew["member"],
        board=board,
        card_id=moving.pk,
        version=moving.version,
        fields={"assignees": [crew["member"].pk, crew["other"].pk]},
    )

    with CaptureQueriesContext(connection) as queries:
        moved = services.card_move(
            actor=crew["member"], board=board, card_id=moving.pk, column_id=columns[1].pk
        )

    statements = own_statements(queries)
    assert len(statements) == 6, "\n".join(statements)
    assert statements[0].startswith("UPDATE") and "RETURNING" in statements[0]
    assert moved["wip_exceeded"] is (size // 2 + 1 > 3)
    assert {a["name"] for a in moved["card"]["assignees"]} == {"鈴木", "田中"}


def test_a_renamed_person_is_named_afresh_on_the_next_move(crew, board, columns):
    card = services.card_create(
        actor=crew["member"], board=board, column_id=columns[0].pk, title="面談"
    )
    services.card_update(
        actor=crew["member"],
        board=board,
        card_id=card.pk,
        version=card.version,
        fields={"assignees": [crew["other"].pk]},
    )
    crew["other"].display_name = "田中（旧姓 山本）"
    crew["other"].save()

    moved = services.card_move(
        actor=crew["member"], board=board, card_id=card.pk, column_id=columns[1].pk
    )

    assert [a["name"] for a in moved["card"]["assignees"]] == ["田中（旧姓 山本）"]
    assert Card.objects.get(pk=card.pk).payload_cache is not None


@pytest.mark.parametrize("size", [2, 40])
def test_a_card_create_costs_the_same_whatever_the_column(crew, board, columns, size):
    crowd(crew, columns, size)

    with CaptureQueriesContext(connection) as queries:
        services.card_create(
            actor=crew["member"], board=board, column_id=columns[0].pk, title="新しいカード"
        )

    # 14: the card's payload reads its linked social resources too.
    assert len(own_statements(queries)) == 14
