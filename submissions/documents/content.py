"""What a generated submission document holds, in the order OHCHR asks for, as plain data.

The PDF (WeasyPrint) and the DOCX are both made from one ``DocumentContent``: the same organisations,
the same numbered paragraphs, the same footnotes, the same figures. Building it reads the database
in a constant number of queries and cleans every stored text again (``submissions.sanitize.clean_html``);
it imports nothing heavy.

What is counted is what the submission page counts (``submissions.selectors.submission_totals``): the
sections' body words, their note words when the limit says notes count, and the executive summary.
A section's recommendations are printed after its text, one more numbered paragraph each (the
paragraph numbers run on: OHCHR cites a recommendation as "JS2, para. 43"), and counted as body words.
The organisations list, the title, the contact and the annex are outside the count.
"""

from __future__ import annotations

import copy
import datetime
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, replace
from pathlib import Path

import tinyhtml5
from django.utils import translation
from django.utils.translation import gettext as _

from submissions.models import Recommendation, Submission
from submissions.sanitize import clean_html
from submissions.services.submissions import submission_limit
from submissions.signoff_selectors import document_signatories
from upr_portal.timezones import geneva_today
from upr_portal.wordcount import FOOTNOTE_ATTRIBUTE, WordCount, count_html, count_words


@dataclass(frozen=True, slots=True)
class Footnote:
    number: int  # continuous through the whole document
    html: str  # cleaned inline HTML of the note's text


@dataclass(frozen=True, slots=True)
class Block:
    """One top-level block of a section's text.

    ``kind`` is "paragraph" (numbered: OHCHR cites "JS2, para. 43"), "heading" (h2-h4, level in
    ``level``), "list" (ul/ol, kept whole inside the paragraph flow, unnumbered), "table" or "quote".
    ``html`` is the cleaned block HTML in which each footnote is replaced by an empty
    ``<span data-footnote-ref="N"></span>``; each renderer turns that into its own footnote call for
    note N (WeasyPrint: a ``float: footnote`` element holding the note; DOCX: a real Word footnote).
    """

    kind: str
    html: str
    number: int | None = None  # the paragraph number, for kind == "paragraph"
    level: int | None = None  # for headings
    footnotes: tuple[Footnote, ...] = ()
    words: WordCount = field(default_factory=lambda: WordCount(body=0, notes=0))
    recommendation: bool = False  # one of the section's recommendations (a plain-text paragraph)


@dataclass(frozen=True, slots=True)
class DocumentSection:
    pk: int
    title: str
    version: int  # the section version the document was made from
    budget: int | None
    words: WordCount
    blocks: tuple[Block, ...]

    @property
    def first_paragraph(self) -> int | None:
        return next((b.number for b in self.blocks if b.number is not None), None)

    @property
    def last_paragraph(self) -> int | None:
        return next((b.number for b in reversed(self.blocks) if b.number is not None), None)


@dataclass(frozen=True, slots=True)
class SignatoryOrganisation:
    name: str
    acronym: str
    city: str
    country: str  # the State's name in the document's language
    description: str  # plain text, for the annex (outside the count)


@dataclass(frozen=True, slots=True)
class DocumentLimitFigures:
    max_words: int | None
    max_pages: int | None
    notes_count: bool


@dataclass(frozen=True, slots=True)
class DocumentContent:
    submission_pk: int
    language: str  # "en", "fr" or "es": every fixed text of the document is in it
    title: str  # "Joint submission to the Universal Periodic Review of <State>, <N>th session (<ordinal> cycle)"
    coalition_name: str
    coalition_logo_path: str | None  # an absolute path under MEDIA_ROOT, checked to exist, or None
    state_name: str
    session_number: int
    cycle_number: int
    date: datetime.date
    organisations: tuple[SignatoryOrganisation, ...]  # the signatories, in their order
    contact_name: str
    contact_email: str
    executive_summary: str  # plain text
    keywords: tuple[str, ...]
    sections: tuple[DocumentSection, ...]
    limit: DocumentLimitFigures
    # Body and note words of the whole counted text: the sections and the executive summary (whose words
    # are all body words); the organisations list, title, contact and annex are outside the count.
    words: WordCount = field(default_factory=lambda: WordCount(body=0, notes=0))
    kind: str = "joint"  # Submission.Kind: "joint" or "individual"
    coalition_acronym: str = ""
    summary_words: int = 0  # the executive summary's words, included in words.body

    @property
    def counted_words(self) -> int:
        return self.words.body + (self.words.notes if self.limit.notes_count else 0)

    @property
    def footnotes(self) -> list[Footnote]:
        return [note for section in self.sections for block in section.blocks for note in block.footnotes]

    @property
    def paragraph_numbers(self) -> list[int]:
        return [b.number for s in self.sections for b in s.blocks if b.number is not None]


