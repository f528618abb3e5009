"""One command table for every board write: the socket and the pages dispatch through
tasks.commands, so the same input is refused with the same words either way, and
no service flips its meaning by a boolean."""

import inspect

import pytest
from channels.db import database_sync_to_async
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from tasks import commands, services
from tasks.models import Card, ChecklistItem, Comment
from tasks.views import CARD_ACTIONS
from tests.sockets import create, open_socket, request, world

pytestmark = pytest.mark.django_db(transaction=True)


def page_errors(user, url, data) -> list[str]:
    client = Client()
    client.force_login(user)
    response = client.post(url, data)
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


@pytest.mark.parametrize(
    ("action", "command", "field", "model", "too_long"),
    [
        ("comment", "comment.add", "body", Comment, "あ" * 2001),
        ("checklist", "checklist.add", "text", ChecklistItem, "あ" * 201),
    ],
)
@pytest.mark.asyncio
async def test_page_and_socket_refuse_the_same_input_with_the_same_words(
    action, command, field, model, too_long
):
    platform, board, columns, people = await world()
    card = await create(people, board, columns[0], "面談")
    communicator, _ = await open_socket(board, people["member"])
    url = reverse("tasks:card-action", args=[board.platform_id, board.pk, card.pk, action])

    socket_answer = await request(
        communicator, {"type": command, "card": card.pk, field: too_long, "request": 1}
    )
    page_answer = await database_sync_to_async(page_errors)(
        people["member"], url, {field: too_long}
    )

    assert socket_answer["code"] == "invalid"
    assert socket_answer["errors"][field] == page_answer
    assert page_answer == [
        f"この値は {len(too_long) - 1} 文字以下でなければなりません( {len(too_long)} 文字になっています)。"
    ]
    assert await database_sync_to_async(model.objects.count)() == 0
    await communicator.disconnect()


@pytest.mark.asyncio
async def test_the_page_moves_a_card_to_the_bottom_through_the_command():
    """The page's "to the bottom" is the command's own (views compute no positions)."""
    platform, board, columns, people = await world()
    await create(people, board, columns[1], "一")
    await create(people, board, columns[1], "二")
    moving = await create(people, board, columns[0], "動く")
    url = reverse("tasks:card-move", args=[board.platform_id, board.pk, moving.pk])

    await database_sync_to_async(page_errors)(
        people["member"], url, {"column": columns[1].pk, "place": "bottom"}
    )

    def titles():
        return list(
            Card.objects.filter(column=columns[1])
            .order_by("position")
            .values_list("title", flat=True)
        )

    assert await database_sync_to_async(titles)() == ["一", "二", "動く"]


def test_every_page_action_runs_a_command_of_the_table():
    assert set(CARD_ACTIONS.values()) <= set(commands.COMMANDS)


@pytest.mark.parametrize(
    ("service", "flag"),
    [
        (services.card_archive, "archived"),
        (services.checklist_set, "remove"),
        (services.helper_claim, "claim"),
        (services.card_watch, "watch"),
    ],
)
def test_no_service_flips_its_meaning_by_a_boolean(service, flag):
    assert flag not in inspect.signature(service).parameters
    named = {
        "archived": services.card_restore,
        "remove": services.checklist_item_remove,
        "claim": services.helper_release,
        "watch": services.card_unwatch,
    }[flag]
    assert callable(named)
