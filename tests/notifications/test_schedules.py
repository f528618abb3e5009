"""The periodic jobs: beat's schedule names real jobs, and the embedded runner
(`manage.py run_schedules`, started by `make run`) runs them."""

import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from config.celery import app
from notifications.models import Delivery, DeliveryStatus, Notification
from platforms import notices as platform_notices
from platforms import services as platform_services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_beat_schedule_runs_the_sweep_the_digest_and_the_reminders():
    """Names only: tests/integration/test_processes.py runs beat and a worker."""
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    app.loader.import_default_modules()  # what a worker does at start

    assert tasks == {
        "notifications.jobs.deliveries_sweep",
        "notifications.jobs.digests_send",
        "notifications.jobs.reminders_send",
    }
    assert tasks <= set(app.tasks)


def test_the_embedded_runner_sends_what_was_lost_and_the_reminders_due(
    coordinator, platform, django_capture_on_commit_callbacks
):
    applicant = UserFactory()
    request = platform_services.join_request_create(
        actor=applicant, platform=platform, message="参加したいです"
    )
    with django_capture_on_commit_callbacks(execute=False):  # the job is lost
        platform_services.join_request_decide(actor=coordinator, join_request=request, approve=True)
    platform.deadline = timezone.localdate() + timedelta(days=7)
    platform.save(update_fields=["deadline"])
    mail.outbox.clear()
    out = io.StringIO()

    call_command("run_schedules", "--once", stdout=out)

    assert Delivery.objects.get(recipient=applicant).status == DeliveryStatus.SENT
    assert [m.to for m in mail.outbox if m.to == [applicant.email]] == [[applicant.email]]
    assert Notification.objects.filter(
        recipient=coordinator, kind=platform_notices.DEADLINE_NEAR.key
    ).exists()
    assert "notifications-reminders: 1" in out.getvalue()


def test_celery_is_set_for_at_least_once_delivery():
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    # Redis hands an unacknowledged job to another worker after the visibility
    # timeout: no job may run that long.
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert visibility > settings.CELERY_TASK_TIME_LIMIT
    from notifications.sending import STALE_CLAIM

    # A claim is only taken back once its job can no longer be running.
    assert STALE_CLAIM.total_seconds() > settings.CELERY_TASK_TIME_LIMIT
