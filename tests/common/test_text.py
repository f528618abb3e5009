"""One cleaner for what people write, on every path: forms, socket messages (through
the services), the admin. Prose is kept as typed; the invisible is refused."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from common.text import clean_text, normalise_identifier, one_line, search_key
from members.models import User
from platforms import services as platform_services
from tasks import services as task_services
from tasks.models import Card, Comment
from tests.factories import UserFactory

REFUSED = {
    "NUL": "面談\x00メモ",
    "bell": "面談\x07",
    "escape": "\x1b[31m赤",
    "right-to-left override": "請求書\u202etxt.exe",
    "left-to-right isolate": "山田\u2066花子",
    "zero-width space": "山田\u200b花子",
    "zero-width non-joiner": "山田\u200c花子",
    "lone zero-width joiner": "山田\u200d花子",
    "byte order mark": "\ufeff山田",
    "word joiner": "山\u2060田",
    "soft hyphen": "山\u00ad田",
    "lone surrogate": "山田\ud800",
}


@pytest.mark.parametrize("text", REFUSED.values(), ids=REFUSED.keys())
def test_invisible_and_control_characters_are_refused(text):
    with pytest.raises(ValidationError) as refused:
        clean_text(text, multiline=True)

    assert refused.value.code == "control"
    assert "制御文字や見えない文字" in refused.value.messages[0]


@pytest.mark.parametrize(
    "text",
    [
        "就労支援（第２期）！",
        "山田　花子",
        "ｶﾀｶﾅ と ひらがな",
        "👨‍👩‍👧 家族で参加",
        "🏳️‍🌈",
        "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
        "①②③ ㈱ ℡",
    ],
)
def test_prose_is_kept_as_typed(text):
    assert clean_text(text) == text


def test_line_breaks_only_where_the_field_has_lines():
    assert (
        clean_text("一行目\r\n二行目\r三行目\u2028四", multiline=True)
        == "一行目\n二行目\n三行目\n四"
    )
    assert clean_text("  前後の空白\t ") == "前後の空白"
    with pytest.raises(ValidationError) as refused:
        clean_text("名前\n二行目")
    assert refused.value.code == "line_break"
    with pytest.raises(ValidationError) as markup:
        clean_text("<script>alert(1)</script>")
    assert markup.value.code == "markup"


def test_identifiers_and_search_keys_fold_widths_and_subjects_are_one_line():
    assert normalise_identifier(" ０６－６１２３－４５６７ ") == "06-6123-4567"
    assert search_key("ボランティア") == search_key("ﾎﾞﾗﾝﾃｨｱ") == search_key("ぼらんてぃあ")
    assert one_line("協働\nハブ\r\n\x00の\u2028お知らせ") == "協働 ハブ の お知らせ"


@pytest.mark.django_db
def test_the_profile_form_refuses_a_look_alike_name(client):
    user = UserFactory(display_name="元の名前")
    client.force_login(user)

    response = client.post(
        reverse("members:profile"),
        {"display_name": "管理者\u202e", "participation": "volunteer"},
    )

    assert response.status_code == 400
    assert "制御文字や見えない文字" in response.content.decode()
    user.refresh_from_db()
    assert user.display_name == "元の名前"


@pytest.mark.django_db
def test_the_admin_refuses_a_name_with_invisible_characters(admin_client):
    user = UserFactory(display_name="元の名前")
    page = admin_client.get(reverse("admin:members_user_change", args=[user.pk]))
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data |= {"display_name": "山田\u200b花子", "email": user.email}

    response = admin_client.post(reverse("admin:members_user_change", args=[user.pk]), data)

    assert response.status_code == 200
    assert "制御文字や見えない文字" in response.content.decode()
    assert User.objects.get(pk=user.pk).display_name == "元の名前"


@pytest.mark.django_db
def test_services_refuse_what_the_socket_would_have_stored(crew, board, columns):
    card = task_services.card_create(
        actor=crew["member"], board=board, column_id=columns[0].pk, title="面談"
    )

    for write in (
        lambda: task_services.card_create(
            actor=crew["member"], board=board, column_id=columns[0].pk, title="面談\x00"
        ),
        lambda: task_services.comment_add(
            actor=crew["member"], board=board, card_id=card.pk, body="見て\u202eね"
        ),
        lambda: task_services.card_update(
            actor=crew["member"],
            board=board,
            card_id=card.pk,
            version=card.version,
            fields={"title": "一行目\n二行目"},
        ),
    ):
        with pytest.raises(ValidationError):
            write()

    assert list(Card.objects.values_list("title", flat=True)) == ["面談"]
    assert Comment.objects.count() == 0


@pytest.mark.django_db
def test_a_line_break_in_an_old_platform_name_cannot_break_an_invitation(
    coordinator, platform, django_capture_on_commit_callbacks
):
    """Names are single-line now; rows written before may not be, and a subject with a
    line break raised BadHeaderError (a 500, with the invitation marked pending)."""
    type(platform).objects.filter(pk=platform.pk).update(name="地域\n食堂")
    platform.refresh_from_db()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        platform_services.invitation_create(
            actor=coordinator, platform=platform, email="guest@example.jp"
        )

    [sent] = [m for m in mail.outbox if m.to == ["guest@example.jp"]]
    assert "\n" not in sent.subject
    assert "地域 食堂" in sent.subject
