"""Ids from URLs, forms and frames are range-checked before any query: a number too big
for the database is "not found", never a 500 (OverflowError on SQLite, DataError on
PostgreSQL)."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from common.ids import MAX_ID, parse_id
from tasks.models import Card

TOO_BIG = [str(MAX_ID + 1), "9" * 19, "9" * 20, "0"]


def _our_patterns(patterns=None, prefix=""):
    """Every URL of the hub's own apps with an id in it, as (name, route)."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            if pattern.namespace in ("members", "platforms", "tasks", "notifications"):
                yield from _our_patterns(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and re.search(r"<(id|int):|_id>", route):
            yield pattern.name, route


OUR_ROUTES = sorted(_our_patterns())


def _path(route: str, big: str) -> str:
    path = re.sub(r"<(id|int):\w+>", big, route)
    path = re.sub(r"\(\?P<platform_id>[^)]*\)", big, path)
    path = path.replace("<slug:action>", "archive").replace(r"\.(?P<fmt>json|csv)", ".json")
    return "/" + path.replace("\\", "")


def test_every_id_route_is_covered():
    assert len(OUR_ROUTES) >= 30
    assert (
        "card-move",
        "platforms/<id:platform_id>/boards/<id:board_id>/cards/<id:card_id>/move/",
    ) in OUR_ROUTES


@pytest.mark.django_db
@pytest.mark.parametrize("big", TOO_BIG)
def test_an_id_too_big_for_the_database_is_not_found(client, coordinator, big):
    client.force_login(coordinator)
    answers = {}
    for name, route in OUR_ROUTES:
        path = _path(route, big)
        answers[name] = (client.get(path).status_code, client.post(path).status_code)

    # GET finds nothing; POST too, or is not allowed on a read-only page.
    wrong = {
        name: (got, posted)
        for name, (got, posted) in answers.items()
        if got != 404 or posted not in (404, 405)
    }
    assert wrong == {}


@pytest.mark.django_db
def test_a_form_id_too_big_is_refused_with_a_message(client, crew, board, columns):
    card = Card.objects.create(board=board, column=columns[0], position="a0", title="面談")
    client.force_login(crew["coordinator"])
    url = reverse("tasks:card-move", args=[board.platform_id, board.pk, card.pk])

    response = client.post(url, {"column": "99999999999999999999", "place": "top"}, follow=True)

    assert response.status_code == 200
    assert "移動先を選んでください。" in response.content.decode()
    card.refresh_from_db()
    assert card.column_id == columns[0].pk


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        (1, 1),
        ("42", 42),
        (" 7 ", 7),
        (MAX_ID, MAX_ID),
        (MAX_ID + 1, None),
        ("9" * 20, None),
        (0, None),
        (-1, None),
        ("-1", None),
        ("１２", None),
        ("1e3", None),
        (True, None),
        (1.0, None),
        (None, None),
        ([1], None),
    ],
)
def test_parse_id(value, parsed):
    assert parse_id(value) == parsed
