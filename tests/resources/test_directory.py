"""The directory of social resources, first part: drafts by anyone signed in, edits
by editors with each change kept, one-click confirmation, staleness, kana-insensitive
search with filters and facet counts, contacts shown to the audience chosen, and the
permission matrix over every resource URL × role × status."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.models import OrganisationMembership
from resources import services
from resources.models import Audience, Kind, Offer, Resource, ResourceRevision, Status
from tests.factories import OrganisationFactory, ResourceFactory, UserFactory, organisation_member

pytestmark = pytest.mark.django_db

DRAFT = {
    "name": "こども食堂ひまわり",
    "description": "毎週土曜日のお昼ごはん。だれでも来られます。",
    "kind": Kind.PLACE,
    "formality": "informal",
    "cost": "free",
    "municipality": "豊中市",
    "area": "第三中学校区",
    "phone": "06-1234-5678",
    "phone_audience": Audience.EVERYONE,
    "email": "himawari@example.jp",
    "email_audience": Audience.SIGNED_IN,
}


def create(user, **changes):
    return services.resource_create(actor=user, data=DRAFT | changes, offers=[Offer.SPACE])


def form_post(**changes):
    data = {key: value for key, value in (DRAFT | changes).items()} | {
        "offers": ["space", "people"],
        "url_audience": "everyone",
        "cost_note": "",
        "hours": "",
    }
    return {k: v for k, v in data.items() if v is not None}


# --- drafts, edits, confirmation ----------------------------------------------------


def test_anyone_signed_in_writes_a_draft_and_keeps_it_current(client):
    author = UserFactory()
    client.force_login(author)

    response = client.post(reverse("resources:resource-create"), form_post())

    resource = Resource.objects.get()
    assert response.status_code == 302 and response.url == resource.get_absolute_url()
    assert (resource.status, resource.steward, resource.created_by) == (
        Status.DRAFT,
        author,
        author,
    )
    assert sorted(resource.offers) == ["people", "space"]
    assert "ひまわり" in resource.search_text


def test_a_draft_is_hidden_from_everyone_but_its_editors(client):
    resource = create(UserFactory())

    client.force_login(UserFactory())
    other = client.get(resource.get_absolute_url())
    client.logout()
    anonymous = client.get(resource.get_absolute_url())

    assert other.status_code == 404 and anonymous.status_code == 404


def test_an_edit_keeps_what_changed_and_what_it_was(client):
    author = UserFactory()
    resource = create(author)

    services.resource_update(
        actor=author,
        resource=resource,
        data={"name": "こども食堂ひまわり（休日）", "status": Status.ACTIVE},
        offers=[Offer.SPACE, Offer.GOODS],
    )
    services.resource_update(
        actor=author, resource=resource, data={"name": "こども食堂ひまわり（休日）"}
    )

    revision = ResourceRevision.objects.get()  # the second edit changed nothing
    assert sorted(revision.changed_fields) == ["name", "offers", "status"]
    assert revision.before == {"name": "こども食堂ひまわり", "status": "draft", "offers": ["space"]}


def test_only_editors_edit(client):
    resource = create(UserFactory())
    services.resource_update(
        actor=resource.steward, resource=resource, data={"status": Status.ACTIVE}
    )
    organisation = OrganisationFactory()
    Resource.objects.filter(pk=resource.pk).update(provider_organisation=organisation)
    admin = UserFactory()
    organisation_member(admin, organisation, OrganisationMembership.Role.ADMIN)
    plain_member = UserFactory()
    organisation_member(plain_member, organisation)
    staff = UserFactory(is_staff=True)

    for editor in (admin, staff):
        resource.refresh_from_db()
        services.resource_update(
            actor=editor, resource=resource, data={"hours": f"{editor.pk}時から"}
        )
    with pytest.raises(PermissionDenied):
        services.resource_update(actor=plain_member, resource=resource, data={"hours": "乗っ取り"})
    assert Resource.objects.get(pk=resource.pk).hours == f"{staff.pk}時から"


def test_a_resource_needs_someone_to_keep_it_current_before_it_is_active():
    resource = create(UserFactory())
    Resource.objects.filter(pk=resource.pk).update(steward=None)
    staff = UserFactory(is_staff=True)

    with pytest.raises(ValidationError) as refused:
        services.resource_update(actor=staff, resource=resource, data={"status": Status.ACTIVE})

    assert "情報を更新する人か団体" in str(refused.value)
    assert Resource.objects.get(pk=resource.pk).status == Status.DRAFT


def test_confirming_is_one_click_and_clears_the_stale_notice(client):
    resource = ResourceFactory(confirmed_at=timezone.localdate() - timedelta(days=400))
    client.force_login(resource.steward)

    before = client.get(resource.get_absolute_url()).content.decode()
    client.post(reverse("resources:resource-confirm", args=[resource.pk]))
    after = client.get(resource.get_absolute_url()).content.decode()

    assert "情報が古い可能性があります" in before
    assert "情報が古い可能性があります" not in after
    resource.refresh_from_db()
    assert (resource.confirmed_at, resource.confirmed_by) == (
        timezone.localdate(),
        resource.steward,
    )
    assert ResourceRevision.objects.get(resource=resource).confirmed is True


# --- search, filters, facets -----------------------------------------------------------


@pytest.mark.parametrize(
    "words", ["ボランティア", "ぼらんてぃあ", "ﾎﾞﾗﾝﾃｨｱ", "ＢＯＲＡ", "ボランティア　センター"]
)
def test_search_folds_kana_and_width(client, words):
    ResourceFactory(name="ボランティアセンター BORA", description="ボランティアの相談窓口")
    ResourceFactory(name="図書館")

    response = client.get(reverse("resources:resource-list"), {"q": words})

    names = [resource.name for resource, _stale in response.context["rows"]]
    assert names == ["ボランティアセンター BORA"]


def test_filters_and_facet_counts_show_the_same_set(client):
    ResourceFactory(name="食堂", kind=Kind.PLACE, municipality="豊中市", area="第三中学校区")
    ResourceFactory(name="助成金", kind=Kind.FUNDING, formality="formal", municipality="豊中市")
    ResourceFactory(name="藤里の見守り", kind=Kind.NETWORK, municipality="藤里町")
    ResourceFactory(
        name="休止中の教室", kind=Kind.PLACE, status=Status.PAUSED, municipality="豊中市"
    )

    everything = client.get(reverse("resources:resource-list"))
    toyonaka = client.get(reverse("resources:resource-list"), {"municipality": "豊中市"})
    places = client.get(
        reverse("resources:resource-list"), {"municipality": "豊中市", "kind": "place"}
    )
    paused = client.get(reverse("resources:resource-list"), {"status": "paused"})

    assert everything.context["page"].paginator.count == 3  # active by default
    assert toyonaka.context["page"].paginator.count == 2
    kinds = {value: n for value, _label, n in toyonaka.context["facets"][0][3]}
    assert (kinds["place"], kinds["funding"], kinds["network"]) == (1, 1, 0)
    assert dict((v, n) for v, _l, n in everything.context["municipalities"]) == {
        "藤里町": 1,
        "豊中市": 2,
    }
    assert [r.name for r, _s in places.context["rows"]] == ["食堂"]
    assert [r.name for r, _s in paused.context["rows"]] == ["休止中の教室"]
    assert 'data-testid="facet-kind-place">1<' in toyonaka.content.decode()


def test_stale_resources_are_marked_and_ranked_lower(client):
    ResourceFactory(name="あ古い", confirmed_at=timezone.localdate() - timedelta(days=366))
    ResourceFactory(name="い新しい")
    ResourceFactory(name="う未確認", confirmed_at=None)

    response = client.get(reverse("resources:resource-list"))
    recent = client.get(reverse("resources:resource-list"), {"recent": "on"})

    assert [(r.name, stale) for r, stale in response.context["rows"]] == [
        ("い新しい", False),
        ("あ古い", True),
        ("う未確認", True),
    ]
    assert response.content.decode().count('data-testid="stale"') == 2
    assert [r.name for r, _s in recent.context["rows"]] == ["い新しい"]


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "dragons"},
        {"page": "-1"},
        {"q": "x" * 500},
        {"status": "draft"},
        {"recent": "maybe"},
    ],
)
def test_bad_filters_get_an_answer_never_a_500_nor_a_draft(client, params):
    create(UserFactory(), name="見えない下書き")

    response = client.get(reverse("resources:resource-list"), params)

    assert response.status_code == 200
    assert "見えない下書き" not in response.content.decode()


def test_the_list_takes_the_same_queries_for_many_resources(client):
    for _ in range(3):
        ResourceFactory()
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("resources:resource-list"))
    for _ in range(25):
        ResourceFactory()
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("resources:resource-list"))

    assert len(many) == len(few)


# --- contacts -----------------------------------------------------------------------------


def test_each_contact_is_shown_to_the_audience_its_provider_chose(client):
    resource = ResourceFactory(
        phone="06-1111-2222",
        phone_audience=Audience.EVERYONE,
        email="only-signed-in@example.jp",
        email_audience=Audience.SIGNED_IN,
        url="https://linked.example.jp/",
        url_audience=Audience.LINKED,
    )

    anonymous = client.get(resource.get_absolute_url()).content.decode()
    client.force_login(UserFactory())
    signed_in = client.get(resource.get_absolute_url()).content.decode()
    client.force_login(resource.steward)
    steward = client.get(resource.get_absolute_url()).content.decode()

    assert "06-1111-2222" in anonymous and "only-signed-in@example.jp" not in anonymous
    assert "only-signed-in@example.jp" in signed_in and "linked.example.jp" not in signed_in
    assert "linked.example.jp" in steward


# --- the permission matrix ---------------------------------------------------------------

ROLES = ["anonymous", "stranger", "steward", "organisation_admin", "staff"]
STATUSES = [Status.DRAFT, Status.ACTIVE, Status.PAUSED, Status.ENDED]
EDITORS = {"steward", "organisation_admin", "staff"}


def _world(status):
    organisation = OrganisationFactory()
    people = {
        "stranger": UserFactory(),
        "steward": UserFactory(),
        "organisation_admin": UserFactory(),
        "staff": UserFactory(is_staff=True),
    }
    organisation_member(
        people["organisation_admin"], organisation, OrganisationMembership.Role.ADMIN
    )
    resource = ResourceFactory(
        status=status, steward=people["steward"], provider_organisation=organisation
    )
    return resource, people


def _expected(url, role, status):
    published = status != Status.DRAFT
    if url == "list":
        return 200
    if url == "create":
        return "login" if role == "anonymous" else 200
    if url == "detail":
        return 200 if published or role in EDITORS else 404
    # edit (GET) and confirm (POST)
    if role == "anonymous":
        return "login"
    if not published and role not in EDITORS:
        return 404
    if role not in EDITORS:
        return 403
    return 200 if url == "edit" else 302


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", ["list", "create", "detail", "edit", "confirm"])
def test_resource_url_permission_matrix(client, url, role, status):
    resource, people = _world(status)
    if role != "anonymous":
        client.force_login(people[role])
    path = {
        "list": reverse("resources:resource-list"),
        "create": reverse("resources:resource-create"),
        "detail": resource.get_absolute_url(),
        "edit": reverse("resources:resource-edit", args=[resource.pk]),
        "confirm": reverse("resources:resource-confirm", args=[resource.pk]),
    }[url]
    before = Resource.objects.filter(pk=resource.pk).values("confirmed_by", "name").get()

    response = client.post(path) if url == "confirm" else client.get(path)

    answer = _expected(url, role, status)
    if answer == "login":
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    else:
        assert response.status_code == answer
    changed = Resource.objects.filter(pk=resource.pk).values("confirmed_by", "name").get() != before
    assert changed is (url == "confirm" and answer == 302)


# --- a person who provides a resource -------------------------------------------------


@pytest.mark.parametrize(("choice", "shown"), [("shown", True), ("hidden", False)])
def test_a_person_providing_a_resource_chooses_whether_their_name_is_shown(client, choice, shown):
    person = UserFactory(display_name="山田 花子")
    client.force_login(person)

    client.post(reverse("resources:resource-create"), form_post(personal_provider=choice))

    resource = Resource.objects.get()
    assert (resource.provider_person, resource.provider_person_shown) == (person, shown)
    services.resource_update(actor=person, resource=resource, data={"status": Status.ACTIVE})
    client.logout()
    page = client.get(resource.get_absolute_url()).content.decode()
    assert ("山田 花子" in page) is shown


def test_only_the_provider_changes_how_they_are_shown(client):
    person, staff = UserFactory(), UserFactory(is_staff=True)
    resource = services.resource_create(
        actor=person, data=DRAFT, offers=[], personal_provider="hidden"
    )

    with pytest.raises(PermissionDenied):
        services.resource_update(actor=staff, resource=resource, data={}, personal_provider="shown")
    client.force_login(staff)
    form = client.get(reverse("resources:resource-edit", args=[resource.pk])).content.decode()
    assert "personal_provider" not in form
    resource.refresh_from_db()
    assert resource.provider_person_shown is False


# --- one pass for a search with words (PostgreSQL) ---------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        {"words": "ひまわり"},
        {"words": "ヒマワリ 食堂"},
        {"words": "相談"},
        {"words": "ひまわり", "kind": "place", "recent": True},
        {"words": "ひまわり", "offer": "space"},
        {"words": "ないことば"},
    ],
)
@time_machine.travel(datetime(2026, 11, 30, 10, tzinfo=ZoneInfo("Asia/Tokyo")), tick=False)
def test_a_word_search_page_is_what_the_facets_and_the_order_say(query):
    """directory_page reads a word search in one pass on PostgreSQL (raw SQL around
    Django's query): it must agree with the ORM's facet counts and order exactly."""
    from resources import selectors

    today = timezone.localdate()
    for n in range(30):
        ResourceFactory(
            name=f"ひまわり{'食堂' if n % 2 else '相談'}{n:02d}",
            kind=Kind.PLACE if n % 3 else Kind.SERVICE,
            confirmed_at=None if n % 5 == 0 else today - timedelta(days=40 * n),
            offers_mask=1 if n % 2 else 4,
            area=["第一中学校区", "第三中学校区", ""][n % 3],
        )
    directory_query = selectors.DirectoryQuery(**query)

    counts, ids = selectors.directory_page(directory_query, offset=5, limit=10)

    assert counts == selectors.facet_counts(directory_query)
    assert ids == list(selectors._ordered(directory_query)[5:15])


def test_two_character_words_find_what_contains_them(client):
    """「相談」 is found through search_bigrams (pg_trgm indexes it there), with the same
    meaning as a plain substring search; one character reads the text itself."""
    from common.text import bigram_key

    assert bigram_key("くらしの相談 窓口") == " くら らし しの の相 相談 窓口 "
    assert bigram_key("あ") == ""
    ResourceFactory(name="くらしの相談カレンダー")
    ResourceFactory(name="ソウダン会")
    ResourceFactory(name="送迎サービス")

    def names(q):
        page = client.get(reverse("resources:resource-list"), {"q": q}).content.decode()
        return sorted(
            n for n in ("くらしの相談カレンダー", "ソウダン会", "送迎サービス") if n in page
        )

    assert names("相談") == ["くらしの相談カレンダー"]
    assert names("そう") == ["ソウダン会"]
    assert names("迎") == ["送迎サービス"]
    assert names("談カ") == ["くらしの相談カレンダー"]
