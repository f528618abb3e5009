from django import forms

from common.forms import PlainTextFormMixin
from common.text import katakana

from .models import Organisation, User
from .services import profile_update


class NameFieldsMixin:
    """The name people see (required) and how to read it (optional, in katakana)."""

    def _name_fields(self):
        self.fields["display_name"].required = True
        self.fields["display_name"].widget.attrs["autocomplete"] = "name"
        self.fields["name_kana"].widget.attrs["autocomplete"] = "off"

    def clean_name_kana(self):
        return katakana(self.cleaned_data.get("name_kana") or "")


class ProfileForm(NameFieldsMixin, PlainTextFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "name_kana", "area", "skills", "introduction", "participation"]
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 4}),
            "participation": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._name_fields()


class NameForm(NameFieldsMixin, PlainTextFormMixin, forms.ModelForm):
    """Asked once of a person who has no name yet."""

    class Meta:
        model = User
        fields = ["display_name", "name_kana"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._name_fields()


class SignupNameForm(NameFieldsMixin, PlainTextFormMixin, forms.Form):
    """allauth's sign-up form is built on this (ACCOUNT_SIGNUP_FORM_CLASS): the name
    comes with the email and password, so nobody is shown by their address."""

    display_name = User._meta.get_field("display_name").formfield()
    name_kana = User._meta.get_field("name_kana").formfield()
    field_order = ["display_name", "name_kana", "email", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._name_fields()

    def signup(self, request, user):
        profile_update(actor=user, data=self.cleaned_data)


class OrganisationForm(PlainTextFormMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kind", "resource_type", "area", "description"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "resource_type": forms.RadioSelect,
        }
