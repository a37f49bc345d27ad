"""The HTML that WeasyPrint lays out into the submission's PDF (``--format html`` writes it as is).

Everything WeasyPrint may load is named here: the stylesheet is inlined from static/css/document.css,
its fonts are files beside it under the static folder (the document's base URL), and the coalition's
logo, which lives under MEDIA_ROOT, is read here and embedded as a data: URI. User text brings no
URL of its own: it was cleaned again when the content was built, and the PDF's URL fetcher refuses
anything outside the static folder anyway.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format as format_date
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from submissions.documents.content import Block, DocumentContent, DocumentSection, Footnote

TEMPLATE = "submissions/document/submission.html"
STYLESHEET = "css/document.css"
LOGO_TYPES = frozenset({"image/png", "image/jpeg", "image/webp"})

_FOOTNOTE_REF = re.compile(r'<span data-footnote-ref="([0-9]+)"></span>')
_PARAGRAPH_START = "<p>"


@dataclass(frozen=True)
class _Section:
    pk: int
    title: str
    blocks: list[SafeString]


def stylesheet_path() -> Path:
    """The document's stylesheet; its folder is the base URL its font URLs are relative to."""
    found = finders.find(STYLESHEET)
    if not found:
        raise FileNotFoundError(STYLESHEET)
    return Path(found).resolve()


def document_stylesheet() -> SafeString:
    """The document stylesheet (its fonts first) for a template to inline in its <style>."""
    return mark_safe(stylesheet_path().read_text(encoding="utf-8"))  # noqa: S308 - our own file


def document_html(content: DocumentContent, *, over_limit: bool = False) -> str:
    """The whole document, in its own language.

    ``over_limit`` (the words are over) marks every page "DRAFT - OVER LIMIT". Otherwise, when the
    limit has a page limit, the mark's margin box shows it on every page only if the counted text
    ends beyond the last allowed page (a ``target-counter`` to ``#counted-end`` in a counter style
    that is blank up to the limit): the pages are known in the same layout, with no second one.
    """
    notes = {note.number: note for note in content.footnotes}
    with translation.override(content.language):
        context = {
            "content": content,
            "stylesheet": document_stylesheet(),
            # Translated page texts become CSS strings: margin boxes cannot hold markup.
            "page_numbers": mark_safe(  # noqa: S308 - css_content escapes the text
                css_content(_("Page %(page)s of %(pages)s"), page="counter(page)", pages="counter(pages)")
            ),
            "over_limit": over_limit,
            "max_pages": content.limit.max_pages,
            "over_limit_mark": mark_safe(css_content(_("DRAFT - OVER LIMIT"))),  # noqa: S308 - escaped
            "subject": _("Stakeholder submission by %(coalition)s to the Universal Periodic Review of %(state)s")
            % {"coalition": content.coalition_name, "state": content.state_name},
            "date": format_date(content.date, "DATE_FORMAT"),
            "logo": logo_data_uri(content.coalition_logo_path),
            "summary_paragraphs": _paragraphs(content.executive_summary),
            "sections": [_section(section, notes) for section in content.sections],
            "annex": [
                {
                    "name": o.name,
                    "acronym": o.acronym,
                    "city": o.city,
                    "country": o.country,
                    "paragraphs": _paragraphs(o.description),
                }
                for o in content.organisations
                if o.description
            ],
        }
        return render_to_string(TEMPLATE, context)


def css_content(text: str, **values: str) -> str:
    """A CSS ``content`` value: ``text`` as CSS strings, its %(name)s placeholders as the CSS given."""
    parts = re.split(r"%\(([a-z_]+)\)s", text)
    out = []
    for index, part in enumerate(parts):
        if index % 2:
            out.append(values[part])
        elif part:
            out.append('"' + part.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ") + '"')
    return " ".join(out) or '""'


def logo_data_uri(path: str | None) -> str | None:
    """The logo as a data: URI, so that WeasyPrint never fetches a file outside the static folder."""
    if not path:
        return None
    kind, _encoding = mimetypes.guess_type(path)
    if kind not in LOGO_TYPES:
        return None
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def _section(section: DocumentSection, notes: dict[int, Footnote]) -> _Section:
    return _Section(pk=section.pk, title=section.title, blocks=[_block(block, notes) for block in section.blocks])


def _block(block: Block, notes: dict[int, Footnote]) -> SafeString:
    html = _with_footnotes(block.html, notes)
    if block.kind == "paragraph":
        html = html.replace(
            _PARAGRAPH_START,
            f'<p class="para" id="para-{block.number}"><span class="para-number">{block.number}.</span>',
            1,
        )
        # An empty marker at the end: the PDF tells from it whether the paragraph ends within the page limit.
        html = html[: -len("</p>")] + f'<span id="para-{block.number}-end"></span></p>'
    elif block.kind == "heading":
        # The document owns h1 (its title) and h2 (the section titles): the text's own headings go one down.
        level = block.level + 1
        html = re.sub(r"^<h[2-4]>", f"<h{level}>", html)
        html = re.sub(r"</h[2-4]>$", f"</h{level}>", html)
    return mark_safe(html)  # noqa: S308 - cleaned by clean_html when the content was built


def _with_footnotes(html: str, notes: dict[int, Footnote]) -> str:
    """Each footnote call becomes WeasyPrint's ``float: footnote`` element holding its note."""
    out = []
    last_end = None
    position = 0
    for match in _FOOTNOTE_REF.finditer(html):
        out.append(html[position : match.start()])
        if last_end == match.start():
            out.append('<span class="call-separator">,</span>')
        number = int(match.group(1))
        note = notes[number]
        out.append(f'<span class="footnote" id="fn-{number}" data-n="{number}">{note.html}</span>')
        position = last_end = match.end()
    out.append(html[position:])
    return "".join(out)
