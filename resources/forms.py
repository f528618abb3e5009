from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from common.forms import PlainTextFormMixin, TextField, max_length_of
from common.postal import address_for, normalise_code
from members.models import Organisation

from .models import (
    EDITABLE_FIELDS,
    Formality,
    Gap,
    Kind,
    Offer,
    PlatformResource,
    Resource,
    ResourceQuestion,
    Status,
)

PERSONAL_PROVIDER_CHOICES = [
    ("", _("個人としては提供しない（団体が提供する、または未定）")),
    ("shown", _("わたしが個人として提供する（名前を載せる）")),
    ("hidden", _("わたしが個人として提供する（名前は載せない）")),
]


class ResourceForm(PlainTextFormMixin, forms.ModelForm):
    """A resource's details; what it offers (several); its status once it exists."""

    url = forms.URLField(
        label=_("ウェブサイト"), required=False, max_length=200, assume_scheme="https"
    )
    offers = forms.MultipleChoiceField(
        label=_("提供できるもの"),
        choices=Offer.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Resource
        # What the service takes from a form.
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            # postal.js fills the municipality and address from the code as it is typed.
            "postal_code": forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "autocomplete": "postal-code",
                    "data-postal": "",
                    "data-postal-url": reverse_lazy("resources:postal-code"),
                }
            ),
            "kind": forms.RadioSelect,
            "formality": forms.RadioSelect,
        }

    # A person who provides a resource themselves decides whether their name is shown.
    personal_provider = forms.ChoiceField(
        label=_("個人としての提供"),
        choices=PERSONAL_PROVIDER_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )

    field_order = ["name", "description", "kind", "formality", "offers"]

    def __init__(self, *args, creating: bool = False, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        provider = self.instance.provider_person_id
        if user is None or (provider and provider != user.pk):
            # Only the person themselves says they provide it, and how it is shown.
            del self.fields["personal_provider"]
        elif provider and "personal_provider" not in self.initial:
            self.initial["personal_provider"] = (
                "shown" if self.instance.provider_person_shown else "hidden"
            )
        organisations = Organisation.objects.order_by("name")
        self.fields["provider_organisation"].queryset = organisations
        self.fields["steward_organisation"].queryset = organisations
        if creating:
            del self.fields["status"]  # a new resource starts as a draft
        if self.instance.pk and "offers" not in self.initial:
            self.initial["offers"] = self.instance.offers

    def clean_postal_code(self):
        value = self.cleaned_data.get("postal_code", "")
        if not value:
            return ""
        code = normalise_code(value)
        if code is None:
            raise forms.ValidationError(_("郵便番号は「123-4567」の形で入れてください。"))
        self.postal_address = address_for(code)
        if self.postal_address is None:
            raise forms.ValidationError(_("この郵便番号は見つかりません。確かめてください。"))
        return code

    def clean(self):
        cleaned = super().clean()
        # The address from the postal code, so nobody types it twice.
        found = getattr(self, "postal_address", None)
        if found is not None:
            if not cleaned.get("municipality"):
                cleaned["municipality"] = found.municipality
            if not cleaned.get("address"):
                cleaned["address"] = found.neighbourhood
        low, high = cleaned.get("age_min"), cleaned.get("age_max")
        if low is not None and high is not None and low > high:
            self.add_error("age_max", _("対象年齢は「から」より「まで」を大きくしてください。"))
        return cleaned


class DirectoryForm(forms.Form):
    """The directory's search and filters; anything unknown is dropped, not a 500."""

    q = forms.CharField(label=_("ことば"), max_length=100, required=False)
    kind = forms.ChoiceField(
        label=_("種類"), choices=[("", _("すべて")), *Kind.choices], required=False
    )
    formality = forms.ChoiceField(
        label=_("区分"), choices=[("", _("すべて")), *Formality.choices], required=False
    )
    offer = forms.ChoiceField(
        label=_("提供できるもの"), choices=[("", _("すべて")), *Offer.choices], required=False
    )
    municipality = forms.CharField(label=_("市区町村"), max_length=60, required=False)
    area = forms.CharField(label=_("日常生活圏域"), max_length=100, required=False)
    status = forms.ChoiceField(
        label=_("状態"),
        choices=[
            (Status.ACTIVE, Status.ACTIVE.label),
            (Status.PAUSED, Status.PAUSED.label),
            (Status.ENDED, Status.ENDED.label),
            ("", _("すべて")),
        ],
        required=False,
    )
    recent = forms.BooleanField(label=_("1年以内に確認されたものだけ"), required=False)


class LinkForm(PlainTextFormMixin, forms.Form):
    """Propose a resource to a platform the reader coordinates, with what for."""

    platform = forms.TypedChoiceField(label=_("プラットフォーム"), coerce=int)
    use = forms.ChoiceField(
        label=_("使い方"),
        choices=PlatformResource.Use.choices,
        initial=PlatformResource.Use.USES,
        widget=forms.RadioSelect,
    )
    purpose = TextField(
        label=_("何のために"),
        max_length=max_length_of(PlatformResource, "purpose"),
        required=False,
        help_text=_("例：職場体験の受け入れ先として"),
    )

    def __init__(self, *args, platforms=(), resource=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["platform"].choices = [(p.pk, p.name) for p in platforms]
        if resource is not None and resource.kind != Kind.FUNDING:
            # Only funding resources can be named in the charter's "how much".
            self.fields["use"].choices = [PlatformResource.Use.choices[0]]


class QuestionForm(PlainTextFormMixin, forms.Form):
    text = TextField(
        label=_("質問"),
        max_length=max_length_of(ResourceQuestion, "text"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "情報を更新する人に届きます。相談する人の名前など、個人が分かることは書かないでください。"
        ),
    )


class AnswerForm(PlainTextFormMixin, forms.Form):
    answer = TextField(
        label=_("回答"),
        max_length=max_length_of(ResourceQuestion, "answer"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class GapForm(PlainTextFormMixin, forms.ModelForm):
    class Meta:
        model = Gap
        fields = ["need", "description", "for_whom", "kind", "municipality", "area"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "need": _("例：夜間も使える子どもの居場所"),
            "for_whom": _("例：ひとり親家庭の小学生（個人が分かることは書かないでください）"),
        }


class GapSearchForm(forms.Form):
    q = forms.CharField(label=_("ことば"), max_length=100, required=False)
    municipality = forms.CharField(label=_("市区町村"), max_length=60, required=False)


class PlanForm(forms.Form):
    """At closing: does a created resource continue, and who keeps it current."""

    continues = forms.TypedChoiceField(
        label=_("プラットフォームの終了後も続けますか"),
        choices=[("yes", _("続ける（社会資源の一覧に載せる）")), ("no", _("続けない"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    steward = forms.TypedChoiceField(
        label=_("情報を更新する人"), coerce=int, required=False, empty_value=None
    )
    steward_organisation = forms.TypedChoiceField(
        label=_("情報を更新する団体"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, people=(), organisations=(), resource=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["steward"].choices = [("", _("選ばない"))] + [(p.pk, p.name) for p in people]
        self.fields["steward_organisation"].choices = [("", _("選ばない"))] + [
            (o.pk, o.name) for o in organisations
        ]
        if resource is not None and not self.is_bound:
            if resource.continues is not None:
                self.initial["continues"] = "yes" if resource.continues else "no"
            self.initial["steward"] = resource.steward_id
            self.initial["steward_organisation"] = resource.steward_organisation_id


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("ファイル（CSV または Excel）"),
        help_text=_(
            "1行目に見出し（「名前」「説明」「種類」「区分」など、書き出したファイルと同じ）を入れてください。CSV は UTF-8 でも Shift_JIS でも読めます。"
        ),
    )
    organisation = forms.TypedChoiceField(label=_("提供し、情報を更新する団体"), coerce=int)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx,text/csv"