def document_content(submission, *, today: datetime.date | None = None) -> DocumentContent:
    """The document of a submission as it stands now (the sections' current versions).

    A constant number of queries whatever the size: the submission with its coalition and review, its
    sections, their recommendations, its signatory organisations (``document_signatories``: once sign-off
    is open, those that endorsed) and its limit.
    """
    submission = Submission.objects.select_related("coalition", "review__state", "review__session__cycle").get(
        pk=submission.pk
    )
    review = submission.review
    limit = submission_limit(submission)
    figures = DocumentLimitFigures(
        max_words=limit.max_words if limit else None,
        max_pages=limit.max_pages if limit else None,
        notes_count=limit.notes_count if limit else True,
    )
    sections = _sections(submission.sections.order_by("position", "pk"), recommendations=_recommendations(submission))
    summary_words = count_words(submission.executive_summary)
    words = WordCount(
        body=sum(s.words.body for s in sections) + summary_words,
        notes=sum(s.words.notes for s in sections),
    )
    # Every fixed text and name in the submission's language, whoever asked for the document.
    with translation.override(submission.language):
        state_name = review.state.local_name
        organisations = tuple(
            SignatoryOrganisation(
                name=o.name,
                acronym=o.acronym,
                city=o.city,
                country=o.country.local_name,
                description=o.description.strip(),
            )
            for o in document_signatories(submission)
        )
        title = document_title(
            joint=submission.kind == Submission.Kind.JOINT,
            state=state_name,
            session=review.session.number,
            cycle=review.session.cycle.number,
            kind=submission.kind,
        )
    return DocumentContent(
        submission_pk=submission.pk,
        language=submission.language,
        title=title,
        coalition_name=submission.coalition.name,
        coalition_logo_path=logo_path(submission.coalition),
        state_name=state_name,
        session_number=review.session.number,
        cycle_number=review.session.cycle.number,
        date=today or geneva_today(),
        organisations=organisations,
        contact_name=submission.contact_name,
        contact_email=submission.contact_email,
        executive_summary=submission.executive_summary.strip(),
        keywords=tuple(submission.keyword_list),
        sections=sections,
        limit=figures,
        words=words,
        kind=submission.kind,
        coalition_acronym=submission.coalition.acronym,
        summary_words=summary_words,
    )


# The grammatical gender of the nouns the ordinals qualify: "52e session" is feminine in French, but
# Spanish counts "períodos de sesiones", masculine ("52.º período de sesiones").
FEMININE_NOUNS = {"fr": {"session"}, "es": set()}


def ordinal(number: int, *, noun: str = "") -> str:
    """The number as an ordinal in the active language, agreeing with ``noun`` ("session", "cycle"):
    1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st...

    French writes 1er (1re for a feminine noun) and 2e; Spanish 1.º (1.ª). The one place for this rule.
    """
    language = (translation.get_language() or "en").split("-")[0]
    feminine = noun in FEMININE_NOUNS.get(language, set())
    if language == "fr":
        if number == 1:
            return "1re" if feminine else "1er"
        return f"{number}e"
    if language == "es":
        return f"{number}.ª" if feminine else f"{number}.º"
    suffix = "th" if number % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def document_title(*, joint: bool, state: str, session: int, cycle: int, kind: str = "") -> str:
    """The title line, in the active language (call it under ``translation.override``). A mid-term
    report (``kind`` "mid_term") is titled after the review whose recommendations it follows up."""
    values = {
        "state": state,
        "session": ordinal(session, noun="session"),
        "cycle": ordinal(cycle, noun="cycle"),
    }
    if kind == Submission.Kind.MID_TERM:
        return (
            _("Mid-term report on the implementation of the recommendations of %(state)s's review, %(session)s session")
            % values
        )
    if joint:
        return (
            _("Joint submission to the Universal Periodic Review of %(state)s, %(session)s session (%(cycle)s cycle)")
            % values
        )
    return _("Submission to the Universal Periodic Review of %(state)s, %(session)s session (%(cycle)s cycle)") % values


def logo_path(coalition) -> str | None:
    # A path read by the renderer itself (a data: URI), never a URL for WeasyPrint's fetcher.
    if not coalition.logo:
        return None
    try:
        path = Path(coalition.logo.path).resolve()
    except (NotImplementedError, ValueError):
        return None
    return str(path) if path.is_file() else None


