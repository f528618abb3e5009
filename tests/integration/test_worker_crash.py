"""A worker killed with SIGKILL in the middle of a fan-out (a real worker, the real
broker, the database, a mail server that takes 30 ms a message): nothing is lost,
at most one claimed chunk is sent twice, each repeat with its first Message-ID, and
what the dead worker held goes out within a minute of a worker starting again under
its name, with beat running the sweep as in production. The figures are printed
(`-s`) for the notes."""

import os
import signal
import time
from collections import Counter
from email import message_from_bytes
from email.policy import default

import pytest

from notifications.models import Delivery, DeliveryStatus, Preference
from notifications.sending import CLAIM_CHUNK
from platforms import notices as platform_notices
from platforms.models import Role, Status
from platforms.services import platform_transition
from tests.factories import PlatformFactory, UserFactory, member_of
from tests.servers import (
    celery_beat,
    celery_broker,
    celery_worker,
    free_port,
    redis_server,
    smtp_server,
    wait_until,
)

pytestmark = pytest.mark.django_db(transaction=True)

MEMBERS = 200


def _fan_out_world():
    platform = PlatformFactory(status=Status.RECRUITING)
    coordinator = UserFactory()
    member_of(platform, coordinator, Role.COORDINATOR)
    people = [UserFactory() for _ in range(MEMBERS)]
    for person in people:
        member_of(platform, person)
        Preference.objects.create(
            user=person, kind=platform_notices.STATUS_CHANGED.key, email="immediate", push=False
        )
    return platform, coordinator, people


def _message_ids(sink) -> dict[str, set[str]]:
    ids: dict[str, set[str]] = {}
    for raw in sink.messages:
        message = message_from_bytes(raw, policy=default)
        ids.setdefault(str(message["to"]), set()).add(str(message["message-id"]))
    return ids


def test_a_worker_killed_mid_fan_out_loses_nothing_and_its_claims_go_out_on_restart():
    platform, coordinator, people = _fan_out_world()
    addresses = {p.email for p in people}
    node = f"crash-{free_port()}@127.0.0.1"
    # The sweep's grace shortened for the test (60 s in production): it only sends
    # what no job took within the grace.
    quick = {"NOTIFICATIONS_SWEEP_GRACE_SECONDS": "3"}

    def arrived() -> Counter:
        return Counter(to for _sender, tos in sink.envelopes for to in tos if to in addresses)

    with smtp_server(delay=0.03) as (port, sink), redis_server() as broker:
        with celery_worker(broker_url=broker, smtp_port=port, hostname=node, env=quick) as first:
            with celery_broker(broker):
                platform_transition(actor=coordinator, platform=platform, to_status=Status.ACTIVE)
            assert wait_until(lambda: len(arrived()) >= 2 * CLAIM_CHUNK + 5, timeout=60)
            os.kill(first.pid, signal.SIGKILL)
            first.wait(timeout=10)
        before_restart = len(arrived())
        held = Delivery.objects.filter(status=DeliveryStatus.SENDING).count()
        waiting = Delivery.objects.filter(status=DeliveryStatus.PENDING).count()

        with (
            celery_worker(broker_url=broker, smtp_port=port, hostname=node, env=quick),
            celery_beat(broker_url=broker, env=quick),
        ):
            restarted = time.monotonic()
            complete = wait_until(lambda: len(arrived()) == MEMBERS, timeout=90)
            after_restart = time.monotonic() - restarted
            settled = wait_until(
                lambda: not Delivery.objects.exclude(status=DeliveryStatus.SENT).exists(),
                timeout=30,
            )

    counts = arrived()
    lost = MEMBERS - len(counts)
    resent = sum(n - 1 for n in counts.values())
    print(
        f"\nworker killed after {before_restart} of {MEMBERS} emails; held {held} "
        f"(sending), {waiting} waiting; after the restart all arrived in "
        f"{after_restart:.1f} s; lost {lost}, sent twice {resent}"
    )
    assert (complete, settled) == (True, True)
    assert lost == 0
    assert 0 < held <= CLAIM_CHUNK
    assert resent <= CLAIM_CHUNK
    assert after_restart < 60
    message_ids = _message_ids(sink)
    twice = [to for to, n in counts.items() if n > 1]
    assert all(len(message_ids[to]) == 1 for to in twice)
