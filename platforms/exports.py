"""The archive's exports: everything a platform keeps, as JSON and as CSV rows.

Members appear by name, role and organisation; email addresses stay out.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    CHARTER_FIELDS,
    EVALUATION_FIELDS,
    Platform,
    PlatformEvent,
    Role,
    Status,
    Visibility,
)

# What an exported history entry may carry from its data: never an email address
# (invitations record one) or anything else that identifies a person outside the hub.
EXPORTED_EVENT_KEYS = ("from", "to", "fields", "goal", "title", "request")


def _local(value):
    return timezone.localtime(value).isoformat() if value else None


@dataclass(frozen=True)
class ExportPart:
    """What an app above platforms adds to a platform's export (tasks: its boards):
    `data(platform, viewer)` returns the part as the exporting person may see it,
    `csv_rows(part)` its rows for the spreadsheet."""

    data: Callable
    csv_rows: Callable


_PARTS: dict[str, ExportPart] = {}


def register_part(name: str, part: ExportPart) -> None:
    _PARTS[name] = part


def platform_export_data(platform: Platform, viewer=None) -> dict:
    memberships = platform.memberships.select_related("user", "organisation")
    return {
        "id": platform.pk,
        "status": platform.status,
        "charter": {f: getattr(platform, f) for f in CHARTER_FIELDS},
        "evaluation": {f: getattr(platform, f) for f in EVALUATION_FIELDS}
        | {"evaluated_at": _local(platform.evaluated_at)},
        "goals": [
            {
                "title": g.title,
                "unit": g.unit,
                "target_value": g.target_value,
                "current_value": g.current_value,
            }
            for g in platform.goals.all()
        ],
        "members": [
            {
                "name": m.user.name,
                "role": m.role,
                "organisation": m.organisation.name if m.organisation else None,
                "joined_at": _local(m.joined_at),
            }
            for m in memberships
        ],
        "charter_revisions": [
            {
                "number": r.number,
                "changed_fields": r.changed_fields,
                "charter": r.charter,
                "by": r.actor.name if r.actor else None,
                "at": _local(r.created_at),
            }
            for r in platform.revisions.select_related("actor").order_by("number")
        ],
        "events": [
            {
                "kind": e.kind,
                "by": e.actor.name if e.actor else None,
                "about": e.subject.name if e.subject else None,
                "data": {k: v for k, v in e.data.items() if k in EXPORTED_EVENT_KEYS},
                "at": _local(e.created_at),
            }
            for e in platform.events.select_related("actor", "subject").order_by("created_at", "pk")
        ],
        **{name: part.data(platform, viewer) if viewer else [] for name, part in _PARTS.items()},
        "created_at": _local(platform.created_at),
        "exported_at": _local(timezone.now()),
    }


def event_description(kind: str, data: dict) -> str:
    """What happened, in words: 状態の変更：募集中 → 活動中, not status.changed."""
    try:
        text = str(PlatformEvent.Kind(kind).label)
    except ValueError:
        return kind
    before, after = data.get("from"), data.get("to")
    if kind == PlatformEvent.Kind.STATUS_CHANGED and {before, after} <= set(Status.values):
        text += f"：{Status(before).label} → {Status(after).label}"
    return text


def visibility_word(value: str) -> str:
    return _("公開") if value == Visibility.PUBLIC else _("非公開")


def platform_export_csv_rows(platform: Platform, viewer=None):
    """Rows of (section, item, value, extra) that open cleanly in Excel, in words
    people use (コーディネーター, 公開, 状態の変更：募集中 → 活動中), not the codes."""
    data = platform_export_data(platform, viewer)
    yield [_("区分"), _("項目"), _("内容"), _("補足")]
    for field in CHARTER_FIELDS:
        label = str(Platform._meta.get_field(field).verbose_name)
        value = data["charter"][field]
        if field == "visibility":
            value = visibility_word(value)
        yield [_("憲章"), label, value, ""]
    yield [_("憲章"), _("状態"), Status(data["status"]).label, ""]
    for field in EVALUATION_FIELDS:
        label = str(Platform._meta.get_field(field).verbose_name)
        yield [_("評価"), label, data["evaluation"][field], ""]
    for goal in data["goals"]:
        yield [
            _("目標"),
            goal["title"],
            f"{goal['current_value']} / {goal['target_value']}{goal['unit']}",
            "",
        ]
    for member in data["members"]:
        yield [
            _("参加者"),
            member["name"],
            Role(member["role"]).label,
            member["organisation"] or "",
        ]
    for name, part in _PARTS.items():
        yield from part.csv_rows(data[name])
    for event in data["events"]:
        yield [
            _("履歴"),
            event["at"],
            event_description(event["kind"], event["data"]),
            event["by"] or "",
        ]
