"""The real PostgreSQL and Redis that CI provides: row locks that keep two
coordinators from acting twice, and allauth's rate limits in the Redis cache."""

import os
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import override_settings
from django.urls import reverse

from platforms import services
from platforms.models import JoinRequest, Membership, PlatformEvent, Role, Status
from tests.factories import PlatformFactory, UserFactory, member_of
from tests.servers import REDIS_URL, redis_answers

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (set DATABASE_URL)"
)
needs_redis = pytest.mark.skipif(
    not redis_answers(), reason="no Redis at REDIS_URL or 127.0.0.1:6379"
)


def _race(*calls):
    """Runs the calls at the same moment in threads; returns their results or errors."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - the test inspects what each got
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_coordinators_deciding_one_request_at_once_admit_once():
    # given
    first, second = UserFactory(), UserFactory()
    platform = PlatformFactory(status=Status.RECRUITING)
    member_of(platform, first, Role.COORDINATOR)
    member_of(platform, second, Role.COORDINATOR)
    applicant = UserFactory()
    join_request = services.join_request_create(
        actor=applicant, platform=platform, message="参加したい"
    )

    # when
    results = _race(
        lambda: services.join_request_decide(actor=first, join_request=join_request, approve=True),
        lambda: services.join_request_decide(
            actor=second, join_request=join_request, approve=False
        ),
    )

    # then
    refusals = [r for r in results if isinstance(r, ValidationError)]
    assert len(refusals) == 1
    assert refusals[0].messages == ["この参加申請はすでに処理されています。"]
    decided = JoinRequest.objects.get(pk=join_request.pk)
    assert Membership.objects.filter(user=applicant).exists() == (
        decided.status == JoinRequest.Status.APPROVED
    )
    assert (
        platform.events.filter(
            kind__in=[PlatformEvent.Kind.JOIN_APPROVED, PlatformEvent.Kind.JOIN_DECLINED]
        ).count()
        == 1
    )


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_transitions_take_one_step():
    first, second = UserFactory(), UserFactory()
    platform = PlatformFactory(status=Status.RECRUITING)
    member_of(platform, first, Role.COORDINATOR)
    member_of(platform, second, Role.COORDINATOR)

    results = _race(
        lambda: services.platform_transition(
            actor=first, platform=platform, to_status=Status.ACTIVE
        ),
        lambda: services.platform_transition(
            actor=second, platform=platform, to_status=Status.ACTIVE
        ),
    )

    refusals = [r for r in results if isinstance(r, ValidationError)]
    assert [r.messages for r in refusals] == [["「活動中」から「活動中」には進めません。"]]
    platform.refresh_from_db()
    assert platform.status == Status.ACTIVE
    assert list(platform.events.values_list("data", flat=True)) == [
        {"from": Status.RECRUITING, "to": Status.ACTIVE}
    ]


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_last_two_coordinators_leaving_at_once_leave_one():
    first, second = UserFactory(), UserFactory()
    platform = PlatformFactory(status=Status.ACTIVE)
    member_of(platform, first, Role.COORDINATOR)
    member_of(platform, second, Role.COORDINATOR)

    results = _race(
        lambda: services.membership_leave(actor=first, platform=platform),
        lambda: services.membership_leave(actor=second, platform=platform),
    )

    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert platform.memberships.filter(role=Role.COORDINATOR).count() == 1


@needs_redis
@pytest.mark.django_db
def test_login_rate_limit_holds_in_the_redis_cache(client):
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-{os.getpid()}",
        }
    }
    with override_settings(CACHES=caches):
        from django.core.cache import cache

        client_of_redis = cache._cache.get_client()
        prefix = f"test-{os.getpid()}*"
        UserFactory(email="target@example.jp")
        login = reverse("account_login")
        for _ in range(5):
            client.post(login, {"login": "target@example.jp", "password": "wrong"})

        locked = client.post(login, {"login": "target@example.jp", "password": "pass-word-2026"})
        stored = list(client_of_redis.scan_iter(prefix))
        if stored:
            client_of_redis.delete(*stored)

    assert "ログイン失敗が連続しています。" in locked.content.decode()
    assert stored != []


@needs_postgres
@pytest.mark.django_db
def test_platform_search_has_a_trigram_index_that_sees_japanese():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'platforms_platform_search_trgm'"
        )
        (indexdef,) = cursor.fetchone()
        cursor.execute("SELECT show_trgm('ぼらんてぃあ')")
        (trigrams,) = cursor.fetchone()

    assert "gin_trgm_ops" in indexdef
    assert len(trigrams) > 0
