"""The portal's one CSV and XLSX writer for page exports (upr_portal/exports.py)."""

import csv
import io

import openpyxl

from upr_portal.exports import XLSX_CONTENT_TYPE, csv_response, xlsx_response

HEADER = ["Name", "Count", "Note"]
ROWS = [
    ["Kenya", 3, "=1+2"],
    ["Côte d'Ivoire", -4, "+call()"],
    ["Türkiye", 2.5, "bell\x07 and\ttab"],
    [None, True, "-minus"],
]


def test_csv_response_has_a_byte_order_mark_and_defused_cells():
    response = csv_response(filename="figures.csv", header=HEADER, rows=ROWS)

    text = response.content.decode("utf-8")
    assert (response["Content-Type"], response["Content-Disposition"]) == (
        "text/csv; charset=utf-8",
        'attachment; filename="figures.csv"',
    )
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text[1:]))) == [
        HEADER,
        ["Kenya", "3", "'=1+2"],
        ["Côte d'Ivoire", "'-4", "'+call()"],
        ["Türkiye", "2.5", "bell\x07 and\ttab"],
        ["", "yes", "'-minus"],
    ]


def test_xlsx_response_keeps_numbers_and_writes_formulas_as_text():
    response = xlsx_response(filename="figures.xlsx", header=HEADER, rows=ROWS, sheet_title="Figures: 2026/27")

    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    assert (response["Content-Type"], response["Content-Disposition"]) == (
        XLSX_CONTENT_TYPE,
        'attachment; filename="figures.xlsx"',
    )
    assert (sheet.title, sheet.freeze_panes, sheet["A1"].font.b) == ("Figures  2026 27", "A2", True)
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        HEADER,
        ["Kenya", 3, "=1+2"],
        ["Côte d'Ivoire", -4, "+call()"],
        ["Türkiye", 2.5, "bell and\ttab"],
        [None, "yes", "-minus"],
    ]
    formulas = [sheet[f"C{row}"] for row in (2, 3, 5)]
    assert [(cell.data_type, cell.quotePrefix) for cell in formulas] == [("s", True)] * 3
    assert (sheet["C4"].quotePrefix, sheet["B3"].data_type) == (False, "n")
