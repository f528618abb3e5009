"""The HSDS 3.0 open data API: every response valid against what the specification
requires (tests/resources/hsds_spec.py, with jsonschema and format checks), ids stable
across reads, only public things, pagination and bad parameters, a fixed number of
queries per page."""

import json
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from jsonschema import Draft202012Validator, FormatChecker

from resources.models import Audience
from resources.models import Status as ResourceStatus
from tests.factories import OrganisationFactory, ResourceFactory, UserFactory
from tests.resources import hsds_spec

pytestmark = pytest.mark.django_db


def valid(schema, data):
    errors = sorted(
        Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(data),
        key=str,
    )
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def get(client, name, *args, **params):
    response = client.get(reverse(f"resources:{name}", args=args), params)
    return response.status_code, json.loads(response.content)


@pytest.fixture
def directory():
    council = OrganisationFactory(name="豊中市社会福祉協議会", description="地域福祉の推進")
    person = UserFactory(display_name="山田 花子")
    full = ResourceFactory(
        name="こども食堂ひまわり",
        description="毎週土曜のお昼ごはん",
        provider_organisation=council,
        eligibility="小学生と保護者",
        age_min=6,
        age_max=12,
        cost="paid",
        cost_note="1食100円",
        postal_code="560-0022",
        municipality="豊中市",
        address="北桜塚2丁目1-1",
        area="第三中学校区",
        latitude="34.787000",
        longitude="135.468000",
        phone="06-1111-2222",
        phone_audience=Audience.EVERYONE,
        email="himawari@example.jp",
        email_audience=Audience.SIGNED_IN,
        url="https://himawari.example.jp",
        url_audience=Audience.EVERYONE,
        languages="日本語、やさしい日本語",
    )
    paused = ResourceFactory(name="休止中の体操教室", status=ResourceStatus.PAUSED, municipality="")
    ended = ResourceFactory(name="終わった相談会", status=ResourceStatus.ENDED)
    private_provider = ResourceFactory(
        name="個人の送迎",
        provider_person=person,
        phone="090-0000-0000",
        phone_audience=Audience.LINKED,
    )
    draft = ResourceFactory(
        name="下書きの居場所",
        status=ResourceStatus.DRAFT,
        provider_organisation=OrganisationFactory(name="下書きだけの団体"),
    )
    return {
        "full": full,
        "paused": paused,
        "ended": ended,
        "private": private_provider,
        "draft": draft,
        "council": council,
    }


def test_services_are_a_valid_page_of_public_services(client, directory):
    status, data = get(client, "hsds-services")

    assert status == 200
    valid(hsds_spec.page_of(hsds_spec.SERVICE_LIST), data)
    names = {item["name"] for item in data["contents"]}
    assert names == {"こども食堂ひまわり", "休止中の体操教室", "終わった相談会", "個人の送迎"}
    statuses = {item["name"]: item["status"] for item in data["contents"]}
    assert statuses["休止中の体操教室"] == "temporarily closed"
    assert statuses["終わった相談会"] == "defunct"
    assert (data["total_items"], data["empty"], data["first_page"], data["last_page"]) == (
        4,
        False,
        True,
        True,
    )


def test_a_service_is_fully_nested_valid_and_shows_only_what_is_public(client, directory):
    full = directory["full"]
    status, data = get(client, "hsds-service", full.uuid)

    assert status == 200
    valid(hsds_spec.SERVICE, data)
    assert data["id"] == str(full.uuid)
    assert data["assured_date"] == full.confirmed_at.isoformat()
    assert data["organization"]["name"] == "豊中市社会福祉協議会"
    assert data["phones"][0]["number"] == "06-1111-2222"
    assert "email" not in data  # kept for signed-in people
    assert data["url"] == "https://himawari.example.jp"
    address = data["service_at_locations"][0]["location"]["addresses"][0]
    assert (
        address["state_province"],
        address["city"],
        address["postal_code"],
        address["country"],
    ) == (
        "大阪府",
        "豊中市",
        "560-0022",
        "JP",
    )
    assert data["service_at_locations"][0]["location"]["latitude"] == pytest.approx(34.787)


def test_a_person_who_provides_a_resource_is_never_in_open_data(client, directory):
    status, data = get(client, "hsds-service", directory["private"].uuid)

    body = json.dumps(data, ensure_ascii=False)
    assert status == 200 and "山田" not in body and "090-0000-0000" not in body
    assert "organization_id" not in data


