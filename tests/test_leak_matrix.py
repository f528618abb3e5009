"""The leak matrix: who may read a confidential card's content, on every channel,
after its history changed.

Two cards carry the secrets. The first was an ordinary card, with a title, a
description and a comment, and was *made confidential later*. The second was
confidential from the start, with two assignees, one of whom was *taken off it
later*. Then a new member was approved. Everyone who is not a coordinator or a current
assignee must find none of the secrets anywhere: pages, activity pages, the socket's
snapshot, replay and live events, the notifications list, email, the digest, push
payloads, exports and the admin. The coordinator and the current assignee read them
on the same channels (the positive control: the collector does see what is there).

Run on its own with `make test PYTEST_ARGS=tests/test_leak_matrix.py`.
"""

import asyncio
import json
from datetime import datetime

import http_ece
import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from config.asgi import application
from notifications import jobs
from notifications.kinds import all_kinds
from notifications.models import (
    Delivery,
    EmailMode,
    Notification,
    NotificationSettings,
    Preference,
    PushSubscription,
)
from notifications.preferences import TOKYO
from platforms import services as platform_services
from platforms.models import Role, Status, Visibility
from tasks import services
from tasks.models import Board
from tests.factories import PlatformFactory, UserFactory, member_of
from tests.notifications.test_real_channels import b64url, browser_keys
from tests.servers import PushService

pytestmark = pytest.mark.django_db(transaction=True)

# What each card holds, before and after its history changed.
SECRETS = {
    "card1 title": "秘密一の生活状況",
    "card1 description": "秘密一の家計の説明",
    "card1 comment": "秘密一の面談メモ",
    "card1 later comment": "秘密一の後日メモ",
    "card2 title": "秘密二の支援計画",
    "card2 description": "秘密二の病歴",
    "card2 comment": "秘密二の訪問記録",
    "card2 later description": "秘密二の後日の説明",
}
NOT_ENTITLED = [
    "anonymous",
    "stranger",
    "observer",
    "member",
    "former_assignee",
    "later_member",
    "other_coordinator",
    "staff",
]
ENTITLED = ["coordinator", "assignee"]
# Late at night in Tokyo: pushes wait for the end of quiet hours, emails for the
# digest, so both are sent after the history changed.
NIGHT = datetime(2026, 11, 20, 23, 30, tzinfo=TOKYO)
MORNING = datetime(2026, 11, 21, 8, 5, tzinfo=TOKYO)


def _world(push_url):
    platform = PlatformFactory(status=Status.ACTIVE, visibility=Visibility.PUBLIC)
    other_platform = PlatformFactory(status=Status.ACTIVE, visibility=Visibility.PUBLIC)
    people = {
        name: UserFactory(display_name=name)
        for name in [*NOT_ENTITLED, *ENTITLED]
        if name != "anonymous"
    }
    people["staff"].is_staff = people["staff"].is_superuser = True
    people["staff"].save()
    member_of(platform, people["coordinator"], Role.COORDINATOR)
    for name in ("member", "former_assignee", "assignee"):
        member_of(platform, people[name], Role.MEMBER)
    member_of(platform, people["observer"], Role.OBSERVER)
    member_of(other_platform, people["other_coordinator"], Role.COORDINATOR)
    keys = {}
    for name, user in people.items():
        # Every kind by email in the digest and by push; quiet from 22:00 to 07:00.
        Preference.objects.bulk_create(
            Preference(user=user, kind=kind.key, email=EmailMode.DIGEST, push=True)
            for kind in all_kinds()
        )
        NotificationSettings.objects.create(
            user=user, digest_hour=8, quiet_start_hour=22, quiet_end_hour=7
        )
        private, public, secret = browser_keys()
        PushSubscription.objects.create(
            user=user,
            endpoint=f"{push_url}/{name}",
            p256dh=public,
            auth=b64url(secret),
        )
        keys[name] = (private, secret)
    return platform, people, keys


def _history(platform, people):
    """The cards' past: written while card 1 was open and the former assignee was on
    card 2; then card 1 made confidential, the assignee taken off, a member approved."""
    coordinator = people["coordinator"]
    board = services.board_create(
        actor=coordinator, platform=platform, name="相談ボード", template="blank"
    )
    column = board.columns.order_by("position").first()
    card1 = services.card_create(
        actor=coordinator,
        board=board,
        column_id=column.pk,
        title=SECRETS["card1 title"],
        description=SECRETS["card1 description"],
    )
    services.card_update(
        actor=coordinator,
        board=board,
        card_id=card1.pk,
        version=1,
        fields={"assignees": [people["assignee"].pk]},
    )
    for name in ("member", "observer"):
        services.card_watch(actor=people[name], board=board, card_id=card1.pk)
    services.comment_add(
        actor=coordinator, board=board, card_id=card1.pk, body=SECRETS["card1 comment"]
    )
    card2 = services.card_create(
        actor=coordinator,
        board=board,
        column_id=column.pk,
        title=SECRETS["card2 title"],
        description=SECRETS["card2 description"],
        confidential=True,
    )
    services.card_update(
        actor=coordinator,
        board=board,
        card_id=card2.pk,
        version=1,
        fields={"assignees": [people["assignee"].pk, people["former_assignee"].pk]},
    )
    services.comment_add(
        actor=people["former_assignee"],
        board=board,
        card_id=card2.pk,
        body=SECRETS["card2 comment"],
    )
    # The history changes.
    services.card_update(
        actor=coordinator, board=board, card_id=card1.pk, version=2, fields={"confidential": True}
    )
    services.card_update(
        actor=coordinator,
        board=board,
        card_id=card2.pk,
        version=2,
        fields={"assignees": [people["assignee"].pk]},
    )
    request = platform_services.join_request_create(
        actor=people["later_member"], platform=platform, message="参加します"
    )
    platform_services.join_request_decide(actor=coordinator, join_request=request, approve=True)
    return board, card1, card2


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return f"{response.status_code} {body.decode('utf-8', 'replace')}"


