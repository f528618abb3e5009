"""The permission matrix: every platform URL × every kind of person × public, private
and archived platforms, with the exact answer, and proof that a refused request
changed nothing."""

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications.models import Delivery, Notification
from platforms.models import Invitation, JoinRequest, Role, Status, Visibility
from tasks.models import BoardEvent
from tests.factories import PlatformFactory, UserFactory, goal_of, member_of

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "stranger",
    "applicant",
    "invitee",
    "observer",
    "member",
    "coordinator",
    "other_coordinator",
    "staff",
]
KINDS = ["public", "private", "archived"]


@dataclass
class World:
    platform: object
    people: dict
    goal: object
    join_request: object
    invitation: object
    target: object  # a membership coordinators may remove or change


def build_world(kind) -> World:
    platform = PlatformFactory(
        status=Status.ARCHIVED if kind == "archived" else Status.RECRUITING,
        visibility=Visibility.PRIVATE if kind == "private" else Visibility.PUBLIC,
        outcome="成果" if kind == "archived" else "",
    )
    people = {role: UserFactory(email=f"{role}@example.jp") for role in ROLES[1:]}
    people["staff"].is_staff = True
    people["staff"].save()
    member_of(platform, people["coordinator"], Role.COORDINATOR)
    member_of(platform, people["member"], Role.MEMBER)
    member_of(platform, people["observer"], Role.OBSERVER)
    target = member_of(platform, UserFactory(), Role.MEMBER)
    other = PlatformFactory()
    member_of(other, people["other_coordinator"], Role.COORDINATOR)
    join_request = JoinRequest.objects.create(
        platform=platform, user=people["applicant"], message="参加したい"
    )
    invitation = Invitation.objects.create(
        platform=platform,
        email=people["invitee"].email,
        token="tok-" + kind,
        invited_by=people["coordinator"],
        expires_at=timezone.now() + timedelta(days=7),
    )
    goal = goal_of(platform, current=1)
    return World(platform, people, goal, join_request, invitation, target)


def charter_post(platform):
    return {
        "name": "書き換えた名前",
        "purpose": platform.purpose,
        "why": platform.why,
        "who": platform.who,
        "where": platform.where,
        "area": platform.area,
        "deadline": platform.deadline.isoformat(),
        "what": platform.what,
        "how": platform.how,
        "budget": "1000",
        "funding": "",
        "visibility": platform.visibility,
    }


