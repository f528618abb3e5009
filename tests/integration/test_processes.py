"""Every process people start, started as they start it: a clean interpreter that has
imported nothing by accident (the schedule runner once died at every start with
`NotRegistered` while every in-process test passed)."""

import asyncio
import json
import subprocess
import sys
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
import websockets
from django.conf import settings
from django.utils import timezone

from notifications.models import Delivery, DeliveryStatus, Notification, Preference
from platforms import notices as platform_notices
from platforms import services as platform_services
from platforms.models import Role, Status
from tasks import services as task_services
from tests.factories import PlatformFactory, UserFactory, member_of
from tests.servers import (
    ROOT,
    celery_beat,
    celery_broker,
    celery_worker,
    child_pids,
    free_port,
    process_env,
    redis_server,
    session_cookie,
    smtp_server,
    stopped_at_exit,
    wait_until,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _lost_delivery_and_a_deadline():
    """An approval whose mail job was lost (the broker was down), and a platform whose
    deadline is 7 days away: the sweep and the reminders each have work."""
    platform = PlatformFactory(
        status=Status.RECRUITING, deadline=timezone.localdate() + timedelta(days=7)
    )
    coordinator, applicant = UserFactory(), UserFactory()
    member_of(platform, coordinator, Role.COORDINATOR)
    request = platform_services.join_request_create(
        actor=applicant, platform=platform, message="参加したいです"
    )
    with celery_broker(f"redis://127.0.0.1:{free_port()}/0"):  # nobody listens there
        platform_services.join_request_decide(actor=coordinator, join_request=request, approve=True)
    assert Delivery.objects.get(recipient=applicant).status == DeliveryStatus.PENDING
    return platform, coordinator, applicant


def test_run_schedules_once_runs_every_job_in_a_fresh_process():
    # given
    platform, coordinator, applicant = _lost_delivery_and_a_deadline()

    # when
    with smtp_server() as (port, sink):
        done = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, "manage.py", "run_schedules", "--once"],
            cwd=ROOT,
            env=process_env(HUB_TEST_SMTP_PORT=str(port)),
            capture_output=True,
            text=True,
            timeout=120,
        )

    # then
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "notifications-sweep: 1" in lines
    assert "notifications-digests: 0" in lines
    assert "notifications-reminders: 1" in lines
    # The applicant's lost approval, and the coordinator's deadline reminder.
    assert sorted(to for _s, tos in sink.envelopes for to in tos) == sorted(
        [coordinator.email, applicant.email]
    )
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert Notification.objects.filter(
        recipient=coordinator, kind=platform_notices.DEADLINE_NEAR.key, platform=platform
    ).exists()


def test_beat_sends_every_scheduled_job_to_a_worker_through_the_broker():
    """Beat's own schedule (each job every second here), a real broker and a worker:
    the sweep mails what was lost, the reminder is written, the digest goes out."""
    # given
    platform, coordinator, applicant = _lost_delivery_and_a_deadline()
    Preference.objects.create(
        user=coordinator, kind=platform_notices.DEADLINE_NEAR.key, email="digest", push=False
    )

    with (
        smtp_server() as (port, sink),
        redis_server() as broker,
        celery_worker(broker_url=broker, smtp_port=port),
        celery_beat(broker_url=broker) as beat,
    ):
        swept = wait_until(lambda: [applicant.email] in [t for _s, t in sink.envelopes])
        reminded = wait_until(
            lambda: Notification.objects.filter(
                recipient=coordinator, kind=platform_notices.DEADLINE_NEAR.key
            ).exists()
        )
        # The reminder waits for the coordinator's digest hour; moving that to now
        # lets the digest job show that beat sends it too.
        Delivery.objects.filter(recipient=coordinator, digest=True).update(
            next_attempt_at=timezone.now()
        )
        digested = wait_until(lambda: [coordinator.email] in [t for _s, t in sink.envelopes])
        assert beat.poll() is None, "beat stopped"

    assert (swept, reminded, digested) == (True, True, True)
    digest = Delivery.objects.get(recipient=coordinator, digest=True)
    assert digest.status == DeliveryStatus.SENT


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
            return response.status
    except OSError:
        return 0


def test_serve_answers_pages_and_board_sockets_and_stops_when_a_process_dies():
    """`make run` runs `manage.py serve`: uvicorn and the schedule runner. When the
    runner dies the whole thing stops with a message, instead of serving on while
    no reminder or retry is ever sent."""
    # given
    platform = PlatformFactory(status=Status.ACTIVE)
    coordinator = UserFactory()
    member_of(platform, coordinator, Role.COORDINATOR)
    board = task_services.board_create(
        actor=coordinator, platform=platform, name="ボード", template="blank"
    )
    cookie = session_cookie(coordinator)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    serve = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "serve", "--port", str(port)],
        cwd=ROOT,
        env=process_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

    async def snapshot():
        url = f"ws://127.0.0.1:{port}/ws/platforms/{platform.pk}/boards/{board.pk}/"
        async with websockets.connect(
            url,
            origin=base,
            additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"},
            open_timeout=10,
        ) as ws:
            async with asyncio.timeout(10):
                return json.loads(await ws.recv())

    with stopped_at_exit(serve):
        assert wait_until(lambda: _get(base + "/") == 200, timeout=60)
        frame = asyncio.run(snapshot())
        children = child_pids(serve.pid)
        runner = [pid for pid, command in children.items() if "run_schedules" in command]
        server = [pid for pid, command in children.items() if "uvicorn" in command]
        assert (len(runner), len(server)) == (1, 1)
        # Links in emails name the port this server answers on (PORT=8300 make run).
        environ = Path(f"/proc/{server[0]}/environ").read_bytes().split(b"\0")
        assert f"SITE_URL={base}".encode() in environ

        # when
        subprocess.run(["kill", "-9", str(runner[0])], check=True)  # noqa: S603, S607
        code = serve.wait(timeout=30)
        out, err = serve.communicate(timeout=10)

    # then
    assert (frame["type"], frame["board"]["id"]) == ("snapshot", board.pk)
    assert code == 1
    assert "run_schedules が終了しました" in err
    assert f"{base} で待ち受けています。" in out
    assert _get(base + "/") == 0, "the server kept answering"
    assert not Path(f"/proc/{server[0]}").exists(), "uvicorn outlived serve"
