"""OHCHR's "Thematic list of recommendations" (.docx): the table of a review's recommendations.

What real documents look like, and what this reader accepts: a table (or one per theme) with a
header row ("Recommendation", "Position", "Full list of themes" or "Themes", perhaps
"Assessment/comments on level of implementation"), repeated on each page or missing altogether;
"Theme: ..." rows spanning the table, read as headings; a recommendation cell "140.7 Ratify ...
(Maldives) (Portugal);" that sometimes holds several recommendations, each opening with its paragraph
number; cells merged down several rows (one position for two rows); a position cell "Supported" /
"Noted" / "Supported/Noted" / "Pending" with "Source of Position: A/HRC/44/9/Add.1 - Para.3"; a themes
cell of lines "A41 Constitutional and legislative framework", "Affected persons:" with "- children"
lines, and "SDGs: 5, 16" or "SDG 5 - gender equality" lines. The report's symbol is the first
"A/HRC/<session>/<number>" of the document's text above the table, unless given.
"""

import io
import re
import zipfile

from django.utils.translation import gettext as _

from reviews.recommendation_import.rows import (
    LEADING_PARAGRAPH,
    MAX_ROWS,
    ImportFileError,
    RecommendationRow,
    RowProblem,
    clean_text,
    one_line,
    parse_position,
    parse_sdgs,
    report_symbol_in,
    term_name,
    unknown_position,
)
from reviews.recommendation_import.states import StateMatcher, split_recommendation

# Where one recommendation of a merged cell ends and the next begins: a paragraph number at the start
# of a line, or after ";" or ")" ("... (Chile); 140.8 Adopt ...").
_NEXT_RECOMMENDATION = re.compile(
    r"(?:^|\n|(?<=[;)])[ \t]+)(?=(?:para(?:graph)?\.?\s*)?\d{1,6}\.\d{1,6}\.?\s+\S)", re.I
)
_PERSONS_HEADING = re.compile(r"^(?:affected\s+persons|groups?\s+of\s+persons|persons)\s*:?\s*", re.I)
_SDG_LINE = re.compile(r"^(?:SDGs?|sustainable development goals?)\b", re.I)
_THEMES_HEADING = re.compile(r"^(?:full\s+list\s+of\s+)?themes?\s*:?\s*", re.I)


# The longest a header cell is ("Full list of themes and groups of persons concerned" and the like).
HEADER_CELL_MAX = 100
_PARAGRAPH_START = re.compile(r"\s*\d{1,4}\.\d{1,4}\b")


def _columns(cells: list[str]) -> dict[str, int] | None:
    """The header row's columns (recommendation, position, themes, sdgs), or None if not a header.

    A header's cells are short labels: a row with a paragraph number, or with a cell as long as a
    recommendation, is data even when it says "recommendation" and "Source of Position"."""
    if any(len(cell) > HEADER_CELL_MAX or _PARAGRAPH_START.match(cell) for cell in cells):
        return None
    lowered = [cell.casefold() for cell in cells]
    columns: dict[str, int] = {}
    for index, cell in enumerate(lowered):
        if "recommendation" in cell and "recommendation" not in columns and "assessment" not in cell:
            columns["recommendation"] = index
        elif ("position" in cell or "response" in cell) and "position" not in columns:
            columns["position"] = index
        elif ("theme" in cell or "persons" in cell) and "themes" not in columns:
            columns["themes"] = index
        elif "sdg" in cell or "sustainable development" in cell:
            columns.setdefault("sdgs", index)
    if "recommendation" in columns and "position" in columns:
        return columns
    return None


def _split_cell(text: str) -> list[str]:
    starts = [match.start() for match in _NEXT_RECOMMENDATION.finditer(text)]
    if not starts or starts[0] != 0:
        starts = [0, *starts]
    pieces = [text[start:end].strip() for start, end in zip(starts, [*starts[1:], len(text)], strict=True)]
    return [piece for piece in pieces if piece]


