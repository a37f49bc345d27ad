"""Spreadsheet downloads of the portal's pages: one CSV and one XLSX writer for every export.

Both take a header and rows of plain values and answer a download. The CSV file is UTF-8 with a byte
order mark and defuses formulas with a leading apostrophe, as the admin's export does
(upr_portal/admin_export.py, whose ``defused`` and ``BYTE_ORDER_MARK`` are used here). The XLSX file
is written with openpyxl's write-only workbook (memory stays flat whatever the rows); a text cell a
spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@`` ...) is stored as a text cell with
Excel's "quote prefix" style, so it is shown as typed, is never evaluated, and stays text when edited.

openpyxl is imported inside ``xlsx_response`` only: the web process does not load it until a person
asks for a workbook.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

from upr_portal.admin_export import BYTE_ORDER_MARK, FORMULA_PREFIXES, defused, plain_text

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Excel's limit for a sheet's name.
_SHEET_TITLE_MAX = 31


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class _Line:
    """A file that gives back what the CSV writer writes into it, one line at a time."""

    def write(self, line: str) -> str:
        return line


def csv_response(*, filename: str, header: Sequence, rows: Iterable[Sequence]) -> HttpResponse:
    """A CSV download: UTF-8 with a byte order mark, every cell as plain text with formulas defused."""
    writer = csv.writer(_Line())
    lines = [BYTE_ORDER_MARK + writer.writerow([defused(plain_text(cell)) for cell in header])]
    lines.extend(writer.writerow([defused(plain_text(cell)) for cell in row]) for row in rows)
    response = HttpResponse("".join(lines), content_type="text/csv; charset=utf-8")
    return _attachment(response, filename)


def xlsx_response(*, filename: str, header: Sequence, rows: Iterable[Sequence], sheet_title: str = "") -> HttpResponse:
    """An XLSX download with the same columns as ``csv_response``: one sheet, the header in bold and
    frozen. Numbers stay numbers; any other value is written as its plain text (``plain_text``)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(sheet_title))
    sheet.freeze_panes = "A2"

    def cell(value, *, bold: bool = False):
        if not isinstance(value, int | float) or isinstance(value, bool):
            # Control characters are not allowed in the file's XML: openpyxl refuses them.
            value = ILLEGAL_CHARACTERS_RE.sub("", plain_text(value))
        item = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
            # openpyxl stores a text starting with "=" as a formula: keep it text, as typed.
            item.data_type = "s"
            item.quotePrefix = True
        if bold:
            item.font = Font(bold=True)
        return item

    sheet.append([cell(value, bold=True) for value in header])
    for row in rows:
        sheet.append([cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    return _attachment(response, filename)


def _sheet_title(title: str) -> str:
    # Characters a sheet's name may not hold: \ / ? * [ ] :
    cleaned = "".join(" " if char in "\\/?*[]:" else char for char in str(title)).strip()
    return (cleaned or "Sheet1")[:_SHEET_TITLE_MAX]
