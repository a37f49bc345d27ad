"""UHRI's export of recommendations (CSV or XLSX), with a column-mapping step, and the choice of reader.

UHRI's columns: Text, Themes, Document Publication Date, Recommending Body, Sdgs, UPR Session, UPR
Recommending States, UPR Position; perhaps a paragraph and a document symbol. The paragraph number
often opens the text ("140.7 Ratify ..."). When the file's headers do not name the text and the
position, the reader answers "needs mapping" with the file's headers and a proposed mapping, and the
person (or ``--map Text=Recommendation``) says which column is which.
"""

import csv
import difflib
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reviews.recommendation_import.rows import (
    LEADING_PARAGRAPH,
    MAX_FILE_BYTES,
    MAX_ROWS,
    ImportFileError,
    RecommendationRow,
    RowProblem,
    check_rows,
    clean_text,
    one_line,
    parse_position,
    parse_sdgs,
    report_symbol_in,
    split_terms,
    unknown_position,
)
from reviews.recommendation_import.states import StateMatcher, split_recommendation

FORMATS = ("docx", "csv", "xlsx")


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # UHRI's name of the column
    description: object
    required: bool
    synonyms: tuple[str, ...]


COLUMNS = (
    Column(
        "text",
        "Text",
        gettext_lazy("the recommendation's text"),
        True,
        ("text", "recommendation", "recommendations", "recommendation text"),
    ),
    Column(
        "position",
        "UPR Position",
        gettext_lazy("the State's position"),
        True,
        ("upr position", "position", "response", "positions"),
    ),
    Column(
        "states",
        "UPR Recommending States",
        gettext_lazy("the recommending States"),
        False,
        ("upr recommending states", "recommending states", "recommending state", "states"),
    ),
    Column("themes", "Themes", gettext_lazy("themes"), False, ("themes", "theme", "uhri themes")),
    Column(
        "persons",
        "Affected Persons",
        gettext_lazy("affected persons"),
        False,
        ("affected persons", "persons", "groups of persons", "concerned groups", "affected groups"),
    ),
    Column(
        "sdgs",
        "Sdgs",
        gettext_lazy("Sustainable Development Goals"),
        False,
        ("sdgs", "sdg", "sustainable development goals"),
    ),
    Column(
        "paragraph",
        "Paragraph",
        gettext_lazy("the paragraph number"),
        False,
        ("paragraph", "para", "paragraph number", "recommendation number"),
    ),
    Column(
        "symbol",
        "Symbol",
        gettext_lazy("the Working Group report's symbol"),
        False,
        ("symbol", "document symbol", "report", "report symbol"),
    ),
)
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}


