"""The one text cleaner, and the keys that search and identifiers use.

What people write is kept as they typed it: full-width punctuation （）！, full-width
spaces and kana stay. What nobody can type on purpose is refused, on every path
(forms, socket messages, services, the admin): control characters and NUL,
characters that turn text around (bidi overrides and isolates) and invisible ones
(zero-width spaces, joiners outside emoji, the byte order mark). They make
look-alike names and reorder what a reader sees. Single-line fields (names, titles,
subjects) refuse line breaks too.

NFKC (full-width digits and letters become ASCII) belongs to identifiers (email,
phone, postal code, numbers) and to the normalised search key, never to prose.
"""

import re
import unicodedata

import jaconv
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]|javascript:", re.IGNORECASE)
_LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x85]")
# Emoji sequences use the zero-width joiner and tag characters (🏳️‍🌈, 🏴 flags):
# they are allowed right after a pictograph, a modifier or another part of one.
_EMOJI_JOINERS = {"\u200d"} | {chr(c) for c in range(0xE0020, 0xE0080)}
_EMOJI_PARTS = {"So", "Sk", "Mn", "Cf"}

CONTROL_MESSAGE = _(
    "制御文字や見えない文字（ゼロ幅の文字、文字の向きを変える記号など）は使えません。"
)
LINE_BREAK_MESSAGE = _("改行は使えません。1行で入力してください。")
MARKUP_MESSAGE = _("HTMLタグやスクリプトは使えません。文章だけを入力してください。")


def _refused(text: str, index: int) -> bool:
    char = text[index]
    category = unicodedata.category(char)
    if char == "\n":
        return False
    if category in ("Cc", "Cs"):
        return True
    if category != "Cf":
        return False
    if char in _EMOJI_JOINERS and index > 0:
        return unicodedata.category(text[index - 1]) not in _EMOJI_PARTS
    return True


def clean_text(value, *, multiline: bool = False) -> str:
    """The text as typed, trimmed, with line breaks as "\\n"; or ValidationError
    (codes "control", "line_break", "markup") saying what cannot be used."""
    if not isinstance(value, str):
        raise ValidationError(_("文字で入力してください。"), code="invalid")
    text = _LINE_BREAKS.sub("\n", value).replace("\t", " ").strip()
    if any(_refused(text, i) for i in range(len(text))):
        raise ValidationError(CONTROL_MESSAGE, code="control")
    if not multiline and "\n" in text:
        raise ValidationError(LINE_BREAK_MESSAGE, code="line_break")
    if _MARKUP.search(text):
        raise ValidationError(MARKUP_MESSAGE, code="markup")
    return text


def clean_field(
    value,
    *,
    field: str,
    max_length: int,
    required: bool,
    multiline: bool = False,
    required_message: str | None = None,
) -> str:
    """clean_text for a service's own input: the field's name and limits in the error
    (a ValidationError keyed by field)."""
    try:
        value = clean_text(value if value is not None else "", multiline=multiline)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None
    if required and not value:
        raise ValidationError({field: required_message or _("このフィールドは必須です。")})
    if len(value) > max_length:
        raise ValidationError(
            {field: _("%(max)d文字以内で入力してください。") % {"max": max_length}}
        )
    return value


def validate_single_line(value) -> None:
    """A model field validator (the admin edits names too)."""
    clean_text(value)


def validate_multiline(value) -> None:
    clean_text(value, multiline=True)


def one_line(value: str) -> str:
    """For email subjects and headers, which must never fail: whitespace and
    anything else unprintable become single spaces."""
    printable = "".join(
        " " if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") else c for c in str(value)
    )
    return " ".join(printable.split())


def normalise_identifier(value: str) -> str:
    """NFKC and trimmed: 「０６－１２３４」 and 「06-1234」 are the same number."""
    return unicodedata.normalize("NFKC", value or "").strip()


def search_key(*parts: str) -> str:
    """One lower-case, NFKC, hiragana-folded string for substring search: 「ボランティア」,
    「ﾎﾞﾗﾝﾃｨｱ」 and 「ぼらんてぃあ」 find each other."""
    joined = " ".join(p for p in parts if p)
    return jaconv.kata2hira(unicodedata.normalize("NFKC", joined)).lower()


def bigram_key(key: str) -> str:
    """The search key as its two-character pieces, each a word of its own
    (「相談窓口」 → " 相談 談窓 窓口 "), so a two-character search is `LIKE '% 相談 %'`:
    pg_trgm can index that, though not `LIKE '%相談%'` (it needs three characters).
    `key` is a search_key."""
    pieces = []
    for token in key.split():
        pieces.extend(token[i : i + 2] for i in range(len(token) - 1))
    return f" {' '.join(pieces)} " if pieces else ""


def katakana(value: str) -> str:
    """A reading as full-width katakana, however it was typed (ひらがな, ｶﾀｶﾅ)."""
    return jaconv.hira2kata(unicodedata.normalize("NFKC", value)).strip()
