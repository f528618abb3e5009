from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .kinds import all_kinds
from .models import EmailMode

HOURS = [(h, f"{h}:00") for h in range(24)]


def email_field(key: str) -> str:
    return f"email-{key}"


def push_field(key: str) -> str:
    return f"push-{key}"


FOLLOW = ""
PUSH_CHOICES = [("on", _("送る")), ("off", _("送らない"))]


def push_value(push: bool | None) -> str:
    return FOLLOW if push is None else ("on" if push else "off")


def push_from(value: str) -> bool | None:
    return None if value == FOLLOW else value == "on"


class PreferencesForm(forms.Form):
    """One switch per channel for all kinds (email: at once, daily digest, off, or
    each kind's default; push: on, off, or each kind's default), and per kind the
    exceptions to it; then when the digest comes, when pushes keep quiet, and the
    language of messages."""

    email_all = forms.ChoiceField(
        label=_("メール"),
        choices=[(FOLLOW, _("お知らせの種類ごとのおすすめ")), *EmailMode.choices],
        required=False,
    )
    push_all = forms.ChoiceField(
        label=_("プッシュ通知"),
        choices=[(FOLLOW, _("お知らせの種類ごとのおすすめ")), *PUSH_CHOICES],
        required=False,
    )
    language = forms.ChoiceField(label=_("メールと通知の言語"), choices=settings.LANGUAGES)
    digest_hour = forms.TypedChoiceField(
        label=_("まとめメールを送る時刻"), choices=HOURS, coerce=int
    )
    quiet_start_hour = forms.TypedChoiceField(
        label=_("開始"),
        choices=[("", _("設定しない")), *HOURS],
        coerce=int,
        empty_value=None,
        required=False,
    )
    quiet_end_hour = forms.TypedChoiceField(
        label=_("終了"),
        choices=[("", _("設定しない")), *HOURS],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        follow = [(FOLLOW, _("全体の設定のまま"))]
        for kind in all_kinds():
            if kind.emails:
                self.fields[email_field(kind.key)] = forms.ChoiceField(
                    label=kind.label, choices=follow + list(EmailMode.choices), required=False
                )
            self.fields[push_field(kind.key)] = forms.ChoiceField(
                label=kind.label, choices=follow + PUSH_CHOICES, required=False
            )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("quiet_start_hour"), cleaned.get("quiet_end_hour")
        if (start is None) != (end is None):
            raise forms.ValidationError(
                _("プッシュ通知を控える時間は、開始と終了の両方を選んでください。")
            )
        if start is not None and start == end:
            raise forms.ValidationError(
                _("プッシュ通知を控える時間の開始と終了は違う時刻にしてください。")
            )
        return cleaned

    def rows(self):
        """(kind label, email field or None, push field) for the table."""
        for kind in all_kinds():
            email = self[email_field(kind.key)] if kind.emails else None
            yield kind.label, email, self[push_field(kind.key)]
