from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import PlainTextFormMixin
from members.models import Organisation

from .models import Formality, Kind, Offer, Resource, Status
from .services import EDITABLE_FIELDS


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
        # What the service takes from a form, less what only a provider decides.
        fields = [name for name in EDITABLE_FIELDS if name != "provider_person_shown"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "kind": forms.RadioSelect,
            "formality": forms.RadioSelect,
        }

    field_order = ["name", "description", "kind", "formality", "offers"]

    def __init__(self, *args, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.order_by("name")
        self.fields["provider_organisation"].queryset = organisations
        self.fields["steward_organisation"].queryset = organisations
        if creating:
            del self.fields["status"]  # a new resource starts as a draft
        if self.instance.pk and "offers" not in self.initial:
            self.initial["offers"] = list(self.instance.offer_rows.values_list("offer", flat=True))

    def clean(self):
        cleaned = super().clean()
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
