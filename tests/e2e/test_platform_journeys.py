"""Whole journeys in a real browser: launch to archive, and asking to join."""

import io
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from platforms.models import Membership, Platform, Role, Status
from tests.e2e.conftest import link_from_outbox
from tests.factories import PlatformFactory, UserFactory, member_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "hikikomori-support-2026"


def sign_up_and_confirm(page, base, email, name="新しい参加者"):
    page.goto(base + "/accounts/signup/")
    page.get_by_label("氏名").fill(name)
    page.get_by_label("フリガナ").fill("あたらしい さんかしゃ")
    page.fill("#id_email", email)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("main form button[type=submit]")
    expect(page.locator("main")).to_contain_text(email)
    page.goto(base + link_from_outbox("/accounts/confirm-email/", email))
    page.click("main form button[type=submit]")


def log_in(page, base, email, password="pass-word-2026"):
    page.goto(base + "/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", password)
    page.click("main form button[type=submit]")
    expect(page).to_have_url(base + "/dashboard/")


def step(page, status):
    page.click(f"[data-testid=to-{status}]")
    if status in ("archived", "cancelled"):  # a step that ends it asks first
        expect(page.get_by_test_id("undo")).to_contain_text("元に戻せません")
        page.get_by_test_id("confirm").click()
    with translation.override("ja"):
        label = str(Status(status).label)
    expect(page.get_by_test_id("status")).to_have_text(label)


def test_launch_invite_close_and_archive(live_server, new_page, screenshot):
    base = live_server.url
    coordinator = new_page()

    # A coordinator signs up, confirms the email and launches a platform.
    sign_up_and_confirm(coordinator, base, "csw@example.jp")
    expect(coordinator).to_have_url(base + "/dashboard/")
    coordinator.goto(base + "/platforms/new/")
    coordinator.fill("#id_name", "ひきこもり経験者の職場体験")
    coordinator.fill("#id_purpose", "地元の事業所で無理なく働く体験を重ねる")
    coordinator.fill("#id_why", "相談先が分からない人が多い")
    coordinator.fill("#id_who", "社協が呼びかけ、商工会と事業所が参加")
    coordinator.fill("#id_where", "町内の事業所")
    coordinator.fill("#id_area", "秋田県藤里町")
    coordinator.fill("#id_deadline", (timezone.localdate() + timedelta(days=60)).isoformat())
    coordinator.fill("#id_what", "職場見学と短時間の体験")
    coordinator.fill("#id_how", "毎月の調整会議")
    coordinator.fill("#id_budget", "300000")
    coordinator.check("input[name=visibility][value=public]")
    coordinator.fill("#id_goals-0-title", "職場体験に参加する人")
    coordinator.fill("#id_goals-0-target_value", "5")
    coordinator.fill("#id_goals-0-unit", "人")
    screenshot(coordinator, "1-launch-form")
    coordinator.click("main form button.primary")
    expect(coordinator.locator("h1")).to_have_text("ひきこもり経験者の職場体験")
    platform = Platform.objects.get()
    step(coordinator, "recruiting")

    # They invite a second person who has no account yet.
    coordinator.click("text=招待する")
    coordinator.fill("#id_email", "volunteer@example.jp")
    coordinator.click("main form button.primary")
    expect(coordinator.locator(".messages")).to_contain_text(
        "volunteer@example.jp に招待を送りました。"
    )

    # The second person signs up through the invitation and lands in the platform.
    volunteer = new_page()
    volunteer.goto(base + link_from_outbox("/invitations/", "volunteer@example.jp"))
    screenshot(volunteer, "2-invitation")
    volunteer.click("[data-testid=signup-from-invitation]")
    sign_up_and_confirm(volunteer, base, "volunteer@example.jp")
    expect(volunteer).to_have_url(base + platform.get_absolute_url())
    expect(volunteer.get_by_test_id("member-row")).to_have_count(2)
    screenshot(volunteer, "3-joined")
    assert Membership.objects.get(user__email="volunteer@example.jp").role == Role.MEMBER

    # The coordinator runs it to the goal, writes the evaluation and archives it.
    coordinator.goto(base + platform.get_absolute_url())
    step(coordinator, "active")
    step(coordinator, "goal_met")
    coordinator.click("[data-testid=write-evaluation]")
    coordinator.fill("#id_outcome", "5人が職場体験に参加し、2人が就労につながった。")
    coordinator.fill("#id_learned", "支援員の同行が続けるための鍵だった。")
    coordinator.fill("#id_continues", "受け入れ事業所の勉強会")
    coordinator.fill("#id_carried_by", "藤里町商工会")
    coordinator.click("main form button.primary")
    step(coordinator, "archived")

    # The archive shows everything and offers no edit control, to either person.
    for person in (coordinator, volunteer):
        person.goto(base + platform.get_absolute_url())
        expect(person.get_by_test_id("archived-notice")).to_be_visible()
        expect(person.get_by_test_id("evaluation")).to_contain_text("2人が就労につながった")
        expect(person.locator("main")).to_contain_text("職場体験に参加する人")
        expect(person.locator("main form")).to_have_count(0)
        expect(person.get_by_test_id("edit-charter")).to_have_count(0)
    screenshot(coordinator, "4-archived")
    coordinator.goto(base + "/platforms/archive/")
    expect(coordinator.locator(".platform-list")).to_contain_text("ひきこもり経験者の職場体験")
    platform.refresh_from_db()
    assert platform.status == Status.ARCHIVED

    # The volunteer prints the report and saves it as a spreadsheet.
    volunteer.goto(base + platform.get_absolute_url())
    volunteer.click("[data-testid=report-link]")
    expect(volunteer.locator("h1")).to_contain_text("事業報告")
    expect(volunteer.locator("main")).to_contain_text("2人が就労につながった")
    volunteer.emulate_media(media="print")
    expect(volunteer.locator(".site-header")).to_be_hidden()
    pdf = volunteer.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 2  # the page break
    volunteer.emulate_media(media="screen")
    with volunteer.expect_download() as download:
        volunteer.click("[data-testid=report-xlsx]")
    assert download.value.suggested_filename == f"platform-{platform.pk}-report.xlsx"
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert workbook.sheetnames[:2] == ["概要", "目標"]
    assert ["名称", "ひきこもり経験者の職場体験"] in [
        list(r) for r in workbook["概要"].iter_rows(values_only=True)
    ]


