"""A newcomer's whole journey in a real browser, as issue 10 tells it: sign up with a
name, launch a platform, invite one existing person and one new address (who signs
up with a different address), both join, a live board on a desktop and on a phone
(375 px, touch), わたしの仕事 shows the assigned card, confirm and archive, the print
view and the .xlsx read back. axe-core (from npm) checks every page it visits, for
every role, and finds nothing serious or critical; each step leaves a screenshot
under test-artifacts/e2e."""

import io
import os
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from members.models import User
from platforms.models import Invitation, Membership, Platform
from tasks.models import Card
from tests.e2e.conftest import link_from_outbox
from tests.factories import UserFactory
from tests.servers import asgi_server, session_cookie

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "hikikomori-support-2026"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}

# Run in the page: axe over the whole document, the serious and critical findings.
AUDIT = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({ id: v.id, impact: v.impact, help: v.help,
                 nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")) }));
}"""


class Journey:
    """The browsers of the people in the journey, each page checked by axe."""

    def __init__(self, browser, screenshot):
        self.browser = browser
        self.screenshot = screenshot
        self.contexts = []
        self.findings = []
        self.audited = 0

    def person(self, viewport=DESKTOP, *, phone=False):
        context = self.browser.new_context(
            locale="ja-JP",
            timezone_id="Asia/Tokyo",
            viewport=viewport,
            has_touch=phone,
            is_mobile=phone,
            accept_downloads=True,
        )
        # Added through the browser's own channel, so the site's CSP leaves it be.
        context.add_init_script(path=str(AXE))
        context.set_default_timeout(15_000)
        self.contexts.append(context)
        return context.new_page()

    def check(self, page, who: str, step: str):
        """axe on the page as it is now, and a screenshot of the step."""
        page.wait_for_load_state("load")
        for finding in page.evaluate(AUDIT):
            self.findings.append({"who": who, "step": step, "url": page.url, **finding})
        self.audited += 1
        self.screenshot(page, f"{self.audited:02d}-{who}-{step}")

    def close(self):
        for context in self.contexts:
            context.close()


@pytest.fixture
def journey(browser, screenshot):
    walk = Journey(browser, screenshot)
    yield walk
    walk.close()


def sign_up(page, base, *, name, email, journey, who, prefilled=None):
    if prefilled is not None:
        expect(page.locator("#id_email")).to_have_value(prefilled)
    journey.check(page, who, "signup")
    page.get_by_label("氏名").fill(name)
    page.fill("#id_email", email)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.get_by_role("button", name="ユーザー登録").click()
    expect(page.locator(".messages")).to_contain_text(email)
    journey.check(page, who, "check-your-email")
    page.goto(base + link_from_outbox("/accounts/confirm-email/", email))
    journey.check(page, who, "confirm-email")
    page.locator("main form button[type=submit]").click()


def log_in(page, base, email, password="pass-word-2026"):
    page.goto(base + "/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", password)
    page.get_by_role("button", name="ログイン").click()


def step_to(page, journey, status: str, label: str):
    page.click(f"[data-testid=to-{status}]")
    if status in ("archived", "cancelled"):
        journey.check(page, "coordinator", f"confirm-{status}")
        expect(page.get_by_test_id("undo")).to_contain_text("元に戻せません")
        page.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("status")).to_have_text(label)


def test_a_newcomer_walks_the_hub_from_sign_up_to_the_report(live_server, journey):
    base = live_server.url
    UserFactory(email="suzuki@example.jp", display_name="鈴木 大輔")

    # Arriving: the front page says what the hub is.
    visitor = journey.person()
    visitor.goto(base + "/")
    expect(visitor.locator("h1")).to_contain_text("達成したら解散する")
    journey.check(visitor, "visitor", "front")

    # A coordinator signs up with a name and launches a platform.
    coordinator = journey.person()
    coordinator.goto(base + "/accounts/signup/")
    sign_up(
        coordinator,
        base,
        name="佐藤 恵子",
        email="csw@example.jp",
        journey=journey,
        who="coordinator",
    )
    expect(coordinator).to_have_url(base + "/dashboard/")
    journey.check(coordinator, "coordinator", "dashboard")
    coordinator.goto(base + "/platforms/new/")
    coordinator.get_by_role("button", name="下書きとして作る").click()
    expect(coordinator.locator("[data-error-summary]")).to_be_focused()
    journey.check(coordinator, "coordinator", "charter-errors")
    for field, value in {
        "#id_name": "ひきこもり経験者の職場体験",
        "#id_purpose": "地元の事業所で無理なく働く体験を重ねる",
        "#id_why": "相談先が分からない人が多い",
        "#id_who": "社協が呼びかけ、商工会と事業所が参加",
        "#id_where": "町内の事業所",
        "#id_area": "秋田県藤里町",
        "#id_deadline": (timezone.localdate() + timedelta(days=60)).isoformat(),
        "#id_what": "職場見学と短時間の体験",
        "#id_how": "毎月の調整会議",
        "#id_goals-0-title": "職場体験に参加する人",
        "#id_goals-0-target_value": "1",
        "#id_goals-0-unit": "人",
    }.items():
        coordinator.fill(field, value)
    coordinator.check("input[name=visibility][value=public]")
    coordinator.get_by_role("button", name="下書きとして作る").click()
    expect(coordinator.locator("h1")).to_have_text("ひきこもり経験者の職場体験")
    platform = Platform.objects.get()
    step_to(coordinator, journey, "recruiting", "募集中")
    journey.check(coordinator, "coordinator", "platform")

    # They invite one person who has an account and one new address.
    coordinator.click("text=招待する")
    for email in ("suzuki@example.jp", "takahashi@example.jp"):
        coordinator.fill("#id_email", email)
        coordinator.get_by_role("button", name="招待を送る").click()
        expect(coordinator.locator(".messages")).to_contain_text(f"{email} に招待を送りました。")
    journey.check(coordinator, "coordinator", "invitations")
    # The link can be copied for LINE or paper.
    coordinator.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    coordinator.get_by_role("button", name="リンクをコピー").first.click()
    expect(coordinator.get_by_role("button", name="コピーしました")).to_have_count(1)
    assert "/invitations/" in coordinator.evaluate("navigator.clipboard.readText()")

    # The existing person opens the link, signs in and accepts.
    member = journey.person()
    member.goto(base + link_from_outbox("/invitations/", "suzuki@example.jp"))
    journey.check(member, "invitee", "invitation")
    log_in(member, base, "suzuki@example.jp")
    member.goto(base + link_from_outbox("/invitations/", "suzuki@example.jp"))
    member.get_by_test_id("accept-invitation").click()
    expect(member).to_have_url(base + platform.get_absolute_url())

    # The new person signs up from the link with another address, lands on the
    # invitation and accepts it there; the coordinator sees who came.
    newcomer = journey.person()
    newcomer.goto(base + link_from_outbox("/invitations/", "takahashi@example.jp"))
    newcomer.get_by_test_id("signup-from-invitation").click()
    sign_up(
        newcomer,
        base,
        name="高橋 誠",
        email="makoto.home@example.jp",
        journey=journey,
        who="newcomer",
        prefilled="takahashi@example.jp",
    )
    expect(newcomer.get_by_test_id("sent-elsewhere")).to_contain_text("takahashi@example.jp")
    journey.check(newcomer, "newcomer", "invitation-other-address")
    newcomer.get_by_test_id("accept-invitation").click()
    expect(newcomer.get_by_test_id("member-row")).to_have_count(3)
    journey.check(newcomer, "newcomer", "platform")
    coordinator.goto(base + f"/platforms/{platform.pk}/invitations/")
    expect(coordinator.get_by_test_id("accepted-by")).to_have_count(2)
    expect(coordinator.locator("main")).to_contain_text("高橋 誠 さんが参加")
    assert Invitation.objects.filter(status=Invitation.Status.ACCEPTED).count() == 2
    assert Membership.objects.filter(platform=platform).count() == 3

    # A board: the coordinator on a desktop, the member on a phone, live.
    suzuki = User.objects.get(email="suzuki@example.jp")
    coordinator_user = User.objects.get(email="csw@example.jp")
    coordinator.goto(base + f"/platforms/{platform.pk}/boards/")
    coordinator.get_by_label("ボード名").fill("職場体験の進行")
    coordinator.get_by_role("button", name="作る").click()
    board_path = coordinator.url.removeprefix(base)
    with asgi_server(redis_url=os.environ.get("REDIS_URL", "")) as live:
        desk = journey.person()
        desk.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": session_cookie(coordinator_user),
                    "url": live,
                }
            ]
        )
        desk.goto(live + board_path)
        expect(desk.get_by_test_id("board-status")).to_have_text("最新の状態です。")
        desk.locator("input[name=title]").first.fill("事業所の見学を申し込む")
        desk.get_by_role("button", name="追加").first.click()
        expect(desk.locator("li.card")).to_have_count(1)
        journey.check(desk, "coordinator", "board-desktop")
        card = Card.objects.get()
        desk.goto(live + card.get_absolute_url())
        desk.get_by_label("鈴木 大輔").check()
        desk.fill("#id_due", (timezone.localdate() + timedelta(days=2)).isoformat())
        desk.get_by_role("button", name="保存する").click()
        expect(desk.locator(".messages")).to_contain_text("カードを保存しました。")
        journey.check(desk, "coordinator", "card")
        desk.goto(live + board_path)
        expect(desk.get_by_test_id("board-status")).to_have_text("最新の状態です。")

        phone = journey.person(PHONE, phone=True)
        phone.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(suzuki), "url": live}]
        )
        phone.goto(live + board_path)
        expect(phone.get_by_test_id("board-status")).to_have_text("最新の状態です。")
        expect(phone.locator(".column-switcher")).to_be_visible()
        expect(phone.locator("#site-menu")).to_be_hidden()
        journey.check(phone, "member", "board-phone")
        control = phone.locator("li.card", has_text="事業所の見学を申し込む").locator(
            "details.move > summary"
        )
        control.tap()
        target = phone.locator("li.card select[name=column] option").nth(1).get_attribute("value")
        phone.locator("li.card select[name=column]").select_option(target)
        phone.get_by_role("button", name="移動する").tap()
        expect(phone.locator(f'ol.cards[data-column="{target}"] li.card')).to_have_count(1)
        # The coordinator's desktop shows the move without reloading.
        expect(desk.locator(f'ol.cards[data-column="{target}"] li.card')).to_have_count(1)
        expect(
            phone.locator(f'.column-switcher a[href="#column-{target}"] .column-switcher-count')
        ).to_have_text("1")
        journey.check(phone, "member", "board-phone-moved")

        # わたしの仕事 shows the member the card they were assigned.
        phone.goto(live + "/my-work/")
        expect(
            phone.get_by_test_id("work-this_week").or_(phone.get_by_test_id("work-later"))
        ).to_contain_text("事業所の見学を申し込む")
        journey.check(phone, "member", "my-work")

    # The coordinator runs it to the goal, writes the evaluation, confirms and archives.
    coordinator.goto(base + platform.get_absolute_url())
    step_to(coordinator, journey, "active", "活動中")
    step_to(coordinator, journey, "goal_met", "目標達成")
    coordinator.click("[data-testid=write-evaluation]")
    coordinator.fill("#id_outcome", "3人が職場見学をし、1人が体験につながった。")
    coordinator.fill("#id_learned", "同行支援が続けるための鍵だった。")
    coordinator.fill("#id_continues", "月1回の見学会")
    coordinator.fill("#id_carried_by", "藤里町商工会")
    journey.check(coordinator, "coordinator", "evaluation")
    coordinator.get_by_role("button", name="保存する").click()
    step_to(coordinator, journey, "archived", "アーカイブ済み")
    journey.check(coordinator, "coordinator", "archived")

    # The member prints the report and opens the spreadsheet.
    member.goto(base + platform.get_absolute_url())
    member.click("[data-testid=report-link]")
    expect(member.locator("h1")).to_contain_text("事業報告")
    expect(member.locator("main")).to_contain_text("1人が体験につながった")
    journey.check(member, "member", "report")
    with member.expect_download() as download:
        member.click("[data-testid=report-xlsx]")
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    overview = [list(row) for row in workbook["概要"].iter_rows(values_only=True)]
    assert ["名称", "ひきこもり経験者の職場体験"] in overview
    assert ["合計（人）", 3] in [list(row) for row in workbook["参加"].iter_rows(values_only=True)]
    boards = [list(row) for row in workbook["ボード"].iter_rows(values_only=True)]
    assert boards[0] == ["ボード", "列", "カード数"]
    assert (
        sum(
            row[2]
            for row in boards[1:]
            if row[0] == "職場体験の進行" and row[1] != "アーカイブしたカード"
        )
        == 1
    )

    assert journey.audited >= 20
    assert journey.findings == [], "\n".join(
        f"{f['who']} / {f['step']}: {f['id']} ({f['impact']}) {f['help']} {f['nodes']}"
        for f in journey.findings
    )
