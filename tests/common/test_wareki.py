from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from common.templatetags.dates import with_wareki
from common.wareki import wareki


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 30), "令和8年11月30日"),
        (date(2019, 5, 1), "令和元年5月1日"),
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(1989, 1, 8), "平成元年1月8日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1926, 12, 24), ""),
    ],
)
def test_the_era_and_its_first_year(day, expected):
    assert wareki(day) == expected


def test_japanese_pages_add_the_era_in_brackets_english_ones_do_not():
    with translation.override("ja"):
        assert with_wareki(date(2026, 11, 30)) == "2026年11月30日（令和8年11月30日）"
    with translation.override("en"):
        assert with_wareki(date(2026, 11, 30)) == "November 30, 2026"


def test_a_moment_is_dated_in_tokyo():
    # 2026-12-31 20:00 UTC is already 2027-01-01 in Tokyo.
    moment = datetime(2026, 12, 31, 20, 0, tzinfo=ZoneInfo("UTC"))
    with translation.override("ja"):
        assert with_wareki(moment) == "2027年1月1日（令和9年1月1日）"


def test_anything_else_is_left_blank():
    assert with_wareki(None) == ""
    assert with_wareki("2026-11-30") == ""
