"""Form pieces every app shares: the plain-text mixin and identifier fields."""

from django import forms
from django.core.exceptions import ValidationError

from common.text import clean_text, normalise_identifier


class EmailAddressField(forms.EmailField):
    """An email address as Japanese keyboards type it too: 「ｔａｒｏ＠example.jp」
    (full-width, from an IME left on) is read as taro@example.jp before it is checked."""

    def to_python(self, value):
        return super().to_python(normalise_identifier(value) if isinstance(value, str) else value)


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
