"""The preferences page, push device registration and removal, the service worker
and the bell's socket."""

import json

import pytest
from channels.testing import WebsocketCommunicator
from django.urls import reverse

from config.asgi import application
from notifications.kinds import all_kinds
from notifications.models import (
    Delivery,
    NotificationSettings,
    Preference,
    PushSubscription,
)
from notifications.preferences import TOKYO, choices_for, default_for
from platforms import notices as platform_notices
from platforms import services as platform_services
from platforms.models import Status
from tasks import notices as card_notices
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

KEY = "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM"
AUTH = "tBHItJI5svbpez7KI4CCXg"


def form_data(**changes):
    """The form as the page sends it untouched: both switches and every kind on
    "follow" (empty)."""
    data = {
        "language": "ja",
        "digest_hour": "8",
        "quiet_start_hour": "22",
        "quiet_end_hour": "7",
        "email_all": "",
        "push_all": "",
    }
    for kind in all_kinds():
        if kind.emails:
            data[f"email-{kind.key}"] = ""
        data[f"push-{kind.key}"] = ""
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_page_offers_one_switch_per_channel_and_exceptions_below(client):
    user = UserFactory()
    client.force_login(user)
    html = client.get(reverse("notifications:preferences")).content.decode()

    assert html.index('name="email_all"') < html.index('name="email-join.requested"')
    assert 'name="push_all"' in html
    assert "判断を待つ参加申請" in html
    assert 'name="email-platform.invited"' not in html  # the invitation email is the message
    # Push choices wait until this browser is a registered device (push.js shows them).
    assert html.count("data-push-choice hidden") == 2 + len(all_kinds())


def test_untouched_the_page_saves_no_exception(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(reverse("notifications:preferences"), form_data(digest_hour="19"))

    assert response.status_code == 302
    assert not Preference.objects.filter(user=user).exists()
    saved = NotificationSettings.objects.get(user=user)
    assert (saved.digest_hour, saved.email_all, saved.push_all) == (19, "", None)


def test_one_switch_turns_every_kind_off_but_the_exceptions(client):
    user = UserFactory()
    client.force_login(user)

    client.post(
        reverse("notifications:preferences"),
        form_data(
            email_all="off",
            push_all="off",
            **{"email-join.requested": "immediate", "push-card.mentioned": "on"},
        ),
    )

    assert sorted(Preference.objects.filter(user=user).values_list("kind", "email", "push")) == [
        (card_notices.MENTIONED.key, "", True),
        ("join.requested", "immediate", None),
    ]
    for kind in all_kinds():
        email, push = choices_for([user.pk], kind)[user.pk]
        assert email == ("immediate" if kind.key == "join.requested" else "off")
        assert push is (kind.key == card_notices.MENTIONED.key)


def test_the_digest_switch_gathers_every_kind_that_emails(client):
    user = UserFactory()
    client.force_login(user)

    client.post(reverse("notifications:preferences"), form_data(email_all="digest"))

    modes = {choices_for([user.pk], kind)[user.pk][0] for kind in all_kinds() if kind.emails}
    assert modes == {"digest"}
    invited = next(kind for kind in all_kinds() if not kind.emails)
    assert choices_for([user.pk], invited)[user.pk][0] == "off"


def test_without_choices_each_kind_keeps_its_default():
    user = UserFactory()
    for kind in all_kinds():
        email, push = choices_for([user.pk], kind)[user.pk]
        assert (email, push) == (
            (default_for(kind)[0] if kind.emails else "off"),
            default_for(kind)[1],
        )


def test_changing_the_digest_hour_moves_waiting_digests(client, coordinator, platform, member):
    platform_services.platform_transition(
        actor=coordinator, platform=platform, to_status=Status.ACTIVE
    )
    waiting = Delivery.objects.get(recipient=member, digest=True)
    client.force_login(member)
    client.post(reverse("notifications:preferences"), form_data(digest_hour="21"))

    waiting.refresh_from_db()
    assert waiting.next_attempt_at.astimezone(TOKYO).hour == 21


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"quiet_start_hour": "", "quiet_end_hour": "7"}, "開始と終了の両方を選んでください"),
        ({"quiet_start_hour": "7", "quiet_end_hour": "7"}, "違う時刻にしてください"),
        ({"email-join.requested": "sometimes"}, "正しく選択してください"),
        ({"email_all": "always"}, "正しく選択してください"),
        ({"push-card.mentioned": "yes"}, "正しく選択してください"),
        ({"digest_hour": "25"}, "正しく選択してください"),
    ],
)
def test_bad_choices_are_refused_with_a_message_and_save_nothing(client, changes, message):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("notifications:preferences"), form_data(**changes))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Preference.objects.filter(user=user).exists()
    assert not NotificationSettings.objects.filter(user=user).exists()


