"""What a generated document measures against its limit, and what is over, as plain data.

The words are counted first, from the content (``words_report``): the portal's one word-count rule,
under the limit's footnote setting. The PDF's pages are added once it is laid out
(``DocumentReport.with_pages``). A document over a limit is still produced, marked as a draft; the
report says by how much it is over, which sections are furthest over their budgets and which
numbered paragraphs fall beyond the last allowed page.

Plain data with no heavy imports: the generation job stores ``as_json()`` with each document.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from submissions.documents.content import DocumentContent
from upr_portal.wordcount import words_counted


@dataclass(frozen=True, slots=True)
class SectionOverBudget:
    title: str
    budget: int
    words: int  # the section's counted words (notes included when the limit counts them)

    @property
    def over_by(self) -> int:
        return self.words - self.budget


@dataclass(frozen=True, slots=True)
class DocumentReport:
    words_body: int
    words_notes: int
    words_counted: int  # what the limit applies to: body, plus notes when notes_count
    notes_count: bool
    max_words: int | None
    max_pages: int | None
    # The pages of the counted text: the annex (outside the count) starts on a page of its own after
    # them. None until the PDF is laid out (a DOCX alone has no page count of its own).
    pages: int | None = None
    total_pages: int | None = None  # every page of the PDF, the annex included
    sections_over: tuple[SectionOverBudget, ...] = ()  # every section over its budget, furthest over first
    # Numbered paragraphs that do not end within the last allowed page (one that starts on it and runs
    # over is listed too: a reader would cut it).
    paragraphs_beyond: tuple[int, ...] = ()

    @property
    def over_words(self) -> int:
        """By how many words the counted text is over the limit (0 when within it)."""
        return max(self.words_counted - self.max_words, 0) if self.max_words is not None else 0

    @property
    def over_pages(self) -> int:
        if self.max_pages is None or self.pages is None:
            return 0
        return max(self.pages - self.max_pages, 0)

    @property
    def is_over(self) -> bool:
        return self.over_words > 0 or self.over_pages > 0

    def with_pages(self, *, pages: int, total_pages: int, paragraphs_beyond: tuple[int, ...] = ()) -> DocumentReport:
        return dataclasses.replace(
            self, pages=pages, total_pages=total_pages, paragraphs_beyond=tuple(paragraphs_beyond)
        )

    def as_json(self) -> dict:
        """The figures as JSON-ready data, the derived ones (over_words, is_over...) included for readers."""
        data = dataclasses.asdict(self)
        data["sections_over"] = [{**dataclasses.asdict(s), "over_by": s.over_by} for s in self.sections_over]
        data["paragraphs_beyond"] = list(self.paragraphs_beyond)
        data.update(over_words=self.over_words, over_pages=self.over_pages, is_over=self.is_over)
        return data

    @classmethod
    def from_json(cls, data: dict) -> DocumentReport:
        names = {f.name for f in dataclasses.fields(cls)}
        values = {key: value for key, value in data.items() if key in names}
        values["sections_over"] = tuple(
            SectionOverBudget(title=s["title"], budget=s["budget"], words=s["words"])
            for s in data.get("sections_over", ())
        )
        values["paragraphs_beyond"] = tuple(data.get("paragraphs_beyond", ()))
        return cls(**values)


def words_report(content: DocumentContent) -> DocumentReport:
    """The word figures of a document's content, before any page is laid out."""
    notes_count = content.limit.notes_count
    over = [
        SectionOverBudget(title=section.title, budget=section.budget, words=counted)
        for section in content.sections
        if section.budget is not None
        and (counted := words_counted(section.words, notes_count=notes_count)) > section.budget
    ]
    over.sort(key=lambda s: -s.over_by)  # stable: equal overruns stay in the document's order
    return DocumentReport(
        words_body=content.words.body,
        words_notes=content.words.notes,
        words_counted=content.counted_words,
        notes_count=notes_count,
        max_words=content.limit.max_words,
        max_pages=content.limit.max_pages,
        sections_over=tuple(over),
    )


def _n(value: int) -> str:
    return number_format(value, force_grouping=True)


def report_lines(report: DocumentReport) -> list[str]:
    """The report in plain sentences, in the active language: the figures, then what is over."""
    values = {"body": _n(report.words_body), "notes": _n(report.words_notes), "counted": _n(report.words_counted)}
    if report.notes_count:
        words = _("Words: %(body)s in the text, %(notes)s in the notes, %(counted)s counted (notes count).")
    else:
        words = _("Words: %(body)s in the text, %(notes)s in the notes, %(counted)s counted (notes do not count).")
    lines = [words % values]
    if report.max_words is not None:
        lines.append(_("Word limit: %(limit)s.") % {"limit": _n(report.max_words)})
    else:
        lines.append(_("No word limit is set for this kind of submission in this cycle."))
    if report.pages is not None and report.total_pages != report.pages:
        lines.append(
            _("Pages: %(pages)s (%(total)s with the annex).") % {"pages": report.pages, "total": report.total_pages}
        )
    elif report.pages is not None:
        lines.append(_("Pages: %(pages)s.") % {"pages": report.pages})
    if report.max_pages is not None:
        lines.append(_("Page limit: %(limit)s.") % {"limit": report.max_pages})
    return lines + over_lines(report)


def over_lines(report: DocumentReport, *, sections_shown: int | None = None) -> list[str]:
    """What is over, and where, in plain sentences: the one wording of the command, the documents'
    history and the refusal to mark a submission final. Sections over their budgets are listed even
    within the limit, furthest over first (the first ``sections_shown`` of them)."""
    lines = []
    if report.over_words:
        lines.append(
            ngettext(
                "%(over)s word over the limit of %(limit)s (%(counted)s counted).",
                "%(over)s words over the limit of %(limit)s (%(counted)s counted).",
                report.over_words,
            )
            % {"over": _n(report.over_words), "limit": _n(report.max_words), "counted": _n(report.words_counted)}
        )
    if report.over_pages:
        lines.append(
            ngettext(
                "%(over)s page over the limit of %(limit)s (%(pages)s pages).",
                "%(over)s pages over the limit of %(limit)s (%(pages)s pages).",
                report.over_pages,
            )
            % {"over": report.over_pages, "limit": report.max_pages, "pages": report.pages}
        )
    if report.paragraphs_beyond:
        lines.append(
            _("Paragraphs beyond page %(page)s: %(numbers)s.")
            % {"page": report.max_pages, "numbers": ", ".join(str(p) for p in report.paragraphs_beyond)}
        )
    for section in report.sections_over[:sections_shown]:
        lines.append(
            _("“%(title)s”: %(words)s words, %(over)s over its budget of %(budget)s.")
            % {
                "title": section.title,
                "words": _n(section.words),
                "over": _n(section.over_by),
                "budget": _n(section.budget),
            }
        )
    return lines
