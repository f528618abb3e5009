"""A platform's goals: coordinators add, update and remove them; a goal linked to
board columns follows the number of cards in them (called by tasks)."""

from django.db import transaction

from notifications.services import notify

from .. import notices
from ..models import Goal, Platform, PlatformEvent
from .guards import event_record, locked, members, require_goal_manager

Kind = PlatformEvent.Kind


def _goal_guard(actor, platform) -> Platform:
    platform = locked(platform)
    require_goal_manager(actor, platform)
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
    _goal_changed(goal, before, actor)
    return goal


def _goal_changed(goal: Goal, before: int, actor, **extra) -> None:
    """Tells the members when the target is reached, and records the change."""
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
        }
        | extra,
    )


def _notify_goal_reached(goal: Goal, before: int, actor) -> None:
    if before < goal.target_value <= goal.current_value:
        notify(
            recipients=members(goal.platform),
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
    _goal_changed(goal, before, actor, source="board")
    return goal


@transaction.atomic
def goal_remove(*, actor, goal: Goal) -> None:
    _goal_guard(actor, goal.platform)
    event_record(
        platform=goal.platform, kind=Kind.GOAL_REMOVED, actor=actor, data={"title": goal.title}
    )
    goal.delete()