# name: (method, url builder, POST data builder)
URLS = {
    "list": ("get", lambda w: reverse("platforms:platform-list"), None),
    "archive_list": ("get", lambda w: reverse("platforms:platform-archive"), None),
    "dashboard": ("get", lambda w: reverse("platforms:dashboard"), None),
    "create_get": ("get", lambda w: reverse("platforms:platform-create"), None),
    "detail": ("get", lambda w: reverse("platforms:platform-detail", args=[w.platform.pk]), None),
    "history": ("get", lambda w: reverse("platforms:platform-history", args=[w.platform.pk]), None),
    "edit_get": ("get", lambda w: reverse("platforms:platform-edit", args=[w.platform.pk]), None),
    "edit_post": (
        "post",
        lambda w: reverse("platforms:platform-edit", args=[w.platform.pk]),
        lambda w: charter_post(w.platform),
    ),
    "transition": (
        "post",
        lambda w: reverse("platforms:platform-transition", args=[w.platform.pk]),
        lambda w: {"to_status": "active"},
    ),
    "evaluation_get": (
        "get",
        lambda w: reverse("platforms:platform-evaluation", args=[w.platform.pk]),
        None,
    ),
    "evaluation_post": (
        "post",
        lambda w: reverse("platforms:platform-evaluation", args=[w.platform.pk]),
        lambda w: {"outcome": "成果を書き換え"},
    ),
    "goal_create_get": (
        "get",
        lambda w: reverse("platforms:goal-create", args=[w.platform.pk]),
        None,
    ),
    "goal_create_post": (
        "post",
        lambda w: reverse("platforms:goal-create", args=[w.platform.pk]),
        lambda w: {"title": "新しい目標", "target_value": "3", "unit": "人"},
    ),
    "goal_edit_get": (
        "get",
        lambda w: reverse("platforms:goal-edit", args=[w.platform.pk, w.goal.pk]),
        None,
    ),
    "goal_edit_post": (
        "post",
        lambda w: reverse("platforms:goal-edit", args=[w.platform.pk, w.goal.pk]),
        lambda w: {"title": w.goal.title, "target_value": "5", "current_value": "4", "unit": "人"},
    ),
    "goal_delete": (
        "post",
        lambda w: reverse("platforms:goal-delete", args=[w.platform.pk, w.goal.pk]),
        lambda w: {},
    ),
    "join_get": (
        "get",
        lambda w: reverse("platforms:join-request-create", args=[w.platform.pk]),
        None,
    ),
    "join_post": (
        "post",
        lambda w: reverse("platforms:join-request-create", args=[w.platform.pk]),
        lambda w: {"message": "参加させてください"},
    ),
    "requests": (
        "get",
        lambda w: reverse("platforms:join-request-list", args=[w.platform.pk]),
        None,
    ),
    "decide": (
        "post",
        lambda w: reverse("platforms:join-request-decide", args=[w.platform.pk, w.join_request.pk]),
        lambda w: {"decision": "approve"},
    ),
    "withdraw": (
        "post",
        lambda w: reverse(
            "platforms:join-request-withdraw", args=[w.platform.pk, w.join_request.pk]
        ),
        lambda w: {},
    ),
    "invitations_get": (
        "get",
        lambda w: reverse("platforms:invitation-list", args=[w.platform.pk]),
        None,
    ),
    "invitations_post": (
        "post",
        lambda w: reverse("platforms:invitation-list", args=[w.platform.pk]),
        lambda w: {"email": "new@example.jp", "role": "member", "message": ""},
    ),
    "revoke": (
        "post",
        lambda w: reverse("platforms:invitation-revoke", args=[w.platform.pk, w.invitation.pk]),
        lambda w: {},
    ),
    "leave": (
        "post",
        lambda w: reverse("platforms:membership-leave", args=[w.platform.pk]),
        lambda w: {},
    ),
    "remove": (
        "post",
        lambda w: reverse("platforms:membership-remove", args=[w.platform.pk, w.target.pk]),
        lambda w: {},
    ),
    "role": (
        "post",
        lambda w: reverse("platforms:membership-role", args=[w.platform.pk, w.target.pk]),
        lambda w: {"role": "observer"},
    ),
    "invitation_get": (
        "get",
        lambda w: reverse("platforms:invitation-detail", args=[w.invitation.token]),
        None,
    ),
    "invitation_accept": (
        "post",
        lambda w: reverse("platforms:invitation-respond", args=[w.invitation.token]),
        lambda w: {"answer": "accept"},
    ),
    "export_json": (
        "get",
        lambda w: reverse("platforms:platform-export", args=[w.platform.pk, "json"]),
        None,
    ),
    "export_csv": (
        "get",
        lambda w: reverse("platforms:platform-export", args=[w.platform.pk, "csv"]),
        None,
    ),
}

COORDINATOR_WRITES = {
    "edit_get": 200,
    "edit_post": "changed",
    "goal_create_get": 200,
    "goal_create_post": "changed",
    "goal_edit_get": 200,
    "goal_edit_post": "changed",
    "goal_delete": "changed",
    "decide": "changed",
    "invitations_post": "changed",
    "revoke": "changed",
    "remove": "changed",
    "role": "changed",
    "transition": "changed",
}
MEMBERS = {"observer", "member", "coordinator"}


def expected(url, role, kind):
    """The one answer each person gets: 200; a redirect that 'changed' something, that
    was 'refused' with an error message, or that left things 'unchanged' (sent back:
    already in, already asked); 'login' (a redirect to the login page); 400 (refused
    with the reason on the page), 403 or 404."""
    visible = role in MEMBERS or role == "staff" or kind != "private"
    if url in ("list", "archive_list"):
        return 200
    if url in ("dashboard", "create_get"):
        return "login" if role == "anonymous" else 200
    if url == "invitation_get":
        return 200  # the token is the secret; the page shows only name and purpose
    if url == "invitation_accept":
        if role == "anonymous":
            return "login"
        if kind == "archived":
            return 400
        # The link is the proof: whoever holds it joins, signed in with any address;
        # a member is refused (the invitation stays for whom it was sent to).
        return 400 if role in MEMBERS else "changed"
    if url in ("detail", "history"):
        return 200 if visible else 404
    if role == "anonymous":
        return "login"
    if not visible:
        return 404
    coordinator = role == "coordinator"
    archived = kind == "archived"
    # A platform's child object (a join request, a membership, an invitation) that
    # the person may not see is the same 404 as a missing one: join requests are for
    # their applicant and the coordinators, memberships for members, invitations by
    # id for coordinators.
    if url == "decide" and not (coordinator or role == "applicant"):
        return 404
    if url == "withdraw" and not (coordinator or role == "applicant"):
        return 404
    if url in ("remove", "role") and role not in MEMBERS:
        return 404
    if url == "revoke" and not coordinator:
        return 404
    if url in COORDINATOR_WRITES:
        return COORDINATOR_WRITES[url] if coordinator and not archived else 403
    if url in ("evaluation_get", "evaluation_post"):
        return 403  # only after the goal is met or the platform is cancelled
    if url in ("requests", "invitations_get", "export_json", "export_csv"):
        return 200 if coordinator else 403
    if url in ("join_get", "join_post"):
        if role in MEMBERS:
            return "unchanged"  # sent back to the platform: already in
        if kind != "public":
            return 403
        if role == "applicant":
            return "unchanged"  # sent back to the platform: already asked
        return 200 if url == "join_get" else "changed"
    if url == "withdraw":
        return "changed" if role == "applicant" and not archived else 403
    if url == "leave":
        if role not in MEMBERS or archived:
            return 403
        # The only coordinator may not leave the platform without one.
        return "refused" if coordinator else "changed"
    raise AssertionError(url)


