"""A coordinator's "needs attention" on マイページ: join requests, invitations left
unanswered for a week, overdue cards, open helper slots, deadlines near and past,
goals met but not closed; only for the live platforms they coordinate; archived ones
listed apart."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from platforms import services
from platforms.attention import needs_attention
from platforms.models import Invitation, Role, Status
from tasks.models import HelperClaim
from tests.factories import (
    CardFactory,
    ColumnFactory,
    PlatformFactory,
    UserFactory,
    goal_of,
    member_of,
)

pytestmark = pytest.mark.django_db


def coordinated(user, **fields):
    fields.setdefault("status", Status.ACTIVE)
    fields.setdefault("deadline", timezone.localdate() + timedelta(days=60))
    platform = PlatformFactory(**fields)
    member_of(platform, user, Role.COORDINATOR)
    return platform


def texts(user):
    return [(item.platform.name, item.text) for item in needs_attention(user)]


def test_every_kind_of_thing_waiting_is_listed_first_what_blocks_people(coordinator):
    today = timezone.localdate()
    busy = coordinated(coordinator, name="就労体験", deadline=today + timedelta(days=3))
    services.join_request_create(actor=UserFactory(), platform=busy, message="参加したい")
    with time_machine.travel(timezone.now() - timedelta(days=8)):
        services.invitation_create(actor=coordinator, platform=busy, email="late@example.jp")
    services.invitation_create(actor=coordinator, platform=busy, email="new@example.jp")
    column = ColumnFactory(board__platform=busy)
    CardFactory(column=column, due_date=today - timedelta(days=1))
    CardFactory(column=column, due_date=today - timedelta(days=2), archived=True)  # not counted
    helped = CardFactory(column=column, helpers_needed=3)
    HelperClaim.objects.create(card=helped, user=UserFactory())
    late = coordinated(coordinator, name="期限切れ", deadline=today - timedelta(days=1))
    met = coordinated(coordinator, name="達成済み")
    goal_of(met, target=5, current=5)
    closing = coordinated(coordinator, name="閉じる前", status=Status.GOAL_MET)

    found = texts(coordinator)

    assert found == [
        ("就労体験", "判断を待っている参加申請が1件あります。"),
        (
            "期限切れ",
            f"期限（{late.deadline.year}年{late.deadline.month}月{late.deadline.day}日）を過ぎています。期限を延ばすか、閉じる準備をしてください。",
        ),
        ("就労体験", "期日を過ぎたカードが1枚あります。"),
        ("就労体験", "7日以上返事のない招待が1件あります。"),
        (
            "就労体験",
            f"期限（{busy.deadline.year}年{busy.deadline.month}月{busy.deadline.day}日）まで7日以内です。",
        ),
        ("達成済み", "すべての目標に届いています。「目標達成」にして、閉じる準備をしましょう。"),
        ("閉じる前", "目標を達成しました。評価を書いて、閉じましょう。"),
        ("就労体験", "手伝いの枠があと2人分空いています。"),
    ]
    assert closing.pk and met.pk


def test_only_platforms_i_coordinate_and_that_are_live(coordinator):
    as_member = PlatformFactory(status=Status.ACTIVE)
    member_of(as_member, coordinator, Role.MEMBER)
    services.join_request_create(actor=UserFactory(), platform=as_member, message="参加したい")
    archived = coordinated(
        coordinator, status=Status.ARCHIVED, deadline=timezone.localdate() - timedelta(days=9)
    )
    CardFactory(
        column=ColumnFactory(board__platform=archived),
        due_date=timezone.localdate() - timedelta(days=1),
    )

    assert texts(coordinator) == []


def test_the_dashboard_shows_it_and_keeps_ended_platforms_apart(client, coordinator):
    live = coordinated(coordinator, name="動いている")
    services.join_request_create(actor=UserFactory(), platform=live, message="参加したい")
    coordinated(coordinator, name="終わった", status=Status.ARCHIVED)
    client.force_login(coordinator)

    response = client.get(reverse("platforms:dashboard"))
    html = response.content.decode()

    assert [p.name for p in response.context["live_platforms"]] == ["動いている"]
    assert [p.name for p in response.context["ended_platforms"]] == ["終わった"]
    assert 'data-testid="attention"' in html
    assert (
        f'href="{reverse("platforms:join-request-list", args=[live.pk])}">判断を待っている参加申請が1件あります。'
        in html
    )
    assert (
        html.index("動いている")
        < html.index("終わったプラットフォーム")
        < html.index('data-testid="ended-row"')
    )


@pytest.mark.parametrize("size", [2, 12])
def test_the_attention_list_takes_the_same_queries_however_many_platforms(coordinator, size):
    for _ in range(size):
        platform = coordinated(coordinator)
        goal_of(platform)
        services.join_request_create(actor=UserFactory(), platform=platform, message="参加したい")
        CardFactory(
            column=ColumnFactory(board__platform=platform),
            due_date=timezone.localdate() - timedelta(days=1),
            helpers_needed=1,
        )

    with CaptureQueriesContext(connection) as queries:
        items = needs_attention(coordinator)

    assert len(items) == 3 * size
    assert len(queries) == 6


def test_a_member_without_platforms_to_coordinate_costs_one_query(stranger):
    with CaptureQueriesContext(connection) as queries:
        assert needs_attention(stranger) == []
    assert len(queries) == 1


def test_invitations_answered_or_young_are_not_listed(coordinator):
    platform = coordinated(coordinator)
    with time_machine.travel(timezone.now() - timedelta(days=10)):
        old = services.invitation_create(actor=coordinator, platform=platform, email="a@example.jp")
    services.invitation_revoke(actor=coordinator, invitation=old)

    assert Invitation.objects.get(pk=old.pk).status == Invitation.Status.REVOKED
    assert texts(coordinator) == []
