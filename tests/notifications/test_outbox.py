"""The outbox: notifications and deliveries written with the change, sent after
commit, at most once, retried with backoff, swept when their job was lost."""

import smtplib
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications import jobs, sending
from notifications.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationSettings,
    Preference,
    PushSubscription,
)
from notifications.preferences import TOKYO, quiet_until
from notifications.services import notify
from platforms import notices as platform_notices
from platforms import services as platform_services
from platforms.models import Role, Status
from tests.factories import PlatformFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


def approve(coordinator, platform, applicant):
    request = platform_services.join_request_create(
        actor=applicant, platform=platform, message="参加したいです"
    )
    return platform_services.join_request_decide(
        actor=coordinator, join_request=request, approve=True
    )


def test_deliveries_are_written_with_the_change_and_sent_after_commit(
    coordinator, platform, django_capture_on_commit_callbacks
):
    applicant = UserFactory(display_name="申請者")
    request = platform_services.join_request_create(
        actor=applicant, platform=platform, message="参加したいです"
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        platform_services.join_request_decide(actor=coordinator, join_request=request, approve=True)
    delivery = Delivery.objects.get(recipient=applicant)

    assert delivery.notification.kind == platform_notices.JOIN_APPROVED.key
    assert (delivery.channel, delivery.status, delivery.digest) == ("email", "pending", False)
    assert mail.outbox == [m for m in mail.outbox if applicant.email not in m.to]

    for callback in callbacks:
        callback()
    delivery.refresh_from_db()

    assert delivery.status == DeliveryStatus.SENT
    assert [m.to for m in mail.outbox if m.to == [applicant.email]] == [[applicant.email]]


def test_a_change_that_fails_leaves_no_notification_and_no_delivery(coordinator, platform):
    member = UserFactory()
    member_of(platform, member)
    with pytest.raises(ValidationError), transaction.atomic():
        platform_services.platform_transition(
            actor=coordinator, platform=platform, to_status=Status.ACTIVE
        )
        raise ValidationError("後続の処理が失敗した")

    assert Notification.objects.count() == 0
    assert Delivery.objects.count() == 0


def test_writing_costs_the_same_queries_for_five_or_fifty_members():
    def queries_for(size):
        platform = PlatformFactory(status=Status.RECRUITING)
        coordinator = UserFactory()
        member_of(platform, coordinator, Role.COORDINATOR)
        people = [UserFactory() for _ in range(size)]
        for person in people:
            member_of(platform, person)
        for person in people[::3]:
            PushSubscription.objects.create(
                user=person, endpoint=f"https://push.example/{person.pk}", p256dh="k", auth="a"
            )
        for person in people[::4]:
            Preference.objects.create(
                user=person, kind=platform_notices.STATUS_CHANGED.key, email="immediate", push=True
            )
        with CaptureQueriesContext(connection) as queries:
            notify(
                recipients=people,
                kind=platform_notices.STATUS_CHANGED,
                platform=platform,
                actor=coordinator,
                data={"to": Status.ACTIVE},
            )
        return len(queries), Delivery.objects.filter(notification__platform=platform).count()

    small, small_rows = queries_for(5)
    large, large_rows = queries_for(50)

    assert small == large
    assert large_rows > small_rows >= 5


def test_a_delivery_is_sent_once_when_its_job_runs_twice(coordinator, platform):
    applicant = UserFactory()
    approve(coordinator, platform, applicant)
    delivery = Delivery.objects.get(recipient=applicant)
    mail.outbox.clear()

    first = jobs.deliveries_send([delivery.pk])
    second = jobs.deliveries_send([delivery.pk])

    assert (first, second) == (1, 0)
    assert len(mail.outbox) == 1


def test_a_claimed_delivery_cannot_be_claimed_again(coordinator, platform):
    applicant = UserFactory()
    approve(coordinator, platform, applicant)
    now = timezone.now()
    rows = Delivery.objects.filter(recipient=applicant)

    assert len(sending.claim(rows, now=now)) == 1
    assert sending.claim(rows, now=now) == []


class Broken:
    """An email backend whose server fails in a chosen way."""

    error = smtplib.SMTPServerDisconnected("接続が切れた")

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        raise Broken.error


@pytest.fixture
def broken_mail(settings):
    settings.EMAIL_BACKEND = f"{__name__}.Broken"
    yield Broken
    Broken.error = smtplib.SMTPServerDisconnected("接続が切れた")


def test_a_failure_retries_with_growing_backoff_then_fails_for_good(
    coordinator, platform, broken_mail, admin_client
):
    applicant = UserFactory()
    approve(coordinator, platform, applicant)
    delivery = Delivery.objects.get(recipient=applicant)
    waits = []
    for _attempt in range(sending.MAX_ATTEMPTS):
        before = timezone.now()
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=before)
        jobs.deliveries_send([delivery.pk])
        delivery.refresh_from_db()
        waits.append(round((delivery.next_attempt_at - before).total_seconds() / 60))

    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == sending.MAX_ATTEMPTS
    assert "接続が切れた" in delivery.last_error
    assert waits[:7] == [1, 2, 4, 8, 16, 32, 60]
    page = admin_client.get(
        reverse("admin:notifications_delivery_changelist"), {"status__exact": "failed"}
    )
    assert page.status_code == 200
    assert str(applicant) in page.content.decode()
    assert "接続が切れた" in page.content.decode()


