"""The one shape every parser produces, and the checks that make a row fit to store.

Parsers are liberal in what they read (extra spaces, "Supported/Noted", "SDG 5 - gender equality",
"A41 Constitutional and legislative framework") and strict in what they hand on: a row either fits
the model's fields or is refused with its line and the reason.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from reviews.models import RecommendationPosition

# Refused before reading: a State's thematic list is about 250 rows and well under 1 MB.
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5000

PARAGRAPH = re.compile(r"^\d{1,4}\.\d{1,4}$")
# A paragraph id opening a recommendation: "140.7 Ratify", "140.7. Ratify", "para. 140.7 Ratify".
LEADING_PARAGRAPH = re.compile(r"^\s*(?:para(?:graph)?\.?\s*)?(?P<paragraph>\d{1,6}\.\d{1,6})\.?(?:\s+|$)", re.I)
REPORT_SYMBOL = re.compile(r"\bA/HRC/\d{1,3}/\d{1,4}(?:/Add\.\d+)?\b", re.I)
# The report a position's source names ("A/HRC/44/9/Add.1 - Para.3") is the addendum, not the report.
_ADDENDUM = re.compile(r"/Add\.\d+$", re.I)
_THEME_CODE = re.compile(r"^[A-Z]\d{1,3}\s+(?=\S)")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

_POSITIONS = {
    "supported": RecommendationPosition.SUPPORTED,
    "accepted": RecommendationPosition.SUPPORTED,
    "noted": RecommendationPosition.NOTED,
    "not supported": RecommendationPosition.NOTED,
    "supported noted": RecommendationPosition.PARTIALLY_SUPPORTED,
    "partially supported": RecommendationPosition.PARTIALLY_SUPPORTED,
    "supported in part": RecommendationPosition.PARTIALLY_SUPPORTED,
    "pending": RecommendationPosition.PENDING,
    "under consideration": RecommendationPosition.PENDING,
    "": RecommendationPosition.PENDING,
}

MAX_TEXT = 5000
MAX_STATES_TEXT = 1000
MAX_POSITION_SOURCE = 300
MAX_TERM = 200
MAX_SYMBOL = 50


@dataclass
class RecommendationRow:
    """One recommendation as a file gives it; ``line`` is the file's row (or table row) number."""

    line: int
    report_symbol: str = ""
    paragraph: str = ""
    text: str = ""
    state_names: list[str] = field(default_factory=list)
    position: str = RecommendationPosition.PENDING
    position_source: str = ""
    themes: list[str] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)
    sdgs: list[int] = field(default_factory=list)

    @property
    def position_label(self) -> str:
        return RecommendationPosition(self.position).label if self.position in RecommendationPosition.values else ""

    @property
    def paragraph_sort_key(self) -> tuple[int, int]:
        major, _dot, minor = self.paragraph.partition(".")
        return int(major or 0), int(minor or 0)


@dataclass(frozen=True)
class RowProblem:
    """Why one row of a file cannot be imported (line 0: the file as a whole)."""

    line: int
    message: str

    def __str__(self):
        if not self.line:
            return self.message
        return _("row %(line)s: %(message)s") % {"line": self.line, "message": self.message}


class ImportFileError(Exception):
    """The file as a whole cannot be read (too large, too many rows, not the expected format)."""


def clean_text(value) -> str:
    """A cell's text with control characters removed and runs of spaces collapsed (line breaks kept)."""
    if value is None:
        return ""
    text = _CONTROL.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " "))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def one_line(value) -> str:
    return " ".join(clean_text(value).split())


def term_name(value: str) -> str:
    """A UHRI term as stored: trimmed, one space between words, without OHCHR's code ("A41 ")."""
    name = one_line(value).strip(" -•*;,.")
    return _THEME_CODE.sub("", name).strip()


def parse_position(value) -> tuple[str | None, str]:
    """(position, its source) from a cell such as "Supported\\nSource of Position: A/HRC/44/9/Add.1 -
    Para.3"; position None when the words are not a known answer."""
    text = clean_text(value)
    source = ""
    match = re.search(r"source\s+of\s+(?:the\s+)?position\s*:?\s*(?P<source>.*)", text, re.I | re.S)
    if match:
        source = one_line(match["source"])
        text = text[: match.start()]
    words = " ".join(re.sub(r"[^a-z]+", " ", text.casefold()).split())
    for suffix in (" by the state under review", " by the state"):
        words = words.removesuffix(suffix)
    return _POSITIONS.get(words), source


