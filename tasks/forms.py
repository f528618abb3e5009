from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import PlainTextFormMixin
from common.ids import IdField

from .models import BoardTemplate


class BoardForm(PlainTextFormMixin, forms.Form):
    name = forms.CharField(label=_("ボード名"), max_length=100)
    template = forms.ChoiceField(
        label=_("ひな形"),
        choices=BoardTemplate.choices,
        initial=BoardTemplate.INTERMEDIATE_EMPLOYMENT,
        widget=forms.RadioSelect,
    )


class CardCreateForm(PlainTextFormMixin, forms.Form):
    column = IdField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("カードのタイトル"), max_length=200)
    confidential = forms.BooleanField(
        label=_("個人情報を含む（コーディネーターと担当者だけが見られる）"), required=False
    )


class CardEditForm(PlainTextFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    title = forms.CharField(label=_("タイトル"), max_length=200)
    description = forms.CharField(
        label=_("説明"),
        max_length=5000,
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
    helper_skills = forms.CharField(label=_("求めるスキル"), max_length=200, required=False)

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


class CardMoveForm(forms.Form):
    column = IdField(label=_("移動先の列"))
    place = forms.ChoiceField(
        label=_("位置"),
        choices=[("top", _("いちばん上")), ("bottom", _("いちばん下"))],
        initial="bottom",
    )


class CommentForm(PlainTextFormMixin, forms.Form):
    body = forms.CharField(
        label=_("コメント"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("「@名前」と書くと、その人に知らせます。"),
    )


class ChecklistItemForm(PlainTextFormMixin, forms.Form):
    text = forms.CharField(label=_("チェック項目"), max_length=200)


class ColumnForm(PlainTextFormMixin, forms.Form):
    name = forms.CharField(label=_("列の名前"), max_length=60)
    wip_limit = forms.IntegerField(label=_("WIP制限"), min_value=1, max_value=999, required=False)
    goal = forms.TypedChoiceField(
        label=_("連動する目標"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = [("", _("なし"))] + [(g.pk, g.title) for g in goals]