@dataclass
class ParsedFile:
    """What a file holds: rows ready to import, or the problems, or the need for a column mapping."""

    file_format: str
    rows: list[RecommendationRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    report_symbol: str = ""
    headers: list[str] = field(default_factory=list)
    # Column key -> the file's header (tabular files only).
    mapping: dict[str, str] = field(default_factory=dict)
    needs_mapping: bool = False


def _header_key(value: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", value.casefold()).split())


def propose_mapping(headers: list[str]) -> dict[str, str]:
    """Each column key -> the file's header that seems to hold it ("" when none does)."""
    by_key = {_header_key(header): header for header in headers if header}
    proposed: dict[str, str] = {}
    taken: set[str] = set()
    for column in COLUMNS:
        found = next((by_key[name] for name in column.synonyms if name in by_key and by_key[name] not in taken), "")
        proposed[column.key] = found
        taken.add(found)
    for column in COLUMNS:
        if proposed[column.key] or not column.required:
            continue
        free = [key for key in by_key if by_key[key] not in taken]
        close = difflib.get_close_matches(column.synonyms[0], free, n=1, cutoff=0.75)
        if close:
            proposed[column.key] = by_key[close[0]]
            taken.add(by_key[close[0]])
    return proposed


def mapping_from_options(options: list[str], headers: list[str] | None = None) -> dict[str, str]:
    """``["Text=Recommendation", "UPR Position=Response"]`` -> {"text": "Recommendation", "position": "Response"};
    the left side is UHRI's column name or the key. Raises ValueError naming what is wrong."""
    mapping: dict[str, str] = {}
    names = {_header_key(column.label): column.key for column in COLUMNS} | {
        column.key: column.key for column in COLUMNS
    }
    for option in options:
        left, equals, right = option.partition("=")
        key = names.get(_header_key(left))
        if not equals or key is None or not right.strip():
            raise ValueError(
                _("“%(option)s” is not a mapping such as Text=Recommendation; the columns are: %(columns)s.")
                % {"option": option, "columns": ", ".join(column.label for column in COLUMNS)}
            )
        mapping[key] = right.strip()
    return mapping


def detect_format(content: bytes, file_name: str) -> str:
    extension = file_name.rsplit(".", 1)[-1].casefold() if "." in file_name else ""
    if extension in FORMATS:
        return extension
    if content[:2] == b"PK":
        try:
            names = set(zipfile.ZipFile(io.BytesIO(content)).namelist())
        except zipfile.BadZipFile:
            names = set()
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return "csv"


def _csv_records(content: bytes) -> list[tuple[int, list[str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's "CSV" without UTF-8 is Windows-1252.
        text = content.decode("cp1252", errors="replace")
    try:
        dialect = csv.Sniffer().sniff(text[:20000], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    records = []
    try:
        for number, record in enumerate(reader, start=1):
            records.append((number, record))
            if len(records) > MAX_ROWS + 1:
                break
    except csv.Error as exc:
        raise ImportFileError(_("The file cannot be read as CSV (%(reason)s).") % {"reason": exc}) from exc
    return records


def _xlsx_records(content: bytes) -> list[tuple[int, list[str]]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportFileError(_("The file is not an Excel workbook (.xlsx) that can be read.")) from exc
    try:
        sheet = workbook.active
        records = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            records.append((number, ["" if value is None else _cell(value) for value in values]))
            if len(records) > MAX_ROWS + 1:
                break
    finally:
        workbook.close()
    return records


def _cell(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        # A paragraph typed into a number cell: Excel kept 140.1 for "140.10", so the number cannot be
        # trusted. Marked here; the paragraph column refuses it (a decimal elsewhere is plain text).
        return DECIMAL_MARK + repr(value)
    return str(value)


# Prefixes the text of a decimal number cell of a workbook (see _cell); never in a text cell after clean_text.
DECIMAL_MARK = "\x00"


def parse_table(
    content: bytes,
    *,
    file_format: str,
    matcher: StateMatcher,
    mapping: dict[str, str] | None = None,
    report_symbol: str = "",
) -> ParsedFile:
    records = _xlsx_records(content) if file_format == "xlsx" else _csv_records(content)
    decimals = {
        (number, column)
        for number, values in records
        for column, value in enumerate(values)
        if value.startswith(DECIMAL_MARK)
    }
    records = [
        (number, [clean_text(value.removeprefix(DECIMAL_MARK)) for value in values]) for number, values in records
    ]
    records = [(number, values) for number, values in records if any(values)]
    if not records:
        raise ImportFileError(_("The file is empty."))
    if len(records) > MAX_ROWS + 1:
        raise ImportFileError(
            _("The file has more than %(limit)s rows; import one review at a time.") % {"limit": MAX_ROWS}
        )
    (_header_line, header), *data = records
    headers = [one_line(value) for value in header]
    parsed = ParsedFile(file_format=file_format, headers=[h for h in headers if h], report_symbol=report_symbol)
    proposed = propose_mapping(headers)
    given = dict(mapping or {})
    unknown = sorted(header for header in given.values() if header and header not in headers)
    if unknown:
        raise ImportFileError(
            _("The file has no column %(columns)s; its columns are: %(headers)s.")
            % {"columns": ", ".join(f"“{name}”" for name in unknown), "headers": ", ".join(parsed.headers)}
        )
    if mapping is None:
        parsed.mapping = proposed
        # Without a mapping, only a file whose headers name the text and the position is read as it is.
        found = {
            key: header
            for key, header in proposed.items()
            if header and _header_key(header) in COLUMNS_BY_KEY[key].synonyms
        }
        if not all(found.get(column.key) for column in COLUMNS if column.required):
            parsed.needs_mapping = True
            return parsed
    else:
        # The command's --map names only the columns that differ; the mapping form names them all.
        parsed.mapping = {**proposed, **given}
        missing = [COLUMNS_BY_KEY[key] for key in ("text", "position") if not parsed.mapping.get(key)]
        if missing:
            parsed.needs_mapping = True
            return parsed
    index = {key: headers.index(header) for key, header in parsed.mapping.items() if header and header in headers}

    for number, values in data:

        def value(key: str, values: list[str] = values) -> str:
            position = index.get(key)
            return values[position] if position is not None and position < len(values) else ""

        if (number, index.get("paragraph")) in decimals:
            parsed.problems.append(
                RowProblem(
                    number,
                    _(
                        "the paragraph %(number)s is stored as a number, which cannot tell 140.1 from 140.10: "
                        "format the paragraph column as text in the workbook and type it again."
                    )
                    % {"number": value("paragraph")},
                )
            )
        position_text = value("position")
        position, source = parse_position(position_text)
        if position is None:
            parsed.problems.append(RowProblem(number, unknown_position(position_text)))
        text = value("text")
        paragraph = one_line(value("paragraph")).removeprefix("para.").strip()
        match = LEADING_PARAGRAPH.match(text)
        if match:
            paragraph = paragraph or match["paragraph"]
            text = text[match.end() :]
        body, names_in_text = split_recommendation(one_line(text), matcher)
        names = matcher.split(value("states")) if value("states") else names_in_text
        symbol = (
            report_symbol or report_symbol_in(value("symbol")) or one_line(value("symbol")) or report_symbol_in(text)
        )
        sdgs, wrong = parse_sdgs(value("sdgs"))
        for piece in wrong:
            parsed.problems.append(
                RowProblem(number, _("“%(value)s” is not a goal number from 1 to 17.") % {"value": piece[:40]})
            )
        parsed.rows.append(
            RecommendationRow(
                line=number,
                report_symbol=symbol,
                paragraph=paragraph,
                text=body,
                state_names=names,
                position=position or "",
                position_source=source,
                themes=split_terms(value("themes")),
                persons=split_terms(value("persons")),
                sdgs=sdgs,
            )
        )
    if not parsed.report_symbol:
        parsed.report_symbol = next((row.report_symbol for row in parsed.rows if row.report_symbol), "")
    return parsed


def read_recommendations(
    content: bytes,
    *,
    file_name: str,
    matcher: StateMatcher,
    file_format: str | None = None,
    mapping: dict[str, str] | None = None,
    report_symbol: str = "",
) -> ParsedFile:
    """Any of the three files, read into rows and checked (every problem, each with its row).

    Raises ImportFileError when the file as a whole is refused (over 10 MB or 5,000 rows, unreadable).
    """
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(_("The file is larger than 10 MB; a review's recommendations take far less."))
    if not content.strip():
        raise ImportFileError(_("The file is empty."))
    file_format = file_format or detect_format(content, file_name)
    if file_format not in FORMATS:
        raise ImportFileError(_("Give a Word document (.docx), a CSV file or an Excel workbook (.xlsx)."))
    report_symbol = one_line(report_symbol)
    if file_format == "docx":
        from reviews.recommendation_import.docx_list import parse_thematic_list

        rows, problems, symbol = parse_thematic_list(content, matcher=matcher, report_symbol=report_symbol)
        parsed = ParsedFile(file_format="docx", rows=rows, problems=problems, report_symbol=symbol)
    else:
        parsed = parse_table(
            content, file_format=file_format, matcher=matcher, mapping=mapping, report_symbol=report_symbol
        )
        if parsed.needs_mapping:
            return parsed
    parsed.problems = sorted([*parsed.problems, *check_rows(parsed.rows)], key=lambda problem: problem.line)
    return parsed
