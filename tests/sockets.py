"""Board sockets in tests: a world with every role, a logged-in socket through the
real ASGI application (origin check, session auth), and requests that wait for their
answer while keeping the frames that came first for the next receive()."""

import json
import weakref

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from config.asgi import application
from platforms.models import Role, Status
from tasks import services
from tests.factories import PlatformFactory, UserFactory, member_of


@database_sync_to_async
def world():
    platform = PlatformFactory(status=Status.ACTIVE)
    people = {
        name: UserFactory(display_name=name)
        for name in ("coordinator", "member", "other", "observer", "outsider")
    }
    member_of(platform, people["coordinator"], Role.COORDINATOR)
    member_of(platform, people["member"], Role.MEMBER)
    member_of(platform, people["other"], Role.MEMBER)
    member_of(platform, people["observer"], Role.OBSERVER)
    board = services.board_create(
        actor=people["coordinator"], platform=platform, name="ボード", template="blank"
    )
    columns = list(board.columns.order_by("position"))
    return platform, board, columns, people


def cookie_for(user):
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


async def connect(board, user=None, *, origin=b"http://testserver", since=None):
    headers = [(b"host", b"testserver")] + ([(b"origin", origin)] if origin else [])
    if user is not None:
        cookie = await database_sync_to_async(cookie_for)(user)
        headers.append((b"cookie", cookie.encode()))
    path = f"/ws/platforms/{board.platform_id}/boards/{board.pk}/"
    if since is not None:
        path += f"?since={since}"
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, code = await communicator.connect(timeout=5)
    return communicator, connected, code


# Frames read while waiting for an ack, kept for that socket's next receive(). Weak
# keys: a socket's leftovers must never reach a later socket that reuses its id().
# tests/fixtures.py clears it around every test.
pending: "weakref.WeakKeyDictionary[WebsocketCommunicator, list]" = weakref.WeakKeyDictionary()


async def receive(communicator, *, skip_presence=True, timeout=5):
    while True:
        kept = pending.get(communicator)
        if kept:
            frame = kept.pop(0)
        else:
            frame = json.loads(await communicator.receive_from(timeout=timeout))
        if skip_presence and frame["type"] == "presence":
            continue
        return frame


async def open_socket(board, user, **kwargs):
    communicator, connected, _ = await connect(board, user, **kwargs)
    assert connected
    first = await receive(communicator)
    return communicator, first


async def request(communicator, message):
    """Sends a message and returns its ack or error; other frames wait in pending."""
    await communicator.send_json_to(message)
    held = []
    while True:
        frame = json.loads(await communicator.receive_from(timeout=5))
        if frame["type"] in ("ack", "error", "pong"):
            pending.setdefault(communicator, []).extend(held)
            return frame
        held.append(frame)


async def next_event(communicator):
    while True:
        frame = await receive(communicator)
        if frame["type"] == "event":
            return frame


create = database_sync_to_async(
    lambda people, board, column, title, who="member", **kw: services.card_create(
        actor=people[who], board=board, column_id=column.pk, title=title, **kw
    )
)