def _recommendations(submission) -> dict[int, list[str]]:
    """Each section's recommendation texts in their order (section id -> texts), in one query."""
    texts: dict[int, list[str]] = {}
    rows = Recommendation.objects.filter(submission=submission).order_by("position", "pk")
    for section_id, text in rows.values_list("section_id", "text"):
        texts.setdefault(section_id, []).append(text)
    return texts


def _sections(queryset, *, recommendations: dict[int, list[str]]) -> tuple[DocumentSection, ...]:
    """The sections' blocks, each section's recommendations last: one more numbered paragraph each,
    continuing the document's paragraph numbers (OHCHR's summaries cite a recommendation as
    "JS2, para. 43" like any paragraph), and counted like the section's text."""
    numbers = _Counter()
    notes = _Counter()
    sections = []
    for section in queryset:
        body = clean_html(section.body)
        blocks = _blocks(body, numbers=numbers, notes=notes)
        words = count_html(body)
        for text in recommendations.get(section.pk, ()):
            block = _block("p", f"<p>{_escape(text)}</p>", numbers=numbers, notes=notes)
            blocks.append(replace(block, recommendation=True))
            words = WordCount(body=words.body + block.words.body, notes=words.notes)
        sections.append(
            DocumentSection(
                pk=section.pk,
                title=section.title,
                version=section.version,
                budget=section.word_budget,
                words=words,
                blocks=tuple(blocks),
            )
        )
    return tuple(sections)


class _Counter:
    """Numbers that run on through the whole document: paragraphs, footnotes."""

    def __init__(self) -> None:
        self.last = 0

    def next(self) -> int:
        self.last += 1
        return self.last


_KINDS = {
    "p": "paragraph",
    "h2": "heading",
    "h3": "heading",
    "h4": "heading",
    "ul": "list",
    "ol": "list",
    "table": "table",
    "blockquote": "quote",
}


def _blocks(html: str, *, numbers: _Counter, notes: _Counter) -> list[Block]:
    """Splits cleaned section text into its top-level blocks, numbering paragraphs and footnotes."""
    body = tinyhtml5.parse(html, namespace_html_elements=False).find("body")
    blocks = []
    loose: list[str] = []  # text and inline elements outside any block (a paragraph of their own)

    def flush_loose() -> None:
        text = "".join(loose).strip()
        loose.clear()
        if text:
            blocks.append(_block("p", text, numbers=numbers, notes=notes))

    if body.text:
        loose.append(_escape(body.text))
    for element in body:
        tail, element = element.tail, _without_tail(element)
        kind = _KINDS.get(element.tag)
        if kind is None:  # inline (strong, a, a footnote span, br...) outside any block
            loose.append(_serialise(element))
        else:
            flush_loose()
            blocks.append(_block(element.tag, _serialise(element), numbers=numbers, notes=notes, element=element))
        if tail:
            loose.append(_escape(tail))
    flush_loose()
    return blocks


def _block(tag: str, html: str, *, numbers: _Counter, notes: _Counter, element: ET.Element | None = None) -> Block:
    """One block: its words counted from its stored markup, then its footnotes swapped for calls.

    ``element`` is the block as parsed with its section (``html`` serialises it), changed here: it is
    not parsed again from ``html``.
    """
    if tag == "p" and not html.startswith("<p>"):
        html = f"<p>{html}</p>"
        element = None
    words = count_html(html)
    if element is None:
        element = tinyhtml5.parse(html, namespace_html_elements=False).find("body")[0]
    footnotes = []
    for parent in element.iter():
        for index, child in enumerate(list(parent)):
            if child.tag == "span" and FOOTNOTE_ATTRIBUTE in child.attrib:
                note = Footnote(number=notes.next(), html=_inner_html(child).strip())
                footnotes.append(note)
                call = ET.Element("span", {"data-footnote-ref": str(note.number)})
                call.tail = child.tail
                parent.remove(child)
                parent.insert(index, call)
    kind = _KINDS[tag]
    return Block(
        kind=kind,
        html=_serialise(element),
        number=numbers.next() if kind == "paragraph" else None,
        level=int(tag[1]) if kind == "heading" else None,
        footnotes=tuple(footnotes),
        words=words,
    )


def _without_tail(element: ET.Element) -> ET.Element:
    if element.tail is None:
        return element
    element = copy.copy(element)
    element.tail = None
    return element


def _serialise(element: ET.Element) -> str:
    return ET.tostring(element, encoding="unicode", method="html")


def _inner_html(element: ET.Element) -> str:
    return _escape(element.text or "") + "".join(_serialise(child) for child in element)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
