"""Form pieces every app shares: the plain-text mixin, identifier fields, and fields
that take a socket message's JSON values as strictly as a posted form's text (a list
where text belongs, or true where an id belongs, is refused, not turned into text or
the id 1)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.text import clean_text, normalise_identifier


def max_length_of(model, field: str) -> int:
    """A model field's length limit, so every form that feeds it says the same."""
    return model._meta.get_field(field).max_length


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


class TextField(forms.CharField):
    """Text from a form, or a JSON string; numbers, lists and objects are refused."""

    def to_python(self, value):
        if value is not None and not isinstance(value, str):
            raise ValidationError(_("文字で指定してください。"), code="invalid")
        return super().to_python(value)


class WholeNumberField(forms.IntegerField):
    """An integer from a form or JSON; true and false are not numbers."""

    def to_python(self, value):
        if isinstance(value, bool | list | dict):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class YesNoField(forms.Field):
    """A yes or no that must be given: JSON true/false, or a form's "true"/"false"
    ("on"/"1"/"0" too). Django's BooleanField reads anything as yes and, when
    required, insists on yes."""

    TRUE = frozenset({"true", "on", "1"})
    FALSE = frozenset({"false", "off", "0"})

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", {"required": _("はい・いいえで指定してください。")})
        super().__init__(**kwargs)

    def to_python(self, value):
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in self.TRUE | self.FALSE:
            return value.lower() in self.TRUE
        raise ValidationError(_("はい・いいえで指定してください。"), code="invalid")

    def validate(self, value):
        if value is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
