"""In the browser: the bell counts up live when someone assigns you a card, and
turning on push registers the service worker."""

import os

import pytest
from django.conf import settings
from playwright.sync_api import expect

from notifications.models import PushSubscription
from platforms.models import Role, Status
from tasks import services
from tests.factories import PlatformFactory, UserFactory, member_of
from tests.servers import asgi_server, session_cookie

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def server():
    with asgi_server(redis_url=os.environ.get("REDIS_URL", "")) as base:
        yield base


def signed_in(new_page, base, user, path):
    page = new_page()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(user), "url": base}]
    )
    page.goto(base + path)
    return page


def test_the_bell_counts_up_live_when_someone_assigns_me_a_card(server, new_page, screenshot):
    platform = PlatformFactory(status=Status.ACTIVE, name="職場体験プラットフォーム")
    coordinator, member = UserFactory(display_name="佐藤"), UserFactory(display_name="鈴木")
    member_of(platform, coordinator, Role.COORDINATOR)
    member_of(platform, member, Role.MEMBER)
    board = services.board_create(actor=coordinator, platform=platform, name="就労支援")
    column = board.columns.order_by("position").first()
    card = services.card_create(actor=coordinator, board=board, column_id=column.pk, title="面談")

    mine = signed_in(new_page, server, member, "/notifications/")
    bell = mine.get_by_test_id("bell-count")
    expect(bell).to_be_hidden()
    # The bell's socket is open and has sent the count: what follows must arrive live.
    expect(mine.locator('[data-testid="bell-count"][data-live="true"]')).to_be_attached()

    theirs = signed_in(new_page, server, coordinator, card.get_absolute_url())
    theirs.get_by_label("鈴木").check()
    theirs.get_by_role("button", name="保存する").click()
    expect(theirs.get_by_text("カードを保存しました。")).to_be_visible()

    expect(bell).to_be_visible()
    expect(bell).to_have_text("1")
    screenshot(mine, "bell")
    mine.reload()
    expect(mine.get_by_test_id("notification").first).to_contain_text(
        "佐藤さんがカード「面談」の担当にあなたを加えました。"
    )


def test_turning_on_push_registers_the_service_worker(server, new_page, screenshot):
    person = UserFactory(display_name="鈴木")
    page = signed_in(new_page, server, person, "/notifications/preferences/")
    page.context.grant_permissions(["notifications"], origin=server)

    page.get_by_test_id("push-enable").click()
    status = page.get_by_test_id("push-status")
    expect(status).not_to_be_empty()

    registered = page.evaluate(
        """() => navigator.serviceWorker.getRegistration('/').then(r =>
               r ? {scope: r.scope, script: (r.active || r.waiting || r.installing).scriptURL} : null)"""
    )
    assert registered == {"scope": server + "/", "script": server + "/sw.js"}
    assert page.evaluate("() => Notification.permission") == "granted"
    screenshot(page, "push")
    # Headless Chromium here has no route to a real push service, so subscribing may
    # fail: then the page says so plainly; when it succeeds, the device is recorded.
    if PushSubscription.objects.filter(user=person).exists():
        expect(status).to_have_text("このブラウザでプッシュ通知を受け取れるようになりました。")
    else:
        expect(status).to_have_text(
            "プッシュ通知を登録できませんでした。時間をおいてもう一度お試しください。"
        )
