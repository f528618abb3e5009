"""Actions that end something ask first, on a page that works without JavaScript: what
will happen, whether it can be undone, and one button that posts to the action. The
question itself changes nothing and is refused to whom may not act."""

import pytest
from django.urls import reverse

from platforms import services
from platforms.models import Goal, Invitation, Membership, Role, Status
from tests.factories import goal_of

pytestmark = pytest.mark.django_db


def confirm_form_of(html: str, action: str) -> bool:
    return f'<form method="post" action="{action}" class="confirm-form">' in html


@pytest.fixture
def world(coordinator, platform, member):
    platform.status = Status.ACTIVE
    platform.save()
    invitation = services.invitation_create(
        actor=coordinator, platform=platform, email="x@example.jp"
    )
    goal = goal_of(platform, title="就労体験", target=5, current=2)
    membership = Membership.objects.get(platform=platform, user=member)
    return {"platform": platform, "invitation": invitation, "goal": goal, "membership": membership}


def asked(client, user, url):
    client.force_login(user)
    response = client.get(url)
    return response, response.content.decode()


@pytest.mark.parametrize(
    ("case", "who", "words"),
    [
        ("cancel", "coordinator", ["を中止しますか", "返事待ちの招待は取り消されます"]),
        (
            "remove",
            "coordinator",
            ["さんをこのプラットフォームから外しますか", "もう一度参加してもらうには"],
        ),
        ("leave", "member", ["から退出しますか", "参加を申請してください"]),
        (
            "revoke",
            "coordinator",
            ["x@example.jp への招待を取り消しますか", "もう一度招待することはできます"],
        ),
        ("goal", "coordinator", ["目標「就労体験」を削除しますか", "（2／5人）"]),
    ],
)
def test_the_question_says_what_happens_and_that_it_cannot_be_undone(
    client, world, coordinator, member, case, who, words
):
    platform = world["platform"]
    url = {
        "cancel": reverse("platforms:platform-transition", args=[platform.pk])
        + "?to_status=cancelled",
        "remove": reverse(
            "platforms:membership-remove", args=[platform.pk, world["membership"].pk]
        ),
        "leave": reverse("platforms:membership-leave", args=[platform.pk]),
        "revoke": reverse(
            "platforms:invitation-revoke", args=[platform.pk, world["invitation"].pk]
        ),
        "goal": reverse("platforms:goal-delete", args=[platform.pk, world["goal"].pk]),
    }[case]

    response, html = asked(client, {"coordinator": coordinator, "member": member}[who], url)

    assert response.status_code == 200
    for word in words:
        assert word in html
    assert "この操作は元に戻せません。" in html
    assert confirm_form_of(html, url.split("?")[0])
    assert "やめて戻る" in html
    # Asking changed nothing.
    platform.refresh_from_db()
    assert platform.status == Status.ACTIVE
    assert Membership.objects.filter(platform=platform).count() == 2
    assert Invitation.objects.get(pk=world["invitation"].pk).status == Invitation.Status.PENDING
    assert Goal.objects.filter(pk=world["goal"].pk).exists()


def test_confirming_cancels_the_platform(client, world, coordinator):
    platform = world["platform"]
    url = reverse("platforms:platform-transition", args=[platform.pk])
    client.force_login(coordinator)

    html = client.get(url, {"to_status": "cancelled"}).content.decode()
    client.post(url, {"to_status": "cancelled"})

    assert '<input type="hidden" name="to_status" value="cancelled">' in html
    platform.refresh_from_db()
    assert platform.status == Status.CANCELLED


@pytest.mark.parametrize("to_status", ["recruiting", "goal_met", "nonsense", ""])
def test_asking_about_a_step_that_does_not_end_it_just_goes_back(
    client, world, coordinator, to_status
):
    platform = world["platform"]
    client.force_login(coordinator)

    response = client.get(
        reverse("platforms:platform-transition", args=[platform.pk]), {"to_status": to_status}
    )

    assert (response.status_code, response.url) == (302, platform.get_absolute_url())
    platform.refresh_from_db()
    assert platform.status == Status.ACTIVE


def test_only_whom_may_act_is_asked(client, world, member, stranger):
    platform = world["platform"]
    removal = reverse("platforms:membership-remove", args=[platform.pk, world["membership"].pk])
    cancel = reverse("platforms:platform-transition", args=[platform.pk]) + "?to_status=cancelled"

    member_removes, _ = asked(client, member, removal)
    member_cancels, _ = asked(client, member, cancel)
    stranger_removes, _ = asked(client, stranger, removal)

    client.logout()
    anonymous = [
        client.get(url)
        for url in (
            removal,
            cancel,
            reverse("platforms:membership-leave", args=[platform.pk]),
            reverse("platforms:invitation-revoke", args=[platform.pk, world["invitation"].pk]),
            reverse("platforms:goal-delete", args=[platform.pk, world["goal"].pk]),
        )
    ]

    assert member_removes.status_code == 403
    assert member_cancels.status_code == 403
    assert stranger_removes.status_code == 404
    assert all(
        r.status_code == 302 and r.url.startswith(reverse("account_login")) for r in anonymous
    )


def test_ending_buttons_are_links_to_the_question_apart_from_the_others(client, world, coordinator):
    platform = world["platform"]
    client.force_login(coordinator)

    html = client.get(platform.get_absolute_url()).content.decode()
    actions = html[
        html.index('<section class="actions') : html.index(
            "</section>", html.index('<section class="actions')
        )
    ]
    danger = html[html.index('<section class="danger-zone') :]

    assert 'data-testid="to-cancelled"' not in actions
    assert 'data-testid="to-goal_met"' in actions  # an ordinary step stays a button
    assert (
        f'href="{reverse("platforms:platform-transition", args=[platform.pk])}?to_status=cancelled"'
        in danger
    )
    assert 'class="button danger"' in danger


def test_the_last_coordinator_is_told_on_the_question_page_when_leaving_fails(
    client, world, coordinator
):
    platform = world["platform"]
    url = reverse("platforms:membership-leave", args=[platform.pk])
    client.force_login(coordinator)

    client.get(url)
    response = client.post(url, follow=True)

    assert "最後のコーディネーターは抜けられません" in response.content.decode()
    assert Membership.objects.filter(
        platform=platform, user=coordinator, role=Role.COORDINATOR
    ).exists()


def test_removing_a_member_after_confirming(client, world, coordinator):
    platform = world["platform"]
    url = reverse("platforms:membership-remove", args=[platform.pk, world["membership"].pk])
    client.force_login(coordinator)

    client.post(url)

    assert not Membership.objects.filter(pk=world["membership"].pk).exists()


def test_an_unknown_member_gets_a_404(client, world, coordinator):
    client.force_login(coordinator)

    response = client.get(
        reverse("platforms:membership-remove", args=[world["platform"].pk, 999999])
    )

    assert response.status_code == 404
