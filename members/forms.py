from django import forms
from django.core.exceptions import ValidationError

from common.text import clean_text, normalise_identifier

from .models import Organisation, User


class PlainTextFormMixin:
    """Every text field through common.text.clean_text: kept as typed, trimmed, with
    control, invisible and direction-changing characters refused, and line breaks
    only where the widget is a textarea. Fields named in `identifier_fields` (phone
    numbers, postal codes) are NFKC-normalised; email addresses are too."""

    identifier_fields: tuple[str, ...] = ()

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if not isinstance(value, str):
                continue
            field = self.fields[name]
            if isinstance(field, forms.EmailField) or name in self.identifier_fields:
                cleaned[name] = normalise_identifier(value)
                continue
            if isinstance(field, forms.URLField):
                continue
            try:
                value = clean_text(value, multiline=isinstance(field.widget, forms.Textarea))
            except ValidationError as error:
                self.add_error(name, error)
                continue
            if field.required and not value:
                self.add_error(name, field.error_messages["required"])
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
