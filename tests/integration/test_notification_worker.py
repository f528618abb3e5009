"""Notifications through the real parts: a Celery worker process taking jobs from a
real Redis broker and mailing a real SMTP server; and an outage of that broker, during
which people's actions succeed and after which every notification arrives once."""

import threading
from email import message_from_bytes
from email.policy import default

import pytest
from django.test import Client
from django.urls import reverse

from notifications import jobs
from notifications.models import Delivery, DeliveryStatus
from platforms import notices as platform_notices
from platforms.models import JoinRequest, Role, Status
from tests.factories import PlatformFactory, UserFactory, member_of
from tests.servers import (
    celery_broker,
    celery_worker,
    free_port,
    redis_server,
    smtp_server,
    wait_until,
)

pytestmark = pytest.mark.django_db(transaction=True)


def recipients(sink) -> list[str]:
    return sorted(to for _sender, tos in sink.envelopes for to in tos)


def test_a_worker_process_delivers_through_the_broker_to_the_smtp_server():
    platform = PlatformFactory(status=Status.RECRUITING)
    coordinator, applicant = UserFactory(), UserFactory()
    member_of(platform, coordinator, Role.COORDINATOR)
    request = JoinRequest.objects.create(platform=platform, user=applicant, message="よろしく")
    client = Client()
    client.force_login(coordinator)

    with (
        smtp_server() as (port, sink),
        redis_server() as broker,
        celery_worker(broker_url=broker, smtp_port=port),
        celery_broker(broker),
    ):
        response = client.post(
            reverse("platforms:join-request-decide", args=[platform.pk, request.pk]),
            {"decision": "approve"},
        )
        assert response.status_code == 302
        arrived = wait_until(lambda: applicant.email in recipients(sink))

    assert arrived
    assert recipients(sink) == [applicant.email]
    delivery = Delivery.objects.get(recipient=applicant)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 1)


def worker_idle(broker: str) -> bool:
    """No job waits in the broker's queue and the worker holds none."""
    import redis

    from config.celery import app

    if redis.Redis.from_url(broker).llen("celery"):
        return False
    inspect = app.control.inspect(timeout=1)
    held = [inspect.active() or {}, inspect.reserved() or {}]
    return bool(held[0]) and not any(jobs for replies in held for jobs in replies.values())


def _post_in_time(client, url, data, seconds=20):
    """The request in a thread: one that hangs fails the test instead of the run."""
    result = {}
    worker = threading.Thread(target=lambda: result.update(response=client.post(url, data)))
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "the request hung while the broker was down"
    return result["response"]


def test_with_the_broker_down_actions_succeed_and_later_arrive_exactly_once():
    platform = PlatformFactory(status=Status.RECRUITING)
    coordinator = UserFactory()
    member_of(platform, coordinator, Role.COORDINATOR)
    applicants = [UserFactory() for _ in range(5)]
    requests = [
        JoinRequest.objects.create(platform=platform, user=a, message="よろしく")
        for a in applicants
    ]
    client = Client()
    client.force_login(coordinator)
    broker_port = free_port()
    broker = f"redis://127.0.0.1:{broker_port}/0"

    with smtp_server() as (port, sink):
        with celery_broker(broker):  # nothing listens there: the broker is down
            for request in requests:
                response = _post_in_time(
                    client,
                    reverse("platforms:join-request-decide", args=[platform.pk, request.pk]),
                    {"decision": "approve"},
                )
                assert response.status_code == 302
            # An invitation to someone without an account goes through the same outbox.
            response = _post_in_time(
                client,
                reverse("platforms:invitation-list", args=[platform.pk]),
                {"email": "newcomer@example.jp", "role": Role.MEMBER, "message": ""},
            )
            assert response.status_code == 302
        waiting = Delivery.objects.filter(notification__kind=platform_notices.JOIN_APPROVED.key)
        invitation = Delivery.objects.get(message="platforms.invitation")
        assert waiting.count() == 5
        assert set(waiting.values_list("status", flat=True)) == {DeliveryStatus.PENDING}
        assert (invitation.address, invitation.status) == ("newcomer@example.jp", "pending")
        assert sink.envelopes == []

        with (
            redis_server(broker_port),  # the broker is back
            celery_worker(broker_url=broker, smtp_port=port),
            celery_broker(broker),
        ):
            jobs.deliveries_sweep.delay()
            delivered = wait_until(lambda: len(sink.envelopes) >= 6)
            # The sweep again, and a job for the same deliveries run twice: nothing more.
            jobs.deliveries_sweep.delay()
            jobs.deliveries_send.delay(list(waiting.values_list("pk", flat=True)))
            settled = wait_until(
                lambda: not Delivery.objects.exclude(status=DeliveryStatus.SENT).exists()
            )
            # Both jobs have run (nothing queued, reserved or running) before counting:
            # a duplicate would be in the sink by then.
            idle = wait_until(lambda: worker_idle(broker))

    assert (delivered, settled, idle) == (True, True, True)
    assert recipients(sink) == sorted([*(a.email for a in applicants), "newcomer@example.jp"])
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 6
    [invitation_mail] = [
        message_from_bytes(m, policy=default) for m in sink.messages if b"newcomer@example.jp" in m
    ]
    assert invitation_mail["subject"].strip() == f"[協働ハブ] 「{platform.name}」への招待"
    assert "/invitations/" in invitation_mail.get_content()
