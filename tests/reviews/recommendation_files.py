"""Files of recommendations in the shapes OHCHR and UHRI publish, built for the tests.

``thematic_list`` writes OHCHR's "Thematic list of recommendations" (.docx): a title naming the
Working Group report, a table with a header row, "Theme: ..." rows spanning the table, and one
recommendation (or several merged) per row. ``uhri_csv`` / ``uhri_xlsx`` write UHRI's export.
"""

import csv
import io
from dataclasses import dataclass, field

UHRI_HEADERS = [
    "Text",
    "Themes",
    "Document Publication Date",
    "Recommending Body",
    "Sdgs",
    "UPR Session",
    "UPR Recommending States",
    "UPR Position",
]


@dataclass
class Rec:
    paragraph: str
    text: str
    states: list[str]
    position: str = "Supported"
    themes: list[str] = field(default_factory=lambda: ["A41 Constitutional and legislative framework"])
    persons: list[str] = field(default_factory=list)
    sdgs: list[int] = field(default_factory=list)

    def cell(self) -> str:
        return f"{self.paragraph} {self.text} " + " ".join(f"({state})" for state in self.states) + ";"


def sample(count: int = 6) -> list[Rec]:
    """``count`` recommendations of paragraph 140: every third noted, the rest supported."""
    states = [["Maldives", "Portugal"], ["Chile"], ["Türkiye"], ["Turkey"], ["Côte d'Ivoire"], ["Peru"]]
    recs = []
    for number in range(1, count + 1):
        recs.append(
            Rec(
                paragraph=f"140.{number}",
                text=f"Take measure number {number} to protect the rights of children",
                states=states[(number - 1) % len(states)],
                position="Noted" if number % 3 == 0 else "Supported",
                themes=["A41 Constitutional and legislative framework", "D8 Rights of the child"],
                persons=["children"],
                sdgs=[5, 16] if number % 2 else [16],
            )
        )
    return recs


def _themes_cell(rec: Rec) -> str:
    lines = list(rec.themes)
    if rec.persons:
        lines.append("Affected persons:")
        lines += [f"- {person}" for person in rec.persons]
    if rec.sdgs:
        lines.append("SDGs: " + ", ".join(str(goal) for goal in rec.sdgs))
    return "\n".join(lines)


def _position_cell(rec: Rec, add: str = "A/HRC/44/9/Add.1") -> str:
    return f"{rec.position}\nSource of Position: {add} - Para.3"


def thematic_list(
    recs: list[Rec],
    *,
    symbol: str = "A/HRC/44/9",
    header: bool = True,
    merged: list[tuple[int, ...]] | None = None,
    extra_spaces: bool = False,
    assessment_column: bool = True,
) -> bytes:
    """The .docx bytes. ``merged``: groups of indexes of ``recs`` written in one row (the first's position)."""
    import docx

    document = docx.Document()
    document.add_heading("Thematic list of recommendations", level=1)
    document.add_paragraph(f"Universal Periodic Review - Ruritania. Working Group report {symbol}")
    columns = 4 if assessment_column else 3
    table = document.add_table(rows=0, cols=columns)
    if header:
        cells = table.add_row().cells
        cells[0].text = "Recommendation"
        cells[1].text = "Position"
        cells[2].text = "Full list of themes"
        if assessment_column:
            cells[3].text = "Assessment/comments on level of implementation"
    theme_row = table.add_row()
    theme_row.cells[0].merge(theme_row.cells[columns - 1])
    theme_row.cells[0].text = "Theme: A41 Constitutional and legislative framework"
    groups = merged or []
    in_group = {index: group for group in groups for index in group}
    done: set[int] = set()
    for index, rec in enumerate(recs):
        if index in done:
            continue
        group = in_group.get(index, (index,))
        done.update(group)
        cells = table.add_row().cells
        text = "\n".join(recs[i].cell() for i in group)
        if extra_spaces:
            text = "  " + text.replace(" ", "   ") + "  "
        cells[0].text = text
        cells[1].text = _position_cell(rec)
        cells[2].text = _themes_cell(rec)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def uhri_rows(recs: list[Rec], *, symbol_in_text: bool = False) -> list[list[str]]:
    rows = [UHRI_HEADERS]
    for rec in recs:
        themes = "; ".join(theme.split(" ", 1)[1] for theme in rec.themes)
        sdgs = "; ".join(f"{goal} - Goal {goal}" for goal in rec.sdgs)
        rows.append(
            [
                f"{rec.paragraph} {rec.text}",
                themes,
                "2020-03-20",
                "UPR",
                sdgs,
                "35",
                ", ".join(rec.states),
                rec.position,
            ]
        )
    return rows


def uhri_csv(recs: list[Rec], *, headers: list[str] | None = None) -> bytes:
    rows = uhri_rows(recs)
    if headers:
        rows[0] = headers
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def uhri_xlsx(recs: list[Rec], *, headers: list[str] | None = None) -> bytes:
    import openpyxl

    rows = uhri_rows(recs)
    if headers:
        rows[0] = headers
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
