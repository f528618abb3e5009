"""In the browser: the bell counts up live when someone assigns you a card, and
turning on push registers the service worker."""

import json
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


# PushManager.subscribe stubbed in the page: headless Chromium here has no route to a
# real push service. Everything else is real: the service worker, the permission,
# the VAPID key handed to subscribe, the POST to the server and the device list.
STUB_SUBSCRIBE = """
window.__subscribeCalls = [];
PushManager.prototype.subscribe = function (options) {
  window.__subscribeCalls.push(Array.from(new Uint8Array(options.applicationServerKey)));
  if (%(fail)s) { return Promise.reject(new DOMException("no push service", "AbortError")); }
  var json = {endpoint: %(endpoint)s, expirationTime: null, keys: {p256dh: %(p256dh)s, auth: %(auth)s}};
  localStorage.setItem("__subscription", json.endpoint);  // the browser keeps it
  return Promise.resolve({endpoint: json.endpoint, toJSON: function () { return json; }});
};
PushManager.prototype.getSubscription = function () {
  var endpoint = localStorage.getItem("__subscription");
  return Promise.resolve(endpoint ? {endpoint: endpoint} : null);
};
"""


def push_page(new_page, base, user, *, fail):
    from tests.notifications.test_real_channels import b64url, browser_keys

    _private, public, secret = browser_keys()
    endpoint = "https://push.example.net/send/e2e-device"
    page = new_page()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(user), "url": base}]
    )
    page.context.grant_permissions(["notifications"], origin=base)
    page.add_init_script(
        STUB_SUBSCRIBE
        % {
            "fail": "true" if fail else "false",
            "endpoint": json.dumps(endpoint),
            "p256dh": json.dumps(public),
            "auth": json.dumps(b64url(secret)),
        }
    )
    page.goto(base + "/notifications/preferences/")
    return page, endpoint, public, b64url(secret)


def test_turning_on_push_registers_the_worker_and_records_this_device(server, new_page, screenshot):
    person = UserFactory(display_name="鈴木")
    page, endpoint, public, auth = push_page(new_page, server, person, fail=False)

    expect(page.locator("[name=push_all]")).to_be_hidden()  # no device here yet

    page.get_by_test_id("push-enable").click()

    expect(page.get_by_test_id("push-status")).to_have_text(
        "このブラウザでプッシュ通知を受け取れるようになりました。"
    )
    registered = page.evaluate(
        """() => navigator.serviceWorker.getRegistration('/').then(r =>
               r ? {scope: r.scope, script: (r.active || r.waiting || r.installing).scriptURL} : null)"""
    )
    assert registered == {"scope": server + "/", "script": server + "/sw.js"}
    # subscribe got the server's VAPID public key (65 bytes, uncompressed P-256).
    [key] = page.evaluate("() => window.__subscribeCalls")
    assert (len(key), key[0]) == (65, 4)
    # The page reloads itself and lists the device.
    expect(page.get_by_test_id("device")).to_have_count(1)
    # Now that this browser is a registered device, its push choices show.
    expect(page.locator("[name=push_all]")).to_be_visible()
    screenshot(page, "push")
    device = PushSubscription.objects.get(user=person)
    assert (device.endpoint, device.p256dh, device.auth) == (endpoint, public, auth)


def test_a_browser_that_cannot_subscribe_is_told_so_plainly_and_records_nothing(server, new_page):
    person = UserFactory(display_name="鈴木")
    page, _endpoint, _public, _auth = push_page(new_page, server, person, fail=True)

    page.get_by_test_id("push-enable").click()

    # Told plainly that this browser cannot, not to try again later.
    expect(page.get_by_test_id("push-status")).to_contain_text(
        "このブラウザではプッシュ通知を受け取れません"
    )
    assert page.evaluate("() => window.__subscribeCalls.length") == 1
    assert not PushSubscription.objects.filter(user=person).exists()
