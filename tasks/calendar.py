"""A person's calendar feed (iCalendar, RFC 5545): the due dates of the cards in わたしの
仕事 and the deadlines of their live platforms, as all-day events that Google
Calendar, Outlook and iPhone can subscribe to.

The feed leaves the hub for a calendar provider's servers, so it carries no more than
a date needs: titles, where they are, and a link. A confidential card is never named
in it, whoever reads it: it shows as 「非公開のカード」 with its link."""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration

from platforms.selectors import platform_deadlines_for_user

from .selectors import my_work

# How often calendar apps are asked to fetch the feed again (most poll less often).
REFRESH = timedelta(hours=1)


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _all_day(uid: str, day, summary: str, url: str, description: str, stamp) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("url", url)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")  # a due date does not make anyone busy
    return event


def calendar_for(user) -> bytes:
    """The feed of `user`, in the site's language."""
    domain = urlsplit(settings.SITE_URL).hostname or "hub.invalid"
    stamp = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        calendar = Calendar()
        calendar.add("prodid", "-//Collaboration Hub//calendar feed//JA")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", _("協働ハブ：%(name)s") % {"name": user.name})
        calendar.add("x-wr-timezone", settings.TIME_ZONE)
        calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(REFRESH))
        for items in my_work(user=user).values():
            for item in items:
                card = item.card
                if card.due_date is None:
                    continue
                platform = card.board.platform
                title = _("非公開のカード") if card.confidential else card.title
                url = _absolute(card.get_absolute_url())
                calendar.add_component(
                    _all_day(
                        f"card-{card.pk}@{domain}",
                        card.due_date,
                        _("期日：%(title)s") % {"title": title},
                        url,
                        f"{platform.name} ・ {card.board.name} ・ {card.column.name}\n{url}",
                        stamp,
                    )
                )
        for platform in platform_deadlines_for_user(user=user):
            url = _absolute(platform.get_absolute_url())
            calendar.add_component(
                _all_day(
                    f"platform-{platform.pk}-deadline@{domain}",
                    platform.deadline,
                    _("プラットフォームの期限：%(name)s") % {"name": platform.name},
                    url,
                    url,
                    stamp,
                )
            )
    return calendar.to_ical()
