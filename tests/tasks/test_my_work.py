"""わたしの仕事: every card I am assigned to, helping with or watching, across my
platforms, grouped by due date, with confidential cards kept confidential."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from platforms.models import Membership, Role, Status
from tasks import selectors
from tasks.models import HelperClaim
from tests.factories import CardFactory, ColumnFactory, PlatformFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("due", "group"),
    [
        (None, "no_date"),
        (date(2026, 11, 25), "overdue"),  # a Wednesday, seen on Thursday 26th
        (date(2026, 11, 26), "today"),
        (date(2026, 11, 27), "this_week"),
        (date(2026, 11, 29), "this_week"),  # Sunday ends the week
        (date(2026, 11, 30), "later"),
    ],
)
def test_a_due_date_falls_in_one_group(due, group):
    assert selectors.work_group(due, date(2026, 11, 26)) == group


def test_on_a_sunday_this_week_is_only_today():
    sunday = date(2026, 11, 29)
    assert selectors.work_group(sunday + timedelta(days=1), sunday) == "later"


def card_on(platform, user, *, how="assigned", **fields):
    card = CardFactory(column=ColumnFactory(board__platform=platform), **fields)
    if how == "assigned":
        card.assignees.add(user)
    elif how == "helping":
        HelperClaim.objects.create(card=card, user=user)
    else:
        card.watchers.add(user)
    return card


def items(groups):
    return [(item.card.title, key) for key, found in groups.items() for item in found]


def test_my_work_holds_my_cards_from_every_platform_by_due_date(crew):
    me = crew["member"]
    elsewhere = PlatformFactory(status=Status.RECRUITING)
    member_of(elsewhere, me, Role.MEMBER)
    today = timezone.localdate()
    card_on(crew["platform"], me, title="遅れている", due_date=today - timedelta(days=1))
    card_on(elsewhere, me, how="helping", title="今日の手伝い", due_date=today)
    card_on(
        crew["platform"], me, how="watching", title="ウォッチ", due_date=today + timedelta(days=30)
    )
    card_on(elsewhere, me, title="いつか")

    groups = selectors.my_work(user=me, today=today)

    assert items(groups) == [
        ("遅れている", "overdue"),
        ("今日の手伝い", "today"),
        ("ウォッチ", "later"),
        ("いつか", "no_date"),
    ]
    helping = groups["today"][0]
    assert (helping.assigned, helping.helping, helping.watching) == (False, True, False)


def test_my_work_leaves_out_what_is_not_mine_or_no_longer_live(crew):
    me = crew["member"]
    card_on(crew["platform"], crew["other"], title="他の人の")
    card_on(crew["platform"], me, title="アーカイブしたカード", archived=True)
    archived_board = card_on(crew["platform"], me, title="閉じたボード")
    archived_board.board.archived = True
    archived_board.board.save()
    for status in (Status.ARCHIVED, Status.CANCELLED):
        closed = PlatformFactory(status=status)
        member_of(closed, me, Role.MEMBER)
        card_on(closed, me, title=f"{status}のプラットフォーム")
    left = PlatformFactory(status=Status.ACTIVE)
    card_on(left, me, title="抜けたプラットフォーム")  # assigned, but no longer a member
    card_on(crew["platform"], me, title="残る")

    assert items(selectors.my_work(user=me)) == [("残る", "no_date")]


def test_a_confidential_card_i_only_watch_shows_no_title(client, crew):
    me = crew["member"]
    card_on(crew["platform"], me, how="watching", title="Aさんの面談", confidential=True)
    card_on(crew["platform"], me, title="Bさんの面談", confidential=True)  # assigned: mine to read
    client.force_login(me)

    groups = selectors.my_work(user=me)
    response_html = client.get(reverse("tasks:my-work")).content.decode()

    visible = {item.card.title: item.visible for item in groups["no_date"]}
    assert visible == {"Aさんの面談": False, "Bさんの面談": True}
    assert "Aさんの面談" not in response_html
    assert "非公開のカード" in response_html
    assert "Bさんの面談" in response_html


def test_the_page_takes_the_same_queries_for_many_cards(client, crew):
    me = crew["member"]
    client.force_login(me)
    card_on(crew["platform"], me, title="一枚目")
    client.get(reverse("tasks:my-work"))  # warm the session and the site's caches

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("tasks:my-work"))
    for number in range(12):
        card_on(crew["platform"], me, how=("assigned", "helping", "watching")[number % 3])
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("tasks:my-work"))

    assert response.content.decode().count('data-testid="work-item"') == 13
    assert len(many) == len(few)


def test_the_page_is_one_click_from_the_header_and_dated_in_japanese(client, crew):
    me = crew["member"]
    client.force_login(me)
    card_on(crew["platform"], me, title="書類を出す", due_date=date(2027, 1, 5))

    html = client.get(reverse("tasks:my-work")).content.decode()

    assert f'href="{reverse("tasks:my-work")}"' in html
    assert "2027年1月5日" in html
    assert crew["platform"].name in html


def test_nothing_to_do_says_so(client):
    client.force_login(UserFactory())

    response = client.get(reverse("tasks:my-work"))

    assert 'data-testid="my-work-empty"' in response.content.decode()


def test_only_signed_in_people_have_work(client):
    response = client.get(reverse("tasks:my-work"))

    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_removed_members_lose_the_platforms_cards(crew):
    me = crew["member"]
    card_on(crew["platform"], me, title="担当")
    Membership.objects.filter(user=me, platform=crew["platform"]).delete()

    assert items(selectors.my_work(user=me)) == []