def test_a_refused_recipient_fails_at_once(
    coordinator, platform, broken_mail, django_capture_on_commit_callbacks
):
    broken_mail.error = smtplib.SMTPRecipientsRefused({"x@example.jp": (550, b"no such user")})
    applicant = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        approve(coordinator, platform, applicant)
    delivery = Delivery.objects.get(recipient=applicant)

    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 1


def test_the_sweep_sends_what_was_never_picked_up_and_frees_dead_claims(
    coordinator, platform, django_capture_on_commit_callbacks
):
    applicant, other = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=False):
        approve(coordinator, platform, applicant)
        approve(coordinator, platform, other)
    lost = Delivery.objects.get(recipient=applicant)
    dead = Delivery.objects.get(recipient=other)
    stale = timezone.now() - sending.STALE_CLAIM - timedelta(minutes=1)
    Delivery.objects.filter(pk=dead.pk).update(
        status=DeliveryStatus.SENDING, claim_token="dead", claimed_at=stale
    )
    mail.outbox.clear()

    swept = jobs.sweep(now=timezone.now())
    again = jobs.sweep(now=timezone.now())

    # Two approvals, and the two join requests the coordinator was told of.
    assert swept == 4
    assert again == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [applicant.email, other.email, coordinator.email, coordinator.email]
    )
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    assert {lost.pk, dead.pk} <= set(Delivery.objects.values_list("pk", flat=True))


def test_the_sweep_leaves_a_delivery_younger_than_the_grace_to_its_own_job(
    coordinator, platform, settings, time_machine, django_capture_on_commit_callbacks
):
    """With the production grace (60 s), a delivery whose job is merely on its way is
    not sent a second time by the sweep; once older than the grace, it is swept."""
    settings.NOTIFICATIONS_SWEEP_GRACE_SECONDS = 60
    start = datetime(2026, 11, 20, 10, 0, tzinfo=TOKYO)
    time_machine.move_to(start, tick=False)
    applicant = UserFactory()
    with django_capture_on_commit_callbacks(execute=False):
        approve(coordinator, platform, applicant)
    mail.outbox.clear()

    young = jobs.sweep(now=start + timedelta(seconds=59))
    time_machine.move_to(start + timedelta(seconds=61), tick=False)
    old = jobs.sweep(now=start + timedelta(seconds=61))

    # The approval, and the join request the coordinator was told of.
    assert (young, old) == (0, 2)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([applicant.email, coordinator.email])


def test_a_recent_claim_is_left_to_its_worker(coordinator, platform):
    applicant = UserFactory()
    with transaction.atomic():
        approve(coordinator, platform, applicant)
        Delivery.objects.filter(recipient=applicant).update(
            status=DeliveryStatus.SENDING, claim_token="busy", claimed_at=timezone.now()
        )

    mail.outbox.clear()
    jobs.sweep(now=timezone.now())

    assert Delivery.objects.get(recipient=applicant).status == DeliveryStatus.SENDING
    assert [m for m in mail.outbox if m.to == [applicant.email]] == []


