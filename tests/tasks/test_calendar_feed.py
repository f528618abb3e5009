"""A person's private calendar feed: due dates and platform deadlines that calendar
apps can subscribe to, confidential cards never named, and a URL that can be reset."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from members import services as member_services
from members.models import User
from platforms.models import Status
from tests.factories import CardFactory, ColumnFactory, PlatformFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


def feed(client, user):
    return client.get(reverse("tasks:calendar-feed", args=[user.calendar_token]))


def events(response):
    calendar = Calendar.from_ical(response.content)
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def assigned_card(platform, user, **fields):
    card = CardFactory(column=ColumnFactory(board__platform=platform), **fields)
    card.assignees.add(user)
    return card


def test_the_feed_holds_my_due_dates_and_my_platforms_deadlines(client, crew):
    me = crew["member"]
    member_services.calendar_feed_reset(actor=me)
    due = timezone.localdate() + timedelta(days=3)
    card = assigned_card(crew["platform"], me, title="履歴書を一緒に書く", due_date=due)
    assigned_card(crew["platform"], me, title="期日のないカード")
    assigned_card(crew["platform"], crew["other"], title="他の人のカード", due_date=due)

    response = feed(client, me)
    found = events(response)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in response.content
    assert b"X-PUBLISHED-TTL:PT1H" in response.content
    assert set(found) == {
        "期日：履歴書を一緒に書く",
        f"プラットフォームの期限：{crew['platform'].name}",
    }
    event = found["期日：履歴書を一緒に書く"]
    assert event.decoded("dtstart") == due
    assert event.decoded("dtend") == due + timedelta(days=1)
    assert str(event["uid"]).startswith(f"card-{card.pk}@")
    assert str(event["url"]).endswith(card.get_absolute_url())


def test_a_confidential_card_is_never_named_in_the_feed_even_to_its_assignee(client, crew):
    me = crew["member"]
    member_services.calendar_feed_reset(actor=me)
    assigned_card(
        crew["platform"],
        me,
        title="Aさんの通院同行",
        confidential=True,
        due_date=timezone.localdate(),
    )

    response = feed(client, me)

    assert "Aさんの通院同行".encode() not in response.content
    assert "期日：非公開のカード" in events(response)


def test_archived_platforms_leave_the_feed(client):
    me = UserFactory()
    member_services.calendar_feed_reset(actor=me)
    done = PlatformFactory(status=Status.ARCHIVED, name="終わった取り組み")
    member_of(done, me)
    assigned_card(done, me, title="昔のカード", due_date=timezone.localdate())

    assert events(feed(client, me)) == {}


def test_resetting_the_url_stops_the_old_one_at_once(client, crew):
    me = crew["member"]
    old = member_services.calendar_feed_reset(actor=me)
    new = member_services.calendar_feed_reset(actor=me)

    gone = client.get(reverse("tasks:calendar-feed", args=[old]))
    works = client.get(reverse("tasks:calendar-feed", args=[new]))

    assert gone.status_code == 404
    assert "使えません" in gone.content.decode()
    assert works.status_code == 200


@pytest.mark.parametrize("token", ["x", "a" * 43, "../../etc/passwd", "' OR 1=1 --"])
def test_a_wrong_url_finds_nothing(client, token, crew):
    member_services.calendar_feed_reset(actor=crew["member"])

    response = client.get(f"/calendar/{token}.ics")

    assert response.status_code == 404


def test_a_stopped_feed_finds_nothing(client, crew):
    me = crew["member"]
    token = member_services.calendar_feed_reset(actor=me)
    member_services.calendar_feed_stop(actor=me)

    assert client.get(reverse("tasks:calendar-feed", args=[token])).status_code == 404


def test_the_feed_takes_the_same_queries_for_many_cards(client, crew):
    me = crew["member"]
    member_services.calendar_feed_reset(actor=me)
    assigned_card(crew["platform"], me, due_date=timezone.localdate())
    with CaptureQueriesContext(connection) as few:
        feed(client, me)
    for days in range(10):
        assigned_card(crew["platform"], me, due_date=timezone.localdate() + timedelta(days=days))
    with CaptureQueriesContext(connection) as many:
        response = feed(client, me)

    assert len(events(response)) == 12
    assert len(many) == len(few)


def test_the_settings_page_issues_resets_and_stops_the_url(client, crew):
    me = crew["member"]
    client.force_login(me)
    page = reverse("tasks:calendar-settings")

    before = client.get(page).content.decode()
    client.post(page, {"action": "reset"})
    me.refresh_from_db()
    first = me.calendar_token
    issued = client.get(page).content.decode()
    client.post(page, {"action": "reset"})
    me.refresh_from_db()
    second = me.calendar_token
    client.post(page, {"action": "stop"})
    me.refresh_from_db()

    assert 'data-testid="feed-url"' not in before
    assert f"/calendar/{first}.ics" in issued
    assert f"webcal://testserver/calendar/{first}.ics" in issued
    assert second and second != first
    assert me.calendar_token is None


def test_an_unknown_action_changes_nothing(client, crew):
    me = crew["member"]
    token = member_services.calendar_feed_reset(actor=me)
    client.force_login(me)

    response = client.post(
        reverse("tasks:calendar-settings"), {"action": "delete-everything"}, follow=True
    )

    me.refresh_from_db()
    assert me.calendar_token == token
    assert "操作を選んでください。" in response.content.decode()


def test_the_settings_page_is_for_signed_in_people(client):
    page = reverse("tasks:calendar-settings")

    asked = client.get(page)
    posted = client.post(page, {"action": "reset"})

    for response in (asked, posted):
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert not User.objects.exclude(calendar_token=None).exists()
