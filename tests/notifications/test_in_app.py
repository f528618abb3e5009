"""In-app notifications: written with the change that causes them, to the right
people, readable only by their recipient, marked read one by one or all at once."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from notifications.models import Notification
from notifications.text import notification_text
from platforms import services
from platforms.models import Membership, Role, Status
from tests.factories import UserFactory, goal_of, member_of

pytestmark = pytest.mark.django_db


def kinds_for(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_join_request_tells_coordinators_and_the_decision_tells_the_applicant(
    coordinator, platform, member
):
    applicant = UserFactory(display_name="鈴木")

    join_request = services.join_request_create(
        actor=applicant, platform=platform, message="参加したい"
    )
    services.join_request_decide(
        actor=coordinator, join_request=join_request, approve=False, reason="定員です"
    )

    assert kinds_for(coordinator) == ["join.requested"]
    assert kinds_for(member) == []
    assert kinds_for(applicant) == ["join.declined"]
    told = Notification.objects.get(recipient=coordinator)
    assert told.url == reverse("platforms:join-request-list", args=[platform.pk])
    assert notification_text(told) == f"鈴木さんが「{platform.name}」への参加を申請しました。"


def test_status_change_tells_every_member_but_the_actor(coordinator, platform, member):
    observer = UserFactory()
    member_of(platform, observer, Role.OBSERVER)

    services.platform_transition(actor=coordinator, platform=platform, to_status=Status.ACTIVE)

    assert (kinds_for(coordinator), kinds_for(member), kinds_for(observer)) == (
        [],
        ["platform.status_changed"],
        ["platform.status_changed"],
    )
    notification = Notification.objects.get(recipient=member)
    assert notification_text(notification) == f"「{platform.name}」が「活動中」になりました。"
    with translation.override("en"):
        assert notification_text(notification) == f'"{platform.name}" is now "Active".'


def test_refused_step_tells_nobody(coordinator, platform, member):
    with pytest.raises(ValidationError):
        services.platform_transition(
            actor=coordinator, platform=platform, to_status=Status.ARCHIVED
        )

    assert Notification.objects.count() == 0


def test_invitation_tells_a_person_who_already_has_an_account(coordinator, platform):
    invitee = UserFactory(email="known@example.jp")

    invitation = services.invitation_create(
        actor=coordinator, platform=platform, email="Known@example.jp"
    )
    services.invitation_create(actor=coordinator, platform=platform, email="nobody@example.jp")

    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind, notification.url) == (
        invitee,
        "platform.invited",
        invitation.get_absolute_url(),
    )


def test_promotion_and_removal_tell_the_person(coordinator, platform, member):
    membership = Membership.objects.get(user=member)

    services.membership_role_change(actor=coordinator, membership=membership, role=Role.COORDINATOR)
    other = UserFactory()
    removed = member_of(platform, other)
    services.membership_remove(actor=coordinator, membership=removed)

    assert kinds_for(member) == ["member.made_coordinator"]
    assert kinds_for(other) == ["member.removed"]
    assert Notification.objects.get(recipient=other).url == reverse("platforms:dashboard")


def test_goal_reached_is_told_once(coordinator, platform, member):
    goal = goal_of(platform, target=2, current=0)

    services.goal_update(actor=coordinator, goal=goal, data={"current_value": 1})
    services.goal_update(actor=coordinator, goal=goal, data={"current_value": 2})
    services.goal_update(actor=coordinator, goal=goal, data={"current_value": 3})

    assert kinds_for(member) == ["goal.reached"]
    assert kinds_for(coordinator) == ["goal.reached"]


def test_list_shows_only_my_notifications_and_the_bell_counts_them(
    client, coordinator, platform, member
):
    services.platform_transition(actor=coordinator, platform=platform, to_status=Status.ACTIVE)
    stranger = UserFactory()
    client.force_login(member)

    page = client.get(reverse("notifications:notification-list"))
    client.force_login(stranger)
    empty = client.get(reverse("notifications:notification-list"))

    assert [n.recipient for n, _ in page.context["items"]] == [member]
    assert 'data-testid="bell-count" aria-label="未読の数">1</span>' in page.content.decode()
    assert list(empty.context["items"]) == []


def test_opening_marks_read_and_goes_to_the_thing(client, coordinator, platform, member):
    services.platform_transition(actor=coordinator, platform=platform, to_status=Status.ACTIVE)
    notification = Notification.objects.get(recipient=member)
    client.force_login(member)

    response = client.post(reverse("notifications:notification-open", args=[notification.pk]))

    notification.refresh_from_db()
    assert response.status_code == 302
    assert response.url == platform.get_absolute_url()
    assert notification.read_at is not None


def test_someone_elses_notification_cannot_be_opened(client, coordinator, platform, member):
    services.platform_transition(actor=coordinator, platform=platform, to_status=Status.ACTIVE)
    notification = Notification.objects.get(recipient=member)
    client.force_login(UserFactory())

    response = client.post(reverse("notifications:notification-open", args=[notification.pk]))

    notification.refresh_from_db()
    assert response.url == reverse("notifications:notification-list")
    assert notification.read_at is None


def test_read_all_and_anonymous(client, coordinator, platform, member):
    services.platform_transition(actor=coordinator, platform=platform, to_status=Status.ACTIVE)
    services.platform_transition(actor=coordinator, platform=platform, to_status=Status.GOAL_MET)

    anonymous = client.post(reverse("notifications:notification-read-all"))
    client.force_login(member)
    client.post(reverse("notifications:notification-read-all"))

    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("account_login"))
    assert Notification.objects.filter(recipient=member, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(recipient=member).count() == 2