def test_drafts_and_their_organisations_are_not_published(client, directory):
    status, _ = get(client, "hsds-service", directory["draft"].uuid)
    _, organisations = get(client, "hsds-organizations")

    assert status == 404
    assert [o["name"] for o in organisations["contents"]] == ["豊中市社会福祉協議会"]
    valid(hsds_spec.page_of(hsds_spec.ORGANIZATION), organisations)


def test_an_organization_is_valid_with_its_services(client, directory):
    council = directory["council"]
    status, data = get(client, "hsds-organization", council.uuid)

    assert status == 200
    valid(hsds_spec.ORGANIZATION, data)
    assert [s["name"] for s in data["services"]] == ["こども食堂ひまわり"]
    for item in data["services"]:
        valid(hsds_spec.SERVICE_LIST, item)


def test_service_at_locations_are_valid_and_name_their_service(client, directory):
    status, data = get(client, "hsds-service-at-locations")

    assert status == 200
    valid(hsds_spec.page_of(hsds_spec.SERVICE_AT_LOCATION), data)
    by_service = {item["service_id"]: item for item in data["contents"]}
    assert str(directory["full"].uuid) in by_service
    one = by_service[str(directory["full"].uuid)]
    status, single = get(client, "hsds-service-at-location", one["id"])
    assert status == 200 and single == one
    valid(hsds_spec.SERVICE_AT_LOCATION, single)


def test_ids_stay_the_same_across_reads(client, directory):
    first = get(client, "hsds-service", directory["full"].uuid)[1]
    directory["full"].description = "変わった説明"
    directory["full"].save()
    second = get(client, "hsds-service", directory["full"].uuid)[1]

    def ids(data):
        found = []

        def walk(value):
            if isinstance(value, dict):
                found.extend(v for k, v in value.items() if k == "id" or k.endswith("_id"))
                for v in value.values():
                    walk(v)
            elif isinstance(value, list):
                for v in value:
                    walk(v)

        walk(data)
        return found

    assert ids(first) == ids(second) and len(ids(first)) >= 6


def test_pages_split_the_services_and_say_where_they_are(client):
    for n in range(5):
        ResourceFactory(name=f"資源{n}")

    _, second = get(client, "hsds-services", page=2, per_page=2)
    _, last = get(client, "hsds-services", page=3, per_page=2)
    _, beyond = get(client, "hsds-services", page=9, per_page=2)

    assert (second["page_number"], second["size"], second["total_pages"]) == (2, 2, 3)
    assert (second["first_page"], second["last_page"]) == (False, False)
    assert (last["size"], last["last_page"]) == (1, True)
    assert beyond["contents"] == [] and beyond["empty"] is False


@pytest.mark.parametrize(
    "params",
    [
        {"page": "0"},
        {"page": "abc"},
        {"per_page": "1000"},
        {"page": "-1"},
        {"per_page": "9999999999999"},
    ],
)
def test_bad_paging_is_a_400_that_says_which(client, params):
    status, data = get(client, "hsds-services", **params)
    assert status == 400 and list(params)[0] in data["error"]


@pytest.mark.parametrize("bad", ["nonsense", str(uuid.uuid4()), "' OR 1=1 --", "%00"])
def test_unknown_ids_are_a_404(client, directory, bad):
    for name in ("hsds-service", "hsds-organization", "hsds-service-at-location"):
        status, data = get(client, name, bad)
        assert status == 404 and data["error"]


def test_search_finds_kana_variants(client, directory):
    _, data = get(client, "hsds-services", search="ヒマワリ")
    assert [item["name"] for item in data["contents"]] == ["こども食堂ひまわり"]


def test_organization_filter(client, directory):
    _, data = get(client, "hsds-services", organization_id=str(directory["council"].uuid))
    assert [item["name"] for item in data["contents"]] == ["こども食堂ひまわり"]


@pytest.mark.parametrize(
    "name", ["hsds-services", "hsds-organizations", "hsds-service-at-locations"]
)
def test_a_page_takes_the_same_number_of_queries_however_many_rows(client, name):
    def queries(count):
        for _ in range(count):
            ResourceFactory(provider_organisation=OrganisationFactory())
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse(f"resources:{name}"), {"per_page": 50})
        return len(captured)

    assert queries(3) == queries(40)


def test_the_root_says_which_version(client):
    status, data = get(client, "hsds-root")
    assert status == 200 and data["version"] == "3.0"


def test_open_data_can_be_read_from_any_site(client, directory):
    response = client.get(reverse("resources:hsds-services"))
    assert response["Access-Control-Allow-Origin"] == "*"
