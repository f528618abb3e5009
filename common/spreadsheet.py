"""Spreadsheet exports that are safe to open: a cell that Excel or LibreOffice would
read as a formula (it starts with =, +, -, @, a tab or a carriage return, or their
full-width forms, which Japanese spreadsheets also accept) is written as text, with
a leading apostrophe, the mitigation OWASP recommends. Every CSV (and later xlsx)
export writes its rows through here."""

import csv

from django.http import HttpResponse

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
