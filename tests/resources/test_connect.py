"""Connecting resources (活用・連携): coordinators link resources to their live
platforms (with what for, or as funding), the resource page lists the platforms that
used it as far as the reader may see them, members of linked platforms see the
contacts kept to them, cards link the platform's resources, and questions reach the
steward without anyone's email address."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from notifications.models import Notification
from platforms.models import Role, Status, Visibility
from resources import services
from resources.models import Audience, Kind, PlatformResource, Resource, ResourceQuestion
from resources.models import Status as ResourceStatus
from tasks import services as task_services
from tasks.events import card_for
from tasks.selectors import card_payloads_for_board
from tests.factories import (
    BoardFactory,
    CardFactory,
    ColumnFactory,
    PlatformFactory,
    ResourceFactory,
    UserFactory,
    member_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    coordinator, member, observer, stranger, steward = (UserFactory() for _ in range(5))
    platform = PlatformFactory(status=Status.ACTIVE)
    member_of(platform, coordinator, Role.COORDINATOR)
    member_of(platform, member, Role.MEMBER)
    member_of(platform, observer, Role.OBSERVER)
    resource = ResourceFactory(
        name="こども食堂ひまわり",
        steward=steward,
        phone="06-1111-2222",
        phone_audience=Audience.LINKED,
        email="himawari@example.jp",
        email_audience=Audience.SIGNED_IN,
        url="https://himawari.example.jp",
        url_audience=Audience.EVERYONE,
    )
    return {
        "platform": platform,
        "resource": resource,
        "coordinator": coordinator,
        "member": member,
        "observer": observer,
        "stranger": stranger,
        "steward": steward,
    }


def link(world, **kwargs):
    return services.platform_resource_link(
        actor=world["coordinator"], platform=world["platform"], resource=world["resource"], **kwargs
    )


# --- linking ---------------------------------------------------------------------------


def test_a_coordinator_links_a_resource_with_its_purpose_and_the_steward_hears(client, world):
    client.force_login(world["coordinator"])

    response = client.post(
        reverse("resources:resource-link", args=[world["resource"].pk]),
        {"platform": world["platform"].pk, "use": "uses", "purpose": "職場体験の受け入れ先として"},
    )

    assert response.status_code == 302 and response.url == world["platform"].get_absolute_url()
    row = PlatformResource.objects.get()
    assert (row.use, row.purpose, row.added_by) == (
        "uses",
        "職場体験の受け入れ先として",
        world["coordinator"],
    )
    told = Notification.objects.get(recipient=world["steward"])
    assert told.kind == "resource.linked" and told.url == world["resource"].get_absolute_url()
    page = client.get(world["platform"].get_absolute_url()).content.decode()
    assert "こども食堂ひまわり" in page and "職場体験の受け入れ先として" in page


def test_linking_twice_updates_the_purpose_and_tells_the_steward_once(world):
    link(world, purpose="はじめ")
    link(world, purpose="あとで")

    assert PlatformResource.objects.get().purpose == "あとで"
    assert Notification.objects.filter(recipient=world["steward"]).count() == 1


@pytest.mark.parametrize("who", ["member", "observer", "stranger", "steward"])
def test_only_coordinators_link(world, who):
    with pytest.raises(PermissionDenied):
        services.platform_resource_link(
            actor=world[who], platform=world["platform"], resource=world["resource"]
        )
    assert not PlatformResource.objects.exists()


def test_a_non_coordinator_is_refused_the_link_page(client, world):
    client.force_login(world["member"])
    response = client.get(reverse("resources:resource-link", args=[world["resource"].pk]))
    assert response.status_code == 403


def test_a_coordinator_cannot_link_to_a_platform_they_do_not_coordinate(client, world):
    other = PlatformFactory(status=Status.ACTIVE)
    mine = PlatformFactory(status=Status.ACTIVE)
    member_of(mine, world["member"], Role.COORDINATOR)
    client.force_login(world["member"])

    response = client.post(
        reverse("resources:resource-link", args=[world["resource"].pk]),
        {"platform": other.pk, "use": "uses"},
    )

    assert response.status_code == 400
    assert "選択" in response.content.decode() or "選んで" in response.content.decode()
    assert not PlatformResource.objects.exists()


def test_an_ended_platform_takes_no_new_links(world):
    world["platform"].status = Status.ARCHIVED
    world["platform"].save()
    with pytest.raises(PermissionDenied):
        link(world)


@pytest.mark.parametrize("status", [ResourceStatus.ENDED, ResourceStatus.DRAFT])
def test_only_available_resources_are_linked(world, status):
    world["resource"].status = status
    world["resource"].save()
    with pytest.raises(PermissionDenied):
        link(world)


def test_funding_names_funding_resources_only(world):
    with pytest.raises(ValidationError) as refusal:
        link(world, use=PlatformResource.Use.FUNDS)
    assert "資金" in refusal.value.messages[0]

    fund = ResourceFactory(name="地域福祉基金", kind=Kind.FUNDING)
    services.platform_resource_link(
        actor=world["coordinator"],
        platform=world["platform"],
        resource=fund,
        use=PlatformResource.Use.FUNDS,
        purpose="会場費",
    )
    assert PlatformResource.objects.get().use == "funds"


def test_a_coordinator_removes_a_link_and_others_cannot(client, world):
    row = link(world)
    url = reverse("resources:platform-link-remove", args=[world["platform"].pk, row.pk])

    client.force_login(world["member"])
    assert client.post(url).status_code == 403
    client.force_login(world["coordinator"])
    assert client.post(url).status_code == 302
    assert not PlatformResource.objects.exists()


def test_a_link_of_another_platform_is_a_404(client, world):
    row = link(world)
    other = PlatformFactory(status=Status.ACTIVE)
    member_of(other, world["coordinator"], Role.COORDINATOR)
    client.force_login(world["coordinator"])

    response = client.post(reverse("resources:platform-link-remove", args=[other.pk, row.pk]))

    assert response.status_code == 404 and PlatformResource.objects.exists()


# --- who used it, and contacts for linked platforms ------------------------------------


def test_the_resource_page_lists_only_the_platforms_the_reader_may_see(client, world):
    link(world, purpose="公開の活用")
    private = PlatformFactory(
        name="非公開の相談会", status=Status.ACTIVE, visibility=Visibility.PRIVATE
    )
    member_of(private, world["member"], Role.COORDINATOR)
    services.platform_resource_link(
        actor=world["member"], platform=private, resource=world["resource"]
    )

    anonymous = client.get(world["resource"].get_absolute_url()).content.decode()
    client.force_login(world["member"])
    insider = client.get(world["resource"].get_absolute_url()).content.decode()

    assert world["platform"].name in anonymous and "公開の活用" in anonymous
    assert "非公開の相談会" not in anonymous
    assert "非公開の相談会" in insider


def test_contacts_kept_for_linked_platforms_show_to_their_members_while_they_work(client, world):
    resource = world["resource"]
    link(world)

    def phone_shown(who):
        client.force_login(world[who])
        return "06-1111-2222" in client.get(resource.get_absolute_url()).content.decode()

    assert phone_shown("member") and phone_shown("observer")
    assert not phone_shown("stranger")
    world["platform"].status = Status.ARCHIVED
    world["platform"].save()
    assert not phone_shown("member")


# --- cards ------------------------------------------------------------------------------


@pytest.fixture
def board(world):
    board = BoardFactory(platform=world["platform"])
    ColumnFactory(board=board)
    return board


def test_a_card_links_a_resource_of_its_platform(client, world, board):
    link(world)
    card = CardFactory(column=board.columns.get())
    client.force_login(world["member"])
    url = reverse(
        "tasks:card-action", args=[world["platform"].pk, board.pk, card.pk, "link-resource"]
    )

    response = client.post(url, {"resource": world["resource"].pk})

    assert response.status_code == 302
    assert list(card.resources.all()) == [world["resource"]]
    payload = next(p for p in card_payloads_for_board(board=board) if p["id"] == card.pk)
    assert payload["resources"] == [{"id": world["resource"].pk, "name": "こども食堂ひまわり"}]
    page = client.get(reverse("tasks:card-detail", args=[world["platform"].pk, board.pk, card.pk]))
    assert "こども食堂ひまわり" in page.content.decode()


def test_a_card_cannot_link_a_resource_its_platform_does_not_work_with(world, board):
    card = CardFactory(column=board.columns.get())
    with pytest.raises(ValidationError) as refusal:
        task_services.card_resource_link(
            actor=world["member"], board=board, card_id=card.pk, resource_id=world["resource"].pk
        )
    assert "このプラットフォームにつながっている" in refusal.value.messages[0]
    assert not card.resources.exists()


def test_a_bad_resource_id_on_a_card_is_a_clear_message(client, world, board):
    card = CardFactory(column=board.columns.get())
    client.force_login(world["member"])
    url = reverse(
        "tasks:card-action", args=[world["platform"].pk, board.pk, card.pk, "link-resource"]
    )

    for bad in ["", "abc", "-1", "99999999999999999999"]:
        response = client.post(url, {"resource": bad}, follow=True)
        assert response.status_code == 200
        assert not card.resources.exists()


def test_a_confidential_cards_resources_stay_with_who_may_see_it(world, board):
    link(world)
    card = CardFactory(column=board.columns.get(), confidential=True)
    task_services.card_resource_link(
        actor=world["coordinator"], board=board, card_id=card.pk, resource_id=world["resource"].pk
    )
    payload = next(p for p in card_payloads_for_board(board=board) if p["id"] == card.pk)

    seen = card_for(payload, world["observer"].pk, Role.OBSERVER)

    assert "resources" not in seen and seen["redacted"]


def test_observers_cannot_link_resources_to_cards(world, board):
    link(world)
    card = CardFactory(column=board.columns.get())
    with pytest.raises(PermissionDenied):
        task_services.card_resource_link(
            actor=world["observer"], board=board, card_id=card.pk, resource_id=world["resource"].pk
        )


# --- questions to the steward -----------------------------------------------------------


def test_a_question_reaches_the_steward_and_the_answer_the_asker(client, world):
    asker, resource = world["stranger"], world["resource"]
    client.force_login(asker)

    response = client.post(
        reverse("resources:resource-ask", args=[resource.pk]),
        {"text": "土曜日の定員は何人ですか？"},
    )

    assert response.status_code == 302
    question = ResourceQuestion.objects.get()
    told = Notification.objects.get(recipient=world["steward"])
    assert told.kind == "resource.question" and told.actor == asker
    assert asker.email not in str(told.data)
    client.force_login(world["steward"])
    steward_page = client.get(resource.get_absolute_url()).content.decode()
    assert "土曜日の定員は何人ですか？" in steward_page and asker.email not in steward_page

    client.post(
        reverse("resources:question-answer", args=[resource.pk, question.pk]),
        {"answer": "20人までです。"},
    )

    question.refresh_from_db()
    assert question.answer == "20人までです。" and question.answered_by == world["steward"]
    assert Notification.objects.get(recipient=asker).kind == "resource.answered"
    client.force_login(asker)
    asker_page = client.get(resource.get_absolute_url()).content.decode()
    assert "20人までです。" in asker_page and world["steward"].email not in asker_page


def test_questions_are_the_askers_and_the_stewards_only(client, world):
    services.resource_question_ask(
        actor=world["member"], resource=world["resource"], text="相談内容を含む質問"
    )
    client.force_login(world["stranger"])
    assert (
        "相談内容を含む質問"
        not in client.get(world["resource"].get_absolute_url()).content.decode()
    )
    client.logout()
    assert (
        "相談内容を含む質問"
        not in client.get(world["resource"].get_absolute_url()).content.decode()
    )


def test_only_editors_answer(client, world):
    question = services.resource_question_ask(
        actor=world["member"], resource=world["resource"], text="質問"
    )
    client.force_login(world["stranger"])

    response = client.post(
        reverse("resources:question-answer", args=[world["resource"].pk, question.pk]),
        {"answer": "勝手な回答"},
    )

    assert response.status_code == 404
    question.refresh_from_db()
    assert question.answer == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "必須です"), ("<script>x</script>", "HTMLタグ"), ("あ" * 1001, "1000")],
)
def test_a_bad_question_is_a_clear_message_and_nothing_is_sent(client, world, text, message):
    client.force_login(world["stranger"])

    response = client.post(
        reverse("resources:resource-ask", args=[world["resource"].pk]), {"text": text}
    )

    assert response.status_code == 400 and message in response.content.decode()
    assert not ResourceQuestion.objects.exists() and not Notification.objects.exists()


def test_a_resource_without_a_steward_takes_no_questions(world):
    resource = ResourceFactory(steward=None)
    with pytest.raises(ValidationError):
        services.resource_question_ask(actor=world["stranger"], resource=resource, text="質問")


def test_questions_need_an_account(client, world):
    response = client.get(reverse("resources:resource-ask", args=[world["resource"].pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


# --- the permission matrix of the connecting and creating URLs -----------------------------

MATRIX_ROLES = ["anonymous", "stranger", "member", "coordinator", "steward", "staff"]
# url -> (method, {role: expected}); "login" is the log-in redirect.
EXPECTED = {
    "link": (
        "get",
        {"stranger": 403, "member": 403, "coordinator": 200, "steward": 403, "staff": 403},
    ),
    "ask": (
        "get",
        {"stranger": 200, "member": 200, "coordinator": 200, "steward": 200, "staff": 200},
    ),
    "answer": (
        "post",
        {"stranger": 404, "member": 404, "coordinator": 404, "steward": 302, "staff": 302},
    ),
    "unlink": (
        "post",
        {"stranger": 404, "member": 403, "coordinator": 302, "steward": 404, "staff": 403},
    ),
    "draft": (
        "get",
        {"stranger": 404, "member": 200, "coordinator": 200, "steward": 404, "staff": 403},
    ),
    "plan": (
        "post",
        {"stranger": 404, "member": 403, "coordinator": 302, "steward": 404, "staff": 403},
    ),
    "gaps": (
        "get",
        {
            "anonymous": 200,
            "stranger": 200,
            "member": 200,
            "coordinator": 200,
            "steward": 200,
            "staff": 200,
        },
    ),
    "gap": (
        "get",
        {
            "anonymous": 200,
            "stranger": 200,
            "member": 200,
            "coordinator": 200,
            "steward": 200,
            "staff": 200,
        },
    ),
    "gap-new": (
        "get",
        {"stranger": 200, "member": 200, "coordinator": 200, "steward": 200, "staff": 200},
    ),
    "gap-note": (
        "post",
        {"stranger": 302, "member": 302, "coordinator": 302, "steward": 302, "staff": 302},
    ),
    "gap-launch": (
        "get",
        {"stranger": 200, "member": 200, "coordinator": 200, "steward": 200, "staff": 200},
    ),
}


@pytest.mark.parametrize("role", MATRIX_ROLES)
@pytest.mark.parametrize("url", list(EXPECTED))
def test_connect_and_create_url_permission_matrix(client, world, url, role):
    platform, resource = world["platform"], world["resource"]
    world["platform"].visibility = Visibility.PRIVATE  # strangers must not learn it exists
    world["platform"].save()
    world["staff"] = UserFactory(is_staff=True)
    row = link(world)
    question = services.resource_question_ask(
        actor=world["observer"], resource=resource, text="質問"
    )
    created = services.created_resource_draft(
        actor=world["coordinator"], platform=platform, data=CREATED
    )
    gap = services.gap_record(actor=world["observer"], data=GAP_DATA)
    path = {
        "link": reverse("resources:resource-link", args=[resource.pk]),
        "ask": reverse("resources:resource-ask", args=[resource.pk]),
        "answer": reverse("resources:question-answer", args=[resource.pk, question.pk]),
        "unlink": reverse("resources:platform-link-remove", args=[platform.pk, row.pk]),
        "draft": reverse("resources:created-resource-draft", args=[platform.pk]),
        "plan": reverse("resources:created-resource-plan", args=[platform.pk, created.pk]),
        "gaps": reverse("resources:gap-list"),
        "gap": gap.get_absolute_url(),
        "gap-new": reverse("resources:gap-create"),
        "gap-note": reverse("resources:gap-note", args=[gap.pk]),
        "gap-launch": reverse("resources:gap-launch", args=[gap.pk]),
    }[url]
    if role != "anonymous":
        client.force_login(world[role])
    method, answers = EXPECTED[url]
    data = {
        "answer": {"answer": "回答"},
        "plan": {f"r{created.pk}-continues": "no"},
    }.get(url, {})

    response = client.post(path, data) if method == "post" else client.get(path)

    expected = answers.get(role, "login")
    if expected == "login":
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    else:
        assert response.status_code == expected
    changed = {
        "answer": lambda: ResourceQuestion.objects.get(pk=question.pk).answer != "",
        "unlink": lambda: not PlatformResource.objects.filter(pk=row.pk).exists(),
        "plan": lambda: Resource.objects.get(pk=created.pk).continues is not None,
    }.get(url)
    if changed is not None:
        assert changed() is (expected == 302)


CREATED = {
    "name": "夜のこども広場",
    "description": "火・金の夜",
    "kind": Kind.PLACE,
    "formality": "informal",
    "cost": "free",
}
GAP_DATA = {"need": "移動の手段", "municipality": "豊中市", "kind": ""}
