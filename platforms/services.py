"""Every change of state of a platform.

Each function checks policy against the locked, current row, writes, and records a
PlatformEvent in the same transaction; that event is the seam notifications hook into.
Refusals raise PermissionDenied (the actor's role does not allow it) or
ValidationError (the platform's state or the input does not allow it), both with a
message for the person, and leave the database as it was.
"""

import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common.text import normalise_identifier, search_key
from members.models import OrganisationMembership, User
from notifications.services import email_send_later, notify

from . import live, notices
from . import permissions as policy
from .models import (
    CHARTER_FIELDS,
    EVALUATION_FIELDS,
    CharterRevision,
    Goal,
    Invitation,
    JoinRequest,
    Membership,
    Platform,
    PlatformEvent,
    Role,
    Status,
)

Kind = PlatformEvent.Kind

# The lifecycle: draft → recruiting → active → goal_met → archived, and cancel from
# draft, recruiting or active (cancelled → archived).
TRANSITIONS = {
    Status.DRAFT: {Status.RECRUITING, Status.CANCELLED},
    Status.RECRUITING: {Status.ACTIVE, Status.CANCELLED},
    Status.ACTIVE: {Status.GOAL_MET, Status.CANCELLED},
    Status.GOAL_MET: {Status.ARCHIVED},
    Status.CANCELLED: {Status.ARCHIVED},
    Status.ARCHIVED: set(),
}


def _members(platform, *, roles=None) -> list:
    memberships = Membership.objects.filter(platform=platform).select_related("user")
    if roles:
        memberships = memberships.filter(role__in=roles)
    return [m.user for m in memberships]


def event_record(*, platform, kind, actor, subject=None, data=None) -> PlatformEvent:
    return PlatformEvent.objects.create(
        platform=platform, kind=kind, actor=actor, subject=subject, data=data or {}
    )


def _locked(platform: Platform) -> Platform:
    """The current row, locked for the rest of the transaction (no-op on SQLite)."""
    return Platform.objects.select_for_update().get(pk=platform.pk)


def _refuse_if_read_only(platform: Platform) -> None:
    if platform.status == Status.ARCHIVED:
        raise ValidationError(_("アーカイブ済みのプラットフォームは変更できません。"))
    if platform.status == Status.CANCELLED:
        raise ValidationError(_("中止したプラットフォームは変更できません。"))


def _require_coordinator(actor, platform, message) -> None:
    if not policy.is_coordinator(actor, platform):
        raise PermissionDenied(message)


def _charter_snapshot(platform: Platform) -> dict:
    snapshot = {}
    for field in CHARTER_FIELDS:
        value = getattr(platform, field)
        snapshot[field] = value.isoformat() if hasattr(value, "isoformat") else value
    return snapshot


def _refresh_search_text(platform: Platform) -> None:
    platform.search_text = search_key(
        platform.name, platform.purpose, platform.area, platform.where, platform.what
    )


def _validate_deadline(deadline) -> None:
    if deadline is not None and deadline < timezone.localdate():
        raise ValidationError(
            {"deadline": _("期限に過去の日付は指定できません。今日以降の日付を入力してください。")}
        )


def _revision_add(*, platform, actor, changed_fields) -> CharterRevision:
    last = platform.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    return CharterRevision.objects.create(
        platform=platform,
        number=last + 1,
        charter=_charter_snapshot(platform),
        changed_fields=changed_fields,
        actor=actor,
    )


@transaction.atomic
def platform_launch(*, actor, data: dict, goals: list[dict] | None = None) -> Platform:
    """Creates a platform in draft with the actor as its coordinator.

    `data` holds the charter fields (CHARTER_FIELDS); `goals` is a list of
    {title, unit, target_value}.
    """
    _validate_deadline(data.get("deadline"))
    platform = Platform(created_by=actor, status=Status.DRAFT, **data)
    _refresh_search_text(platform)
    platform.full_clean()
    platform.save()
    Membership.objects.create(platform=platform, user=actor, role=Role.COORDINATOR)
    for position, goal in enumerate(goals or []):
        goal_obj = Goal(platform=platform, position=position, **goal)
        goal_obj.full_clean()
        goal_obj.save()
    _revision_add(platform=platform, actor=actor, changed_fields=list(CHARTER_FIELDS))
    event_record(platform=platform, kind=Kind.LAUNCHED, actor=actor)
    return platform


