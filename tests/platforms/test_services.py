"""Lifecycle transitions and membership actions: allowed and refused, with the database
checked after each call and refusals shown to change nothing."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from notifications.models import Notification
from platforms import notices as platform_notices
from platforms import services
from platforms.live import platform_channel
from platforms.models import (
    CharterRevision,
    Invitation,
    JoinRequest,
    Membership,
    Platform,
    PlatformEvent,
    Role,
    Status,
    Visibility,
)
from tests.factories import (
    OrganisationFactory,
    PlatformFactory,
    UserFactory,
    goal_of,
    member_of,
    organisation_member,
)

# The one wording of a read-only platform (platforms.permissions.read_only_reason).
READ_ONLY = {
    Status.ARCHIVED: "アーカイブ済みのプラットフォームは読むことだけができます。",
    Status.CANCELLED: "中止したプラットフォームは変更できません。",
}

pytestmark = pytest.mark.django_db

Kind = PlatformEvent.Kind


def charter(**overrides):
    data = {
        "name": "地域特産品コミュニティビジネス",
        "purpose": "作業所と農家で特産品を作る",
        "why": "作業所の仕事が減った",
        "who": "NPOと作業所",
        "where": "駅前マルシェ",
        "area": "大阪府豊中市",
        "deadline": timezone.localdate() + timedelta(days=90),
        "what": "試作と販売",
        "how": "月2回の企画会議",
        "budget": 500000,
        "funding": "助成金",
        "visibility": Visibility.PUBLIC,
    }
    return data | overrides


def platform_in(status, coordinator, **kwargs):
    platform = PlatformFactory(status=status, **kwargs)
    member_of(platform, coordinator, Role.COORDINATOR)
    return platform


# --- launch and charter -----------------------------------------------------------


def test_platform_launch_creates_draft_with_coordinator_goals_revision_and_event():
    actor = UserFactory()

    platform = services.platform_launch(
        actor=actor,
        data=charter(),
        goals=[{"title": "マルシェ出店", "unit": "回", "target_value": 6}],
    )

    assert platform.status == Status.DRAFT
    assert list(platform.memberships.values_list("user_id", "role")) == [
        (actor.pk, Role.COORDINATOR)
    ]
    assert list(platform.goals.values_list("title", "target_value", "current_value")) == [
        ("マルシェ出店", 6, 0)
    ]
    revision = platform.revisions.get()
    assert (revision.number, revision.charter["name"], revision.actor) == (
        1,
        "地域特産品コミュニティビジネス",
        actor,
    )
    assert list(platform.events.values_list("kind", "actor_id")) == [(Kind.LAUNCHED, actor.pk)]
    assert platform.search_text.startswith("地域特産品こみゅにてぃびじねす ")


def test_platform_launch_refuses_past_deadline_and_saves_nothing():
    actor = UserFactory()

    with pytest.raises(ValidationError) as refused:
        services.platform_launch(
            actor=actor, data=charter(deadline=timezone.localdate() - timedelta(days=1))
        )

    assert "deadline" in refused.value.message_dict
    assert Platform.objects.count() == 0
    assert Membership.objects.count() == 0


def test_platform_launch_with_invalid_goal_saves_nothing():
    actor = UserFactory()

    with pytest.raises(ValidationError):
        services.platform_launch(
            actor=actor, data=charter(), goals=[{"title": "体験", "unit": "人", "target_value": 0}]
        )

    assert Platform.objects.count() == 0
    assert CharterRevision.objects.count() == 0


def test_platform_charter_update_keeps_history(coordinator, platform):
    services.platform_charter_update(
        actor=coordinator, platform=platform, data={"name": "新しい名前", "what": "内容を変更"}
    )

    platform.refresh_from_db()
    assert platform.name == "新しい名前"
    revision = platform.revisions.get()
    assert revision.changed_fields == ["name", "what"]
    assert revision.charter["name"] == "新しい名前"
    event = platform.events.get()
    assert (event.kind, event.data) == (Kind.CHARTER_EDITED, {"fields": ["name", "what"]})


def test_platform_charter_update_refused_for_member_changes_nothing(platform, member):
    with pytest.raises(PermissionDenied):
        services.platform_charter_update(actor=member, platform=platform, data={"name": "乗っ取り"})

    platform.refresh_from_db()
    assert platform.name != "乗っ取り"
    assert platform.revisions.count() == 0


@pytest.mark.parametrize("status", [Status.ARCHIVED, Status.CANCELLED])
def test_platform_charter_update_refused_when_read_only(coordinator, status):
    platform = platform_in(status, coordinator)
    before = platform.name

    with pytest.raises(PermissionDenied) as refused:
        services.platform_charter_update(
            actor=coordinator, platform=platform, data={"name": "変更"}
        )

    assert str(refused.value) == READ_ONLY[status]

    platform.refresh_from_db()
    assert platform.name == before
    assert platform.events.count() == 0


# --- lifecycle ----------------------------------------------------------------------

ALLOWED = [
    (Status.DRAFT, Status.RECRUITING),
    (Status.DRAFT, Status.CANCELLED),
    (Status.RECRUITING, Status.ACTIVE),
    (Status.RECRUITING, Status.CANCELLED),
    (Status.ACTIVE, Status.GOAL_MET),
    (Status.ACTIVE, Status.CANCELLED),
    (Status.GOAL_MET, Status.ARCHIVED),
    (Status.CANCELLED, Status.ARCHIVED),
]
REFUSED = [
    (source, target)
    for source in Status.values
    for target in Status.values
    if (source, target) not in ALLOWED
]


@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_platform_transition_allowed_step_records_who_and_when(coordinator, source, target):
    platform = platform_in(source, coordinator, outcome="3人が就職した")

    services.platform_transition(actor=coordinator, platform=platform, to_status=target)

    platform.refresh_from_db()
    assert platform.status == target
    assert platform.status_changed_at is not None
    event = platform.events.get()
    assert (event.kind, event.actor, event.data) == (
        Kind.STATUS_CHANGED,
        coordinator,
        {"from": source, "to": target},
    )


@pytest.mark.parametrize(("source", "target"), REFUSED)
def test_platform_transition_refused_step_says_why_and_changes_nothing(coordinator, source, target):
    """A step the lifecycle does not allow is a ValidationError that names it; an
    archived platform has no step left: it is read-only (PermissionDenied)."""
    platform = platform_in(source, coordinator, outcome="成果")
    archived = source == Status.ARCHIVED

    with pytest.raises(PermissionDenied if archived else ValidationError) as refused:
        services.platform_transition(actor=coordinator, platform=platform, to_status=target)

    platform.refresh_from_db()
    assert platform.status == source
    assert platform.events.count() == 0
    if archived:
        assert str(refused.value) == READ_ONLY[Status.ARCHIVED]
    else:
        assert refused.value.messages == [
            f"「{Status(source).label}」から「{Status(target).label}」には進めません。"
        ]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.OBSERVER, None])
def test_platform_transition_refused_for_non_coordinators(coordinator, role):
    platform = platform_in(Status.RECRUITING, coordinator)
    actor = UserFactory()
    if role:
        member_of(platform, actor, role)

    with pytest.raises(PermissionDenied):
        services.platform_transition(actor=actor, platform=platform, to_status=Status.ACTIVE)

    platform.refresh_from_db()
    assert platform.status == Status.RECRUITING


def test_platform_transition_to_unknown_status_is_refused(coordinator, platform):
    with pytest.raises(ValidationError) as refused:
        services.platform_transition(actor=coordinator, platform=platform, to_status="deleted")

    assert refused.value.messages == ["指定された状態はありません。"]


def test_platform_transition_archive_without_evaluation_is_refused(coordinator):
    platform = platform_in(Status.GOAL_MET, coordinator)

    with pytest.raises(ValidationError) as refused:
        services.platform_transition(
            actor=coordinator, platform=platform, to_status=Status.ARCHIVED
        )

    assert "評価" in refused.value.messages[0]
    platform.refresh_from_db()
    assert platform.status == Status.GOAL_MET


def test_platform_transition_recruiting_with_past_deadline_is_refused(coordinator):
    platform = platform_in(
        Status.DRAFT, coordinator, deadline=timezone.localdate() - timedelta(days=1)
    )

    with pytest.raises(ValidationError) as refused:
        services.platform_transition(
            actor=coordinator, platform=platform, to_status=Status.RECRUITING
        )

    assert "期限が過ぎている" in refused.value.messages[0]


def test_platform_transition_cancel_closes_pending_requests_and_invitations(coordinator, platform):
    applicant = UserFactory()
    join_request = services.join_request_create(
        actor=applicant, platform=platform, message="参加したい"
    )
    invitation = services.invitation_create(
        actor=coordinator, platform=platform, email="a@example.jp"
    )

    services.platform_transition(actor=coordinator, platform=platform, to_status=Status.CANCELLED)

    join_request.refresh_from_db()
    invitation.refresh_from_db()
    assert join_request.status == JoinRequest.Status.DECLINED
    assert invitation.status == Invitation.Status.REVOKED


def test_platform_evaluation_write_only_after_goal_met_or_cancelled(coordinator):
    active = platform_in(Status.ACTIVE, coordinator)
    goal_met = platform_in(Status.GOAL_MET, coordinator)

    with pytest.raises(ValidationError):
        services.platform_evaluation_write(
            actor=coordinator, platform=active, data={"outcome": "成果"}
        )
    services.platform_evaluation_write(
        actor=coordinator,
        platform=goal_met,
        data={
            "outcome": "5人が体験",
            "learned": "同行が大事",
            "continues": "見学会",
            "carried_by": "社協",
        },
    )

    active.refresh_from_db()
    goal_met.refresh_from_db()
    assert active.outcome == ""
    assert (goal_met.outcome, goal_met.carried_by) == ("5人が体験", "社協")
    assert goal_met.evaluated_at is not None


def test_platform_evaluation_write_refused_after_archive(coordinator):
    platform = platform_in(Status.ARCHIVED, coordinator, outcome="元の成果")

    with pytest.raises(ValidationError):
        services.platform_evaluation_write(
            actor=coordinator, platform=platform, data={"outcome": "改ざん"}
        )

    platform.refresh_from_db()
    assert platform.outcome == "元の成果"


# --- goals --------------------------------------------------------------------------


def test_goal_update_records_progress_event(coordinator, platform):
    goal = goal_of(platform, target=5)

    services.goal_update(actor=coordinator, goal=goal, data={"current_value": 5})

    goal.refresh_from_db()
    assert goal.current_value == 5
    event = platform.events.get()
    assert event.data == {
        "goal": goal.pk,
        "title": goal.title,
        "from": 0,
        "to": 5,
        "target": 5,
        "reached": True,
    }


@pytest.mark.parametrize("status", [Status.ARCHIVED, Status.CANCELLED])
def test_goal_changes_refused_when_read_only(coordinator, status):
    platform = platform_in(status, coordinator)
    goal = goal_of(platform, current=2)

    refusals = []
    for change in (
        lambda: services.goal_update(actor=coordinator, goal=goal, data={"current_value": 4}),
        lambda: services.goal_add(
            actor=coordinator, platform=platform, title="新しい目標", target_value=3
        ),
        lambda: services.goal_remove(actor=coordinator, goal=goal),
    ):
        with pytest.raises(PermissionDenied) as refused:
            change()
        refusals.append(str(refused.value))

    assert refusals == [READ_ONLY[status]] * 3

    goal.refresh_from_db()
    assert goal.current_value == 2
    assert platform.goals.count() == 1


def test_goal_update_refused_for_member(platform, member):
    goal = goal_of(platform, current=1)

    with pytest.raises(PermissionDenied):
        services.goal_update(actor=member, goal=goal, data={"current_value": 5})

    goal.refresh_from_db()
    assert goal.current_value == 1


# --- join requests ------------------------------------------------------------------


def test_join_request_approve_makes_member_on_behalf_of_organisation(coordinator, platform):
    applicant = UserFactory()
    organisation = OrganisationFactory()
    organisation_member(applicant, organisation)

    join_request = services.join_request_create(
        actor=applicant, platform=platform, message="協力します", organisation=organisation
    )
    services.join_request_decide(actor=coordinator, join_request=join_request, approve=True)

    membership = Membership.objects.get(platform=platform, user=applicant)
    assert (membership.role, membership.organisation) == (Role.MEMBER, organisation)
    join_request.refresh_from_db()
    assert (join_request.status, join_request.decided_by) == (
        JoinRequest.Status.APPROVED,
        coordinator,
    )
    assert list(platform.events.order_by("pk").values_list("kind", flat=True)) == [
        Kind.JOIN_REQUESTED,
        Kind.JOIN_APPROVED,
    ]


def test_join_request_on_behalf_of_foreign_organisation_is_refused(platform):
    applicant = UserFactory()
    organisation = OrganisationFactory()

    with pytest.raises(ValidationError) as refused:
        services.join_request_create(
            actor=applicant, platform=platform, message="協力します", organisation=organisation
        )

    assert "organisation" in refused.value.message_dict
    assert JoinRequest.objects.count() == 0


def test_join_request_decline_with_reason(coordinator, platform):
    applicant = UserFactory()
    join_request = services.join_request_create(
        actor=applicant, platform=platform, message="参加したい"
    )

    services.join_request_decide(
        actor=coordinator, join_request=join_request, approve=False, reason="定員に達しました"
    )

    join_request.refresh_from_db()
    assert (join_request.status, join_request.decline_reason) == (
        JoinRequest.Status.DECLINED,
        "定員に達しました",
    )
    assert not Membership.objects.filter(platform=platform, user=applicant).exists()


def test_join_request_decide_twice_is_refused(coordinator, platform):
    applicant = UserFactory()
    join_request = services.join_request_create(
        actor=applicant, platform=platform, message="参加したい"
    )
    services.join_request_decide(actor=coordinator, join_request=join_request, approve=False)

    with pytest.raises(ValidationError) as refused:
        services.join_request_decide(actor=coordinator, join_request=join_request, approve=True)

    assert refused.value.messages == ["この参加申請はすでに処理されています。"]
    assert not Membership.objects.filter(platform=platform, user=applicant).exists()


def test_join_request_decide_refused_for_member(platform, member):
    applicant = UserFactory()
    join_request = services.join_request_create(
        actor=applicant, platform=platform, message="参加したい"
    )

    with pytest.raises(PermissionDenied):
        services.join_request_decide(actor=member, join_request=join_request, approve=True)

    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.PENDING


@pytest.mark.parametrize(
    ("visibility", "status", "refusal", "message"),
    [
        (Visibility.PRIVATE, Status.RECRUITING, PermissionDenied, "招待された人だけ"),
        (Visibility.PUBLIC, Status.DRAFT, ValidationError, "今は参加を受け付けていません"),
        (Visibility.PUBLIC, Status.GOAL_MET, ValidationError, "今は参加を受け付けていません"),
        (Visibility.PUBLIC, Status.ARCHIVED, PermissionDenied, "読むことだけができます"),
    ],
)
def test_join_request_refused_where_not_open(coordinator, visibility, status, refusal, message):
    """Who may ask (invited only, read-only) is PermissionDenied; a step the lifecycle
    does not allow now is ValidationError."""
    platform = platform_in(status, coordinator, visibility=visibility)

    with pytest.raises(refusal) as refused:
        services.join_request_create(actor=UserFactory(), platform=platform, message="参加したい")

    assert message in str(refused.value)
    assert JoinRequest.objects.count() == 0


def test_join_request_twice_and_by_member_are_refused(platform, member):
    applicant = UserFactory()
    services.join_request_create(actor=applicant, platform=platform, message="参加したい")

    with pytest.raises(ValidationError):
        services.join_request_create(actor=applicant, platform=platform, message="もう一度")
    with pytest.raises(ValidationError):
        services.join_request_create(actor=member, platform=platform, message="参加したい")

    assert JoinRequest.objects.count() == 1


def test_join_request_withdraw_only_by_applicant(platform, coordinator):
    applicant = UserFactory()
    join_request = services.join_request_create(
        actor=applicant, platform=platform, message="参加したい"
    )

    with pytest.raises(PermissionDenied):
        services.join_request_withdraw(actor=coordinator, join_request=join_request)
    services.join_request_withdraw(actor=applicant, join_request=join_request)

    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.WITHDRAWN


# --- invitations --------------------------------------------------------------------


def test_invitation_create_sends_email_after_commit(
    coordinator, platform, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation = services.invitation_create(
            actor=coordinator, platform=platform, email="New@Example.jp", message="ぜひ"
        )
    assert mail.outbox == []

    for callback in callbacks:
        callback()

    assert invitation.email == "new@example.jp"
    assert invitation.expires_at > timezone.now() + timedelta(days=13)
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["new@example.jp"]
    assert sent.subject == f"[協働ハブ] 「{platform.name}」への招待"
    assert f"/invitations/{invitation.token}/" in sent.body


def test_an_invitation_is_an_outbox_row_written_with_it_and_a_revoked_one_is_not_sent(
    coordinator, platform, django_capture_on_commit_callbacks
):
    from notifications import jobs
    from notifications.models import Delivery, DeliveryStatus

    # given: two invitations whose send jobs were lost; one is revoked before the sweep
    with django_capture_on_commit_callbacks(execute=False):
        kept = services.invitation_create(
            actor=coordinator, platform=platform, email="ＫＥＰＴ＠example.jp"
        )
        revoked = services.invitation_create(
            actor=coordinator, platform=platform, email="revoked@example.jp"
        )
    rows = Delivery.objects.filter(message="platforms.invitation").order_by("pk")
    assert [(d.address, d.message_ref, d.status) for d in rows] == [
        ("kept@example.jp", kept.pk, DeliveryStatus.PENDING),
        ("revoked@example.jp", revoked.pk, DeliveryStatus.PENDING),
    ]
    services.invitation_revoke(actor=coordinator, invitation=revoked)
    mail.outbox.clear()

    # when
    jobs.sweep(now=timezone.now())

    # then
    assert [m.to for m in mail.outbox] == [["kept@example.jp"]]
    assert [d.status for d in rows.all()] == [DeliveryStatus.SENT, DeliveryStatus.CANCELLED]


def test_invitation_accept_makes_member_with_role(coordinator, platform):
    invitee = UserFactory(email="invitee@example.jp")
    invitation = services.invitation_create(
        actor=coordinator, platform=platform, email="invitee@example.jp", role=Role.OBSERVER
    )

    membership = services.invitation_accept(actor=invitee, invitation=invitation)

    assert (membership.user, membership.role) == (invitee, Role.OBSERVER)
    invitation.refresh_from_db()
    assert (invitation.status, invitation.accepted_by) == (Invitation.Status.ACCEPTED, invitee)


def test_the_link_is_the_proof_someone_with_another_address_joins(coordinator, platform):
    invitation = services.invitation_create(
        actor=coordinator, platform=platform, email="a@example.jp"
    )
    other = UserFactory(email="b@example.jp")

    membership = services.invitation_accept(actor=other, invitation=invitation)

    invitation.refresh_from_db()
    assert membership.user == other and membership.role == Role.MEMBER
    assert (invitation.status, invitation.accepted_by) == (Invitation.Status.ACCEPTED, other)
    told = Notification.objects.get(kind=platform_notices.INVITATION_ACCEPTED.key)
    assert told.recipient == coordinator and told.actor == other


def test_a_member_cannot_use_up_an_invitation_meant_for_someone_else(coordinator, platform, member):
    invitation = services.invitation_create(
        actor=coordinator, platform=platform, email="new@example.jp"
    )

    with pytest.raises(ValidationError) as refused:
        services.invitation_accept(actor=member, invitation=invitation)

    assert "招待された方のために残しておきます" in refused.value.messages[0]
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING


def test_resending_gives_the_link_a_fresh_period_and_sends_the_same_link(
    coordinator, platform, django_capture_on_commit_callbacks
):
    with time_machine.travel(timezone.now() - timedelta(days=20)):
        invitation = services.invitation_create(
            actor=coordinator, platform=platform, email="r@example.jp"
        )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(actor=coordinator, invitation=invitation)

    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now() + timedelta(days=1)
    assert len(mail.outbox) == 1 and invitation.token in mail.outbox[0].body


def test_resending_at_once_or_an_answered_invitation_is_refused(coordinator, platform, member):
    fresh = services.invitation_create(actor=coordinator, platform=platform, email="f@example.jp")
    with pytest.raises(ValidationError) as too_soon:
        services.invitation_resend(actor=coordinator, invitation=fresh)
    services.invitation_revoke(actor=coordinator, invitation=fresh)
    with pytest.raises(ValidationError) as answered:
        services.invitation_resend(actor=coordinator, invitation=fresh)
    with pytest.raises(PermissionDenied):
        services.invitation_resend(actor=member, invitation=fresh)

    assert "10分ほどたってから" in too_soon.value.messages[0]
    assert "送り直せません" in answered.value.messages[0]


def test_invitation_expired_or_revoked_is_refused(coordinator, platform):
    invitee = UserFactory(email="late@example.jp")
    expired = services.invitation_create(
        actor=coordinator, platform=platform, email="late@example.jp"
    )
    Invitation.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )

    with pytest.raises(ValidationError) as refused:
        services.invitation_accept(actor=invitee, invitation=expired)
    assert "有効期限" in refused.value.messages[0]

    services.invitation_revoke(actor=coordinator, invitation=expired)
    with pytest.raises(ValidationError) as refused:
        services.invitation_accept(actor=invitee, invitation=expired)
    assert refused.value.messages == ["この招待は取り消されました。"]
    assert not Membership.objects.filter(user=invitee).exists()


def test_invitation_accept_twice_is_refused(coordinator, platform):
    invitee = UserFactory(email="twice@example.jp")
    invitation = services.invitation_create(
        actor=coordinator, platform=platform, email="twice@example.jp"
    )
    services.invitation_accept(actor=invitee, invitation=invitation)

    with pytest.raises(ValidationError):
        services.invitation_accept(actor=invitee, invitation=invitation)

    assert Membership.objects.filter(user=invitee).count() == 1


def test_invitation_create_refused_for_member_existing_and_duplicate(coordinator, platform, member):
    with pytest.raises(PermissionDenied):
        services.invitation_create(actor=member, platform=platform, email="x@example.jp")
    with pytest.raises(ValidationError):
        services.invitation_create(actor=coordinator, platform=platform, email=member.email)
    services.invitation_create(actor=coordinator, platform=platform, email="x@example.jp")
    with pytest.raises(ValidationError):
        services.invitation_create(actor=coordinator, platform=platform, email="X@example.jp")

    assert Invitation.objects.count() == 1


def test_invitation_decline(coordinator, platform):
    invitee = UserFactory(email="no@example.jp")
    invitation = services.invitation_create(
        actor=coordinator, platform=platform, email="no@example.jp"
    )

    services.invitation_decline(actor=invitee, invitation=invitation)

    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED
    assert not Membership.objects.filter(user=invitee).exists()


# --- leaving, removing, roles -------------------------------------------------------


def test_membership_leave(platform, member):
    services.membership_leave(actor=member, platform=platform)

    assert not Membership.objects.filter(platform=platform, user=member).exists()
    assert platform.events.get().kind == Kind.MEMBER_LEFT


def test_last_coordinator_cannot_leave_until_handover(coordinator, platform, member):
    membership = Membership.objects.get(platform=platform, user=member)

    with pytest.raises(ValidationError) as refused:
        services.membership_leave(actor=coordinator, platform=platform)
    assert "最後のコーディネーター" in refused.value.messages[0]

    services.membership_role_change(actor=coordinator, membership=membership, role=Role.COORDINATOR)
    services.membership_leave(actor=coordinator, platform=platform)

    assert list(platform.memberships.values_list("user_id", "role")) == [
        (member.pk, Role.COORDINATOR)
    ]


def test_last_coordinator_cannot_step_down(coordinator, platform):
    membership = Membership.objects.get(platform=platform, user=coordinator)

    with pytest.raises(ValidationError):
        services.membership_role_change(actor=coordinator, membership=membership, role=Role.MEMBER)

    membership.refresh_from_db()
    assert membership.role == Role.COORDINATOR


def test_membership_remove_by_coordinator(coordinator, platform, member):
    membership = Membership.objects.get(platform=platform, user=member)

    services.membership_remove(actor=coordinator, membership=membership)

    assert not Membership.objects.filter(pk=membership.pk).exists()
    event = platform.events.get()
    assert (event.kind, event.subject) == (Kind.MEMBER_REMOVED, member)


def test_membership_remove_refused_for_member_and_self(coordinator, platform, member):
    own = Membership.objects.get(platform=platform, user=coordinator)

    with pytest.raises(PermissionDenied):
        services.membership_remove(actor=member, membership=own)
    with pytest.raises(ValidationError):
        services.membership_remove(actor=coordinator, membership=own)

    assert Membership.objects.filter(pk=own.pk).exists()


def test_membership_role_change_refused_for_bad_role(coordinator, platform, member):
    membership = Membership.objects.get(platform=platform, user=member)

    with pytest.raises(ValidationError):
        services.membership_role_change(actor=coordinator, membership=membership, role="owner")

    membership.refresh_from_db()
    assert membership.role == Role.MEMBER


@pytest.mark.parametrize("status", [Status.ARCHIVED, Status.CANCELLED])
def test_membership_actions_refused_when_read_only(coordinator, status):
    platform = platform_in(status, coordinator)
    person = UserFactory()
    membership = member_of(platform, person)

    refusals = []
    for change in (
        lambda: services.membership_leave(actor=person, platform=platform),
        lambda: services.membership_remove(actor=coordinator, membership=membership),
        lambda: services.membership_role_change(
            actor=coordinator, membership=membership, role=Role.OBSERVER
        ),
        lambda: services.invitation_create(
            actor=coordinator, platform=platform, email="z@example.jp"
        ),
    ):
        with pytest.raises(PermissionDenied) as refused:
            change()
        refusals.append(str(refused.value))

    assert refusals == [READ_ONLY[status]] * 4

    membership.refresh_from_db()
    assert membership.role == Role.MEMBER
    assert platform.events.count() == 0


def test_platform_changes_are_announced_on_its_live_channel_after_commit(
    coordinator, platform, member, published, django_capture_on_commit_callbacks
):
    """platforms tells whoever listens (a board's sockets) on `platform.<id>`; it calls
    into no app above it, and says nothing before the change is committed."""
    observer = UserFactory()
    membership = member_of(platform, observer)
    channel = platform_channel(platform.pk)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.membership_role_change(
            actor=coordinator, membership=membership, role=Role.OBSERVER
        )
        services.membership_remove(
            actor=coordinator, membership=Membership.objects.get(user=member, platform=platform)
        )
    assert published.controls(channel) == []
    for callback in callbacks:
        callback()
    with django_capture_on_commit_callbacks(execute=True):
        services.platform_transition(
            actor=coordinator, platform=platform, to_status=Status.CANCELLED
        )

    assert published.controls(channel) == [
        {"kind": "role_changed", "user": observer.pk},
        {"kind": "member_gone", "user": member.pk, "reason": "removed"},
        {"kind": "closed", "reason": "platform_cancelled"},
    ]