def _themes(text: str) -> tuple[list[str], list[str], list[int], list[str]]:
    """(themes, persons, SDGs, pieces that are no SDG) of a themes cell."""
    themes: list[str] = []
    persons: list[str] = []
    sdgs: set[int] = set()
    wrong: list[str] = []
    mode = "themes"
    for raw in clean_text(text).split("\n"):
        line = raw.strip()
        if _SDG_LINE.match(line):
            goals, bad = parse_sdgs(line)
            sdgs.update(goals)
            wrong.extend(bad)
            mode = "sdgs"
            continue
        heading = _PERSONS_HEADING.match(line)
        if heading:
            mode = "persons"
            line = line[heading.end() :]
        elif _THEMES_HEADING.fullmatch(line) or (mode != "themes" and _THEMES_HEADING.match(line)):
            mode = "themes"
            line = _THEMES_HEADING.sub("", line, count=1)
        if mode == "sdgs":
            goals, bad = parse_sdgs(line)
            sdgs.update(goals)
            wrong.extend(bad)
            continue
        target = persons if mode == "persons" else themes
        for item in filter(None, (term_name(item) for item in re.split(r"(?:^|\s)[-•–]\s+|;", line))):
            if item not in target:
                target.append(item)
    return themes, persons, sorted(sdgs), wrong


def parse_thematic_list(
    content: bytes, *, matcher: StateMatcher, report_symbol: str = ""
) -> tuple[list[RecommendationRow], list[RowProblem], str]:
    """(rows, problems, report symbol) of a thematic list; ``report_symbol`` wins over the document's."""
    import docx

    try:
        document = docx.Document(io.BytesIO(content))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ImportFileError(_("The file is not a Word document (.docx) that can be read.")) from exc
    if not document.tables:
        raise ImportFileError(_("The Word document has no table: is it OHCHR's thematic list of recommendations?"))
    symbol = report_symbol or report_symbol_in("\n".join(p.text for p in document.paragraphs[:40]))
    rows: list[RecommendationRow] = []
    problems: list[RowProblem] = []
    line = 0
    # The cells' elements themselves (kept alive): ids of lxml proxies can be reused once freed.
    seen_cells: set = set()
    columns: dict[str, int] | None = None
    for table in document.tables:
        for table_row in table.rows:
            line += 1
            if len(rows) > MAX_ROWS:
                raise ImportFileError(
                    _("The file has more than %(limit)s recommendations; import one review at a time.")
                    % {"limit": MAX_ROWS}
                )
            cells = list(table_row.cells)
            texts = [clean_text(cell.text) for cell in cells]
            if not any(texts):
                continue
            header = _columns(texts)
            if header is not None:
                columns = header
                continue
            spanning = len(cells) > 1 and len({id(cell._tc) for cell in cells}) == 1
            if spanning or re.match(r"^\s*theme\s*:", texts[0], re.I):
                continue  # "Theme: ..." heading spanning the table
            if columns is None:
                if not LEADING_PARAGRAPH.match(texts[0]):
                    continue  # a title or note above a table without a header row
                columns = {"recommendation": 0, "position": 1, "themes": 2}
            rec_index = columns["recommendation"]
            if rec_index >= len(cells):
                problems.append(RowProblem(line, _("the row has no recommendation cell.")))
                continue
            rec_cell = cells[rec_index]
            # A recommendation cell merged down several rows is read once, with the first row's answer.
            if rec_cell._tc in seen_cells:
                continue
            seen_cells.add(rec_cell._tc)

            def cell_text(name: str, columns: dict[str, int] = columns, texts: list[str] = texts) -> str:
                index = columns.get(name)
                return texts[index] if index is not None and index < len(texts) else ""

            position_text = cell_text("position")
            position, source = parse_position(position_text)
            themes, persons, sdgs, wrong_sdgs = _themes(cell_text("themes"))
            if "sdgs" in columns:
                goals, bad = parse_sdgs(cell_text("sdgs"))
                sdgs = sorted(set(sdgs) | set(goals))
                wrong_sdgs += bad
            for piece in _split_cell(texts[rec_index]):
                row = RecommendationRow(
                    line=line,
                    report_symbol=symbol,
                    position=position or "",
                    position_source=source,
                    themes=list(themes),
                    persons=list(persons),
                    sdgs=list(sdgs),
                )
                match = LEADING_PARAGRAPH.match(piece)
                if match:
                    row.paragraph = match["paragraph"]
                    piece = piece[match.end() :]
                text, names = split_recommendation(one_line(piece), matcher)
                row.text, row.state_names = text, names
                rows.append(row)
            if position is None:
                problems.append(RowProblem(line, unknown_position(position_text)))
            for piece in wrong_sdgs:
                problems.append(
                    RowProblem(line, _("“%(value)s” is not a goal number from 1 to 17.") % {"value": piece[:40]})
                )
    if not rows and not problems:
        raise ImportFileError(_("No recommendation was found in the document's tables."))
    return rows, problems, symbol
