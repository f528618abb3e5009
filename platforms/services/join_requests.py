"""Asking to join a public platform, and the coordinators' decision."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import OrganisationMembership
from notifications.services import notify

from .. import notices
from .. import permissions as policy
from ..models import JoinRequest, Membership, Platform, PlatformEvent, Role, Visibility
from .guards import (
    event_record,
    locked,
    members,
    require_join_request_decider,
    require_writable,
)

Kind = PlatformEvent.Kind


def require_join_requester(actor, platform) -> None:
    """Whether the actor may ask to join now: PermissionDenied for an invitation-only
    or read-only platform; ValidationError when there is nothing to ask now (already
    in, already asked, not recruiting): the page says so and goes back."""
    if policy.is_member(policy.role_of(actor, platform)):
        raise ValidationError(_("すでにこのプラットフォームの参加者です。"))
    if platform.visibility != Visibility.PUBLIC:
        raise PermissionDenied(_("このプラットフォームは招待された人だけが参加できます。"))
    require_writable(platform)
    if platform.status not in policy.JOINABLE_STATUSES:
        raise ValidationError(_("このプラットフォームは今は参加を受け付けていません。"))
    if policy.pending_join_request_of(actor, platform):
        raise ValidationError(_("参加申請はすでに送られています。判断をお待ちください。"))


def _organisation_for(actor, organisation):
    """An organisation the actor may speak for (an active member of it), or None."""
    if organisation is None:
        return None
    belongs = OrganisationMembership.objects.filter(
        organisation=organisation, user=actor, status=OrganisationMembership.Status.ACTIVE
    ).exists()
    if not belongs:
        raise ValidationError({"organisation": _("所属している団体の名義でだけ申請できます。")})
    return organisation


@transaction.atomic
def join_request_create(*, actor, platform: Platform, message: str, organisation=None):
    """Asks to join a public platform that is recruiting or active."""
    platform = locked(platform)
    require_join_requester(actor, platform)
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("ひとことメッセージを書いてください。")})
    join_request = JoinRequest(
        platform=platform,
        user=actor,
        organisation=_organisation_for(actor, organisation),
        message=message,
    )
    join_request.full_clean()
    join_request.save()
    event_record(
        platform=platform, kind=Kind.JOIN_REQUESTED, actor=actor, data={"request": join_request.pk}
    )
    notify(
        recipients=members(platform, roles=[Role.COORDINATOR]),
        kind=notices.JOIN_REQUESTED,
        platform=platform,
        actor=actor,
        url=reverse("platforms:join-request-list", args=[platform.pk]),
    )
    return join_request


@transaction.atomic
def join_request_decide(*, actor, join_request: JoinRequest, approve: bool, reason: str = ""):
    """A coordinator approves (the applicant becomes a member) or declines with an
    optional reason. A request already decided is refused, so a replayed POST does
    nothing."""
    platform = locked(join_request.platform)
    require_join_request_decider(actor, platform)
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.status != JoinRequest.Status.PENDING:
        raise ValidationError(_("この参加申請はすでに処理されています。"))
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    if approve:
        if platform.status not in policy.JOINABLE_STATUSES:
            raise ValidationError(_("このプラットフォームは今は参加を受け付けていません。"))
        join_request.status = JoinRequest.Status.APPROVED
        join_request.save()
        Membership.objects.get_or_create(
            platform=platform,
            user=join_request.user,
            defaults={"role": Role.MEMBER, "organisation": join_request.organisation},
        )
        kind = Kind.JOIN_APPROVED
    else:
        join_request.status = JoinRequest.Status.DECLINED
        join_request.decline_reason = (reason or "").strip()
        join_request.full_clean()
        join_request.save()
        kind = Kind.JOIN_DECLINED
    event_record(
        platform=platform,
        kind=kind,
        actor=actor,
        subject=join_request.user,
        data={"request": join_request.pk},
    )
    notify(
        recipients=[join_request.user],
        kind=notices.JOIN_APPROVED if approve else notices.JOIN_DECLINED,
        platform=platform,
        actor=actor,
        data={"reason": join_request.decline_reason},
    )
    return join_request


@transaction.atomic
def join_request_withdraw(*, actor, join_request: JoinRequest) -> JoinRequest:
    platform = locked(join_request.platform)
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.user_id != actor.pk:
        raise PermissionDenied(_("取り下げられるのは申請した本人だけです。"))
    require_writable(platform)
    if join_request.status != JoinRequest.Status.PENDING:
        raise ValidationError(_("この参加申請はすでに処理されています。"))
    join_request.status = JoinRequest.Status.WITHDRAWN
    join_request.decided_at = timezone.now()
    join_request.save()
    event_record(platform=platform, kind=Kind.JOIN_WITHDRAWN, actor=actor)
    return join_request
