"""Reads that views share, with the joins each page needs."""

from allauth.account.models import EmailAddress
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from common.text import search_key

from .models import (
    ENDED_STATUSES,
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
from .permissions import LISTED_STATUSES, WRITABLE_STATUSES


def _search(platforms, *, query: str = "", area: str = "", kind: str = ""):
    if query:
        for word in search_key(query).split():
            platforms = platforms.filter(search_text__contains=word)
    if area:
        platforms = platforms.filter(area__icontains=area.strip())
    if kind:
        platforms = platforms.filter(memberships__organisation__kind=kind).distinct()
    return platforms


def platform_list_public(*, query: str = "", area: str = "", kind: str = ""):
    """Public platforms that are recruiting or active, soonest deadline first."""
    platforms = Platform.objects.filter(
        visibility=Visibility.PUBLIC, status__in=LISTED_STATUSES
    ).prefetch_related("goals")
    return _search(platforms, query=query, area=area, kind=kind).order_by("deadline", "pk")


def platform_list_recruiting():
    """Public platforms looking for people now, soonest deadline first."""
    return Platform.objects.filter(visibility=Visibility.PUBLIC, status=Status.RECRUITING).order_by(
        "deadline", "pk"
    )


def platform_list_archived(*, user, query: str = "", area: str = "", kind: str = ""):
    """Archived platforms: public ones, and private ones the user took part in."""
    visible = Q(visibility=Visibility.PUBLIC)
    if user.is_authenticated:
        visible |= Q(memberships__user=user)
    platforms = (
        Platform.objects.filter(visible, status=Status.ARCHIVED)
        .distinct()
        .prefetch_related("goals")
    )
    return _search(platforms, query=query, area=area, kind=kind).order_by(
        "-status_changed_at", "-pk"
    )


def platform_get_for_page(*, platform: Platform, with_members: bool) -> dict:
    """Everything the platform page shows, in a fixed number of queries. Without
    `with_members` (a reader who is not a member) the people are counted, not named;
    coordinators are named as the platform's contact."""
    memberships = list(
        Membership.objects.filter(platform=platform)
        .select_related("user", "organisation")
        .order_by("joined_at", "pk")
    )
    organisations = sorted(
        {m.organisation for m in memberships if m.organisation}, key=lambda o: o.name
    )
    return {
        "goals": list(platform.goals.all()),
        "coordinators": [m for m in memberships if m.role == Role.COORDINATOR],
        "memberships": memberships if with_members else [],
        "member_count": len(memberships),
        "organisations": organisations,
        "lifecycle": list(
            platform.events.filter(
                kind__in=[PlatformEvent.Kind.LAUNCHED, PlatformEvent.Kind.STATUS_CHANGED]
            )
            .select_related("actor")
            .order_by("created_at", "pk")
        ),
    }


def platform_list_for_user(*, user):
    """The user's platforms for the dashboard, with goals and their own role."""
    return (
        Platform.objects.filter(memberships__user=user)
        .annotate(
            pending_requests=Count(
                "join_requests", filter=Q(join_requests__status=JoinRequest.Status.PENDING)
            )
        )
        .prefetch_related(
            "goals",
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(user=user),
                to_attr="my_memberships",
            ),
        )
        .order_by("status", "deadline")
    )


def platform_deadlines_for_user(*, user):
    """The live platforms the user belongs to (not archived or cancelled), for their
    deadlines."""
    return (
        Platform.objects.filter(memberships__user=user)
        .exclude(status__in=ENDED_STATUSES)
        .order_by("deadline", "pk")
    )


def join_request_list_to_decide(*, user):
    """Pending join requests on platforms the user coordinates."""
    return (
        JoinRequest.objects.filter(
            status=JoinRequest.Status.PENDING,
            platform__memberships__user=user,
            platform__memberships__role=Role.COORDINATOR,
        )
        .select_related("platform", "user", "organisation")
        .order_by("created_at")
    )


def join_request_list_for_platform(*, platform, status=JoinRequest.Status.PENDING):
    return (
        JoinRequest.objects.filter(platform=platform, status=status)
        .select_related("user", "organisation", "decided_by")
        .order_by("created_at")
    )


def join_request_list_of_user(*, user):
    return (
        JoinRequest.objects.filter(user=user)
        .select_related("platform")
        .order_by("-created_at")[:20]
    )


def invitation_list_for_user(*, user):
    """Open invitations addressed to one of the user's verified email addresses."""
    emails = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    query = Q()
    for email in emails:
        query |= Q(email__iexact=email)
    if not query:
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(
            query, status=Invitation.Status.PENDING, expires_at__gt=timezone.now()
        )
        .select_related("platform", "invited_by")
        .order_by("-created_at")
    )


def invitation_list_for_platform(*, platform):
    return platform.invitations.select_related("invited_by", "accepted_by").order_by("-created_at")


def event_list_for_platform(*, platform, kinds=None):
    """The platform's history, newest first; only `kinds` when given."""
    events = platform.events.select_related("actor", "subject").order_by("-created_at", "-pk")
    return events if kinds is None else events.filter(kind__in=kinds)


def revision_list_for_platform(*, platform):
    return CharterRevision.objects.filter(platform=platform).select_related("actor")


def platform_list_coordinated(*, user):
    """The platforms the user coordinates that are still at work (not ended)."""
    return Platform.objects.filter(
        memberships__user=user,
        memberships__role=Role.COORDINATOR,
        status__in=WRITABLE_STATUSES,
    )
