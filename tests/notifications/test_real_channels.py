"""Email through Django's SMTP backend to a real SMTP server on loopback, and Web
Push to a local push service that checks the VAPID signature and decrypts the
message as a browser would."""

import base64
import json
import os
import time
from email import message_from_bytes, policy
from urllib.parse import urlsplit

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02

from notifications.models import Delivery, NotificationSettings, PushSubscription
from notifications.vapid import application_server_key
from platforms import notices as platform_notices
from platforms import services as platform_services
from tests.factories import UserFactory
from tests.servers import PushService, smtp_server, smtp_settings

pytestmark = pytest.mark.django_db


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def approve(coordinator, platform, applicant):
    request = platform_services.join_request_create(
        actor=applicant, platform=platform, message="参加したいです"
    )
    platform_services.join_request_decide(actor=coordinator, join_request=request, approve=True)


@pytest.mark.parametrize(
    ("language", "greeting", "subject"),
    [
        ("ja", "参加が承認されました", "[協働ハブ] 「"),
        ("en", "You were approved to join", "[協働ハブ] You were approved"),
    ],
)
def test_email_reaches_a_real_smtp_server_in_the_recipients_language(
    settings, coordinator, platform, django_capture_on_commit_callbacks, language, greeting, subject
):
    applicant = UserFactory(display_name="山田")
    NotificationSettings.objects.create(user=applicant, language=language)
    with smtp_server() as (port, sink):
        smtp_settings(settings, port)
        with django_capture_on_commit_callbacks(execute=True):
            approve(coordinator, platform, applicant)

    received = [
        message_from_bytes(raw, policy=policy.default)
        for raw, (_sender, to) in zip(sink.messages, sink.envelopes, strict=True)
        if to == [applicant.email]
    ]
    assert len(received) == 1
    message = received[0]
    assert message["To"] == applicant.email
    assert "noreply@hub.example.jp" in message["From"]
    # Django folds a long encoded subject onto the next line; readers drop the fold.
    assert message["Subject"].strip().startswith(subject)
    assert platform.name in message["Subject"]
    assert message["Auto-Submitted"] == "auto-generated"
    assert "/notifications/preferences/" in message["List-Unsubscribe"]
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert greeting in text
    assert ("このメールは協働ハブから自動で送っています。" in text) == (language == "ja")
    assert f"{settings.SITE_URL}{platform.get_absolute_url()}" in text
    assert f"{settings.SITE_URL}/notifications/preferences/" in text
    assert f'href="{settings.SITE_URL}/notifications/preferences/"' in html
    assert Delivery.objects.get(recipient=applicant).status == "sent"


def browser_keys():
    """What a browser's PushManager makes: a P-256 key pair and a 16-byte secret."""
    private = ec.generate_private_key(ec.SECP256R1())
    public = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return private, b64url(public), os.urandom(16)


def test_a_push_arrives_encrypted_and_signed_and_a_410_forgets_the_device(
    settings, client, coordinator, platform, django_capture_on_commit_callbacks
):
    settings.WEBPUSH_INSECURE_HOSTS = ["127.0.0.1"]
    applicant = UserFactory()
    private, public, secret = browser_keys()
    with PushService() as push:
        client.force_login(applicant)
        response = client.post(
            "/notifications/push/subscriptions/",
            data=json.dumps(
                {
                    "endpoint": f"{push.url}/send/abc",
                    "keys": {"p256dh": public, "auth": b64url(secret)},
                }
            ),
            content_type="application/json",
            headers={"User-Agent": "Mozilla/5.0 (Linux; Android 14) Chrome/131.0 Mobile"},
        )
        assert response.status_code == 201
        assert PushSubscription.objects.get(user=applicant).label == "Chrome / Android"
        NotificationSettings.objects.create(
            user=applicant, quiet_start_hour=None, quiet_end_hour=None
        )
        with django_capture_on_commit_callbacks(execute=True):
            approve(coordinator, platform, applicant)

        assert len(push.received) == 1
        request = push.received[0]
        headers = {k.lower(): v for k, v in request["headers"].items()}
        plain = http_ece.decrypt(
            request["body"], private_key=private, auth_secret=secret, version="aes128gcm"
        )
        payload = json.loads(plain)

        assert request["path"] == "/send/abc"
        assert headers["content-encoding"] == "aes128gcm"
        assert int(headers["ttl"]) == settings.WEBPUSH_TTL_SECONDS > 0
        assert payload["body"] == f"「{platform.name}」への参加が承認されました。"
        assert payload["url"] == platform.get_absolute_url()
        # VAPID (RFC 8292): signed by our key, for this push service, with a contact.
        authorization = headers["authorization"]
        assert Vapid02.verify(authorization)
        assert f"k={application_server_key()}" in authorization
        token = authorization.split("t=")[1].split(",")[0]
        claims = json.loads(unb64url(token.split(".")[1]))
        assert claims["aud"] == f"{urlsplit(push.url).scheme}://{urlsplit(push.url).netloc}"
        assert claims["sub"] == settings.WEBPUSH_VAPID_SUBJECT
        assert claims["exp"] > time.time()
        assert Delivery.objects.get(recipient=applicant, channel="push").status == "sent"

        push.status = 410
        with django_capture_on_commit_callbacks(execute=True):
            platform_services.platform_transition(
                actor=coordinator, platform=platform, to_status="active"
            )
        assert len(push.received) == 1  # status changes do not push by default

        from notifications.services import notify

        with django_capture_on_commit_callbacks(execute=True):
            notify(recipients=[applicant], kind=platform_notices.JOIN_APPROVED, platform=platform)

    assert len(push.received) == 2
    assert not PushSubscription.objects.filter(user=applicant).exists()


@pytest.mark.parametrize(
    ("status", "kept", "outcome"),
    [(500, True, "pending"), (429, True, "pending"), (400, True, "failed"), (404, False, None)],
)
def test_push_failures_retry_fail_or_forget_the_device(
    settings, platform, django_capture_on_commit_callbacks, status, kept, outcome
):
    from notifications.services import notify

    settings.WEBPUSH_INSECURE_HOSTS = ["127.0.0.1"]
    person = UserFactory()
    NotificationSettings.objects.create(user=person, quiet_start_hour=None, quiet_end_hour=None)
    _private, public, secret = browser_keys()
    with PushService() as push:
        push.status = status
        PushSubscription.objects.create(
            user=person, endpoint=f"{push.url}/send/1", p256dh=public, auth=b64url(secret)
        )
        with django_capture_on_commit_callbacks(execute=True):
            notify(recipients=[person], kind=platform_notices.JOIN_APPROVED, platform=platform)

    assert len(push.received) == 1
    assert PushSubscription.objects.filter(user=person).exists() == kept
    delivery = Delivery.objects.filter(recipient=person, channel="push").first()
    assert (delivery.status if delivery else None) == outcome
    if outcome == "pending":
        assert delivery.attempts == 1
        assert delivery.next_attempt_at > delivery.created_at