def test_email_off_writes_no_email_delivery_and_push_needs_a_device(coordinator, platform):
    quiet, pushed = UserFactory(), UserFactory()
    Preference.objects.create(
        user=quiet, kind=platform_notices.JOIN_APPROVED.key, email="off", push=False
    )
    PushSubscription.objects.create(
        user=pushed, endpoint="https://push.example/1", p256dh="k", auth="a"
    )
    approve(coordinator, platform, quiet)
    approve(coordinator, platform, pushed)

    assert Notification.objects.filter(recipient=quiet).count() == 1
    assert not Delivery.objects.filter(recipient=quiet).exists()
    assert sorted(Delivery.objects.filter(recipient=pushed).values_list("channel", flat=True)) == [
        Channel.EMAIL,
        Channel.PUSH,
    ]


def test_an_invitation_is_emailed_once_not_twice(coordinator, platform):
    invited = UserFactory()
    platform_services.invitation_create(actor=coordinator, platform=platform, email=invited.email)

    assert (
        Notification.objects.filter(recipient=invited, kind=platform_notices.INVITED.key).count()
        == 1
    )
    assert not Delivery.objects.filter(recipient=invited, channel=Channel.EMAIL).exists()


def test_push_waits_for_the_end_of_quiet_hours(coordinator, platform, time_machine):
    """The push is created and claimed at the same late hour: the clock is moved
    there, never mixed with the real one."""
    late = datetime(2026, 11, 27, 23, 30, tzinfo=TOKYO)
    time_machine.move_to(late, tick=False)
    applicant = UserFactory()
    NotificationSettings.objects.create(user=applicant, quiet_start_hour=22, quiet_end_hour=7)
    PushSubscription.objects.create(
        user=applicant, endpoint="http://127.0.0.1:9/push", p256dh="k", auth="a"
    )
    settings_row = NotificationSettings.objects.get(user=applicant)
    assert quiet_until(settings_row, late) == datetime(2026, 11, 28, 7, 0, tzinfo=TOKYO)
    assert quiet_until(settings_row, datetime(2026, 11, 28, 6, 59, tzinfo=TOKYO)).hour == 7
    assert quiet_until(settings_row, datetime(2026, 11, 28, 7, 0, tzinfo=TOKYO)) is None
    approve(coordinator, platform, applicant)
    push = Delivery.objects.get(recipient=applicant, channel="push")

    claimed = sending.claim(Delivery.objects.filter(pk=push.pk), now=late)
    sending.send_claimed(claimed, now=late)
    push.refresh_from_db()

    assert push.status == DeliveryStatus.PENDING
    assert push.attempts == 0
    assert push.next_attempt_at == datetime(2026, 11, 28, 7, 0, tzinfo=TOKYO)


def test_a_deactivated_account_is_not_mailed(
    coordinator, platform, django_capture_on_commit_callbacks
):
    applicant = UserFactory()
    with django_capture_on_commit_callbacks(execute=False):
        approve(coordinator, platform, applicant)
    applicant.is_active = False
    applicant.save(update_fields=["is_active"])
    mail.outbox.clear()

    jobs.sweep(now=timezone.now())

    assert [m for m in mail.outbox if m.to == [applicant.email]] == []
    assert Delivery.objects.get(recipient=applicant).status == DeliveryStatus.FAILED


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_at_once_never_share_a_delivery():
    """On PostgreSQL the claim's UPDATE takes each row's lock: the second worker waits,
    re-reads the row, finds it no longer pending and skips it."""
    import threading

    from django.db import connections

    platform = PlatformFactory(status=Status.RECRUITING)
    people = [UserFactory() for _ in range(30)]
    notify(recipients=people, kind=platform_notices.JOIN_APPROVED, platform=platform)
    Delivery.objects.update(status=DeliveryStatus.PENDING, claim_token="")  # sent eagerly
    ids = list(Delivery.objects.values_list("pk", flat=True))
    start = threading.Barrier(2)
    taken: list[list[int]] = []

    def worker():
        try:
            start.wait()
            rows = sending.claim(Delivery.objects.filter(pk__in=ids), now=timezone.now())
            taken.append([d.pk for d in rows])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert len(taken) == 2
    assert not set(taken[0]) & set(taken[1])
    assert sorted(taken[0] + taken[1]) == sorted(ids)


