"""Spreadsheet exports that are safe to open: a cell that Excel or LibreOffice would
read as a formula (it starts with =, +, -, @, a tab or a carriage return, or their
full-width forms, which Japanese spreadsheets also accept) is written as text, with
a leading apostrophe, the mitigation OWASP recommends. Every CSV and xlsx export
writes its rows through here."""

import csv
import io
import unicodedata
from dataclasses import dataclass

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row) -> list:
    return [safe_cell(value) for value in row]


def csv_response(filename: str, rows) -> HttpResponse:
    """A CSV download with a UTF-8 BOM (Excel garbles UTF-8 without it)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerows(safe_row(row) for row in rows)
    return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Sheet:
    """One sheet: its tab name (Excel allows 31 characters), a header row and rows."""

    title: str
    header: list
    rows: list


def xlsx_bytes(sheets: list[Sheet]) -> bytes:
    """A workbook with one sheet per part, the header in bold and frozen, columns
    wide enough to read, text wrapped. Text that looks like a formula is stored as
    text (a string cell with Excel's quote prefix), as typed, never as a formula."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        worksheet = workbook.create_sheet(title=sheet.title[:31])
        worksheet.append(list(sheet.header))
        for row in sheet.rows:
            worksheet.append(list(row))
        for line in worksheet.iter_rows():
            for cell in line:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    cell.data_type = "s"
                    cell.quotePrefix = True
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
        worksheet.freeze_panes = "A2"
        for index, column in enumerate(worksheet.columns, start=1):
            longest = max((_width(cell.value) for cell in column), default=8)
            worksheet.column_dimensions[get_column_letter(index)].width = min(
                60, max(10, longest + 2)
            )
            for cell in column:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _width(value) -> int:
    """Display width: a full-width character takes two columns."""
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text.split("\n")[0])


def xlsx_response(filename: str, sheets: list[Sheet]) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(sheets), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
