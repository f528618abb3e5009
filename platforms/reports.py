"""A platform's report (事業報告) for funders and for the record: purpose and 5W2H,
goals with results, who took part (organisations and numbers, never names), the
lifecycle's timeline, the evaluation, and what apps above platforms add (tasks: a
summary of each board). The same for every reader, because paper leaves the hub:
confidential cards appear only as counts. Shown as a print view and as an .xlsx."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import EVALUATION_FIELDS, Platform, PlatformEvent, Role, Status

# The charter in the report, in 5W2H order (name and visibility are the page's own).
REPORT_CHARTER_FIELDS = ["purpose", "why", "who", "where", "area", "deadline", "what", "how"]
TIMELINE_KINDS = (
    PlatformEvent.Kind.LAUNCHED,
    PlatformEvent.Kind.STATUS_CHANGED,
    PlatformEvent.Kind.EVALUATION_WRITTEN,
)


@dataclass(frozen=True)
class BoardSummary:
    """One board in the report, as an app above platforms registers it."""

    name: str
    columns: list[tuple[str, int]]  # (column, cards in it now)
    archived_cards: int
    done_column: str  # the last column: the work done
    done_titles: list[str]  # its cards that are not confidential
    done_confidential: int  # its confidential cards, only counted


@dataclass(frozen=True)
class TimelineEntry:
    day: date
    text: str


@dataclass
class Report:
    platform: Platform
    charter: list[tuple[str, object]]
    goals: list[dict]
    people: int
    roles: list[tuple[str, int]]
    organisations: list[tuple[str, int]]
    without_organisation: int
    timeline: list[TimelineEntry]
    evaluation: list[tuple[str, str]]
    boards: list[BoardSummary] = field(default_factory=list)
    made_at: datetime = field(default_factory=timezone.now)


_BOARD_SUMMARY: list[Callable[[Platform], list[BoardSummary]]] = []


def register_board_summary(summary: Callable[[Platform], list[BoardSummary]]):
    _BOARD_SUMMARY.append(summary)
    return summary


def _label(name: str) -> str:
    return str(Platform._meta.get_field(name).verbose_name)


def _charter(platform: Platform) -> list[tuple[str, object]]:
    rows = [(_label(name), getattr(platform, name)) for name in REPORT_CHARTER_FIELDS]
    budget = (
        _("%(yen)s円") % {"yen": f"{platform.budget:,}"}
        if platform.budget is not None
        else _("未定")
    )
    rows.append((_label("budget"), budget))
    if platform.funding:
        rows.append((_label("funding"), platform.funding))
    return rows


def _goals(platform: Platform) -> list[dict]:
    return [
        {
            "title": goal.title,
            "unit": goal.unit,
            "target": goal.target_value,
            "result": goal.current_value,
            "percent": goal.percent,
            "met": goal.current_value >= goal.target_value,
        }
        for goal in platform.goals.all()
    ]


def _timeline(platform: Platform) -> list[TimelineEntry]:
    entries = []
    events = platform.events.filter(kind__in=TIMELINE_KINDS).order_by("created_at", "pk")
    for event in events:
        day = timezone.localtime(event.created_at).date()
        if event.kind == PlatformEvent.Kind.STATUS_CHANGED:
            before, after = event.data.get("from"), event.data.get("to")
            if before in Status.values and after in Status.values:
                text = _("状態の変更：%(from)s → %(to)s") % {
                    "from": Status(before).label,
                    "to": Status(after).label,
                }
            else:
                text = event.get_kind_display()
        else:
            text = event.get_kind_display()
        entries.append(TimelineEntry(day, text))
    return entries


def platform_report(platform: Platform) -> Report:
    memberships = list(platform.memberships.select_related("organisation"))
    by_role = Counter(m.role for m in memberships)
    by_organisation = Counter(m.organisation.name for m in memberships if m.organisation)
    report = Report(
        platform=platform,
        charter=_charter(platform),
        goals=_goals(platform),
        people=len(memberships),
        roles=[(Role(role).label, by_role[role]) for role in Role.values if by_role[role]],
        organisations=sorted(by_organisation.items()),
        without_organisation=sum(1 for m in memberships if m.organisation is None),
        timeline=_timeline(platform),
        evaluation=[(_label(name), getattr(platform, name)) for name in EVALUATION_FIELDS],
    )
    for summary in _BOARD_SUMMARY:
        report.boards.extend(summary(platform))
    return report
