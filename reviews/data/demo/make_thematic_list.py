"""Writes the demo's previous-cycle recommendations as an OHCHR-style "Thematic list of recommendations"
(.docx), to try the Word import with:

    .venv/bin/python reviews/data/demo/make_thematic_list.py [OUT.docx] [--merged]

The rows come from fin-cycle4-previous-recommendations.csv (beside this script). The document has
the shape of the lists OHCHR publishes per review: a title naming the State and the Working Group
report, then one table with a header row (Recommendation | Position | Full list of themes |
Assessment/comments on level of implementation), a "Theme: ..." row spanning the table before each
group, a recommendation cell "81.5 Reduce the use of ... (Germany) (Switzerland);", a position cell
with its "Source of Position", and a themes cell with the themes, "Affected persons:" and "SDGs:".
``--merged`` puts two recommendations of the same theme and position in one cell, as some real lists do.
"""

import csv
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "fin-cycle4-previous-recommendations.csv"
POSITION_SOURCE = "Source of Position: A/HRC/52/9/Add.1 - Para.3"


def _rows() -> list[dict[str, str]]:
    with SOURCE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _recommendation(row: dict[str, str]) -> str:
    states = " ".join(f"({name})" for name in _split(row["UPR Recommending States"]))
    return f"{row['Text']} {states};"


def _themes_cell(row: dict[str, str]) -> str:
    lines = list(_split(row["Themes"]))
    lines.append("Affected persons:")
    lines += [f"- {name}" for name in _split(row["Affected Persons"])]
    lines.append(f"SDGs: {', '.join(_split(row['Sdgs']))}")
    return "\n".join(lines)


def build(out: Path, *, merged: bool = False) -> Path:
    import docx  # python-docx is heavy: loaded only when the script runs

    document = docx.Document()
    document.add_heading("Thematic list of recommendations", level=1)
    document.add_paragraph("Universal Periodic Review - 4th cycle - Finland (41st session)")
    document.add_paragraph("Report of the Working Group: A/HRC/52/9")
    document.add_paragraph(
        "Demo file written for the UPR Coalition Portal: invented texts in the shape of OHCHR's lists."
    )
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, title in zip(
        table.rows[0].cells,
        ("Recommendation", "Position", "Full list of themes", "Assessment/comments on level of implementation"),
        strict=True,
    ):
        cell.text = title

    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in _rows():
        groups[_split(row["Themes"])[0]].append(row)
    for theme, rows in groups.items():
        heading = table.add_row().cells
        heading[0].merge(heading[-1]).text = f"Theme: {theme}"
        index = 0
        while index < len(rows):
            row = rows[index]
            together = [row]
            nxt = rows[index + 1] if index + 1 < len(rows) else None
            if merged and nxt is not None and nxt["UPR Position"] == row["UPR Position"]:
                together.append(nxt)
            cells = table.add_row().cells
            cells[0].text = "\n".join(_recommendation(item) for item in together)
            cells[1].text = f"{row['UPR Position']}\n{POSITION_SOURCE}"
            cells[2].text = _themes_cell(row)
            cells[3].text = ""
            index += len(together)
    document.save(out)
    return out


if __name__ == "__main__":
    args = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    target = Path(args[0]) if args else Path("thematic-list-finland-4th-cycle.docx")
    print(build(target, merged="--merged" in sys.argv))
