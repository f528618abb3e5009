"""The directory in and out as tables: the export's columns are the import's, CSV in
UTF-8 with or without a BOM and in Shift_JIS, xlsx, a preview with each row's errors,
nothing imported until confirmed and nothing half-imported, and the same file
imported twice updating instead of duplicating."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from members.models import OrganisationMembership
from resources import services, tabular
from resources.models import Audience, Resource, ResourceImport
from resources.models import Status as ResourceStatus
from tests.factories import OrganisationFactory, ResourceFactory, UserFactory, organisation_member

pytestmark = pytest.mark.django_db

HEADER = [
    "外部ID",
    "名前",
    "説明",
    "種類",
    "区分",
    "提供できるもの",
    "郵便番号",
    "市区町村",
    "電話",
    "状態",
]
GOOD = [
    ["T-001", "こども食堂ひまわり", "毎週土曜のお昼", "場所", "インフォーマル（地域・住民の力）", "場所・スペース、人手", "560-0022", "", "06-1111-2222", "利用できる"],
    ["T-002", "フードバンクとよなか", "食品の受け渡し", "サービス・事業", "formal", "物品", "", "豊中市", "", ""],
]  # fmt: skip


def csv_bytes(rows, encoding="utf-8-sig"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def admin():
    user = UserFactory()
    organisation = OrganisationFactory(name="豊中市社会福祉協議会")
    organisation_member(user, organisation, OrganisationMembership.Role.ADMIN)
    return user, organisation


def upload(client, organisation, name, content):
    return client.post(
        reverse("resources:resource-import"),
        {"file": SimpleUploadedFile(name, content), "organisation": organisation.pk},
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("list.csv", csv_bytes([HEADER, *GOOD], "utf-8-sig")),
        ("list.csv", csv_bytes([HEADER, *GOOD], "utf-8")),
        ("list.csv", csv_bytes([HEADER, *GOOD], "cp932")),
        ("list.xlsx", xlsx_bytes([HEADER, *GOOD])),
    ],
    ids=["utf8-bom", "utf8", "shift-jis", "xlsx"],
)
def test_a_list_is_previewed_then_imported_whole(client, admin, name, content):
    user, organisation = admin
    client.force_login(user)

    preview = upload(client, organisation, name, content)

    batch = ResourceImport.objects.get()
    assert preview.status_code == 302 and not Resource.objects.exists()
    page = client.get(preview.url).content.decode()
    assert "こども食堂ひまわり" in page and 'data-testid="apply-import"' in page

    client.post(reverse("resources:resource-import-apply", args=[batch.pk]))

    himawari = Resource.objects.get(external_id="T-001")
    assert (himawari.status, himawari.municipality, himawari.address) == (
        ResourceStatus.ACTIVE,
        "豊中市",
        "北桜塚",
    )
    assert (himawari.provider_organisation, himawari.steward_organisation) == (
        organisation,
        organisation,
    )
    assert sorted(himawari.offers) == ["people", "space"]
    assert Resource.objects.get(external_id="T-002").status == ResourceStatus.DRAFT


def test_a_shift_jis_csv_with_a_bad_row_says_which_and_imports_nothing(client, admin):
    user, organisation = admin
    client.force_login(user)
    bad = [*GOOD, ["T-003", "", "名前のない行", "宇宙", "formal", "", "999-9999", "", "", ""]]

    upload(client, organisation, "list.csv", csv_bytes([HEADER, *bad], "cp932"))

    batch = ResourceImport.objects.get()
    page = client.get(
        reverse("resources:resource-import-preview", args=[batch.pk])
    ).content.decode()
    assert batch.error_count == 1 and 'data-testid="apply-import"' not in page
    assert "名前" in page and "種類" in page and "この郵便番号は見つかりません" in page
    applied = client.post(reverse("resources:resource-import-apply", args=[batch.pk]), follow=True)
    assert "エラーのある行があります" in applied.content.decode()
    assert not Resource.objects.exists()

    # Fixed and read again, it goes in.
    fixed = [*GOOD, ["T-003", "移動支援", "送迎", "人", "informal", "", "", "豊中市", "", ""]]
    upload(client, organisation, "list.csv", csv_bytes([HEADER, *fixed], "cp932"))
    client.post(
        reverse("resources:resource-import-apply", args=[ResourceImport.objects.first().pk])
    )
    assert Resource.objects.count() == 3


def test_importing_the_same_file_again_updates_instead_of_duplicating(client, admin):
    user, organisation = admin
    client.force_login(user)
    for description in ("毎週土曜のお昼", "毎週日曜のお昼"):
        rows = [HEADER, [*GOOD[0][:2], description, *GOOD[0][3:]], GOOD[1]]
        upload(client, organisation, "list.csv", csv_bytes(rows))
        client.post(
            reverse("resources:resource-import-apply", args=[ResourceImport.objects.first().pk])
        )

    assert Resource.objects.count() == 2
    himawari = Resource.objects.get(external_id="T-001")
    assert himawari.description == "毎週日曜のお昼"
    assert himawari.revisions.filter(changed_fields__icontains="description").exists() or any(
        "description" in r.changed_fields for r in himawari.revisions.all()
    )
    assert ResourceImport.objects.first().updated == 2


def test_a_failing_row_at_confirmation_rolls_back_every_row(admin):
    user, organisation = admin
    batch = services.resource_import_preview(
        actor=user,
        organisation=organisation,
        filename="list.csv",
        content=csv_bytes([HEADER, *GOOD]),
    )
    # Between preview and confirmation someone else's resource takes the external id.
    ResourceFactory(external_id="T-002", steward=UserFactory())

    with pytest.raises(Exception) as refusal:
        services.resource_import_apply(actor=user, batch=batch)

    assert "3行目" in str(refusal.value)
    assert not Resource.objects.filter(external_id="T-001").exists()
    batch.refresh_from_db()
    assert batch.state == ResourceImport.State.PREVIEW


def test_an_external_id_twice_in_one_file_is_an_error(admin):
    user, organisation = admin
    batch = services.resource_import_preview(
        actor=user,
        organisation=organisation,
        filename="list.csv",
        content=csv_bytes([HEADER, GOOD[0], GOOD[0]]),
    )
    assert batch.error_count == 1 and "2行目と重なっています" in batch.rows[1]["errors"][0]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("list.pdf", b"%PDF-1.4", "CSV（.csv）か Excel（.xlsx）"),
        ("list.xlsx", b"not a zip", "Excel（.xlsx）のファイルとして読めません"),
        ("list.csv", b"", "空です"),
        ("list.csv", b"\n\n", "ファイルに行がありません"),
        ("list.csv", csv_bytes([["名前", "説明"], ["a", "b"]]), "「種類」の列がありません"),
        (
            "list.csv",
            "名前,説明\n\udcff".encode("utf-8", "surrogateescape") + b"\xff\xfe\x80",
            "文字コードが読めません",
        ),
    ],
)
def test_a_file_that_cannot_be_read_says_why(client, admin, name, content, message):
    user, organisation = admin
    client.force_login(user)

    response = upload(client, organisation, name, content)

    assert response.status_code == 400 and message in response.content.decode()
    assert not ResourceImport.objects.exists()


def test_only_organisation_admins_and_staff_import(client, admin):
    user, organisation = admin
    member = UserFactory()
    organisation_member(member, organisation)
    client.force_login(member)

    assert client.get(reverse("resources:resource-import")).status_code == 403
    response = upload(client, organisation, "list.csv", csv_bytes([HEADER, *GOOD]))
    assert response.status_code == 403 and not ResourceImport.objects.exists()


def test_another_persons_preview_is_a_404(client, admin):
    user, organisation = admin
    batch = services.resource_import_preview(
        actor=user,
        organisation=organisation,
        filename="list.csv",
        content=csv_bytes([HEADER, *GOOD]),
    )
    other = UserFactory(is_staff=True)
    client.force_login(other)

    assert (
        client.get(reverse("resources:resource-import-preview", args=[batch.pk])).status_code == 404
    )
    assert (
        client.post(reverse("resources:resource-import-apply", args=[batch.pk])).status_code == 404
    )
    assert not Resource.objects.exists()


def test_an_import_cannot_take_over_someone_elses_resource(admin):
    user, organisation = admin
    ResourceFactory(external_id="T-001", name="よその資源", steward=UserFactory())

    batch = services.resource_import_preview(
        actor=user,
        organisation=organisation,
        filename="list.csv",
        content=csv_bytes([HEADER, GOOD[0]]),
    )

    assert "編集できないもの" in batch.rows[0]["errors"][0]


# --- export -------------------------------------------------------------------------------


def test_the_export_has_japanese_headers_and_only_contacts_the_reader_may_see(client):
    ResourceFactory(
        name="=HYPERLINK(1)",
        phone="06-1111-2222",
        phone_audience=Audience.EVERYONE,
        email="hidden@example.jp",
        email_audience=Audience.SIGNED_IN,
    )

    response = client.get(reverse("resources:resource-export-csv"))

    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff外部ID,名前,説明,種類")
    assert "06-1111-2222" in body and "hidden@example.jp" not in body
    assert "'=HYPERLINK(1)" in body
    client.force_login(UserFactory())
    assert (
        "hidden@example.jp" in client.get(reverse("resources:resource-export-csv")).content.decode()
    )


def test_the_export_follows_the_filters_and_reads_back_as_an_import(client, admin):
    user, organisation = admin
    ResourceFactory(
        name="ひまわり食堂",
        kind="place",
        external_id="X-1",
        provider_organisation=organisation,
        steward=user,
    )
    ResourceFactory(name="基金", kind="funding")

    response = client.get(reverse("resources:resource-export-xlsx"), {"kind": "place"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value or "" for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == tabular.headers() and len(rows) == 2 and rows[1][1] == "ひまわり食堂"
    batch = services.resource_import_preview(
        actor=user, organisation=organisation, filename="back.xlsx", content=response.content
    )
    assert batch.error_count == 0 and batch.rows[0]["action"] == "update"


def test_anonymous_people_are_sent_to_log_in_for_every_import_page(client, admin):
    user, organisation = admin
    batch = services.resource_import_preview(
        actor=user,
        organisation=organisation,
        filename="list.csv",
        content=csv_bytes([HEADER, *GOOD]),
    )

    for response in (
        client.get(reverse("resources:resource-import")),
        upload(client, organisation, "list.csv", csv_bytes([HEADER, *GOOD])),
        client.get(reverse("resources:resource-import-preview", args=[batch.pk])),
        client.post(reverse("resources:resource-import-apply", args=[batch.pk])),
    ):
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert ResourceImport.objects.count() == 1 and not Resource.objects.exists()
