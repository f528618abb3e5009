"""Dates in the Japanese era calendar (和暦), which forms and reports for public bodies
in Japan still ask for beside the Western year."""

from datetime import date

# Each era from its first day, newest first.
ERAS = (
    (date(2019, 5, 1), "令和"),
    (date(1989, 1, 8), "平成"),
    (date(1926, 12, 25), "昭和"),
)


def wareki(day: date) -> str:
    """令和8年11月30日; the first year of an era is 元年. Empty before 昭和."""
    for start, name in ERAS:
        if day >= start:
            year = day.year - start.year + 1
            return f"{name}{'元' if year == 1 else year}年{day.month}月{day.day}日"
    return ""