@transaction.atomic
def platform_charter_update(*, actor, platform: Platform, data: dict) -> Platform:
    """Edits the charter; the previous state stays in the history as a revision."""
    platform = _locked(platform)
    _require_coordinator(actor, platform, _("憲章を変更できるのはコーディネーターだけです。"))
    _refuse_if_read_only(platform)
    changed = [f for f in CHARTER_FIELDS if f in data and getattr(platform, f) != data[f]]
    if not changed:
        return platform
    if "deadline" in changed:
        _validate_deadline(data["deadline"])
    for field in changed:
        setattr(platform, field, data[field])
    _refresh_search_text(platform)
    platform.full_clean()
    platform.save()
    _revision_add(platform=platform, actor=actor, changed_fields=changed)
    event_record(platform=platform, kind=Kind.CHARTER_EDITED, actor=actor, data={"fields": changed})
    return platform


@transaction.atomic
def platform_transition(*, actor, platform: Platform, to_status: str) -> Platform:
    """Moves the platform one step along its lifecycle. Only coordinators may.

    Refusals say why: a step the lifecycle does not allow from the current state, a
    deadline already past when opening recruitment, archiving without an evaluation.
    """
    platform = _locked(platform)
    _require_coordinator(actor, platform, _("状態を変えられるのはコーディネーターだけです。"))
    if to_status not in Status.values:
        raise ValidationError(_("指定された状態はありません。"))
    from_status = platform.status
    if to_status not in TRANSITIONS[Status(from_status)]:
        raise ValidationError(
            _("「%(from)s」から「%(to)s」には進めません。")
            % {"from": Status(from_status).label, "to": Status(to_status).label}
        )
    if to_status == Status.RECRUITING and platform.deadline < timezone.localdate():
        raise ValidationError(
            _("期限が過ぎているため募集を始められません。先に憲章の期限を変更してください。")
        )
    if to_status == Status.ARCHIVED and not platform.has_evaluation:
        raise ValidationError(
            _("アーカイブする前に評価（成果・学んだこと・続いていくこと）を書いてください。")
        )
    platform.status = to_status
    platform.status_changed_at = timezone.now()
    platform.save(update_fields=["status", "status_changed_at", "updated_at"])
    if to_status in (Status.ARCHIVED, Status.CANCELLED):
        Invitation.objects.filter(platform=platform, status=Invitation.Status.PENDING).update(
            status=Invitation.Status.REVOKED, answered_at=timezone.now()
        )
        JoinRequest.objects.filter(platform=platform, status=JoinRequest.Status.PENDING).update(
            status=JoinRequest.Status.DECLINED,
            decided_by=actor,
            decided_at=timezone.now(),
            decline_reason=_("プラットフォームが終了しました。"),
        )
    event_record(
        platform=platform,
        kind=Kind.STATUS_CHANGED,
        actor=actor,
        data={"from": from_status, "to": to_status},
    )
    notify(
        recipients=_members(platform),
        kind=notices.STATUS_CHANGED,
        platform=platform,
        actor=actor,
        data={"from": from_status, "to": to_status},
    )
    if to_status in (Status.ARCHIVED, Status.CANCELLED):
        live.announce_closed(platform)
    return platform


@transaction.atomic
def platform_evaluation_write(*, actor, platform: Platform, data: dict) -> Platform:
    """Writes the closing evaluation: only after the goal is met or the platform is
    cancelled, and before it is archived."""
    platform = _locked(platform)
    _require_coordinator(actor, platform, _("評価を書けるのはコーディネーターだけです。"))
    if platform.status not in policy.EVALUATION_STATUSES:
        raise ValidationError(
            _("評価は「目標達成」または「中止」にしてから、アーカイブの前に書きます。")
        )
    if not (data.get("outcome") or "").strip():
        raise ValidationError({"outcome": _("成果を書いてください。")})
    for field in EVALUATION_FIELDS:
        if field in data:
            setattr(platform, field, data[field])
    platform.evaluated_at = timezone.now()
    platform.full_clean()
    platform.save()
    event_record(platform=platform, kind=Kind.EVALUATION_WRITTEN, actor=actor)
    return platform


