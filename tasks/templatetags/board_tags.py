from datetime import date, datetime

from django import template

register = template.Library()


@register.filter
def as_datetime(value):
    """An ISO timestamp from an event payload as a datetime, so templates show it in
    Asia/Tokyo like every other date."""
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@register.filter
def as_date(value):
    """An ISO date from a card payload ("2026-11-30") as a date, so templates show it
    as every other date is shown (2026年11月30日), as board.js does."""
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
