"""Creating resources (社会資源開発) and keeping them after the platform dissolves: gaps
recorded from a search that found nothing, counted per person and listed per area, a
platform launched from a gap; resources drafted by a platform, settled at closing and
made active on archive, saying where they came from. And the steward's six-monthly
reminder."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from platforms import services as platform_services
from platforms.models import Platform, Role, Status, Visibility
from resources import services
from resources.models import Gap, GapStatus, Kind, Resource, ResourceRevision
from resources.models import Status as ResourceStatus
from resources.reminders import confirm_reminders_send
from tests.factories import (
    OrganisationFactory,
    PlatformFactory,
    ResourceFactory,
    UserFactory,
    member_of,
)

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture(autouse=True)
def frozen_day():
    """These tests reason about dates (deadlines, confirmations, six months): the
    clock stands still at a known moment."""
    with time_machine.travel(datetime(2026, 11, 30, 10, tzinfo=TOKYO), tick=False):
        yield


GAP = {
    "need": "夜も開いている子どもの居場所",
    "description": "塾の帰りに寄れる場所がない。",
    "for_whom": "ひとり親家庭の小学生",
    "kind": Kind.PLACE,
    "municipality": "豊中市",
    "area": "第三中学校区",
}

CHARTER = {
    "name": "夜の居場所づくり",
    "purpose": "夜も開いている子どもの居場所をつくる",
    "why": "足りていない",
    "who": "社協と地域の人",
    "where": "公民館",
    "area": "豊中市 第三中学校区",
    "what": "週2回の夜の居場所",
    "how": "月1回の会議",
    "budget": "",
    "funding": "",
    "visibility": "public",
    "goals-TOTAL_FORMS": "0",
    "goals-INITIAL_FORMS": "0",
}


def deadline():
    return (timezone.localdate() + timedelta(days=90)).isoformat()


# --- gaps -------------------------------------------------------------------------------


def test_a_search_that_finds_nothing_offers_to_record_the_gap_with_its_words(client):
    ResourceFactory(name="こども食堂ひまわり")
    client.force_login(UserFactory())

    found_nothing = client.get(
        reverse("resources:resource-list"), {"q": "夜の居場所", "municipality": "豊中市"}
    )
    page = found_nothing.content.decode()
    assert 'data-testid="record-gap"' in page
    form = client.get(
        reverse("resources:gap-create"), {"q": "夜の居場所", "municipality": "豊中市"}
    )
    assert 'value="夜の居場所"' in form.content.decode()
    assert 'value="豊中市"' in form.content.decode()


def test_recording_a_gap_counts_its_author_and_others_add_once(client):
    author, other = UserFactory(), UserFactory()
    client.force_login(author)

    response = client.post(reverse("resources:gap-create"), GAP)

    gap = Gap.objects.get()
    assert response.status_code == 302 and response.url == gap.get_absolute_url()
    assert gap.notes.count() == 1
    client.force_login(other)
    client.post(reverse("resources:gap-note", args=[gap.pk]))
    client.post(reverse("resources:gap-note", args=[gap.pk]))
    assert gap.notes.count() == 2


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("need", "山田さん 090-1234-5678 の居場所"),
        ("description", "連絡は yamada@example.jp まで"),
        ("for_whom", "０６－１２３４－５６７８の家庭"),
    ],
)
def test_a_gap_is_never_a_case_record(client, field, text):
    client.force_login(UserFactory())

    response = client.post(reverse("resources:gap-create"), GAP | {field: text})

    assert response.status_code == 400
    assert "電話番号やメールアドレスは書けません" in response.content.decode()
    assert not Gap.objects.exists()


def test_gaps_are_listed_per_area_with_how_many_noted_them(client):
    people = [UserFactory() for _ in range(3)]
    busy = services.gap_record(actor=people[0], data=GAP)
    for person in people[1:]:
        services.gap_note(actor=person, gap=busy)
    services.gap_record(actor=people[0], data=GAP | {"need": "移動の手段", "area": "第五中学校区"})
    services.gap_record(
        actor=people[0], data=GAP | {"need": "男性の集まる場", "municipality": "藤里町", "area": ""}
    )

    page = client.get(reverse("resources:gap-list")).content.decode()

    assert (
        page.index("藤里町") < page.index("豊中市 第三中学校区") < page.index("豊中市 第五中学校区")
    )
    assert "3人が必要としています" in page


def test_recording_a_gap_needs_an_account(client):
    response = client.post(reverse("resources:gap-create"), GAP)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert not Gap.objects.exists()


def test_a_platform_launched_from_a_gap_starts_from_it(client):
    gap = services.gap_record(actor=UserFactory(), data=GAP)
    launcher = UserFactory()
    client.force_login(launcher)

    form = client.get(reverse("resources:gap-launch", args=[gap.pk])).content.decode()
    assert "夜も開いている子どもの居場所" in form and "塾の帰りに寄れる場所がない。" in form

    response = client.post(
        reverse("resources:gap-launch", args=[gap.pk]), CHARTER | {"deadline": deadline()}
    )

    platform = Platform.objects.get()
    assert response.status_code == 302 and response.url == platform.get_absolute_url()
    assert platform.memberships.get().user == launcher
    gap.refresh_from_db()
    assert (gap.platform, gap.status) == (platform, GapStatus.ADDRESSED)


def test_a_gap_a_live_platform_works_on_takes_no_second_one(client):
    gap = services.gap_record(actor=UserFactory(), data=GAP)
    services.gap_launch_platform(actor=UserFactory(), gap=gap, data=CHARTER_DATA())
    client.force_login(UserFactory())

    response = client.post(
        reverse("resources:gap-launch", args=[gap.pk]), CHARTER | {"deadline": deadline()}
    )

    assert response.status_code == 400 and "すでに" in response.content.decode()
    assert Platform.objects.count() == 1


def test_a_draft_platform_on_a_gap_is_not_named_to_visitors(client):
    gap = services.gap_record(actor=UserFactory(), data=GAP)
    services.gap_launch_platform(
        actor=UserFactory(), gap=gap, data=CHARTER_DATA() | {"name": "まだ内緒の計画"}
    )

    page = client.get(gap.get_absolute_url()).content.decode()
    listing = client.get(reverse("resources:gap-list")).content.decode()

    assert "まだ内緒の計画" not in page and "まだ内緒の計画" not in listing
    assert "プラットフォームがつくるために動いています" in page


def CHARTER_DATA():  # noqa: N802 - the charter as the service takes it
    return {
        key: value
        for key, value in CHARTER.items()
        if not key.startswith("goals-") and key not in ("budget",)
    } | {"deadline": timezone.localdate() + timedelta(days=90), "visibility": Visibility.PUBLIC}


# --- created resources and the closing ------------------------------------------------------


@pytest.fixture
def crew():
    coordinator, member, observer, outsider = (UserFactory() for _ in range(4))
    organisation = OrganisationFactory(name="豊中市社会福祉協議会")
    platform = PlatformFactory(name="夜の居場所づくり", status=Status.ACTIVE)
    member_of(platform, coordinator, Role.COORDINATOR, organisation=organisation)
    member_of(platform, member, Role.MEMBER)
    member_of(platform, observer, Role.OBSERVER)
    return {
        "platform": platform,
        "coordinator": coordinator,
        "member": member,
        "observer": observer,
        "outsider": outsider,
        "organisation": organisation,
    }


DRAFT = {
    "name": "夜のこども広場",
    "description": "火・金の夜、公民館で。",
    "kind": Kind.PLACE,
    "formality": "informal",
    "cost": "free",
    "municipality": "豊中市",
    "area": "第三中学校区",
}


def draft(crew, who="member"):
    return services.created_resource_draft(actor=crew[who], platform=crew["platform"], data=DRAFT)


def close(crew):
    platform = crew["platform"]
    platform_services.platform_transition(
        actor=crew["coordinator"], platform=platform, to_status=Status.GOAL_MET
    )
    platform_services.platform_evaluation_write(
        actor=crew["coordinator"], platform=platform, data={"outcome": "居場所ができた"}
    )


def archive(crew):
    return platform_services.platform_transition(
        actor=crew["coordinator"], platform=crew["platform"], to_status=Status.ARCHIVED
    )


def test_members_draft_what_the_platform_creates_and_it_stays_a_draft(client, crew):
    client.force_login(crew["member"])

    response = client.post(
        reverse("resources:created-resource-draft", args=[crew["platform"].pk]),
        DRAFT
        | {"phone_audience": "everyone", "email_audience": "signed_in", "url_audience": "everyone"},
    )

    resource = Resource.objects.get()
    assert response.status_code == 302
    assert (resource.status, resource.created_by_platform, resource.steward) == (
        ResourceStatus.DRAFT,
        crew["platform"],
        crew["member"],
    )
    page = client.get(crew["platform"].get_absolute_url()).content.decode()
    assert "夜のこども広場" in page
    client.force_login(crew["outsider"])
    assert "夜のこども広場" not in client.get(crew["platform"].get_absolute_url()).content.decode()
    assert client.get(resource.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("who", ["observer", "outsider"])
def test_observers_and_outsiders_draft_nothing_for_the_platform(crew, who):
    with pytest.raises(PermissionDenied):
        draft(crew, who)
    assert not Resource.objects.exists()


def test_coordinators_edit_what_their_platform_is_creating(client, crew):
    resource = draft(crew)
    client.force_login(crew["coordinator"])
    assert client.get(reverse("resources:resource-edit", args=[resource.pk])).status_code == 200
    client.force_login(crew["observer"])
    assert client.get(reverse("resources:resource-edit", args=[resource.pk])).status_code == 404


def test_archiving_waits_until_each_created_resource_is_settled(client, crew):
    resource = draft(crew)
    close(crew)

    with pytest.raises(ValidationError) as refusal:
        archive(crew)
    assert "「夜のこども広場」を続けるかどうか" in refusal.value.messages[0]

    client.force_login(crew["coordinator"])
    confirm = client.get(
        reverse("platforms:platform-transition", args=[crew["platform"].pk]),
        {"to_status": "archived"},
    ).content.decode()
    assert 'data-testid="problems"' in confirm and 'data-testid="confirm"' not in confirm
    crew["platform"].refresh_from_db()
    assert crew["platform"].status == Status.GOAL_MET
    assert Resource.objects.get(pk=resource.pk).status == ResourceStatus.DRAFT


def test_a_resource_that_continues_needs_a_steward(crew):
    resource = draft(crew)
    close(crew)
    Resource.objects.filter(pk=resource.pk).update(steward=None)

    with pytest.raises(ValidationError) as refusal:
        services.created_resource_plan(
            actor=crew["coordinator"], platform=crew["platform"], resource=resource, continues=True
        )
    assert "情報を更新する人か団体" in refusal.value.messages[0]

    Resource.objects.filter(pk=resource.pk).update(continues=True)
    with pytest.raises(ValidationError) as archiving:
        archive(crew)
    assert "情報を更新する人か団体を決めてください" in archiving.value.messages[0]


def test_the_closing_step_chooses_a_steward_among_the_platforms_people(client, crew):
    resource = draft(crew)
    close(crew)
    client.force_login(crew["coordinator"])
    evaluation = client.get(reverse("platforms:platform-evaluation", args=[crew["platform"].pk]))
    assert "夜のこども広場" in evaluation.content.decode()
    url = reverse("resources:created-resource-plan", args=[crew["platform"].pk, resource.pk])
    prefix = f"r{resource.pk}-"

    outsider = client.post(
        url, {prefix + "continues": "yes", prefix + "steward": crew["outsider"].pk}, follow=True
    )
    assert "選択" in outsider.content.decode() or "選んで" in outsider.content.decode()
    client.post(
        url,
        {prefix + "continues": "yes", prefix + "steward_organisation": crew["organisation"].pk},
    )

    resource.refresh_from_db()
    assert resource.continues is True and resource.steward_organisation == crew["organisation"]
    after = client.get(reverse("platforms:platform-evaluation", args=[crew["platform"].pk]))
    assert after.status_code == 200
    assert "豊中市社会福祉協議会が情報を更新します" in after.content.decode()
    assert any(
        "continues" in revision.changed_fields
        for revision in ResourceRevision.objects.filter(resource=resource)
    )


def test_only_coordinators_settle_created_resources(client, crew):
    resource = draft(crew)
    close(crew)
    client.force_login(crew["member"])
    prefix = f"r{resource.pk}-"

    response = client.post(
        reverse("resources:created-resource-plan", args=[crew["platform"].pk, resource.pk]),
        {prefix + "continues": "yes", prefix + "steward": crew["member"].pk},
    )

    assert response.status_code == 403
    assert Resource.objects.get(pk=resource.pk).continues is None


def test_on_archive_the_resource_lives_on_and_says_where_it_came_from(client, crew):
    kept = draft(crew)
    dropped = services.created_resource_draft(
        actor=crew["member"], platform=crew["platform"], data=DRAFT | {"name": "試しの企画"}
    )
    close(crew)
    services.created_resource_plan(
        actor=crew["coordinator"],
        platform=crew["platform"],
        resource=kept,
        continues=True,
        steward_id=crew["member"].pk,
    )
    services.created_resource_plan(
        actor=crew["coordinator"], platform=crew["platform"], resource=dropped, continues=False
    )

    archive(crew)

    kept.refresh_from_db()
    dropped.refresh_from_db()
    assert (kept.status, kept.confirmed_at, kept.confirmed_by) == (
        ResourceStatus.ACTIVE,
        timezone.localdate(),
        crew["coordinator"],
    )
    assert dropped.status == ResourceStatus.DRAFT
    listing = client.get(reverse("resources:resource-list"), {"q": "コドモ広場"}).content.decode()
    assert "夜のこども広場" in listing and "試しの企画" not in listing
    page = client.get(kept.get_absolute_url()).content.decode()
    assert "「夜の居場所づくり」プラットフォームから生まれた資源" in page
    assert crew["platform"].get_absolute_url() in page
    # The platform dissolved: its coordinator no longer edits the resource; the steward does.
    client.force_login(crew["coordinator"])
    assert client.get(reverse("resources:resource-edit", args=[kept.pk])).status_code == 403
    client.force_login(crew["member"])
    assert client.get(reverse("resources:resource-edit", args=[kept.pk])).status_code == 200


def test_a_private_platforms_name_stays_off_the_resource_it_created(client, crew):
    crew["platform"].visibility = Visibility.PRIVATE
    crew["platform"].save()
    resource = draft(crew)
    close(crew)
    services.created_resource_plan(
        actor=crew["coordinator"],
        platform=crew["platform"],
        resource=resource,
        continues=True,
        steward_id=crew["member"].pk,
    )
    archive(crew)

    page = client.get(resource.get_absolute_url()).content.decode()

    assert "非公開のプラットフォームから生まれた資源" in page and "夜の居場所づくり" not in page


def test_a_cancelled_platform_settles_its_resources_the_same_way(crew):
    resource = draft(crew)
    platform_services.platform_transition(
        actor=crew["coordinator"], platform=crew["platform"], to_status=Status.CANCELLED
    )
    platform_services.platform_evaluation_write(
        actor=crew["coordinator"], platform=crew["platform"], data={"outcome": "中止した"}
    )
    services.created_resource_plan(
        actor=crew["coordinator"],
        platform=crew["platform"],
        resource=resource,
        continues=True,
        steward_id=crew["coordinator"].pk,
    )
    archive(crew)
    assert Resource.objects.get(pk=resource.pk).status == ResourceStatus.ACTIVE


# --- the six-monthly reminder ---------------------------------------------------------------


def at(day):
    return datetime(day.year, day.month, day.day, 9, tzinfo=TOKYO)


def test_the_steward_is_asked_every_six_months_and_once(client):
    today = timezone.localdate()
    steward = UserFactory()
    resource = ResourceFactory(steward=steward, confirmed_at=today - timedelta(days=200))
    ResourceFactory(steward=UserFactory(), confirmed_at=today - timedelta(days=30))
    ResourceFactory(steward=UserFactory(), confirmed_at=None, status=ResourceStatus.PAUSED)

    assert confirm_reminders_send(at(today)) == 1
    assert confirm_reminders_send(at(today)) == 0
    told = Notification.objects.get()
    assert (told.recipient, told.kind, told.url) == (
        steward,
        "resource.confirm_due",
        resource.get_absolute_url(),
    )

    # Unanswered, it comes again six months later; confirmed, the clock starts again.
    def told_steward(day):
        confirm_reminders_send(at(day))
        return Notification.objects.filter(recipient=steward).count()

    assert told_steward(today + timedelta(days=100)) == 1
    assert told_steward(today + timedelta(days=183)) == 2
    with time_machine.travel(at(today + timedelta(days=190)), tick=False):
        services.resource_confirm(actor=steward, resource=resource)
    assert told_steward(today + timedelta(days=300)) == 2
    assert told_steward(today + timedelta(days=373)) == 3
