from datetime import datetime

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