def _many_pending(coordinator, platform, count):
    people = [UserFactory() for _ in range(count)]
    for person in people:
        member_of(platform, person)
    with transaction.atomic():
        notify(recipients=people, kind=platform_notices.JOIN_APPROVED, platform=platform)
    mail.outbox.clear()
    Delivery.objects.update(status=DeliveryStatus.PENDING, claim_token="")
    return people, sorted(Delivery.objects.values_list("pk", flat=True))


def test_a_job_of_several_chunks_under_its_broker_id_sends_each_once(coordinator, platform):
    """A worker runs the job under its Celery id, the claim token of every chunk."""
    people, ids = _many_pending(coordinator, platform, 2 * sending.CLAIM_CHUNK + 5)

    result = jobs.deliveries_send.apply(args=[ids], task_id="0b5e3c1a-job-of-chunks")

    assert result.get() == len(ids)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_a_job_delivered_again_takes_back_what_its_dead_run_held(coordinator, platform):
    people, ids = _many_pending(coordinator, platform, 3)
    # Its first run claimed the first two and died before sending them.
    Delivery.objects.filter(pk__in=ids[:2]).update(
        status=DeliveryStatus.SENDING, claim_token="0b5e3c1arun", claimed_by="w@h"
    )
    # Another job's claim stands.
    Delivery.objects.filter(pk=ids[2]).update(
        status=DeliveryStatus.SENDING, claim_token="otherjob", claimed_by="w@h"
    )

    jobs.deliveries_send.apply(args=[ids], task_id="0b5e3c1a-run")

    assert sorted(Delivery.objects.values_list("status", flat=True)) == ["sending", "sent", "sent"]
    assert len(mail.outbox) == 2


def test_a_worker_starting_again_gives_back_what_its_previous_run_held(coordinator, platform):
    from types import SimpleNamespace

    people, ids = _many_pending(coordinator, platform, 3)
    Delivery.objects.filter(pk__in=ids[:2]).update(
        status=DeliveryStatus.SENDING, claim_token="dead", claimed_by="worker-1@host"
    )
    Delivery.objects.filter(pk=ids[2]).update(
        status=DeliveryStatus.SENDING, claim_token="alive", claimed_by="worker-2@host"
    )

    released = jobs.release_claims_of_a_dead_run(sender=SimpleNamespace(hostname="worker-1@host"))

    assert released == 2
    statuses = dict(Delivery.objects.values_list("pk", "status"))
    assert [statuses[pk] for pk in ids] == ["sent", "sent", "sending"]


def test_a_message_sent_again_carries_its_first_message_id(coordinator, platform):
    people, ids = _many_pending(coordinator, platform, 1)
    jobs.deliveries_send(ids)
    Delivery.objects.update(status=DeliveryStatus.PENDING, claim_token="")
    jobs.deliveries_send(ids)

    first, second = mail.outbox
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"]
    assert first.extra_headers["Message-ID"].startswith(f"<hub.delivery.{ids[0]}@")


def test_one_rendering_serves_many_and_each_is_addressed_by_name(coordinator, platform):
    people, ids = _many_pending(coordinator, platform, 3)
    people[1].display_name = "<山田> & 子"
    people[1].save()

    jobs.deliveries_send(ids)

    by_address = {m.to[0]: m for m in mail.outbox}
    for person in people:
        message = by_address[person.email]
        html = message.alternatives[0][0]
        assert message.body.startswith(f"{person.name} さん")
        assert "\ue000" not in message.body + html
    assert "&lt;山田&gt; &amp; 子 さん" in by_address[people[1].email].alternatives[0][0]