def _pages(client, platform, board, cards) -> dict[str, str]:
    urls = {
        "pages": [
            reverse("platforms:platform-detail", args=[platform.pk]),
            reverse("platforms:platform-list"),
            reverse("platforms:dashboard"),
            reverse("tasks:board-list", args=[platform.pk]),
            reverse("tasks:board-detail", args=[platform.pk, board.pk]),
            *[reverse("tasks:card-detail", args=[platform.pk, board.pk, c.pk]) for c in cards],
        ],
        "activity pages": [
            reverse("tasks:board-activity", args=[platform.pk, board.pk]),
            reverse("tasks:platform-activity", args=[platform.pk]),
            reverse("platforms:platform-history", args=[platform.pk]),
        ],
        "notifications list": [reverse("notifications:notification-list")],
        "exports": [
            reverse("platforms:platform-export", args=[platform.pk, "json"]),
            reverse("platforms:platform-export", args=[platform.pk, "csv"]),
        ],
    }
    return {
        channel: "\n".join(_text(client.get(url, follow=True)) for url in paths)
        for channel, paths in urls.items()
    }


def _admin_pages(client) -> str:
    urls = [
        reverse("admin:index"),
        reverse("admin:notifications_notification_changelist"),
        reverse("admin:notifications_delivery_changelist"),
        reverse("admin:platforms_platformevent_changelist"),
        reverse("admin:tasks_board_changelist"),
    ]
    urls += [
        reverse("admin:notifications_notification_change", args=[pk])
        for pk in Notification.objects.values_list("pk", flat=True)
    ]
    urls += [
        reverse("admin:notifications_delivery_change", args=[pk])
        for pk in Delivery.objects.values_list("pk", flat=True)[:20]
    ]
    urls += [
        reverse("admin:tasks_board_change", args=[pk])
        for pk in Board.objects.values_list("pk", flat=True)
    ]
    return "\n".join(_text(client.get(url)) for url in urls)


