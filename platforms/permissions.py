"""Who may do what with a platform: plain functions of the reader's role and the
platform.

access_platform returns the platform with the reader's role (as Zulip's
access_stream_by_id returns the stream with the subscription): the role is read once,
in the same query, and passed to the predicates; nothing is memoised on a model
instance. A platform someone may not see is a 404, the same answer as a missing one,
so private platforms never leak their existence; its child objects (access_*) follow
the same rule. Services refuse (platforms.services.guards); pages ask the can_*
predicates only to decide which controls to show.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from common.ids import parse_id

from .models import (
    Goal,
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
CONTRIBUTOR_ROLES = {Role.COORDINATOR, Role.MEMBER}


def role_of(user, platform) -> str | None:
    """The user's role in the platform (one query), or None."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(platform=platform, user=user).values_list("role", flat=True)
    ).first()


def role_subquery(user, platform_ref: str = "pk"):
    """The user's role as a subquery over a queryset of platforms (or of rows with a
    platform: platform_ref="platform"), so a row and its reader's role come in one
    query."""
    memberships = Membership.objects.filter(platform=OuterRef(platform_ref), user=user)
    return Subquery(memberships.values("role")[:1])


def is_member(role) -> bool:
    return role is not None


def is_coordinator(role) -> bool:
    return role == Role.COORDINATOR


def is_contributor(role) -> bool:
    """Coordinators and members; observers only read."""
    return role in CONTRIBUTOR_ROLES


def is_writable(platform) -> bool:
    return platform.status in WRITABLE_STATUSES


def read_only_reason(platform) -> str | None:
    """Why nothing on the platform may change any more, in the one wording every page,
    service and socket uses; None while it is writable."""
    if platform.status == Status.ARCHIVED:
        return _("アーカイブ済みのプラットフォームは読むことだけができます。")
    if platform.status == Status.CANCELLED:
        return _("中止したプラットフォームは変更できません。")
    return None


def can_view_platform(user, role, platform) -> bool:
    if user.is_authenticated and user.is_staff:
        return True
    if is_member(role):
        return True
    if platform.status == Status.DRAFT:
        return False
    return platform.visibility == Visibility.PUBLIC


def can_edit_charter(role, platform) -> bool:
    return is_coordinator(role) and is_writable(platform)


def can_change_status(role, platform) -> bool:
    return is_coordinator(role) and platform.status != Status.ARCHIVED


def can_write_evaluation(role, platform) -> bool:
    return is_coordinator(role) and platform.status in EVALUATION_STATUSES


def can_manage_goals(role, platform) -> bool:
    return is_coordinator(role) and is_writable(platform)


def can_manage_members(role, platform) -> bool:
    return is_coordinator(role) and is_writable(platform)


def can_invite(role, platform) -> bool:
    return is_coordinator(role) and platform.status in INVITABLE_STATUSES


def access_report(user, platform_id):
    """A platform's report is for its members: (platform, role), a 404 where the
    platform is hidden, a 403 with the reason where it is only not theirs."""
    platform, role = access_platform(user, platform_id)
    if not is_member(role):
        raise PermissionDenied(_("報告書は、このプラットフォームの参加者だけが見られます。"))
    return platform, role


def can_export_platform(role, platform) -> bool:
    return is_coordinator(role)


def can_leave_platform(role, platform) -> bool:
    return is_member(role) and is_writable(platform)


def can_request_to_join(user, role, platform) -> bool:
    return (
        user.is_authenticated
        and platform.visibility == Visibility.PUBLIC
        and platform.status in JOINABLE_STATUSES
        and not is_member(role)
    )


def pending_join_request_of(user, platform) -> JoinRequest | None:
    if not user.is_authenticated:
        return None
    return JoinRequest.objects.filter(
        platform=platform, user=user, status=JoinRequest.Status.PENDING
    ).first()


def access_platform(user, platform_id) -> tuple[Platform, str | None]:
    """The platform and the user's role in it (None for a visitor), in one query, if
    the user may see it; otherwise the same 404 as a missing one."""
    platforms = Platform.objects.all()
    if user.is_authenticated:
        platforms = platforms.annotate(reader_role=role_subquery(user))
    try:
        platform = platforms.get(pk=parse_id(platform_id))
    except (Platform.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    role = getattr(platform, "reader_role", None)
    if not can_view_platform(user, role, platform):
        raise Http404
    return platform, role


def _child_or_404(queryset, object_id):
    try:
        return queryset.get(pk=parse_id(object_id))
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def access_goal(platform, goal_id) -> Goal:
    """A goal of a platform the reader may see (access_platform first)."""
    return _child_or_404(platform.goals.all(), goal_id)


def access_membership(role, platform, membership_id) -> Membership:
    """Someone's place in the platform: only members see who takes part; to anyone
    else it is the same 404 as a missing one."""
    if not can_see_members(role):
        raise Http404
    return _child_or_404(platform.memberships.select_related("user"), membership_id)


def access_join_request(user, role, platform, request_id) -> JoinRequest:
    """A join request, for its applicant and the platform's coordinators; to anyone
    else the same 404 as a missing one."""
    join_request = _child_or_404(platform.join_requests.select_related("user"), request_id)
    if join_request.user_id != user.pk and not is_coordinator(role):
        raise Http404
    return join_request


def access_platform_invitation(role, platform, invitation_id) -> Invitation:
    """An invitation by its id, for the platform's coordinators (the invited person
    holds the token instead: access_invitation)."""
    if not is_coordinator(role):
        raise Http404
    return _child_or_404(platform.invitations.all(), invitation_id)


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


def can_see_members(role) -> bool:
    """Names and roles of the people taking part."""
    return is_member(role)


def history_kinds_for(role) -> frozenset | None:
    """The kinds of history entries the reader may read; None for all of them."""
    return None if is_coordinator(role) else PUBLIC_EVENT_KINDS
