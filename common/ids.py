"""Ids that arrive from outside (URLs, forms, socket frames) are checked before they
reach a query: a number that does not fit the database's bigint column is an
OverflowError on SQLite and a DataError on PostgreSQL, a 500 either way."""

from django import forms

MAX_ID = 2**63 - 1


def parse_id(value) -> int | None:
    """A positive integer that fits a bigint id column, from an int or its decimal
    text; None for anything else (callers answer it as "not found")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value.isascii() or not value.isdigit() or len(value) > 19:
            return None
        value = int(value)
    if not isinstance(value, int) or not 1 <= value <= MAX_ID:
        return None
    return value


class IdField(forms.IntegerField):
    """A form field for an object's id: a positive integer that fits the column, from
    a form's text or a JSON number (true is not the id 1)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, bool | list | dict):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class IdConverter:
    """`<id:name>` in URL patterns: an id that fits the column, or no match (a 404)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        parsed = parse_id(value)
        if parsed is None:
            raise ValueError(value)  # Django treats this as "no match"
        return parsed

    def to_url(self, value) -> str:
        return str(value)