def snapshot(world):
    platform = type(world.platform).objects.get(pk=world.platform.pk)
    return {
        "platform": {
            f.name: getattr(platform, f.name)
            for f in platform._meta.concrete_fields
            if f.name != "updated_at"
        },
        "memberships": sorted(platform.memberships.values_list("user_id", "role")),
        "join_requests": sorted(platform.join_requests.values_list("pk", "status")),
        "invitations": sorted(platform.invitations.values_list("pk", "email", "status")),
        "goals": sorted(platform.goals.values_list("pk", "title", "target_value", "current_value")),
        "events": platform.events.count(),
        "revisions": platform.revisions.count(),
        "notifications": Notification.objects.count(),
        "deliveries": Delivery.objects.count(),
        "mail": len(mail.outbox),
        "board_events": BoardEvent.objects.count(),
    }


CASES = [(url, role, kind) for url in URLS for role in ROLES for kind in KINDS]


@pytest.mark.parametrize(("url", "role", "kind"), CASES)
def test_platform_url_permission_matrix(client, url, role, kind):
    # given
    world = build_world(kind)
    if role != "anonymous":
        client.force_login(world.people[role])
    method, build_url, build_data = URLS[url]
    before = snapshot(world)
    answer = expected(url, role, kind)

    # when
    if method == "get":
        response = client.get(build_url(world))
    else:
        response = client.post(build_url(world), build_data(world))

    # then
    errors = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
    changed = snapshot(world) != before
    if answer == "login":
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    elif answer in ("changed", "refused", "unchanged"):
        assert response.status_code == 302
        assert not response.url.startswith(reverse("account_login"))
    else:
        assert response.status_code == answer
    outcome = "changed" if changed else "refused" if errors else "unchanged"
    if answer in ("changed", "refused", "unchanged"):
        assert outcome == answer, errors
    else:
        assert changed is False


@pytest.mark.parametrize("role", ROLES)
def test_lists_show_a_private_platform_only_to_its_members(client, role):
    world = build_world("private")
    world.platform.status = Status.ARCHIVED
    world.platform.save()
    if role != "anonymous":
        client.force_login(world.people[role])

    archived = client.get(reverse("platforms:platform-archive"))
    dashboard = client.get(reverse("platforms:dashboard"))

    listed = [p.pk for p in archived.context["page"]]
    assert listed == ([world.platform.pk] if role in MEMBERS else [])
    if role != "anonymous":
        mine = [p.pk for p in dashboard.context["platforms"]]
        assert (world.platform.pk in mine) == (role in MEMBERS)


def test_archived_private_platform_stays_readable_by_its_members_only(client):
    world = build_world("private")
    platform = world.platform
    platform.status = Status.ARCHIVED
    platform.outcome = "成果"
    platform.save()
    url = reverse("platforms:platform-detail", args=[platform.pk])

    client.force_login(world.people["member"])
    assert client.get(url).status_code == 200
    client.force_login(world.people["stranger"])
    assert client.get(url).status_code == 404


def test_missing_platform_and_private_platform_give_the_same_answer(client):
    world = build_world("private")
    client.force_login(world.people["stranger"])

    hidden = client.get(reverse("platforms:platform-detail", args=[world.platform.pk]))
    missing = client.get(reverse("platforms:platform-detail", args=[999999]))

    assert (hidden.status_code, missing.status_code) == (404, 404)
    # Only the CSRF token and the requested path (in the language form) may differ.
    varying = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"|/platforms/\d+/')
    assert varying.sub(b"", hidden.content) == varying.sub(b"", missing.content)


def test_draft_public_platform_is_hidden_from_non_members(client):
    world = build_world("public")
    world.platform.status = Status.DRAFT
    world.platform.save()
    url = reverse("platforms:platform-detail", args=[world.platform.pk])

    assert client.get(url).status_code == 404
    client.force_login(world.people["coordinator"])
    assert client.get(url).status_code == 200
