"""Who may do what with a platform: plain functions of a user and a platform.

Every view and service asks here. A platform someone may not see is a 404, the same
answer as a missing one, so private platforms never leak their existence.
"""

from django.http import Http404
from django.utils import timezone

from common.ids import parse_id

from .models import (
    Invitation,
    JoinRequest,
    Membership,
    Platform,
    PlatformEvent,
    Role,
    Status,
    Visibility,
)

WRITABLE_STATUSES = {Status.DRAFT, Status.RECRUITING, Status.ACTIVE, Status.GOAL_MET}
JOINABLE_STATUSES = {Status.RECRUITING, Status.ACTIVE}
INVITABLE_STATUSES = {Status.DRAFT, Status.RECRUITING, Status.ACTIVE}
EVALUATION_STATUSES = {Status.GOAL_MET, Status.CANCELLED}
LISTED_STATUSES = {Status.RECRUITING, Status.ACTIVE}
# At work: reminders about its cards and its deadline are sent.
OPEN_STATUSES = {Status.RECRUITING, Status.ACTIVE}


def membership_of(user, platform) -> Membership | None:
    """The user's membership, memoised on the platform object for the request."""
    if not user.is_authenticated:
        return None
    cache = platform.__dict__.setdefault("_membership_cache", {})
    if user.pk not in cache:
        cache[user.pk] = Membership.objects.filter(platform=platform, user=user).first()
    return cache[user.pk]


def remember_role(platform, user, role: str | None) -> None:
    """Primes membership_of's memo from a query that already read the user's role
    (tasks.services reads it with the board's lock). Only the role is known."""
    cache = platform.__dict__.setdefault("_membership_cache", {})
    cache[user.pk] = Membership(platform=platform, user=user, role=role) if role else None


def role_of(user, platform) -> str | None:
    membership = membership_of(user, platform)
    return membership.role if membership else None


def is_member(user, platform) -> bool:
    return membership_of(user, platform) is not None


def is_coordinator(user, platform) -> bool:
    return role_of(user, platform) == Role.COORDINATOR


def is_contributor(user, platform) -> bool:
    """Coordinators and members; observers only read."""
    return role_of(user, platform) in (Role.COORDINATOR, Role.MEMBER)


def is_writable(platform) -> bool:
    return platform.status in WRITABLE_STATUSES


def can_view_platform(user, platform) -> bool:
    if user.is_authenticated and user.is_staff:
        return True
    if is_member(user, platform):
        return True
    if platform.status == Status.DRAFT:
        return False
    return platform.visibility == Visibility.PUBLIC


def can_edit_charter(user, platform) -> bool:
    return is_coordinator(user, platform) and is_writable(platform)


def can_change_status(user, platform) -> bool:
    return is_coordinator(user, platform) and platform.status != Status.ARCHIVED


def can_write_evaluation(user, platform) -> bool:
    return is_coordinator(user, platform) and platform.status in EVALUATION_STATUSES


def can_manage_goals(user, platform) -> bool:
    return is_coordinator(user, platform) and is_writable(platform)


def can_manage_members(user, platform) -> bool:
    return is_coordinator(user, platform) and is_writable(platform)


def can_invite(user, platform) -> bool:
    return is_coordinator(user, platform) and platform.status in INVITABLE_STATUSES


def can_export_platform(user, platform) -> bool:
    return is_coordinator(user, platform)


def can_leave_platform(user, platform) -> bool:
    return is_member(user, platform) and is_writable(platform)


def can_request_to_join(user, platform) -> bool:
    return (
        user.is_authenticated
        and platform.visibility == Visibility.PUBLIC
        and platform.status in JOINABLE_STATUSES
        and not is_member(user, platform)
    )


def pending_join_request_of(user, platform) -> JoinRequest | None:
    if not user.is_authenticated:
        return None
    return JoinRequest.objects.filter(
        platform=platform, user=user, status=JoinRequest.Status.PENDING
    ).first()


def access_platform(user, platform_id, *, for_update: bool = False) -> Platform:
    """The platform if the user may see it; otherwise the same 404 as a missing one.

    With for_update the row is locked until the end of the transaction, so the caller
    must be inside one.
    """
    platforms = Platform.objects.all()
    if for_update:
        platforms = platforms.select_for_update()
    try:
        platform = platforms.get(pk=parse_id(platform_id))
    except (Platform.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if not can_view_platform(user, platform):
        raise Http404
    return platform


def access_invitation(token) -> Invitation:
    """An invitation by its secret token; unknown tokens are a 404."""
    try:
        return Invitation.objects.select_related("platform", "invited_by").get(token=str(token))
    except Invitation.DoesNotExist:
        raise Http404 from None


def invitation_is_open(invitation) -> bool:
    return (
        invitation.status == Invitation.Status.PENDING
        and invitation.expires_at > timezone.now()
        and invitation.platform.status in INVITABLE_STATUSES
    )


# People who are not members see the platform, its organisations, its coordinators (the
# contact) and counts; never who else takes part: a member may be a person receiving
# support. History about people (applications, approvals, invitations, leaving,
# removals, role changes) is for coordinators; the platform's own history is public.
PUBLIC_EVENT_KINDS = frozenset(
    {
        PlatformEvent.Kind.LAUNCHED,
        PlatformEvent.Kind.CHARTER_EDITED,
        PlatformEvent.Kind.STATUS_CHANGED,
        PlatformEvent.Kind.EVALUATION_WRITTEN,
        PlatformEvent.Kind.GOAL_ADDED,
        PlatformEvent.Kind.GOAL_UPDATED,
        PlatformEvent.Kind.GOAL_REMOVED,
    }
)


def can_see_members(user, platform) -> bool:
    """Names and roles of the people taking part."""
    return is_member(user, platform)


def history_kinds_for(user, platform) -> frozenset | None:
    """The kinds of history entries the user may read; None for all of them."""
    return None if is_coordinator(user, platform) else PUBLIC_EVENT_KINDS
