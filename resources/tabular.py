"""The directory as a table, both ways: the columns an export writes (Japanese headers,
choices in words) are the columns an import reads, so a municipality can export its
list, edit it in Excel and import it again. Reading takes a CSV in UTF-8 (with or
without a BOM) or Shift_JIS (Excel's Japanese CSV), or an .xlsx; a cell may hold a
choice's word or its code."""

import csv
import io
import re
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from common.spreadsheet import FORMULA_STARTS

from .models import Cost, Formality, Kind, Offer, Resource, Status


@dataclass(frozen=True)
class Column:
    header: str
    field: str  # a Resource field, or "offers"
    choices: type | None = None  # a TextChoices: written as its word


COLUMNS = [
    Column(gettext_lazy("外部ID"), "external_id"),
    Column(gettext_lazy("名前"), "name"),
    Column(gettext_lazy("説明"), "description"),
    Column(gettext_lazy("種類"), "kind", Kind),
    Column(gettext_lazy("区分"), "formality", Formality),
    Column(gettext_lazy("提供できるもの"), "offers", Offer),
    Column(gettext_lazy("対象"), "eligibility"),
    Column(gettext_lazy("対象年齢（から）"), "age_min"),
    Column(gettext_lazy("対象年齢（まで）"), "age_max"),
    Column(gettext_lazy("費用"), "cost", Cost),
    Column(gettext_lazy("費用の説明"), "cost_note"),
    Column(gettext_lazy("日時は相談して決める"), "by_arrangement"),
    Column(gettext_lazy("開いている日・時間"), "hours"),
    Column(gettext_lazy("郵便番号"), "postal_code"),
    Column(gettext_lazy("市区町村"), "municipality"),
    Column(gettext_lazy("住所"), "address"),
    Column(gettext_lazy("日常生活圏域"), "area"),
    Column(gettext_lazy("緯度"), "latitude"),
    Column(gettext_lazy("経度"), "longitude"),
    Column(gettext_lazy("電話"), "phone"),
    Column(gettext_lazy("メール"), "email"),
    Column(gettext_lazy("ウェブサイト"), "url"),
    Column(gettext_lazy("使える言語"), "languages"),
    Column(gettext_lazy("バリアフリー・配慮"), "accessibility"),
    Column(gettext_lazy("状態"), "status", Status),
    Column(gettext_lazy("最終確認日"), "confirmed_at"),
]
# Written by the export, ignored by the import (the hub keeps them itself).
READ_ONLY_FIELDS = {"confirmed_at"}
YES, NO = gettext_lazy("はい"), gettext_lazy("いいえ")
# Between offers in one cell (「場所・スペース」 is one offer: 「・」 does not separate).
_LIST_SEPARATORS = re.compile(r"[、,，/／\s]+")


def headers() -> list[str]:
    return [str(column.header) for column in COLUMNS]


def _word(choices, value) -> str:
    return str(choices(value).label) if value in choices.values else ""


def row_of(resource: Resource, contacts: set[str]) -> list:
    """One resource as a row; a contact is written only when it is in `contacts` (the
    ones the reader may see)."""
    row = []
    for column in COLUMNS:
        if column.field == "offers":
            row.append("、".join(resource.offer_labels))
        elif column.field in ("phone", "email", "url"):
            row.append(getattr(resource, column.field) if column.field in contacts else "")
        elif column.choices is not None:
            row.append(_word(column.choices, getattr(resource, column.field)))
        elif column.field == "by_arrangement":
            row.append(str(YES) if resource.by_arrangement else "")
        else:
            value = getattr(resource, column.field)
            row.append(
                "" if value is None else value if isinstance(value, int | str) else str(value)
            )
    return row


class UnreadableFile(ValueError):
    """The file is not a CSV or an .xlsx the import can read; the message says why."""


MAX_ROWS = 5000


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # cp932 is Windows' Shift_JIS, with the characters Excel writes (①, ㈱, ～).
        return data.decode("cp932")
    except UnicodeDecodeError:
        raise UnreadableFile(
            _("文字コードが読めません。UTF-8 か Shift_JIS の CSV で保存してください。")
        ) from None


def _csv_rows(data: bytes) -> list[list[str]]:
    text = _decode(data)
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise UnreadableFile(_("CSV として読めません（%(error)s）。") % {"error": error}) from None


def _xlsx_rows(data: bytes) -> list[list[str]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise UnreadableFile(_("Excel（.xlsx）のファイルとして読めません。")) from None
    sheet = workbook.worksheets[0]
    rows = []
    for line in sheet.iter_rows(values_only=True):
        rows.append(["" if value is None else _cell_text(value) for value in line])
        if len(rows) > MAX_ROWS + 1:
            break
    workbook.close()
    return rows


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "date") and callable(value.date):
        return value.date().isoformat()
    return str(value)


def read_table(name: str, data: bytes) -> tuple[list[str], list[list[str]]]:
    """(header, rows) from an uploaded file; UnreadableFile says what is wrong."""
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        table = _xlsx_rows(data)
    elif lowered.endswith((".csv", ".txt")):
        table = _csv_rows(data)
    else:
        raise UnreadableFile(_("CSV（.csv）か Excel（.xlsx）のファイルを選んでください。"))
    table = [row for row in table if any(cell.strip() for cell in row)]
    if not table:
        raise UnreadableFile(_("ファイルに行がありません。"))
    if len(table) - 1 > MAX_ROWS:
        raise UnreadableFile(_("一度に取り込めるのは%(n)d行までです。") % {"n": MAX_ROWS})
    header = [cell.strip().lstrip("\ufeff") for cell in table[0]]
    return header, table[1:]


def column_map(header: list[str]) -> tuple[dict[int, Column], list[str]]:
    """Which column of the file is which field; and the problems with the header."""
    by_header = {str(column.header): column for column in COLUMNS}
    by_header |= {column.field: column for column in COLUMNS}
    found, problems = {}, []
    for index, title in enumerate(header):
        column = by_header.get(title)
        if column is not None and column.field not in READ_ONLY_FIELDS:
            found[index] = column
    named = {column.field for column in found.values()}
    for needed in ("name", "description", "kind", "formality"):
        if needed not in named:
            header_word = next(str(c.header) for c in COLUMNS if c.field == needed)
            problems.append(_("「%(column)s」の列がありません。") % {"column": header_word})
    return found, problems


def _unescape(value: str) -> str:
    # The export writes formula-like text with a leading apostrophe (common.spreadsheet).
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _choice(choices, value: str) -> str:
    if value in choices.values:
        return value
    for code, label in choices.choices:
        if value == str(label) or str(label).startswith(value + "（"):
            return code
    return value  # the form says it is not a choice


def form_data(row: list[str], columns: dict[int, Column]) -> tuple[dict, list[str] | None]:
    """A row as the resource form's data: words turned into codes, offers a list.
    Only the file's columns are in it (an update leaves the others as they are)."""
    data: dict = {}
    offers: list[str] | None = None  # None: the file has no column for them
    for index, column in columns.items():
        value = _unescape(row[index].strip()) if index < len(row) else ""
        if column.field == "offers":
            offers = [_choice(Offer, part) for part in _LIST_SEPARATORS.split(value) if part]
        elif column.choices is not None:
            data[column.field] = _choice(column.choices, value) if value else ""
        elif column.field == "by_arrangement":
            data[column.field] = "on" if value in (str(YES), "yes", "true", "1", "○", "〇") else ""
        else:
            data[column.field] = value
    if "cost" in data and not data["cost"]:
        data["cost"] = Cost.FREE
    if "status" in data and not data["status"]:
        data["status"] = Status.DRAFT
    return data, offers
