import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Organisation, User
from .text import normalise_input

_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]|javascript:", re.IGNORECASE)


def refuse_markup(value):
    """Refuses HTML tags and script URLs: the hub stores plain text only."""
    if value and _MARKUP.search(value):
        raise ValidationError(
            _("HTMLタグやスクリプトは使えません。文章だけを入力してください。"), code="markup"
        )


class PlainTextFormMixin:
    """NFKC-normalises every text field (full-width digits become ASCII) and refuses
    markup, so every form in the hub treats Japanese input the same way."""

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str) and not isinstance(
                self.fields[name], forms.EmailField | forms.URLField
            ):
                value = normalise_input(value)
                try:
                    refuse_markup(value)
                except ValidationError as error:
                    self.add_error(name, error)
                    continue
                if self.fields[name].required and not value:
                    self.add_error(name, self.fields[name].error_messages["required"])
                    continue
                cleaned[name] = value
        return cleaned


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