def test_anonymous_people_are_sent_to_log_in(client):
    device = PushSubscription.objects.create(
        user=UserFactory(), endpoint="https://push.example.net/send/9", p256dh=KEY, auth=AUTH
    )
    for url in (
        reverse("notifications:preferences"),
        reverse("notifications:push-subscription-add"),
        reverse("notifications:push-subscription-remove", args=[device.pk]),
    ):
        response = client.post(url, {})
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    assert PushSubscription.objects.filter(pk=device.pk).exists()


def subscribe(client, **body):
    payload = {"endpoint": "https://push.example.net/send/1", "keys": {"p256dh": KEY, "auth": AUTH}}
    payload.update(body)
    return client.post(
        reverse("notifications:push-subscription-add"),
        data=json.dumps(payload),
        content_type="application/json",
    )


@pytest.mark.parametrize(
    "body",
    [
        {"endpoint": "http://push.example.net/send/1"},
        {"endpoint": "file:///etc/passwd"},
        {"endpoint": "https://push.example.net/" + "x" * 1000},
        {"endpoint": None},
        {"keys": {"p256dh": "not-a-key", "auth": AUTH}},
        {"keys": {"p256dh": KEY, "auth": "short"}},
        {"keys": "nothing"},
    ],
)
def test_a_broken_subscription_gets_a_clear_answer(client, body):
    user = UserFactory()
    client.force_login(user)
    response = subscribe(client, **body)

    assert response.status_code == 400
    assert (
        "受け付けられませんでした" in response.json()["error"]
        or "読み取れません" in response.json()["error"]
    )
    assert not PushSubscription.objects.exists()


