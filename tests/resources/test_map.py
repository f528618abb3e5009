"""The map and the printed 社会資源マップ: the same filtered set as the list, points for
what has one and a count of what has none, bounding boxes, tiles from the setting, and
contacts in print only as the reader may see them."""

import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from platforms.models import Role, Status
from resources import services
from resources.models import Audience, Kind
from tests.factories import PlatformFactory, ResourceFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    return {
        "fujisato": ResourceFactory(name="こみっと", kind=Kind.PLACE, municipality="藤里町", latitude="40.2800", longitude="140.3200"),
        "toyonaka": ResourceFactory(name="ひまわり食堂", kind=Kind.PLACE, municipality="豊中市", latitude="34.7800", longitude="135.4700"),
        "fund": ResourceFactory(name="地域福祉基金", kind=Kind.FUNDING, municipality="豊中市", latitude="34.7810", longitude="135.4710"),
        "nowhere": ResourceFactory(name="電話相談", kind=Kind.SERVICE, municipality="豊中市"),
    }  # fmt: skip


def points_on(page) -> list[dict]:
    found = re.search(r'<script id="map-points" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


def test_the_map_shows_the_lists_filtered_set_and_counts_what_has_no_point(client, places):
    page = client.get(
        reverse("resources:resource-map"), {"municipality": "豊中市"}
    ).content.decode()

    assert sorted(p["name"] for p in points_on(page)) == ["ひまわり食堂", "地域福祉基金"]
    assert 'data-testid="unmapped"' in page and "1件は地図に出ていません" in page
    listing = client.get(
        reverse("resources:resource-list"), {"municipality": "豊中市"}
    ).content.decode()
    assert "3件" in listing


def test_filters_narrow_the_map_as_they_narrow_the_list(client, places):
    page = client.get(reverse("resources:resource-map"), {"kind": "funding"}).content.decode()
    assert [p["name"] for p in points_on(page)] == ["地域福祉基金"]
    assert 'data-testid="unmapped"' not in page


def test_tiles_come_from_the_setting_and_are_allowed_by_the_csp(client, places, settings):
    response = client.get(reverse("resources:resource-map"))
    page = response.content.decode()
    assert 'data-tile-url="https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png"' in page
    assert "地理院タイル" in page
    assert "https://cyberjapandata.gsi.go.jp" in response["Content-Security-Policy"]


def test_names_are_escaped_in_the_map_data(client):
    ResourceFactory(name="</script><script>alert(1)</script>", latitude="35", longitude="135")
    page = client.get(reverse("resources:resource-map")).content.decode()
    assert "<script>alert(1)" not in page


def test_points_in_a_bounding_box(client, places):
    response = client.get(reverse("resources:resource-map-points"), {"bbox": "139,39,141,41"})
    data = json.loads(response.content)
    assert [p["name"] for p in data["points"]] == ["こみっと"]
    ignored = json.loads(
        client.get(reverse("resources:resource-map-points"), {"bbox": "x,1,2"}).content
    )
    assert len(ignored["points"]) == 3


def test_the_map_takes_the_same_number_of_queries_however_many_points(client):
    def count(n):
        for i in range(n):
            ResourceFactory(latitude=f"35.{i:04d}", longitude="135.5")
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("resources:resource-map"))
        return len(queries)

    assert count(2) == count(30)


# --- the printed map ------------------------------------------------------------------------


def test_the_printed_map_groups_by_kind_in_the_seeds_order(client, places):
    page = client.get(
        reverse("resources:resource-sheet"), {"municipality": "豊中市"}
    ).content.decode()

    assert "豊中市 社会資源マップ" in page
    assert page.index("サービス・事業") < page.index("場所") < page.index("資金")
    assert "こみっと" not in page


def test_the_printed_map_has_only_the_contacts_the_reader_may_see(client):
    steward, member = UserFactory(), UserFactory()
    resource = ResourceFactory(
        steward=steward,
        phone="06-1111-2222",
        phone_audience=Audience.EVERYONE,
        email="signed@example.jp",
        email_audience=Audience.SIGNED_IN,
        url="https://linked.example.jp",
        url_audience=Audience.LINKED,
    )
    platform = PlatformFactory(status=Status.ACTIVE)
    member_of(platform, steward, Role.COORDINATOR)
    member_of(platform, member, Role.MEMBER)
    services.platform_resource_link(actor=steward, platform=platform, resource=resource)

    def sheet():
        return client.get(reverse("resources:resource-sheet")).content.decode()

    anonymous = sheet()
    client.force_login(UserFactory())
    stranger = sheet()
    client.force_login(member)
    insider = sheet()

    assert "06-1111-2222" in anonymous and "signed@example.jp" not in anonymous
    assert "signed@example.jp" in stranger and "linked.example.jp" not in stranger
    assert "linked.example.jp" in insider


def test_the_printed_map_as_xlsx_has_a_sheet_per_kind(client, places):
    response = client.get(reverse("resources:resource-sheet-xlsx"), {"municipality": "豊中市"})

    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["サービス・事業", "場所", "資金"]
    assert workbook["場所"]["A1"].value == "名前" and workbook["場所"]["A2"].value == "ひまわり食堂"


def test_the_printed_map_takes_a_fixed_number_of_queries(client):
    def count(n):
        for _ in range(n):
            ResourceFactory(phone="06-0000-0000", phone_audience=Audience.LINKED)
        client.force_login(UserFactory())
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("resources:resource-sheet"))
        return len(queries)

    assert count(2) == count(25)