def parse_sdgs(value) -> tuple[list[int], list[str]]:
    """The goals (sorted, each once) and the pieces that are no goal number 1-17, from "SDGs: 5, 16",
    "SDG 5 - gender equality" lines, "Goal 16" or "5 - Gender equality; 16 - Peace"."""
    goals: set[int] = set()
    wrong: list[str] = []
    text = re.sub(r"\bSDGs?\b|\bgoals?\b|sustainable development", " ", clean_text(value), flags=re.I)
    for piece in re.split(r"[;,\n|]+", text):
        piece = piece.strip(" :-–.")
        if not piece:
            continue
        match = re.match(r"^(\d{1,3})\b", piece)
        if not match:
            wrong.append(piece)
            continue
        number = int(match[1])
        if 1 <= number <= 17:
            goals.add(number)
        else:
            wrong.append(piece)
    return sorted(goals), wrong


def split_terms(value) -> list[str]:
    """Terms of one cell of UHRI's export: separated by semicolons, line breaks, "|" or " - " bullets."""
    names = []
    for piece in re.split(r"[;\n|]+|\s+-\s+|^\s*-\s*|•", clean_text(value)):
        name = term_name(piece)
        if name and name not in names:
            names.append(name)
    return names


def report_symbol_in(text: str) -> str:
    """The first Working Group report symbol in a text ("A/HRC/44/9"), without any addendum."""
    for match in REPORT_SYMBOL.finditer(text or ""):
        if not _ADDENDUM.search(match[0]):
            return match[0].upper()
    for match in REPORT_SYMBOL.finditer(text or ""):
        return _ADDENDUM.sub("", match[0]).upper()
    return ""


def check_rows(rows: list[RecommendationRow]) -> list[RowProblem]:
    """Every reason a row cannot be stored, and every paragraph the file gives twice."""
    problems: list[RowProblem] = []
    first_line: dict[str, int] = {}
    for row in rows:

        def refuse(message: str, line: int = row.line) -> None:
            problems.append(RowProblem(line, message))

        if not row.paragraph:
            refuse(_("no paragraph number (such as 140.7) at the start of the recommendation."))
        elif not PARAGRAPH.match(row.paragraph):
            refuse(
                _("“%(paragraph)s” is not a paragraph number such as 140.7 (at most 4 digits each side).")
                % {"paragraph": row.paragraph}
            )
        elif row.paragraph in first_line:
            refuse(
                _("paragraph %(paragraph)s is also on row %(other)s.")
                % {"paragraph": row.paragraph, "other": first_line[row.paragraph]}
            )
        else:
            first_line[row.paragraph] = row.line
        if not row.text:
            refuse(_("the recommendation has no text."))
        elif len(row.text) > MAX_TEXT:
            refuse(
                _("the text is %(length)s characters long; at most %(limit)s are stored.")
                % {"length": len(row.text), "limit": MAX_TEXT}
            )
        if len("; ".join(row.state_names)) > MAX_STATES_TEXT:
            refuse(_("the recommending States take more than %(limit)s characters.") % {"limit": MAX_STATES_TEXT})
        if len(row.position_source) > MAX_POSITION_SOURCE:
            refuse(
                _("the source of the position is longer than %(limit)s characters.") % {"limit": MAX_POSITION_SOURCE}
            )
        if len(row.report_symbol) > MAX_SYMBOL:
            refuse(_("the report symbol is longer than %(limit)s characters.") % {"limit": MAX_SYMBOL})
        for name in [*row.themes, *row.persons]:
            if len(name) > MAX_TERM:
                refuse(
                    _("the term “%(term)s…” is longer than %(limit)s characters.")
                    % {"term": name[:40], "limit": MAX_TERM}
                )
    return problems


def unknown_position(value) -> str:
    return _("“%(position)s” is not a position: Supported, Noted, Supported/Noted or Pending.") % {
        "position": one_line(value)[:80]
    }
