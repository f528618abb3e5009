from django import forms

from common.forms import PlainTextFormMixin

from .models import Organisation, User


class ProfileForm(PlainTextFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "area", "skills", "introduction", "participation"]
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 4}),
            "participation": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"].required = True


class OrganisationForm(PlainTextFormMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kind", "resource_type", "area", "description"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "resource_type": forms.RadioSelect,
        }
