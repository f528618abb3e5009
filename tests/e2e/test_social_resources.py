"""The directory of social resources in a real browser, as issue 11's "Done when" walks
it: search by a kana variant → the map → a resource's page → record a gap → launch a
platform from it → draft a resource it creates → close with a steward → archive → the
resource is active in the directory and says where it came from. Then an organisation
imports a Shift_JIS CSV with a bad row: the row's error, nothing imported until the
file is fixed. axe-core checks every page (nothing serious or critical), at desktop
width and at 375 px; each step leaves a screenshot under test-artifacts/e2e."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from members.models import OrganisationMembership
from platforms.models import Platform, Status
from resources.models import Gap, Resource
from resources.models import Status as ResourceStatus
from tests.e2e.test_newcomer_journey import DESKTOP, PHONE, Journey, log_in
from tests.factories import OrganisationFactory, ResourceFactory, UserFactory, organisation_member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TILES = "https://cyberjapandata.gsi.go.jp/**"


@pytest.fixture
def journey(browser, screenshot):
    walk = Journey(browser, screenshot)
    yield walk
    walk.close()


def person(journey, viewport=DESKTOP, *, phone=False):
    page = journey.person(viewport, phone=phone)
    # No internet here: the map's tiles are refused at once (the test asserts the
    # markers and the list, never the tiles).
    page.context.route(TILES, lambda route: route.abort())
    return page


def step_to(page, journey, status: str, label: str):
    page.click(f"[data-testid=to-{status}]")
    if status in ("archived", "cancelled"):
        journey.check(page, "coordinator", f"confirm-{status}")
        page.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("status")).to_have_text(label)


def test_find_connect_create_and_keep_a_resource(live_server, journey):
    base = live_server.url
    UserFactory(email="csw@example.jp", display_name="佐藤 恵子")
    ResourceFactory(
        name="こども食堂ひまわり",
        description="毎週土曜のお昼ごはん。",
        municipality="豊中市",
        area="第三中学校区",
        latitude="34.785000",
        longitude="135.468800",
    )
    ResourceFactory(name="ひまわり電話相談", municipality="豊中市")  # no map point

    coordinator = person(journey)
    log_in(coordinator, base, "csw@example.jp")

    # Search by a kana variant: half-width katakana finds the hiragana name.
    coordinator.goto(base + "/resources/")
    journey.check(coordinator, "coordinator", "directory")
    coordinator.get_by_label("ことば（ひらがな・カタカナどちらでも）").fill("ﾋﾏﾜﾘ")
    coordinator.get_by_role("button", name="さがす").click()
    expect(coordinator.get_by_test_id("result-count")).to_have_text("2件")
    expect(coordinator.get_by_test_id("resource").first).to_contain_text("ひまわり")

    # The map shows the same set: one marker, and says one has no point.
    coordinator.get_by_test_id("view-map").click()
    expect(coordinator.locator("#resource-map[data-ready=true]")).to_have_count(1)
    expect(coordinator.locator(".leaflet-marker-icon")).to_have_count(1)
    expect(coordinator.get_by_test_id("unmapped")).to_contain_text("1件は地図に出ていません")
    journey.check(coordinator, "coordinator", "map")
    coordinator.locator(".leaflet-marker-icon").click()
    coordinator.locator(".leaflet-popup").get_by_role("link", name="こども食堂ひまわり").click()
    expect(coordinator.locator("h1")).to_have_text("こども食堂ひまわり")
    journey.check(coordinator, "coordinator", "resource")

    # A search that finds nothing: record the gap from it.
    coordinator.goto(base + "/resources/?q=夜の居場所&municipality=豊中市")
    expect(coordinator.get_by_test_id("no-results")).to_be_visible()
    coordinator.get_by_test_id("record-gap").click()
    expect(coordinator.locator("#id_need")).to_have_value("夜の居場所")
    journey.check(coordinator, "coordinator", "gap-form")
    coordinator.fill("#id_for_whom", "ひとり親家庭の小学生")
    coordinator.fill("#id_area", "第三中学校区")
    coordinator.get_by_test_id("save-gap").click()
    expect(coordinator.get_by_test_id("gap-noted")).to_have_text("1人")
    journey.check(coordinator, "coordinator", "gap")
    gap = Gap.objects.get()

    # Launch a platform from the gap: Why starts from it.
    coordinator.get_by_test_id("launch-from-gap").click()
    expect(coordinator.get_by_test_id("from-gap")).to_be_visible()
    expect(coordinator.locator("#id_why")).to_contain_text("夜の居場所")
    journey.check(coordinator, "coordinator", "launch-from-gap")
    for field, value in {
        "#id_purpose": "夜も安心して過ごせる居場所をつくる",
        "#id_where": "東町集会所",
        "#id_deadline": (timezone.localdate() + timedelta(days=120)).isoformat(),
        "#id_what": "週2回の夜の居場所",
        "#id_how": "月1回の準備会",
    }.items():
        coordinator.fill(field, value)
    coordinator.check("input[name=visibility][value=public]")
    coordinator.get_by_role("button", name="下書きとして作る").click()
    expect(coordinator.locator("h1")).to_have_text("夜の居場所")
    platform = Platform.objects.get()
    gap.refresh_from_db()
    assert gap.platform == platform
    step_to(coordinator, journey, "recruiting", "募集中")
    step_to(coordinator, journey, "active", "活動中")

    # Draft the resource the platform creates.
    coordinator.get_by_test_id("draft-created-resource").click()
    expect(coordinator.get_by_test_id("creating-for")).to_be_visible()
    coordinator.fill("#id_name", "東町よるの居場所")
    coordinator.fill("#id_description", "火・金の夜、集会所で。")
    coordinator.check("input[name=kind][value=place]")
    coordinator.check("input[name=formality][value=informal]")
    coordinator.fill("#id_postal_code", "560-0022")
    journey.check(coordinator, "coordinator", "draft-created")
    coordinator.get_by_role("button", name="保存する").click()
    expect(coordinator.get_by_test_id("created-resources")).to_contain_text("東町よるの居場所")
    created = Resource.objects.get(created_by_platform=platform)
    assert created.status == ResourceStatus.DRAFT and created.municipality == "豊中市"

    # Close: the goal is met, the evaluation settles what continues and who keeps it.
    step_to(coordinator, journey, "goal_met", "目標達成")
    coordinator.get_by_test_id("write-evaluation").click()
    coordinator.fill("#id_outcome", "週2回の夜の居場所ができた")
    coordinator.get_by_role("button", name="評価を保存する").click()
    coordinator.goto(base + f"/platforms/{platform.pk}/evaluation/")
    plan = coordinator.get_by_test_id("plan")
    plan.locator(f"input[name=r{created.pk}-continues][value=yes]").check()
    plan.locator(f"#id_r{created.pk}-steward").select_option(label="佐藤 恵子")
    journey.check(coordinator, "coordinator", "closing")
    plan.get_by_test_id("save-plan").click()
    expect(coordinator.get_by_test_id("plan")).to_contain_text("佐藤 恵子が情報を更新します")

    # Archive: the platform dissolves, the resource does not.
    coordinator.goto(base + platform.get_absolute_url())
    step_to(coordinator, journey, "archived", "アーカイブ済み")
    platform.refresh_from_db()
    assert platform.status == Status.ARCHIVED

    visitor = person(journey)
    visitor.goto(base + "/resources/?q=よるの居場所")
    visitor.get_by_role("link", name="東町よるの居場所").click()
    expect(visitor.get_by_test_id("origin")).to_contain_text(
        "「夜の居場所」プラットフォームから生まれた資源"
    )
    expect(visitor.get_by_test_id("resource-status")).to_have_text("利用できる")
    journey.check(visitor, "visitor", "created-resource")

    # On a phone: the directory, the map and the gaps.
    phone = person(journey, PHONE, phone=True)
    for path, step in (
        ("/resources/", "directory"),
        ("/resources/map/", "map"),
        ("/gaps/", "gaps"),
    ):
        phone.goto(base + path)
        journey.check(phone, "phone", step)
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1, step

    assert journey.findings == [], "\n".join(
        f"{f['who']} / {f['step']}: {f['id']} ({f['impact']}) {f['help']} {f['nodes']}"
        for f in journey.findings
    )


def test_a_shift_jis_csv_with_a_bad_row_imports_nothing_until_fixed(live_server, journey, tmp_path):
    base = live_server.url
    admin = UserFactory(email="council@example.jp", display_name="社協 太郎")
    organisation_member(
        admin, OrganisationFactory(name="豊中市社会福祉協議会"), OrganisationMembership.Role.ADMIN
    )
    header = ["外部ID", "名前", "説明", "種類", "区分", "郵便番号", "状態"]
    good = [
        "T-1",
        "フードバンクとよなか",
        "食品の受け渡し",
        "サービス・事業",
        "インフォーマル（地域・住民の力）",
        "561-0802",
        "利用できる",
    ]
    bad = ["T-2", "", "名前のない行", "宇宙", "formal", "", ""]

    def write(rows, name):
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        path = tmp_path / name
        path.write_bytes(buffer.getvalue().encode("cp932"))
        return str(path)

    page = person(journey)
    log_in(page, base, "council@example.jp")
    page.goto(base + "/resources/")
    page.get_by_test_id("import-link").click()
    journey.check(page, "council", "import")
    page.set_input_files("#id_file", write([header, good, bad], "list.csv"))
    page.get_by_test_id("read-file").click()
    expect(page.get_by_test_id("import-errors")).to_contain_text("1行にエラーがあります")
    expect(page.get_by_test_id("row-error")).to_contain_text("3")
    expect(page.get_by_test_id("row-error")).to_contain_text("名前")
    expect(page.get_by_test_id("apply-import")).to_have_count(0)
    journey.check(page, "council", "import-errors")
    assert not Resource.objects.exists()

    page.get_by_role("link", name="直したファイルを読み込む").click()
    fixed = ["T-2", "移動支援の会", "通院の送迎", "人", "informal", "", ""]
    page.set_input_files("#id_file", write([header, good, fixed], "list.csv"))
    page.get_by_test_id("read-file").click()
    page.get_by_test_id("apply-import").click()
    expect(page.get_by_test_id("import-done")).to_contain_text("新しく2件")
    journey.check(page, "council", "import-done")
    assert Resource.objects.get(external_id="T-1").status == ResourceStatus.ACTIVE
    assert Resource.objects.count() == 2

    assert journey.findings == [], "\n".join(
        f"{f['who']} / {f['step']}: {f['id']} ({f['impact']}) {f['help']} {f['nodes']}"
        for f in journey.findings
    )
