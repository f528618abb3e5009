"""Two members on one live board in two browsers: drag and drop, going offline and
catching up, a keyboard move, and an observer's read-only board."""

import os

import pytest
from django.conf import settings
from playwright.sync_api import expect

from platforms.models import Role, Status
from tasks import services
from tasks.models import Board, Card
from tests.factories import PlatformFactory, UserFactory, member_of
from tests.servers import asgi_server, session_cookie

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def server():
    with asgi_server(redis_url=os.environ.get("REDIS_URL", "")) as base:
        yield base


@pytest.fixture
def team():
    platform = PlatformFactory(status=Status.ACTIVE, name="職場体験プラットフォーム")
    people = {
        "coordinator": UserFactory(display_name="佐藤"),
        "member": UserFactory(display_name="鈴木"),
        "observer": UserFactory(display_name="伊藤"),
    }
    member_of(platform, people["coordinator"], Role.COORDINATOR)
    member_of(platform, people["member"], Role.MEMBER)
    member_of(platform, people["observer"], Role.OBSERVER)
    board = services.board_create(
        actor=people["coordinator"],
        platform=platform,
        name="就労支援",
        template="intermediate_employment",
    )
    columns = list(board.columns.order_by("position"))
    for title in ("Aさん面談", "Bさん面談", "Cさん面談"):
        services.card_create(
            actor=people["coordinator"], board=board, column_id=columns[0].pk, title=title
        )
    return board, columns, people


def open_board(new_page, base, board, user):
    page = new_page()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(user), "url": base}]
    )
    page.goto(base + board.get_absolute_url())
    expect(page.get_by_test_id("board-status")).to_have_text("最新の状態です。")
    return page


def titles(page, column):
    return page.locator(f'ol.cards[data-column="{column.pk}"] li.card .card-title')


def test_drag_in_one_browser_appears_in_the_other_in_the_same_place(
    server, team, new_page, screenshot
):
    board, columns, people = team
    coordinator = open_board(new_page, server, board, people["coordinator"])
    member = open_board(new_page, server, board, people["member"])
    expect(member.get_by_test_id("presence")).to_contain_text("佐藤")

    handle = coordinator.locator("li.card", has_text="Cさん面談").locator(".drag-handle")
    handle.hover()
    target = coordinator.locator(f'ol.cards[data-column="{columns[1].pk}"]').bounding_box()
    coordinator.mouse.down()
    coordinator.mouse.move(target["x"] + target["width"] / 2, target["y"] + 10, steps=20)
    coordinator.mouse.up()

    expect(titles(member, columns[1])).to_have_text(["Cさん面談"])
    expect(titles(member, columns[0])).to_have_text(["Aさん面談", "Bさん面談"])
    expect(titles(coordinator, columns[1])).to_have_text(["Cさん面談"])
    screenshot(member, "after-drag")
    assert Card.objects.get(title="Cさん面談").column_id == columns[1].pk


def test_offline_browser_catches_up_when_back(server, team, new_page, screenshot):
    board, columns, people = team
    coordinator = open_board(new_page, server, board, people["coordinator"])
    member = open_board(new_page, server, board, people["member"])

    member.context.set_offline(True)
    member.evaluate("window.dispatchEvent(new Event('offline'))")
    expect(member.get_by_test_id("board-status")).to_contain_text("オフライン")
    screenshot(member, "offline")
    for title, column in (("Aさん面談", columns[2]), ("Bさん面談", columns[3])):
        card = coordinator.locator("li.card", has_text=title)
        card.locator("details.move > summary").click()
        card.locator("select[name=column]").select_option(str(column.pk))
        card.get_by_role("button", name="移動する").click()
        expect(titles(coordinator, column)).to_have_text([title])
    # The coordinator's page has applied both moves from the server, so they were
    # published to every socket; the offline page has applied neither.
    seq = Board.objects.get(pk=board.pk).seq
    expect(coordinator.locator("#board")).to_have_attribute("data-seq", str(seq))
    expect(member.locator("#board")).to_have_attribute("data-seq", str(seq - 2))
    expect(titles(member, columns[0])).to_have_text(["Aさん面談", "Bさん面談", "Cさん面談"])
    member.context.set_offline(False)

    expect(member.get_by_test_id("board-status")).to_have_text("最新の状態です。", timeout=30_000)
    expect(member.locator("#board")).to_have_attribute("data-seq", str(seq))
    expect(titles(member, columns[2])).to_have_text(["Aさん面談"])
    expect(titles(member, columns[3])).to_have_text(["Bさん面談"])
    expect(titles(member, columns[0])).to_have_text(["Cさん面談"])
    screenshot(member, "back-online")


