"""The front door: an anonymous visitor learns what the hub is and the ways in; a
signed-in person goes to their own page."""

import pytest
from django.urls import reverse

from platforms.models import Status, Visibility
from tests.factories import PlatformFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_visitor_sees_what_a_platform_is_and_the_ways_in(client):
    recruiting = PlatformFactory(status=Status.RECRUITING, name="空き店舗でカフェを開く")
    PlatformFactory(status=Status.RECRUITING, visibility=Visibility.PRIVATE, name="内輪の会")
    PlatformFactory(status=Status.ARCHIVED, name="終わった取り組み")

    response = client.get("/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "達成したら解散する" in html
    for way_in in (
        reverse("platforms:platform-list"),
        reverse("platforms:platform-create"),
        reverse("account_signup"),
        reverse("account_login"),
    ):
        assert f'href="{way_in}"' in html
    assert recruiting.name in html
    assert "内輪の会" not in html and "終わった取り組み" not in html
    assert '<meta name="description" content="協働ハブは' in html


def test_a_signed_in_person_goes_to_their_page(client):
    client.force_login(UserFactory())

    response = client.get("/")

    assert (response.status_code, response.url) == (302, reverse("platforms:dashboard"))


def test_the_icon_browsers_ask_for_exists(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response.url.endswith("icons/hub.svg")
    assert '<link rel="icon"' in client.get("/").content.decode()


def test_flash_messages_are_a_status_region_without_list_roles(client):
    client.force_login(UserFactory())

    response = client.post(
        reverse("members:profile"),
        {"display_name": "新しい名前", "participation": "volunteer"},
        follow=True,
    )
    html = response.content.decode()

    assert '<div class="messages" role="status">' in html
    assert 'ul class="messages"' not in html
