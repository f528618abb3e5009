"""A platform's report: a print view (A4) and the same as an .xlsx, for members."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from common.spreadsheet import Sheet, xlsx_response
from common.wareki import wareki

from .. import permissions as policy
from ..reports import Report, platform_report


@login_required
@require_GET
def platform_report_view(request, platform_id):
    platform, role = policy.access_report(request.user, platform_id)
    return render(request, "platforms/platform_report.html", {"report": platform_report(platform)})


@login_required
@require_GET
def platform_report_xlsx(request, platform_id):
    platform, role = policy.access_report(request.user, platform_id)
    return xlsx_response(f"platform-{platform.pk}-report", report_sheets(platform_report(platform)))


def _day(value) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _cell(value):
    """A date as people write it (with the 和暦), other values as they are."""
    if hasattr(value, "year") and hasattr(value, "day"):
        return f"{_day(value)}（{wareki(value)}）"
    return "" if value is None else value


def report_sheets(report: Report) -> list[Sheet]:
    """One sheet per part of the report, with Japanese headers."""
    platform = report.platform
    participation = [[name, count] for name, count in report.organisations]
    if report.without_organisation:
        participation.append([_("団体に属さない個人"), report.without_organisation])
    participation.append([_("合計（人）"), report.people])
    participation += [[_("役割：%(role)s") % {"role": role}, count] for role, count in report.roles]
    boards = []
    for board in report.boards:
        for column, count in board.columns:
            boards.append([board.name, column, count])
        boards.append([board.name, _("アーカイブしたカード"), board.archived_cards])
    done = []
    for board in report.boards:
        done += [[board.name, board.done_column, title] for title in board.done_titles]
        if board.done_confidential:
            done.append(
                [
                    board.name,
                    board.done_column,
                    _("非公開のカード %(n)d枚") % {"n": board.done_confidential},
                ]
            )
    return [
        Sheet(
            _("概要"),
            [_("項目"), _("内容")],
            [[_("名称"), platform.name], [_("状態"), platform.get_status_display()]]
            + [[label, _cell(value)] for label, value in report.charter],
        ),
        Sheet(
            _("目標"),
            [_("目標"), _("単位"), _("目標値"), _("実績"), _("達成率（％）"), _("達成")],
            [
                [
                    g["title"],
                    g["unit"],
                    g["target"],
                    g["result"],
                    g["percent"],
                    _("達成") if g["met"] else "",
                ]
                for g in report.goals
            ],
        ),
        Sheet(_("参加"), [_("団体・区分"), _("人数")], participation),
        Sheet(
            _("経過"),
            [_("日付"), _("和暦"), _("出来事")],
            [[_day(entry.day), wareki(entry.day), entry.text] for entry in report.timeline],
        ),
        Sheet(
            _("評価"),
            [_("項目"), _("内容")],
            [[label, value] for label, value in report.evaluation],
        ),
        Sheet(_("ボード"), [_("ボード"), _("列"), _("カード数")], boards),
        Sheet(_("完了した仕事"), [_("ボード"), _("列"), _("カード")], done),
    ]
