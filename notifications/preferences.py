"""What each person wants by default, and their choices read in bulk.

In-app is always on. Email is immediate for what asks something of the person or
changes their place in a group, gathered in the daily digest for what is good to
know, and never for an invitation (the invitation email itself is the message).
Push is on for what wants attention today.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from .kinds import NoticeKind, all_kinds
from .models import EmailMode, NotificationSettings, Preference

IMMEDIATE, DIGEST, OFF = EmailMode.IMMEDIATE, EmailMode.DIGEST, EmailMode.OFF


def default_for(kind: NoticeKind) -> tuple[str, bool]:
    """(email mode, push) for someone who never chose."""
    return (kind.email, kind.push)


TOKYO = ZoneInfo("Asia/Tokyo")


def effective(kind: NoticeKind, exception, user_settings: NotificationSettings) -> tuple[str, bool]:
    """(email mode, push) for one kind: the person's exception for the kind if they
    made one, else their switch for all kinds, else the kind's default. A kind that
    sends no email (an invitation: its own email is the message) never emails."""
    email, push = exception if exception is not None else ("", None)
    default_email, default_push = default_for(kind)
    email = email or user_settings.email_all or default_email
    if push is None:
        push = user_settings.push_all if user_settings.push_all is not None else default_push
    return (email if kind.emails else OFF, push)


def choices_for(user_ids, kind: NoticeKind, user_settings=None) -> dict[int, tuple[str, bool]]:
    """{user_id: (email mode, push)} for one kind: its exceptions in one query, and the
    people's settings in another unless given (settings_by_user)."""
    user_settings = user_settings if user_settings is not None else settings_by_user(user_ids)
    exceptions = {
        p.user_id: (p.email, p.push)
        for p in Preference.objects.filter(user_id__in=user_ids, kind=kind.key)
    }
    return {
        user_id: effective(kind, exceptions.get(user_id), user_settings[user_id])
        for user_id in user_ids
    }


def table_for(user) -> dict[str, tuple[str, bool | None]]:
    """Every kind's exception for one person (the preferences page), by key: ("",
    None) where the kind follows the switches."""
    chosen = {p.kind: (p.email, p.push) for p in Preference.objects.filter(user=user)}
    return {kind.key: chosen.get(kind.key, ("", None)) for kind in all_kinds()}


def settings_for(user) -> NotificationSettings:
    """The person's settings; an unsaved default row when they never chose."""
    found = NotificationSettings.objects.filter(user=user).first()
    return found or NotificationSettings(user=user)


def settings_by_user(user_ids) -> dict[int, NotificationSettings]:
    found = {s.user_id: s for s in NotificationSettings.objects.filter(user_id__in=user_ids)}
    return {uid: found.get(uid) or NotificationSettings(user_id=uid) for uid in user_ids}


def language_of(user_settings: NotificationSettings) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return user_settings.language if user_settings.language in codes else settings.LANGUAGE_CODE


def next_digest_at(user_settings: NotificationSettings, now: datetime) -> datetime:
    """The next time at the person's digest hour, Tokyo time, after `now`."""
    local = now.astimezone(TOKYO)
    at = datetime.combine(local.date(), time(user_settings.digest_hour % 24), TOKYO)
    if at <= local:
        at += timedelta(days=1)
    return at


def quiet_until(user_settings: NotificationSettings, now: datetime) -> datetime | None:
    """When the person's quiet hours end, if `now` falls inside them."""
    start, end = user_settings.quiet_start_hour, user_settings.quiet_end_hour
    if start is None or end is None or start == end:
        return None
    local = now.astimezone(TOKYO)
    hour = local.hour
    inside = start <= hour < end if start < end else hour >= start or hour < end
    if not inside:
        return None
    end_at = datetime.combine(local.date(), time(end), TOKYO)
    if end_at <= local:
        end_at += timedelta(days=1)
    return end_at
