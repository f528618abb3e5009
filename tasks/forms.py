from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import PlainTextFormMixin, max_length_of

from .models import Board, BoardTemplate, Card


class BoardForm(PlainTextFormMixin, forms.Form):
    name = forms.CharField(label=_("ボード名"), max_length=max_length_of(Board, "name"))
    template = forms.ChoiceField(
        label=_("ひな形"),
        choices=BoardTemplate.choices,
        initial=BoardTemplate.INTERMEDIATE_EMPLOYMENT,
        widget=forms.RadioSelect,
    )


class CardEditForm(PlainTextFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    title = forms.CharField(label=_("タイトル"), max_length=max_length_of(Card, "title"))
    description = forms.CharField(
        label=_("説明"),
        max_length=max_length_of(Card, "description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("URLはリンクになります。"),
    )
    due = forms.DateField(
        label=_("期日"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    labels = forms.CharField(
        label=_("ラベル"),
        max_length=330,
        required=False,
        help_text=_("読点（、）またはカンマで区切ってください。"),
    )
    assignees = forms.MultipleChoiceField(
        label=_("担当"), required=False, widget=forms.CheckboxSelectMultiple
    )
    confidential = forms.BooleanField(
        label=_("個人情報を含む（コーディネーターと担当者だけが見られる）"), required=False
    )
    helpers_needed = forms.IntegerField(
        label=_("募集する手伝いの人数"), min_value=0, max_value=99, initial=0
    )
    helper_skills = forms.CharField(
        label=_("求めるスキル"), max_length=max_length_of(Card, "helper_skills"), required=False
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignees"].choices = [(str(u.pk), u.name) for u in members]

    def service_fields(self) -> dict:
        data = self.cleaned_data
        labels = [n.strip() for n in data["labels"].replace("、", ",").split(",") if n.strip()]
        return {
            "title": data["title"],
            "description": data["description"],
            "due": data["due"].isoformat() if data["due"] else None,
            "labels": labels,
            "assignees": [int(pk) for pk in data["assignees"]],
            "confidential": data["confidential"],
            "helpers_needed": data["helpers_needed"],
            "helper_skills": data["helper_skills"],
        }