def _cookie(user) -> bytes:
    client = _client(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode()


async def _socket(board, user, coordinator, card1, card2, *, since=None):
    """Frames one socket gets: the first sync (snapshot or replay), a resync from 0,
    and the live events of two more changes to the cards."""
    headers = [(b"host", b"testserver"), (b"origin", b"http://testserver")]
    if user is not None:
        headers.append((b"cookie", await database_sync_to_async(_cookie)(user)))
    path = f"/ws/platforms/{board.platform_id}/boards/{board.pk}/"
    if since is not None:
        path += f"?since={since}"
    socket = WebsocketCommunicator(application, path, headers=headers)
    connected, _code = await socket.connect(timeout=5)
    if not connected:
        return {"snapshot": "refused", "replay": "refused", "live events": "refused"}
    frames = []

    async def read_until(wanted):
        while True:
            frame = await socket.receive_from(timeout=5)
            frames.append(frame)
            if json.loads(frame)["type"] in wanted:
                return

    await read_until({"snapshot", "synced"})
    first = "\n".join(frames)
    frames.clear()
    await socket.send_json_to({"type": "resync", "since": 0})
    await read_until({"synced", "snapshot"})
    resync = "\n".join(frames)
    frames.clear()
    await database_sync_to_async(services.comment_add)(
        actor=coordinator, board=board, card_id=card1.pk, body=SECRETS["card1 later comment"]
    )
    version = (await database_sync_to_async(lambda: type(card2).objects.get(pk=card2.pk))()).version
    await database_sync_to_async(services.card_update)(
        actor=coordinator,
        board=board,
        card_id=card2.pk,
        version=version,
        fields={"description": SECRETS["card2 later description"]},
    )
    seen = 0
    while seen < 2:
        frame = await socket.receive_from(timeout=5)
        frames.append(frame)
        seen += json.loads(frame)["type"] == "event"
    await socket.disconnect()
    return {
        "snapshot" if since is None else "replay": first + resync,
        "live events": "\n".join(frames),
    }


def _push_bodies(push, keys, name) -> str:
    if name not in keys:
        return ""
    private, secret = keys[name]
    bodies = []
    for request in push.received:
        if request["path"] == f"/{name}":
            plain = http_ece.decrypt(
                request["body"], private_key=private, auth_secret=secret, version="aes128gcm"
            )
            bodies.append(plain.decode())
    return "\n".join(bodies)


def _mail_to(user, *, digest: bool) -> str:
    if user is None:
        return ""
    texts = []
    for message in mail.outbox:
        if message.to != [user.email] or ("本日のお知らせ" in message.subject) != digest:
            continue
        html = "".join(body for body, _type in getattr(message, "alternatives", []))
        texts.append(f"{message.subject}\n{message.body}\n{html}")
    return "\n".join(texts)


@pytest.fixture
def matrix(settings, time_machine):
    """Everything every role reads, by channel: {role: {channel: text}}."""
    settings.WEBPUSH_INSECURE_HOSTS = ["127.0.0.1"]
    time_machine.move_to(NIGHT, tick=True)
    with PushService() as push:
        platform, people, keys = _world(push.url)
        board, card1, card2 = _history(platform, people)
        time_machine.move_to(MORNING, tick=True)
        mail.outbox.clear()
        jobs.deliveries_sweep()
        jobs.digests_send()
        seen = {}
        for name in [*NOT_ENTITLED, *ENTITLED]:
            user = people.get(name)
            client = _client(user)
            channels = _pages(client, platform, board, [card1, card2])
            channels["email"] = _mail_to(user, digest=False)
            channels["digest"] = _mail_to(user, digest=True)
            channels["push payload"] = _push_bodies(push, keys, name)
            for since in (None, 0):
                channels |= asyncio.run(
                    _socket(board, user, people["coordinator"], card1, card2, since=since)
                )
            if name == "staff":
                channels["admin"] = _admin_pages(client)
            seen[name] = channels
    return seen


def leaks(channels: dict[str, str]) -> dict[str, list[str]]:
    found = {
        channel: [label for label, secret in SECRETS.items() if secret in text]
        for channel, text in channels.items()
    }
    return {channel: labels for channel, labels in found.items() if labels}


def test_nobody_without_entitlement_reads_a_confidential_card_anywhere(matrix):
    assert {name: leaks(matrix[name]) for name in NOT_ENTITLED} == dict.fromkeys(NOT_ENTITLED, {})
    # Every channel was read for every role.
    assert set(matrix["staff"]) == {
        "pages",
        "activity pages",
        "notifications list",
        "exports",
        "email",
        "digest",
        "push payload",
        "snapshot",
        "replay",
        "live events",
        "admin",
    }
    # Members' sockets really opened (a refused socket would hide nothing); the others
    # were refused.
    for name in NOT_ENTITLED:
        member = name in ("observer", "member", "former_assignee", "later_member")
        assert ('"type": "snapshot"' in matrix[name]["snapshot"]) is member, name
        assert (matrix[name]["replay"] == "refused") is not member, name
    # The former assignee and the observer were told about the cards while they could
    # read them; what reaches them now says only that a confidential card exists.
    for name in ("former_assignee", "observer"):
        assert "非公開のカード" in matrix[name]["notifications list"]
        assert "非公開のカード" in matrix[name]["digest"]


def test_the_coordinator_and_the_current_assignee_read_them(matrix):
    """The positive control: the same collector finds the secrets where they belong."""
    everywhere = ["pages", "activity pages", "snapshot", "replay", "live events"]
    for name in ENTITLED:
        found = leaks(matrix[name])
        for channel in everywhere:
            assert "card1 title" in found[channel], (name, channel)
            assert "card2 title" in found[channel], (name, channel)
        for channel in ("pages", "replay"):
            assert {"card1 comment", "card2 comment"} <= set(found[channel]), (name, channel)
        assert {"card1 later comment", "card2 later description"} <= set(found["live events"])
    assert {"card1 title", "card2 title"} <= set(leaks(matrix["assignee"])["digest"])
    assert {"card1 title", "card2 title"} <= set(leaks(matrix["assignee"])["push payload"])
    assert {"card1 title", "card2 title"} <= set(leaks(matrix["coordinator"])["exports"])


def test_the_export_carries_no_email_address(client, coordinator, platform):
    platform_services.invitation_create(
        actor=coordinator, platform=platform, email="invited.person@example.jp"
    )
    client.force_login(coordinator)

    exported = {
        fmt: _text(client.get(reverse("platforms:platform-export", args=[platform.pk, fmt])))
        for fmt in ("json", "csv")
    }

    assert exported["json"].startswith("200 ")
    assert exported["csv"].startswith("200 ")
    assert [fmt for fmt, text in exported.items() if "invited.person" in text] == []
    events = json.loads(exported["json"][4:])["events"]
    invited = [e for e in events if e["kind"] == "invitation.sent"]
    assert [e["data"] for e in invited] == [{}]
