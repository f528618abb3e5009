"""Card events reach the people they concern, and a confidential card's title
reaches only people who may see it: not in the list, an email, a push or a digest."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications import jobs, reminders, sending
from notifications.models import Delivery, Notification, Preference, PushSubscription
from notifications.text import notification_text
from platforms import notices as platform_notices
from platforms import services as platform_services
from platforms.models import Status
from tasks import notices as card_notices
from tasks import services
from tests.factories import goal_of

pytestmark = pytest.mark.django_db
TOKYO = ZoneInfo("Asia/Tokyo")


def kinds(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def card_in(crew, board, columns, title="面談の予定", **fields):
    card = services.card_create(
        actor=crew["coordinator"], board=board, column_id=columns[0].pk, title=title
    )
    if fields:
        services.card_update(
            actor=crew["coordinator"],
            board=board,
            card_id=card.pk,
            version=card.version,
            fields=fields,
        )
        card.refresh_from_db()
    return card


def test_assigning_tells_the_new_assignees_only(crew, board, columns):
    card = card_in(crew, board, columns, assignees=[crew["member"].pk])
    services.card_update(
        actor=crew["coordinator"],
        board=board,
        card_id=card.pk,
        version=card.version,
        fields={"assignees": [crew["member"].pk, crew["other"].pk], "title": "面談の予定・変更"},
    )

    assert kinds(crew["member"]) == [card_notices.CARD_ASSIGNED.key]
    assert kinds(crew["other"]) == [card_notices.CARD_ASSIGNED.key]
    assert kinds(crew["coordinator"]) == []
    text = notification_text(Notification.objects.get(recipient=crew["other"]))
    assert text == "佐藤さんがカード「面談の予定・変更」の担当にあなたを加えました。"


def test_a_comment_tells_the_mentioned_assignees_and_watchers_once_each(crew, board, columns):
    card = card_in(crew, board, columns, assignees=[crew["member"].pk])
    services.card_watch(actor=crew["observer"], board=board, card_id=card.pk)
    Notification.objects.all().delete()

    services.comment_add(
        actor=crew["other"],
        board=board,
        card_id=card.pk,
        body="@鈴木 さん、@佐藤 さん確認お願いします",
    )

    assert kinds(crew["member"]) == [card_notices.MENTIONED.key]  # assigned and named: told once
    assert kinds(crew["coordinator"]) == [card_notices.MENTIONED.key]  # the card's creator watches
    assert kinds(crew["observer"]) == [card_notices.CARD_COMMENTED.key]
    assert kinds(crew["other"]) == []  # the author
    # The author now watches the card and hears of the next comment.
    services.comment_add(actor=crew["member"], board=board, card_id=card.pk, body="確認しました")
    assert kinds(crew["other"]) == [card_notices.CARD_COMMENTED.key]


def test_unwatching_stops_comment_notifications(client, crew, board, columns):
    card = card_in(crew, board, columns)
    client.force_login(crew["observer"])
    url = reverse("tasks:card-action", args=[board.platform_id, board.pk, card.pk, "watch"])
    client.post(url)
    client.post(url.replace("/watch/", "/unwatch/"))
    services.comment_add(actor=crew["member"], board=board, card_id=card.pk, body="進めます")

    assert kinds(crew["observer"]) == []
    assert kinds(crew["coordinator"]) == [card_notices.CARD_COMMENTED.key]


def test_an_outsider_or_anonymous_person_cannot_watch(client, crew, board, columns):
    card = card_in(crew, board, columns)
    url = reverse("tasks:card-action", args=[board.platform_id, board.pk, card.pk, "watch"])
    anonymous = client.post(url)
    client.force_login(crew["outsider"])
    response = client.post(url)

    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]
    assert response.status_code == 404
    assert list(card.watchers.all()) == [crew["coordinator"]]  # the creator only


def test_helpers_hear_when_their_card_changes_or_is_archived(crew, board, columns):
    card = card_in(crew, board, columns, helpers_needed=2)
    services.helper_claim(actor=crew["member"], board=board, card_id=card.pk)
    card.refresh_from_db()
    services.card_update(
        actor=crew["coordinator"],
        board=board,
        card_id=card.pk,
        version=card.version,
        fields={"due": "2026-12-24"},
    )
    card.refresh_from_db()
    # Saving with nothing changed for helpers tells nobody.
    services.card_update(
        actor=crew["coordinator"],
        board=board,
        card_id=card.pk,
        version=card.version,
        fields={"labels": ["送迎"]},
    )
    services.card_archive(actor=crew["coordinator"], board=board, card_id=card.pk)

    assert kinds(crew["member"]) == [
        card_notices.HELPER_SLOT_CHANGED.key,
        card_notices.HELPER_SLOT_CHANGED.key,
    ]


def test_a_confidential_card_never_reaches_someone_who_may_not_see_it(crew, board, columns):
    card = card_in(crew, board, columns, title="Aさんの就労先面談", confidential=True)
    card.watchers.add(crew["other"])  # watched before it became confidential, say
    services.comment_add(
        actor=crew["coordinator"], board=board, card_id=card.pk, body="@田中 さんへ"
    )

    assert kinds(crew["other"]) == []


def test_losing_access_hides_the_title_everywhere_it_is_rendered(crew, board, columns, settings):
    settings.WEBPUSH_INSECURE_HOSTS = ["127.0.0.1"]
    member = crew["member"]
    Preference.objects.create(
        user=member, kind=card_notices.CARD_ASSIGNED.key, email="digest", push=True
    )
    PushSubscription.objects.create(
        user=member, endpoint="http://127.0.0.1:9/push", p256dh="k", auth="a"
    )
    card = card_in(crew, board, columns, title="Aさんの就労先面談", confidential=True)
    services.card_update(
        actor=crew["coordinator"],
        board=board,
        card_id=card.pk,
        version=card.version,
        fields={"assignees": [member.pk]},
    )
    card.refresh_from_db()
    services.card_update(
        actor=crew["coordinator"],
        board=board,
        card_id=card.pk,
        version=card.version,
        fields={"assignees": []},
    )
    notification = Notification.objects.get(recipient=member)
    digest = Delivery.objects.get(recipient=member, channel="email")
    push = Delivery.objects.get(recipient=member, channel="push")

    listed = notification_text(notification)
    payload = sending.push_payload(push, "ja")
    digest_mail = sending.digest_email(member, [digest], "ja")
    immediate = sending.notification_email(digest, "ja")
    html = immediate.alternatives[0][0]

    for text in (
        listed,
        payload["body"],
        digest_mail.subject,
        digest_mail.body,
        immediate.subject,
        immediate.body,
        html,
    ):
        assert "Aさん" not in text
    assert "非公開のカード" in listed
    assert "非公開のカード" in digest_mail.body


@pytest.mark.time_machine(datetime(2026, 12, 1, 9, 5, tzinfo=TOKYO), tick=False)
def test_reminders_for_due_cards_and_deadlines_come_once(crew, board, columns):
    now = timezone.now()
    tomorrow, yesterday = date(2026, 12, 2), date(2026, 11, 30)
    due = card_in(
        crew,
        board,
        columns,
        title="明日まで",
        due=tomorrow.isoformat(),
        assignees=[crew["member"].pk],
    )
    late = card_in(
        crew, board, columns, title="遅れ", due=yesterday.isoformat(), assignees=[crew["other"].pk]
    )
    gone = card_in(
        crew,
        board,
        columns,
        title="片付いた",
        due=yesterday.isoformat(),
        assignees=[crew["other"].pk],
    )
    services.card_archive(actor=crew["coordinator"], board=board, card_id=gone.pk)
    platform = crew["platform"]
    platform.deadline = date(2026, 12, 8)
    platform.save(update_fields=["deadline"])
    Notification.objects.all().delete()

    first = reminders.reminders_send(now=now)
    second = reminders.reminders_send(now=now + timedelta(hours=1))

    assert (first, second) == (3, 0)
    assert [
        n.card_id for n in Notification.objects.filter(kind=card_notices.CARD_DUE_TOMORROW.key)
    ] == [due.pk]
    assert [n.card_id for n in Notification.objects.filter(kind=card_notices.CARD_OVERDUE.key)] == [
        late.pk
    ]
    deadline = Notification.objects.get(kind=platform_notices.DEADLINE_NEAR.key)
    assert deadline.recipient == crew["coordinator"]
    assert notification_text(deadline) == f"「{platform.name}」の期限まであと7日です。"
    # A week later: one day to the deadline, and the first card is overdue now.
    assert reminders.reminders_send(now=datetime(2026, 12, 7, 9, 5, tzinfo=TOKYO)) == 2
    assert Notification.objects.filter(kind=card_notices.CARD_OVERDUE.key, card=due).count() == 1
    assert (
        Notification.objects.get(kind=platform_notices.DEADLINE_NEAR.key, data__days=1).recipient
        == crew["coordinator"]
    )


def test_a_day_in_digest_mode_gives_exactly_one_email_listing_it(
    coordinator, platform, member, time_machine
):
    for kind in (platform_notices.STATUS_CHANGED.key, platform_notices.GOAL_REACHED.key):
        Preference.objects.update_or_create(
            user=member, kind=kind, defaults={"email": "digest", "push": False}
        )
    platform_services.platform_transition(
        actor=coordinator, platform=platform, to_status=Status.ACTIVE
    )
    goal = goal_of(platform, target=1)
    platform_services.goal_update(actor=coordinator, goal=goal, data={"current_value": 1})
    platform_services.platform_transition(
        actor=coordinator, platform=platform, to_status=Status.GOAL_MET
    )
    mail.outbox.clear()

    waiting = Delivery.objects.filter(recipient=member, digest=True)
    due_at = waiting.first().next_attempt_at.astimezone(TOKYO)
    assert waiting.count() == 3
    assert (due_at.hour, due_at.minute) == (8, 0)

    time_machine.move_to(due_at - timedelta(minutes=1), tick=False)
    assert jobs.digests_send() == 0
    time_machine.move_to(due_at + timedelta(minutes=1), tick=False)
    # The member's digest, and the coordinator's (the goal reached, by default).
    assert jobs.digests_send() == 2
    assert jobs.digests_send() == 0

    mine = [m for m in mail.outbox if m.to == [member.email]]
    assert len(mine) == 1
    digest = mine[0]
    assert digest.to == [member.email]
    assert "本日のお知らせ（3件）" in digest.subject
    assert digest.body.count("・") == 3
    assert f"「{platform.name}」が「活動中」になりました。" in digest.body
    assert "/notifications/preferences/" in digest.body
    assert digest.alternatives[0][1] == "text/html"


@pytest.mark.django_db(transaction=True)
def test_two_reminder_runs_at_once_remind_each_person_once():
    """Beat and a catch-up run, or two beats by mistake: on PostgreSQL both runs
    really overlap; each reminder is still written once and neither run fails."""
    import threading

    from django.db import connections

    from platforms.models import Role, Status
    from tests.factories import PlatformFactory, UserFactory, member_of

    now = datetime(2026, 12, 1, 9, 5, tzinfo=TOKYO)
    platform = PlatformFactory(status=Status.ACTIVE, deadline=date(2026, 12, 8))
    coordinators = [UserFactory() for _ in range(3)]
    for person in coordinators:
        member_of(platform, person, Role.COORDINATOR)
    start = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            start.wait()
            results.append(reminders.reminders_send(now=now))
        except Exception as error:  # noqa: BLE001 - collected for the assertion
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    assert sorted(results) == [0, 3]
    reminded = Notification.objects.filter(kind=platform_notices.DEADLINE_NEAR.key)
    assert sorted(reminded.values_list("recipient_id", flat=True)) == sorted(
        c.pk for c in coordinators
    )
