"""A platform's life: launch (draft, with the actor as coordinator), the charter and
its revisions, the steps draft → recruiting → active → goal met → archived (or
cancelled → archived), and the closing evaluation."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.text import search_key
from notifications.services import notify

from .. import closing, live, notices
from ..models import (
    CHARTER_FIELDS,
    ENDED_STATUSES,
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
from .guards import (
    event_record,
    locked,
    members,
    require_charter_editor,
    require_evaluator,
    require_status_changer,
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


def _charter_snapshot(platform: Platform) -> dict:
    snapshot = {}
    for field in CHARTER_FIELDS:
        value = getattr(platform, field)
        snapshot[field] = value.isoformat() if hasattr(value, "isoformat") else value
    return snapshot


def refresh_search_text(platform: Platform) -> None:
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
    refresh_search_text(platform)
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
    platform = locked(platform)
    require_charter_editor(actor, platform)
    changed = [f for f in CHARTER_FIELDS if f in data and getattr(platform, f) != data[f]]
    if not changed:
        return platform
    if "deadline" in changed:
        _validate_deadline(data["deadline"])
    for field in changed:
        setattr(platform, field, data[field])
    refresh_search_text(platform)
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
    platform = locked(platform)
    require_status_changer(actor, platform)
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
    if to_status == Status.ARCHIVED and (problems := closing.problems_before_archive(platform)):
        raise ValidationError(problems)
    platform.status = to_status
    platform.status_changed_at = timezone.now()
    platform.save(update_fields=["status", "status_changed_at", "updated_at"])
    if to_status in ENDED_STATUSES:
        Invitation.objects.filter(platform=platform, status=Invitation.Status.PENDING).update(
            status=Invitation.Status.REVOKED, answered_at=timezone.now()
        )
        JoinRequest.objects.filter(platform=platform, status=JoinRequest.Status.PENDING).update(
            status=JoinRequest.Status.DECLINED,
            decided_by=actor,
            decided_at=timezone.now(),
            decline_reason=_("プラットフォームが終了しました。"),
        )
    if to_status == Status.ARCHIVED:
        closing.run_archive_steps(platform, actor)
    event_record(
        platform=platform,
        kind=Kind.STATUS_CHANGED,
        actor=actor,
        data={"from": from_status, "to": to_status},
    )
    notify(
        recipients=members(platform),
        kind=notices.STATUS_CHANGED,
        platform=platform,
        actor=actor,
        data={"from": from_status, "to": to_status},
    )
    if to_status in ENDED_STATUSES:
        live.announce_closed(platform)
    return platform


def next_statuses(platform: Platform) -> list[Status]:
    """The steps the lifecycle allows from here (the status buttons)."""
    return [Status(s) for s in TRANSITIONS[Status(platform.status)]]


@transaction.atomic
def platform_evaluation_write(*, actor, platform: Platform, data: dict) -> Platform:
    """Writes the closing evaluation: only after the goal is met or the platform is
    cancelled, and before it is archived."""
    platform = locked(platform)
    require_evaluator(actor, platform)
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