def _goal_guard(actor, platform) -> Platform:
    platform = _locked(platform)
    _require_coordinator(actor, platform, _("目標を変更できるのはコーディネーターだけです。"))
    _refuse_if_read_only(platform)
    return platform


@transaction.atomic
def goal_add(*, actor, platform: Platform, title: str, target_value: int, unit: str = "") -> Goal:
    platform = _goal_guard(actor, platform)
    position = platform.goals.count()
    goal = Goal(
        platform=platform, title=title, target_value=target_value, unit=unit, position=position
    )
    goal.full_clean()
    goal.save()
    event_record(platform=platform, kind=Kind.GOAL_ADDED, actor=actor, data={"goal": goal.pk})
    return goal


@transaction.atomic
def goal_update(*, actor, goal: Goal, data: dict) -> Goal:
    """Coordinators update a goal's wording, target or current value."""
    _goal_guard(actor, goal.platform)
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    before = goal.current_value
    for field in ("title", "unit", "target_value", "current_value"):
        if field in data:
            setattr(goal, field, data[field])
    goal.full_clean()
    goal.save()
    _notify_goal_reached(goal, before, actor)
    event_record(
        platform=goal.platform,
        kind=Kind.GOAL_UPDATED,
        actor=actor,
        data={
            "goal": goal.pk,
            "title": goal.title,
            "from": before,
            "to": goal.current_value,
            "target": goal.target_value,
            "reached": goal.is_reached,
        },
    )
    return goal


def _notify_goal_reached(goal: Goal, before: int, actor) -> None:
    if before < goal.target_value <= goal.current_value:
        notify(
            recipients=_members(goal.platform),
            kind=notices.GOAL_REACHED,
            platform=goal.platform,
            actor=None,
            data={"goal_title": goal.title, "by": actor.name if actor else ""},
        )


@transaction.atomic
def goal_progress_from_board(*, actor, goal: Goal, value: int) -> Goal:
    """A goal linked to board columns follows the number of cards in them. Called by
    the board services inside their transaction; records the change like a manual
    update, with the member whose move caused it."""
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    if goal.current_value == value:
        return goal
    before = goal.current_value
    goal.current_value = value
    goal.save(update_fields=["current_value", "updated_at"])
    _notify_goal_reached(goal, before, actor)
    event_record(
        platform=goal.platform,
        kind=Kind.GOAL_UPDATED,
        actor=actor,
        data={
            "goal": goal.pk,
            "title": goal.title,
            "from": before,
            "to": value,
            "target": goal.target_value,
            "reached": goal.is_reached,
            "source": "board",
        },
    )
    return goal


@transaction.atomic
def goal_remove(*, actor, goal: Goal) -> None:
    _goal_guard(actor, goal.platform)
    event_record(
        platform=goal.platform, kind=Kind.GOAL_REMOVED, actor=actor, data={"title": goal.title}
    )
    goal.delete()


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
    platform = _locked(platform)
    if policy.is_member(actor, platform):
        raise ValidationError(_("すでにこのプラットフォームの参加者です。"))
    if platform.visibility != "public":
        raise ValidationError(_("このプラットフォームは招待された人だけが参加できます。"))
    if platform.status not in policy.JOINABLE_STATUSES:
        raise ValidationError(_("このプラットフォームは今は参加を受け付けていません。"))
    if policy.pending_join_request_of(actor, platform):
        raise ValidationError(_("参加申請はすでに送られています。判断をお待ちください。"))
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
        recipients=_members(platform, roles=[Role.COORDINATOR]),
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
    platform = _locked(join_request.platform)
    _require_coordinator(actor, platform, _("参加申請を判断できるのはコーディネーターだけです。"))
    _refuse_if_read_only(platform)
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
    _refuse_if_read_only(_locked(join_request.platform))
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.user_id != actor.pk:
        raise PermissionDenied(_("取り下げられるのは申請した本人だけです。"))
    if join_request.status != JoinRequest.Status.PENDING:
        raise ValidationError(_("この参加申請はすでに処理されています。"))
    join_request.status = JoinRequest.Status.WITHDRAWN
    join_request.decided_at = timezone.now()
    join_request.save()
    event_record(platform=join_request.platform, kind=Kind.JOIN_WITHDRAWN, actor=actor)
    return join_request