def test_stranger_asks_to_join_and_coordinator_approves(live_server, new_page, screenshot):
    base = live_server.url
    coordinator_user = UserFactory(email="coord@example.jp", display_name="佐藤")
    UserFactory(email="stranger@example.jp", display_name="鈴木")
    platform = PlatformFactory(name="地域特産品コミュニティビジネス", status=Status.RECRUITING)
    member_of(platform, coordinator_user, Role.COORDINATOR)

    stranger = new_page()
    log_in(stranger, base, "stranger@example.jp")
    stranger.goto(base + "/platforms/")
    stranger.click("text=地域特産品コミュニティビジネス")
    stranger.click("[data-testid=ask-to-join]")
    stranger.fill("#id_message", "販売のお手伝いができます。")
    stranger.click("main form button.primary")
    expect(stranger.locator(".messages")).to_contain_text("参加を申請しました。")
    screenshot(stranger, "1-requested")

    coordinator = new_page()
    log_in(coordinator, base, "coord@example.jp")
    expect(coordinator.locator("main")).to_contain_text("判断を待っている参加申請")
    coordinator.goto(base + f"/platforms/{platform.pk}/requests/")
    expect(coordinator.get_by_test_id("join-request")).to_contain_text("販売のお手伝いができます。")
    coordinator.click("[data-testid=join-request] button[value=approve]")
    expect(coordinator.locator(".messages")).to_contain_text("鈴木 さんの参加を承認しました。")
    screenshot(coordinator, "2-approved")

    stranger.goto(base + platform.get_absolute_url())
    expect(stranger.locator("main")).to_contain_text("あなたの役割：メンバー")
    expect(stranger.get_by_test_id("member-row")).to_have_count(2)
    assert Membership.objects.get(user__email="stranger@example.jp").role == Role.MEMBER
