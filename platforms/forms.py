from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import EmailAddressField, PlainTextFormMixin
from members.models import OrganisationKind

from .models import EVALUATION_FIELDS, Goal, Invitation, Platform, Role, Status


class CharterForm(PlainTextFormMixin, forms.ModelForm):
    class Meta:
        model = Platform
        fields = [
            "name",
            "purpose",
            "why",
            "who",
            "where",
            "area",
            "deadline",
            "what",
            "how",
            "budget",
            "funding",
            "visibility",
        ]
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "visibility": forms.RadioSelect,
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "why": forms.Textarea(attrs={"rows": 3}),
            "who": forms.Textarea(attrs={"rows": 3}),
            "what": forms.Textarea(attrs={"rows": 3}),
            "how": forms.Textarea(attrs={"rows": 3}),
            "funding": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        unchanged = self.instance.pk and deadline == self.instance.deadline
        if deadline < timezone.localdate() and not unchanged:
            raise ValidationError(
                _("期限に過去の日付は指定できません。今日以降の日付を入力してください。")
            )
        return deadline


class GoalForm(PlainTextFormMixin, forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["title", "target_value", "unit"]


class GoalProgressForm(PlainTextFormMixin, forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["title", "target_value", "current_value", "unit"]


class LaunchGoalForm(GoalForm):
    """Goals are optional at launch: an empty row is skipped."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["target_value"].required = False

    def clean(self):
        cleaned = super().clean()
        title, target = cleaned.get("title"), cleaned.get("target_value")
        if title and not target:
            self.add_error("target_value", _("目標値を入れてください。"))
        if target and not title:
            self.add_error("title", _("目標の内容を入れてください。"))
        return cleaned


LaunchGoalFormSet = forms.formset_factory(LaunchGoalForm, extra=3, max_num=10, validate_max=True)


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=Status.choices)


class EvaluationForm(PlainTextFormMixin, forms.ModelForm):
    class Meta:
        model = Platform
        fields = EVALUATION_FIELDS
        widgets = {
            "outcome": forms.Textarea(attrs={"rows": 5}),
            "learned": forms.Textarea(attrs={"rows": 4}),
            "continues": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].required = True


class JoinRequestForm(PlainTextFormMixin, forms.Form):
    message = forms.CharField(
        label=_("ひとことメッセージ"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("参加したい理由や、できることを書いてください。"),
    )
    organisation = forms.ModelChoiceField(
        label=_("参加のしかた"),
        queryset=None,
        required=False,
        empty_label=_("個人として参加する"),
        error_messages={"invalid_choice": _("所属している団体の名義でだけ申請できます。")},
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class DecisionForm(PlainTextFormMixin, forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("承認する")), ("decline", _("見送る"))])
    reason = forms.CharField(
        label=_("見送りの理由（任意）"), max_length=1000, required=False, widget=forms.Textarea
    )


class InvitationForm(PlainTextFormMixin, forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "role", "message"]
        field_classes = {"email": EmailAddressField}
        widgets = {"message": forms.Textarea(attrs={"rows": 3})}


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("役割"), choices=Role.choices)


class PlatformSearchForm(forms.Form):
    q = forms.CharField(label=_("キーワード"), required=False, max_length=100)
    area = forms.CharField(label=_("地域"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("参加団体の種別"),
        required=False,
        choices=[("", _("すべて"))] + list(OrganisationKind.choices),
    )
