"""What every platform service starts with: the current row, locked, and the checks
that refuse, each refusal in one wording.

PermissionDenied: the actor's role does not allow it, or the platform is read-only
(archived or cancelled: permissions.read_only_reason). ValidationError: the input, or
a step the lifecycle does not allow now. Views call the require_* guards before they
show a form, so a person who may not act is told the same words as the service would
tell them.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from .. import permissions as policy
from ..models import Membership, Platform, PlatformEvent, Role, Status


def locked(platform: Platform) -> Platform:
    """The current row, locked for the rest of the transaction (no-op on SQLite)."""
    return Platform.objects.select_for_update().get(pk=platform.pk)


def members(platform, *, roles=None) -> list:
    memberships = Membership.objects.filter(platform=platform).select_related("user")
    if roles:
        memberships = memberships.filter(role__in=roles)
    return [m.user for m in memberships]


def coordinator_count(platform) -> int:
    return Membership.objects.filter(platform=platform, role=Role.COORDINATOR).count()


def event_record(*, platform, kind, actor, subject=None, data=None) -> PlatformEvent:
    return PlatformEvent.objects.create(
        platform=platform, kind=kind, actor=actor, subject=subject, data=data or {}
    )


def require_writable(platform) -> None:
    reason = policy.read_only_reason(platform)
    if reason is not None:
        raise PermissionDenied(reason)


def _require_coordinator(actor, platform, refusal: str) -> None:
    if not policy.is_coordinator(policy.role_of(actor, platform)):
        raise PermissionDenied(refusal)


def require_charter_editor(actor, platform) -> None:
    _require_coordinator(actor, platform, _("憲章を変更できるのはコーディネーターだけです。"))
    require_writable(platform)


def require_status_changer(actor, platform) -> None:
    """A cancelled platform is read-only, but its coordinators still archive it; an
    archived one has no step left."""
    _require_coordinator(actor, platform, _("状態を変えられるのはコーディネーターだけです。"))
    if platform.status == Status.ARCHIVED:
        require_writable(platform)


def require_evaluator(actor, platform) -> None:
    _require_coordinator(actor, platform, _("評価を書けるのはコーディネーターだけです。"))
    if platform.status not in policy.EVALUATION_STATUSES:
        raise ValidationError(
            _("評価は「目標達成」または「中止」にしてから、アーカイブの前に書きます。")
        )


def require_goal_manager(actor, platform) -> None:
    _require_coordinator(actor, platform, _("目標を変更できるのはコーディネーターだけです。"))
    require_writable(platform)


def require_join_request_decider(actor, platform) -> None:
    _require_coordinator(actor, platform, _("参加申請を判断できるのはコーディネーターだけです。"))
    require_writable(platform)


def require_inviter(actor, platform) -> None:
    _require_coordinator(actor, platform, _("招待できるのはコーディネーターだけです。"))
    require_writable(platform)
    if platform.status not in policy.INVITABLE_STATUSES:
        raise ValidationError(_("このプラットフォームは今は招待できません。"))


def require_invitation_revoker(actor, platform) -> None:
    _require_coordinator(actor, platform, _("招待を取り消せるのはコーディネーターだけです。"))
    require_writable(platform)


def require_member_remover(actor, platform) -> None:
    _require_coordinator(actor, platform, _("参加者を外せるのはコーディネーターだけです。"))
    require_writable(platform)


def require_role_changer(actor, platform) -> None:
    _require_coordinator(actor, platform, _("役割を変えられるのはコーディネーターだけです。"))
    require_writable(platform)


def require_member(actor, platform) -> None:
    if not policy.is_member(policy.role_of(actor, platform)):
        raise PermissionDenied(_("このプラットフォームには参加していません。"))


def require_coordinator_page(actor, platform) -> None:
    """The coordinators' own pages: join requests, invitations, the export."""
    _require_coordinator(actor, platform, _("このページはコーディネーターだけが見られます。"))
