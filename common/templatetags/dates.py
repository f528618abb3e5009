from datetime import date, datetime

from django import template
from django.utils import formats, timezone, translation

from common.wareki import wareki

register = template.Library()


@register.filter
def with_wareki(value):
    """A date as the site shows dates, and in Japanese pages the 和暦 in brackets:
    2026年11月30日（令和8年11月30日）."""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if not isinstance(value, date):
        return ""
    shown = formats.date_format(value, "DATE_FORMAT")
    era = wareki(value) if translation.get_language() == "ja" else ""
    return f"{shown}（{era}）" if era else shown