def test_a_body_that_is_not_json_gets_a_clear_answer(client):
    client.force_login(UserFactory())
    response = client.post(
        reverse("notifications:push-subscription-add"), data="{", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"] == "送られてきた内容を読み取れませんでした。"


def test_a_browser_shared_by_two_people_belongs_to_the_last_one(client, coordinator, platform):
    first, second = UserFactory(), UserFactory()
    client.force_login(first)
    subscribe(client)
    PushSubscription.objects.get(user=first)
    from notifications.services import notify

    notify(recipients=[first], kind=platform_notices.JOIN_APPROVED, platform=platform)
    client.force_login(second)
    assert subscribe(client).status_code == 201

    subscription = PushSubscription.objects.get()
    assert subscription.user == second
    # What was waiting for the first person does not go to the second.
    assert not Delivery.objects.filter(channel="push").exists()


def test_knowing_an_endpoint_is_not_enough_to_take_it_over(client, platform):
    """Someone who learned another person's endpoint, with keys of their own, is
    refused; the owner's device stays, with what was waiting for it."""
    owner, intruder = UserFactory(), UserFactory()
    client.force_login(owner)
    assert subscribe(client).status_code == 201
    device = PushSubscription.objects.get()
    from notifications.services import notify

    notify(recipients=[owner], kind=platform_notices.JOIN_APPROVED, platform=platform)
    waiting = list(Delivery.objects.filter(channel="push").values_list("pk", flat=True))
    assert len(waiting) == 1
    client.force_login(intruder)
    other_keys = {"p256dh": KEY[:-4] + "AAAA", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}

    response = subscribe(client, keys=other_keys)

    assert response.status_code == 400
    assert "受け付けられませんでした" in response.json()["error"]
    assert list(PushSubscription.objects.values_list("pk", "user")) == [(device.pk, owner.pk)]
    assert list(Delivery.objects.filter(channel="push").values_list("pk", flat=True)) == waiting


def test_people_list_and_remove_only_their_own_devices(client):
    owner, other = UserFactory(), UserFactory()
    client.force_login(owner)
    subscribe(client)
    device = PushSubscription.objects.get()
    client.force_login(other)

    refused = client.post(
        reverse("notifications:push-subscription-remove", args=[device.pk]), follow=True
    )
    page = client.get(reverse("notifications:preferences")).content.decode()

    assert "この端末は見つかりませんでした。" in refused.content.decode()
    assert PushSubscription.objects.filter(pk=device.pk).exists()
    assert 'data-testid="device"' not in page

    client.force_login(owner)
    assert (
        'data-testid="device"' in client.get(reverse("notifications:preferences")).content.decode()
    )
    client.post(reverse("notifications:push-subscription-remove", args=[device.pk]))
    assert not PushSubscription.objects.exists()


def test_the_service_worker_is_served_from_the_root(client):
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    body = response.content.decode()
    assert 'addEventListener("push"' in body
    assert "openWindow" in body


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_the_bell_socket_sends_the_count_and_refuses_strangers(settings):
    from asgiref.sync import sync_to_async
    from django.test import Client

    from notifications.services import notify
    from tests.factories import PlatformFactory

    user = await sync_to_async(UserFactory)()
    platform = await sync_to_async(PlatformFactory)()
    client = Client()
    await sync_to_async(client.force_login)(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    headers = [
        (b"origin", b"http://127.0.0.1"),
        (b"host", b"127.0.0.1"),
        (b"cookie", cookie.encode()),
    ]

    anonymous = WebsocketCommunicator(
        application,
        "/ws/notifications/",
        headers=[(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")],
    )
    connected, code = await anonymous.connect()
    assert (connected, code) == (False, 4401)

    socket = WebsocketCommunicator(application, "/ws/notifications/", headers=headers)
    assert (await socket.connect())[0]
    assert await socket.receive_json_from(timeout=5) == {"type": "unread", "count": 0}

    await socket.send_to(text_data="何か")  # ignored
    await sync_to_async(notify)(
        recipients=[user], kind=platform_notices.JOIN_APPROVED, platform=platform
    )
    assert await socket.receive_json_from(timeout=5) == {"type": "unread", "count": 1}
    await socket.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_one_persons_bell_never_rings_for_another(settings):
    """Each bell listens to its own person only: after a notification for one, the
    other's next frame is about their own notification, not an echo of the first."""
    from asgiref.sync import sync_to_async
    from django.test import Client

    from notifications.services import notify
    from tests.factories import PlatformFactory

    platform = await sync_to_async(PlatformFactory)()
    people = [await sync_to_async(UserFactory)() for _ in range(2)]
    sockets = []
    for person in people:
        client = Client()
        await sync_to_async(client.force_login)(person)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        socket = WebsocketCommunicator(
            application,
            "/ws/notifications/",
            headers=[
                (b"origin", b"http://127.0.0.1"),
                (b"host", b"127.0.0.1"),
                (b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()),
            ],
        )
        assert (await socket.connect())[0]
        assert await socket.receive_json_from(timeout=5) == {"type": "unread", "count": 0}
        sockets.append(socket)
    first, second = sockets

    await sync_to_async(notify)(
        recipients=[people[0]], kind=platform_notices.JOIN_APPROVED, platform=platform
    )
    ringing = await first.receive_json_from(timeout=5)
    second_frames = []
    for _ in range(2):
        await sync_to_async(notify)(
            recipients=[people[1]], kind=platform_notices.JOIN_APPROVED, platform=platform
        )
        second_frames.append(await second.receive_json_from(timeout=5))

    assert ringing == {"type": "unread", "count": 1}
    assert second_frames == [{"type": "unread", "count": 1}, {"type": "unread", "count": 2}]
    assert await first.receive_nothing(timeout=0.5)
    for socket in sockets:
        await socket.disconnect()
