"""The name people see: asked at sign-up with an optional reading, asked once of an
account without one, and never taken from the email address."""

import pytest
from django.urls import reverse

from members.models import NAMELESS, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "hikikomori-support-2026"


def signup(client, **fields):
    data = {"email": "new@example.jp", "password1": PASSWORD, "password2": PASSWORD}
    return client.post(reverse("account_signup"), data | fields)


def log_in(client, email):
    return client.post(reverse("account_login"), {"login": email, "password": "pass-word-2026"})


def test_signup_asks_for_the_name_before_the_address(client):
    html = client.get(reverse("account_signup")).content.decode()

    assert (
        html.index('name="display_name"')
        < html.index('name="name_kana"')
        < html.index('name="email"')
    )
    assert "氏名" in html and "フリガナ" in html


def test_signup_keeps_the_name_and_its_reading_in_katakana(client):
    response = signup(client, display_name="山田 花子", name_kana="やまだ ﾊﾅｺ")

    assert response.status_code == 302
    user = User.objects.get(email="new@example.jp")
    assert (user.display_name, user.name_kana, user.name) == (
        "山田 花子",
        "ヤマダ ハナコ",
        "山田 花子",
    )


def test_signup_without_a_name_is_refused_and_creates_nothing(client):
    response = signup(client, display_name="  ")

    assert response.status_code == 200
    assert "このフィールドは必須です。" in response.content.decode()
    assert not User.objects.filter(email="new@example.jp").exists()


def test_the_confirmation_page_says_it_once(client):
    page = client.get(signup(client, display_name="山田 花子").url)
    html = page.content.decode()

    # The flash message says where it went; the page says what to do next.
    assert html.count("new@example.jp") == 1
    assert html.count("送信しました") == 1


def test_a_person_without_a_name_is_never_shown_by_their_address():
    person = UserFactory(email="tanaka.private@example.jp", display_name="")

    assert person.name == str(NAMELESS)
    assert "tanaka" not in person.name


def test_an_account_without_a_name_is_asked_once_after_logging_in(client):
    UserFactory(email="noname@example.jp", display_name="")

    first = log_in(client, "noname@example.jp")
    client.post(reverse("account_logout"))
    second = log_in(client, "noname@example.jp")

    assert first.url == reverse("members:name") + "?next=%2Fdashboard%2F"
    assert second.url == reverse("platforms:dashboard")


def test_an_account_with_a_name_is_not_asked(client):
    UserFactory(email="named@example.jp")

    assert log_in(client, "named@example.jp").url == reverse("platforms:dashboard")


def test_answering_the_question_saves_the_name_and_goes_on(client):
    person = UserFactory(display_name="")
    client.force_login(person)

    page = client.get(reverse("members:name") + "?next=/platforms/")
    answered = client.post(
        reverse("members:name"),
        {"display_name": "佐藤 一郎", "name_kana": "", "next": "/platforms/"},
    )

    assert "あとで" in page.content.decode()
    assert 'href="/platforms/"' in page.content.decode()
    assert answered.url == "/platforms/"
    person.refresh_from_db()
    assert person.display_name == "佐藤 一郎"


@pytest.mark.parametrize(
    "unsafe", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]
)
def test_the_question_never_sends_anyone_to_another_site(client, unsafe):
    client.force_login(UserFactory(display_name=""))

    page = client.get(reverse("members:name"), {"next": unsafe})
    answered = client.post(reverse("members:name"), {"display_name": "佐藤", "next": unsafe})

    assert unsafe not in page.content.decode()
    assert answered.url == reverse("platforms:dashboard")


def test_an_empty_answer_is_refused_with_a_message(client):
    person = UserFactory(display_name="")
    client.force_login(person)

    response = client.post(reverse("members:name"), {"display_name": ""})

    assert response.status_code == 400
    assert "このフィールドは必須です。" in response.content.decode()


def test_the_name_question_is_for_signed_in_people(client):
    asked = client.get(reverse("members:name"))
    posted = client.post(reverse("members:name"), {"display_name": "だれか"})

    for response in (asked, posted):
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