@transaction.atomic
def invitation_create(
    *, actor, platform: Platform, email: str, role: str = Role.MEMBER, message: str = ""
) -> Invitation:
    """Invites someone by email, with or without an account. The email is sent after
    commit through the notifications outbox (retried, swept when its job is lost); the
    invitation expires after INVITATION_VALID_DAYS."""
    platform = _locked(platform)
    _require_coordinator(actor, platform, _("招待できるのはコーディネーターだけです。"))
    if platform.status not in policy.INVITABLE_STATUSES:
        raise ValidationError(_("このプラットフォームは今は招待できません。"))
    if role not in Role.values:
        raise ValidationError({"role": _("指定された役割はありません。")})
    email = normalise_identifier(email).lower()
    if Membership.objects.filter(platform=platform, user__email__iexact=email).exists():
        raise ValidationError({"email": _("この方はすでに参加者です。")})
    if Invitation.objects.filter(
        platform=platform, email__iexact=email, status=Invitation.Status.PENDING
    ).exists():
        raise ValidationError(
            {
                "email": _(
                    "このメールアドレスにはすでに招待を送っています。取り消してから送り直してください。"
                )
            }
        )
    invitation = Invitation(
        platform=platform,
        email=email,
        role=role,
        message=(message or "").strip(),
        token=secrets.token_urlsafe(32),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:
        raise ValidationError(
            {"email": _("このメールアドレスにはすでに招待を送っています。")}
        ) from None
    event_record(platform=platform, kind=Kind.INVITATION_SENT, actor=actor, data={"email": email})
    notify(
        recipients=User.objects.filter(email__iexact=email),
        kind=notices.INVITED,
        platform=platform,
        actor=actor,
        url=invitation.get_absolute_url(),
    )
    email_send_later(message="platforms.invitation", ref=invitation.pk, address=email)
    return invitation


@transaction.atomic
def invitation_revoke(*, actor, invitation: Invitation) -> Invitation:
    platform = _locked(invitation.platform)
    _require_coordinator(actor, platform, _("招待を取り消せるのはコーディネーターだけです。"))
    _refuse_if_read_only(platform)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(_("この招待はすでに使われたか、取り消されています。"))
    invitation.status = Invitation.Status.REVOKED
    invitation.answered_at = timezone.now()
    invitation.save()
    event_record(
        platform=platform,
        kind=Kind.INVITATION_REVOKED,
        actor=actor,
        data={"email": invitation.email},
    )
    return invitation


def _open_invitation_for(actor, invitation: Invitation) -> Invitation:
    """The invitation, locked, if it can still be answered by the actor. The caller
    holds the platform's lock."""
    invitation = (
        Invitation.objects.select_for_update().select_related("platform").get(pk=invitation.pk)
    )
    if invitation.platform.status not in policy.INVITABLE_STATUSES:
        raise ValidationError(_("このプラットフォームは今は参加を受け付けていません。"))
    if invitation.status == Invitation.Status.REVOKED:
        raise ValidationError(_("この招待は取り消されました。"))
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(_("この招待にはすでに返事をしています。"))
    if invitation.expires_at <= timezone.now():
        raise ValidationError(
            _("この招待は有効期限が切れています。コーディネーターに再送を頼んでください。")
        )
    if not _has_verified_email(actor, invitation.email):
        raise PermissionDenied(
            _("この招待は %(email)s あてです。そのメールアドレスでログインしてください。")
            % {"email": invitation.email}
        )
    return invitation


def _has_verified_email(user, email: str) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


@transaction.atomic
def invitation_accept(*, actor, invitation: Invitation) -> Membership:
    """The invited person (signed in with the invited, verified email) joins."""
    platform = _locked(invitation.platform)
    invitation = _open_invitation_for(actor, invitation)
    membership, created = Membership.objects.get_or_create(
        platform=platform, user=actor, defaults={"role": invitation.role}
    )
    invitation.status = Invitation.Status.ACCEPTED
    invitation.accepted_by = actor
    invitation.answered_at = timezone.now()
    invitation.save()
    JoinRequest.objects.filter(
        platform=platform, user=actor, status=JoinRequest.Status.PENDING
    ).update(status=JoinRequest.Status.APPROVED, decided_at=timezone.now())
    event_record(
        platform=platform,
        kind=Kind.INVITATION_ACCEPTED,
        actor=actor,
        data={"role": membership.role, "new": created},
    )
    return membership


@transaction.atomic
def invitation_decline(*, actor, invitation: Invitation) -> Invitation:
    _locked(invitation.platform)
    invitation = _open_invitation_for(actor, invitation)
    invitation.status = Invitation.Status.DECLINED
    invitation.answered_at = timezone.now()
    invitation.save()
    event_record(platform=invitation.platform, kind=Kind.INVITATION_DECLINED, actor=actor)
    return invitation


def _coordinator_count(platform) -> int:
    return Membership.objects.filter(platform=platform, role=Role.COORDINATOR).count()


@transaction.atomic
def membership_leave(*, actor, platform: Platform) -> None:
    """Leaves the platform. The last coordinator must hand over first."""
    platform = _locked(platform)
    _refuse_if_read_only(platform)
    membership = Membership.objects.filter(platform=platform, user=actor).first()
    if membership is None:
        raise ValidationError(_("このプラットフォームには参加していません。"))
    if membership.role == Role.COORDINATOR and _coordinator_count(platform) == 1:
        raise ValidationError(
            _(
                "最後のコーディネーターは抜けられません。先に他の参加者をコーディネーターにしてください。"
            )
        )
    membership.delete()
    event_record(platform=platform, kind=Kind.MEMBER_LEFT, actor=actor)
    live.announce_member_gone(platform, actor.pk, "left")


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    """A coordinator removes another participant (not themselves: that is leaving)."""
    platform = _locked(membership.platform)
    _require_coordinator(actor, platform, _("参加者を外せるのはコーディネーターだけです。"))
    _refuse_if_read_only(platform)
    membership = Membership.objects.filter(pk=membership.pk).select_related("user").first()
    if membership is None:
        raise ValidationError(_("この方はすでに参加者ではありません。"))
    if membership.user_id == actor.pk:
        raise ValidationError(_("自分を外すには「退出する」を使ってください。"))
    if membership.role == Role.COORDINATOR and _coordinator_count(platform) == 1:
        raise ValidationError(_("最後のコーディネーターは外せません。"))
    subject = membership.user
    membership.delete()
    live.announce_member_gone(platform, subject.pk, "removed")
    event_record(
        platform=platform,
        kind=Kind.MEMBER_REMOVED,
        actor=actor,
        subject=subject,
        data={"name": subject.name},
    )
    notify(
        recipients=[subject],
        kind=notices.REMOVED,
        platform=platform,
        actor=actor,
        url=reverse("platforms:dashboard"),
    )


@transaction.atomic
def membership_role_change(*, actor, membership: Membership, role: str) -> Membership:
    """A coordinator changes a participant's role: promote to coordinator, make an
    observer, or hand over (a coordinator may step down while another remains)."""
    platform = _locked(membership.platform)
    _require_coordinator(actor, platform, _("役割を変えられるのはコーディネーターだけです。"))
    _refuse_if_read_only(platform)
    if role not in Role.values:
        raise ValidationError(_("指定された役割はありません。"))
    membership = Membership.objects.select_for_update().filter(pk=membership.pk).first()
    if membership is None:
        raise ValidationError(_("この方はすでに参加者ではありません。"))
    if membership.role == role:
        return membership
    if membership.role == Role.COORDINATOR and _coordinator_count(platform) == 1:
        raise ValidationError(
            _(
                "最後のコーディネーターの役割は変えられません。先に他の参加者をコーディネーターにしてください。"
            )
        )
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    live.announce_role_changed(platform, membership.user_id)
    event_record(
        platform=platform,
        kind=Kind.ROLE_CHANGED,
        actor=actor,
        subject=membership.user,
        data={"from": before, "to": role},
    )
    if role == Role.COORDINATOR:
        notify(
            recipients=[membership.user],
            kind=notices.MADE_COORDINATOR,
            platform=platform,
            actor=actor,
        )
    return membership
