"""Accounts through allauth: sign-up with email confirmation, login, logout, password
reset, email change, rate limits, and an invitation carried through sign-up."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from members.models import User
from platforms import services
from platforms.models import Membership, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "hikikomori-support-2026"


def link_in(message, pattern):
    match = re.search(r"https?://[^/\s]+(" + pattern + r"[^\s]*)", message.body)
    assert match, message.body
    return match.group(1)


def sign_up(client, email, name="山田 花子", **fields):
    return client.post(
        reverse("account_signup"),
        {"display_name": name, "email": email, "password1": PASSWORD, "password2": PASSWORD}
        | fields,
    )


def test_signup_sends_confirmation_and_login_waits_for_it(client):
    response = sign_up(client, "new@example.jp")

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="new@example.jp")
    assert EmailAddress.objects.get(user=user).verified is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("[協働ハブ]")
    assert client.get(reverse("platforms:dashboard")).status_code == 302


def test_confirming_email_logs_in(client):
    sign_up(client, "new@example.jp")
    confirm = link_in(mail.outbox[0], "/accounts/confirm-email/")

    page = client.get(confirm)
    response = client.post(confirm)

    assert page.status_code == 200
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="new@example.jp").verified is True
    assert client.get(reverse("platforms:dashboard")).status_code == 200


def test_login_and_logout(client):
    UserFactory(email="person@example.jp")

    login = client.post(
        reverse("account_login"), {"login": "person@example.jp", "password": "pass-word-2026"}
    )
    dashboard = client.get(reverse("platforms:dashboard"))
    client.post(reverse("account_logout"))
    after = client.get(reverse("platforms:dashboard"))

    assert (login.status_code, login.url) == (302, reverse("platforms:dashboard"))
    assert dashboard.status_code == 200
    assert after.status_code == 302


def test_login_with_wrong_password_says_so_in_japanese(client):
    UserFactory(email="person@example.jp")

    response = client.post(
        reverse("account_login"), {"login": "person@example.jp", "password": "nope"}
    )

    assert response.status_code == 200
    assert (
        "入力されたメールアドレスもしくはパスワードが正しくありません。"
        in response.content.decode()
    )


def test_unverified_account_cannot_log_in(client):
    UserFactory(email="pending@example.jp", verified=False)
    EmailAddress.objects.create(
        user=User.objects.get(email="pending@example.jp"),
        email="pending@example.jp",
        verified=False,
        primary=True,
    )

    response = client.post(
        reverse("account_login"), {"login": "pending@example.jp", "password": "pass-word-2026"}
    )

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert client.get(reverse("platforms:dashboard")).status_code == 302


def test_password_reset(client):
    UserFactory(email="forgot@example.jp")

    client.post(reverse("account_reset_password"), {"email": "forgot@example.jp"})
    reset = link_in(mail.outbox[0], "/accounts/password/reset/key/")
    form_page = client.get(reset, follow=True)
    client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else reset,
        {"password1": "new-password-2026", "password2": "new-password-2026"},
    )
    login = client.post(
        reverse("account_login"), {"login": "forgot@example.jp", "password": "new-password-2026"}
    )

    assert login.status_code == 302
    assert login.url == reverse("platforms:dashboard")


def test_change_email_needs_confirmation_of_the_new_address(client):
    user = UserFactory(email="old@example.jp")
    client.force_login(user)

    client.post(reverse("account_email"), {"action_add": "", "email": "new@example.jp"})

    assert mail.outbox[-1].to == ["new@example.jp"]
    assert EmailAddress.objects.get(email="new@example.jp").verified is False
    confirm = link_in(mail.outbox[-1], "/accounts/confirm-email/")
    client.post(confirm)
    user.refresh_from_db()
    assert EmailAddress.objects.get(email="new@example.jp").verified is True
    assert user.email == "new@example.jp"


def test_failed_logins_are_rate_limited(client):
    UserFactory(email="target@example.jp")
    login = reverse("account_login")
    for _ in range(5):
        client.post(login, {"login": "target@example.jp", "password": "wrong"})

    locked = client.post(login, {"login": "target@example.jp", "password": "pass-word-2026"})

    assert locked.status_code == 200
    assert "ログイン失敗が連続しています。" in locked.content.decode()
    assert client.get(reverse("platforms:dashboard")).status_code == 302


def test_invitation_carried_through_signup_lands_in_platform(
    client, coordinator, platform, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            actor=coordinator, platform=platform, email="fresh@example.jp"
        )
    invitation_link = link_in(mail.outbox[0], "/invitations/")
    mail.outbox.clear()

    page = client.get(invitation_link)
    sign_up(client, "fresh@example.jp")
    confirm = link_in(mail.outbox[0], "/accounts/confirm-email/")
    response = client.post(confirm)

    assert "新規登録して参加する" in page.content.decode()
    assert response.status_code == 302
    assert response.url == platform.get_absolute_url()
    membership = Membership.objects.get(platform=platform, user__email="fresh@example.jp")
    assert membership.role == Role.MEMBER
    invitation.refresh_from_db()
    assert invitation.status == "accepted"
    assert client.get(platform.get_absolute_url()).status_code == 200


def test_signing_up_from_an_invitation_with_another_address_lands_on_the_invitation(
    client, coordinator, platform, django_capture_on_commit_callbacks
):
    """The link is the proof, but joining with another address is the person's own
    click: after confirming they land on the invitation and may accept it there."""
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            actor=coordinator, platform=platform, email="invited@example.jp"
        )
    client.get(link_in(mail.outbox[0], "/invitations/"))
    mail.outbox.clear()

    sign_up(client, "someone-else@example.jp")
    landed = client.post(link_in(mail.outbox[0], "/accounts/confirm-email/"))
    waiting = Membership.objects.filter(user__email="someone-else@example.jp").exists()
    client.post(
        reverse("platforms:invitation-respond", args=[invitation.token]), {"answer": "accept"}
    )

    assert landed.url == invitation.get_absolute_url()
    assert waiting is False
    assert Membership.objects.filter(
        user__email="someone-else@example.jp", platform=platform
    ).exists()