def test_keyboard_move_keeps_focus_on_the_moved_card(server, team, new_page):
    board, columns, people = team
    member = open_board(new_page, server, board, people["member"])

    # One labelled "移動…" control per card, announced with the card's title.
    control = member.locator("li.card", has_text="Aさん面談").locator("details.move > summary")
    expect(control).to_have_attribute("aria-label", "「Aさん面談」を移動…")
    expect(member.locator("li.card").first.locator("details.move > summary")).to_have_count(1)
    control.focus()
    member.keyboard.press("Enter")
    member.locator("li.card", has_text="Aさん面談").locator("select[name=place]").select_option(
        "down"
    )
    member.locator("li.card", has_text="Aさん面談").get_by_role("button", name="移動する").press(
        "Enter"
    )

    expect(titles(member, columns[0])).to_have_text(["Bさん面談", "Aさん面談", "Cさん面談"])
    focused = member.locator("li.card", has_text="Aさん面談").locator("details.move > summary")
    expect(focused).to_be_focused()

    card = member.locator("li.card", has_text="Cさん面談")
    card.locator("details.move > summary").focus()
    member.keyboard.press("Enter")
    card.locator("select[name=column]").select_option(str(columns[4].pk))
    card.get_by_role("button", name="移動する").press("Enter")

    expect(titles(member, columns[4])).to_have_text(["Cさん面談"])
    expect(member.locator("#announcer")).to_have_text("カードを移動しました。")
    expect(
        member.locator("li.card", has_text="Cさん面談").locator("details.move > summary")
    ).to_be_focused()


def test_observer_sees_no_edit_control(server, team, new_page, screenshot):
    board, columns, people = team
    observer = open_board(new_page, server, board, people["observer"])

    expect(observer.get_by_test_id("read-only")).to_be_visible()
    expect(observer.locator("#board form")).to_have_count(0)
    expect(observer.locator("#board button")).to_have_count(0)
    expect(observer.get_by_test_id("card")).to_have_count(3)
    screenshot(observer, "observer")


def test_due_filters_use_the_hubs_days_whatever_the_browsers_time_zone(server, team, browser):
    """At 00:30 in Tokyo a browser set to UTC is still on the day before: its page must
    agree with the server on what is overdue and what is due this week."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from notifications.preferences import TOKYO

    board, columns, people = team
    # The server runs on the real clock (another process): today is its Tokyo date.
    today = timezone.localdate()
    sunday = today + timedelta(days=6 - today.weekday())
    cards = {"昨日まで": today - timedelta(days=1), "今週中": sunday, "来週": sunday + timedelta(1)}
    for title, due in cards.items():
        card = services.card_create(
            actor=people["coordinator"], board=board, column_id=columns[1].pk, title=title
        )
        services.card_update(
            actor=people["coordinator"],
            board=board,
            card_id=card.pk,
            version=1,
            fields={"due": due.isoformat()},
        )
    context = browser.new_context(locale="ja-JP", timezone_id="UTC")
    context.set_default_timeout(15_000)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session_cookie(people["member"]),
                "url": server,
            }
        ]
    )
    page = context.new_page()
    page.clock.set_fixed_time(datetime.combine(today, time(0, 30), tzinfo=TOKYO))
    try:
        shown = {}
        for due in ("overdue", "week"):
            page.goto(server + board.get_absolute_url() + f"?due={due}")
            expect(page.get_by_test_id("board-status")).to_have_text("最新の状態です。")
            shown[due] = page.locator(f'ol.cards[data-column="{columns[1].pk}"] .card-title')
            shown[due] = sorted(shown[due].all_inner_texts())
        browser_day = page.evaluate("() => new Date().toISOString().slice(0, 10)")
    finally:
        context.close()

    assert browser_day == (today - timedelta(days=1)).isoformat()
    assert shown == {"overdue": ["昨日まで"], "week": ["今週中"]}


def test_quick_add_makes_a_confidential_card_at_once(server, team, new_page):
    """A card about a person is confidential from its first moment: the other member
    never sees its title, and its writer stays on it."""
    board, columns, people = team
    member = open_board(new_page, server, board, people["member"])
    coordinator = open_board(new_page, server, board, people["coordinator"])
    other = UserFactory(display_name="田中")
    member_of(board.platform, other, Role.MEMBER)
    onlooker = open_board(new_page, server, board, other)

    quick_add = member.locator(f'form.card-create:has(input[name=column][value="{columns[1].pk}"])')
    quick_add.get_by_label("カードを追加").fill("Dさん 生活の相談")
    quick_add.get_by_label("個人情報を含む（コーディネーターと担当者だけが見られる）").check()
    quick_add.get_by_role("button", name="追加").click()

    expect(titles(coordinator, columns[1])).to_have_text(["Dさん 生活の相談"])
    expect(onlooker.locator(f'ol.cards[data-column="{columns[1].pk}"] li.card')).to_have_count(1)
    expect(onlooker.get_by_text("Dさん 生活の相談")).to_have_count(0)
    card = Card.objects.get(title="Dさん 生活の相談")
    assert card.confidential is True
    assert list(card.assignees.all()) == [people["member"]]
    expect(
        quick_add.get_by_label("個人情報を含む（コーディネーターと担当者だけが見られる）")
    ).not_to_be_checked()


def test_a_due_date_reads_the_same_before_and_after_the_live_board_draws_it(server, team, new_page):
    board, columns, people = team
    card = Card.objects.get(title="Aさん面談")
    services.card_update(
        actor=people["coordinator"],
        board=board,
        card_id=card.pk,
        version=card.version,
        fields={"due": "2026-11-30"},
    )
    page = new_page()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session_cookie(people["member"]),
                "url": server,
            }
        ]
    )
    page.goto(server + board.get_absolute_url())
    drawn_by_server = page.locator("li.card .due time").first.inner_text()
    expect(page.get_by_test_id("board-status")).to_have_text("最新の状態です。")

    assert drawn_by_server == "2026年11月30日"
    expect(page.locator("li.card .due time")).to_have_text(["2026年11月30日"])
