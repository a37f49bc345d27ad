"""The DOCX of a submission document, for the OHCHR upload, written with python-docx.

Made from the same ``DocumentContent`` as the PDF, in the same order: the header block (logo and
coalition), the title line and date, the signatory organisations with city and country, contact,
executive summary and keywords, the sections, then the annex with the organisations' descriptions.

Why python-docx and not pandoc (both were tried, see the closing note of issue 8): OHCHR cites
paragraphs by number, so every numbered paragraph carries Word's automatic numbering from one single
numbering instance, continued across the sections and the headings between them, and Word renumbers
the rest when a paragraph is added. Pandoc makes a list, and so a numbering instance with its own
start value, of every numbered paragraph it is given (61 instances for the demo's 50 paragraphs and
its lists), and its over-limit header and translated "Page X of Y" footer would have needed a
reference document built with python-docx anyway. python-docx has no footnote API, so this module
writes the footnotes part (word/footnotes.xml) itself; everything runs in-process, with no
subprocess, temporary folder or resource path.

Automatic numbers and footnote reference marks are not text runs (w:t), so the file's text holds
exactly the words the portal counted. The HTML it reads is ``clean_html``'s output (a closed set of
elements) in which each footnote is an empty ``<span data-footnote-ref="N">``.

Nothing external goes into the file: the logo is embedded from a regular file under MEDIA_ROOT, and
the only external relationships are hyperlinks to http(s) and mailto addresses, checked again here.

python-docx and lxml are imported inside the functions only (ruff's banned-module-level-imports), so
the web process never loads them.
"""

from __future__ import annotations

import datetime
import io
import re
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format as format_date
from django.utils.translation import gettext as _

from submissions.documents.content import Block, DocumentContent, Footnote, SignatoryOrganisation

# HTML's inter-element whitespace (and the vertical tab, a separator to the portal's count), collapsed to
# one space as a browser shows it; U+00A0 and the other Unicode spaces are text and stay.
_HTML_WHITESPACE = re.compile(r"[ \t\n\r\f\v]+")
# Characters XML 1.0 cannot hold: lxml refuses them, and none is a word or a separator to the count.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SAFE_HREF = re.compile(r"(?:https?://|mailto:)[^\s\x00-\x1f]+\Z", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n[ \t]*\n")

FONT = "Times New Roman"  # OHCHR's documents; the PDF uses Liberation Serif, with the same metrics
_WORD_LANGUAGES = {"en": "en-GB", "fr": "fr-FR", "es": "es-ES"}
_HEADING_TAGS = {"h1": 2, "h2": 2, "h3": 3, "h4": 4, "h5": 4, "h6": 4}  # h1 never reaches here: see clean_html
_BLOCK_TAGS = frozenset(
    {"p", "ul", "ol", "li", "blockquote", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "div"}
    | set(_HEADING_TAGS)
)
_FORMATS = {"strong": "b", "b": "b", "em": "i", "i": "i", "sup": "sup", "sub": "sub"}
_MAX_LIST_LEVEL = 8  # Word's numbering has levels 0-8
_MAX_CELL_SPAN = 100

# Bookmarks where the parts of the document begin. The counted text (as document_content counts it) is
# what follows the executive summary's heading up to the keywords, and what follows each section's
# heading up to the next section or the annex; the headings themselves are not counted.
SUMMARY_BOOKMARK = "executive_summary"
KEYWORDS_BOOKMARK = "keywords"
SECTION_BOOKMARK = "section_{pk}"
ANNEX_BOOKMARK = "annex"
# Footnote ids -1 and 0 are the separator lines Word draws above the notes.
_SEPARATOR_ID, _CONTINUATION_ID = -1, 0

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def render_docx(content: DocumentContent, *, over_limit: bool = False) -> bytes:
    """The submission document as DOCX bytes; ``over_limit`` puts "DRAFT - OVER LIMIT" in every page's header."""
    with translation.override(content.language):
        return _DocxWriter(content, over_limit=over_limit).write()


def _xml(markup: str) -> Any:
    """One element from WordprocessingML markup written with the w: and r: prefixes."""
    from docx.oxml import parse_xml

    wrapper = parse_xml(f'<root xmlns:w="{_W}" xmlns:r="{_R}">{markup}</root>')
    element = wrapper[0]
    wrapper.remove(element)
    return element


def _el(tag: str, **attributes: object) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    return OxmlElement(tag, {qn(f"w:{name}"): str(value) for name, value in attributes.items()})


def _text_element(tag: str, text: str) -> Any:
    element = _el(tag)
    element.text = text
    element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return element


def _run(*children: Any, formats: frozenset[str] = frozenset(), style: str | None = None) -> Any:
    """A w:r; its w:rPr children in the schema's order (rStyle, b, i, vertAlign)."""
    run = _el("w:r")
    if style or formats:
        properties = _el("w:rPr")
        if style:
            properties.append(_el("w:rStyle", val=style))
        if "b" in formats:
            properties.append(_el("w:b"))
        if "i" in formats:
            properties.append(_el("w:i"))
        if "sup" in formats or "sub" in formats:
            properties.append(_el("w:vertAlign", val="superscript" if "sup" in formats else "subscript"))
        run.append(properties)
    run.extend(children)
    return run


def _safe_href(href: str | None) -> str | None:
    """http(s) and mailto only, as clean_html keeps them; a #fragment or anything else becomes plain text."""
    href = (href or "").strip()
    return href if _SAFE_HREF.match(href) else None


def _blank(text: str) -> bool:
    return not _HTML_WHITESPACE.sub("", text)


def _plain(text: str) -> str:
    """A plain-text field (a name, the summary) on one line, safe for XML."""
    return _NOT_XML.sub("", _HTML_WHITESPACE.sub(" ", text)).strip(" ")


def _plain_paragraphs(text: str) -> list[str]:
    return [p for p in (_plain(chunk) for chunk in _BLANK_LINES.split(text)) if p]


def _parse_fragment(html: str) -> Any:
    import lxml.html

    return lxml.html.fragment_fromstring(html, create_parent="div")


class _Paragraph:
    """Inline content of one w:p, whitespace collapsed across runs as a browser collapses it."""

    def __init__(self, element: Any, part: Any, footnote_ids: dict[int, int]) -> None:
        self.element = element
        self.part = part  # whose relationships hold this paragraph's hyperlinks
        self.footnote_ids = footnote_ids
        self._after_space = True  # at the start, and after a space or a line break
        self._space_owed = False  # a space moved from before a footnote call to after it

    def text(self, text: str, formats: frozenset[str], target: Any) -> None:
        text = _NOT_XML.sub("", _HTML_WHITESPACE.sub(" ", text))
        if self._after_space:
            text = text.lstrip(" ")
        if not text:
            return
        if self._space_owed and not text.startswith(" "):
            text = " " + text
        self._space_owed = False
        self._after_space = text.endswith(" ")
        (target if target is not None else self.element).append(_run(_text_element("w:t", text), formats=formats))

    def line_break(self, target: Any) -> None:
        (target if target is not None else self.element).append(_run(_el("w:br")))
        self._after_space = True
        self._space_owed = False

    def footnote_reference(self, number: int, target: Any) -> None:
        from docx.oxml.ns import qn

        note_id = self.footnote_ids.get(number)
        if note_id is None:  # a call without its note would make Word refuse the file
            return
        container = target if target is not None else self.element
        # "word <call>": the call goes against the word and the space after it. Word processors count
        # a call standing alone between spaces as a word (LibreOffice 7.4 does, measured); the portal
        # counts none.
        last = container[-1] if len(container) else None
        last_text = last.find(qn("w:t")) if last is not None and last.tag == qn("w:r") else None
        if self._after_space and last_text is not None and (last_text.text or "").endswith(" "):
            last_text.text = last_text.text[:-1]
            if not last_text.text:
                container.remove(last)
            self._space_owed = True
        container.append(_run(_el("w:footnoteReference", id=note_id), style="FootnoteReference"))
        self._after_space = False

    def hyperlink(self, href: str) -> Any:
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.oxml.ns import qn

        link = _el("w:hyperlink")
        link.set(qn("r:id"), self.part.relate_to(href, RT.HYPERLINK, is_external=True))
        self.element.append(link)
        return link


class _Sink:
    """Where a flow of blocks goes: the body, a table cell or a footnote."""

    def __init__(
        self,
        parent: Any,
        part: Any,
        *,
        first: Any = None,
        add_table: Callable[[int, int], Any] | None = None,
    ) -> None:
        self.parent = parent  # the XML element that takes the w:p
        self.part = part
        self._first = first  # an empty w:p already there (a new cell's, a footnote's first line)
        self._add_table = add_table  # None where no table can go (a footnote)

    def new_paragraph(self) -> Any:
        if self._first is not None:
            paragraph, self._first = self._first, None
            return paragraph
        paragraph = _el("w:p")
        sections = self.parent.findall(f"{{{_W}}}sectPr")
        if sections:  # the body's w:sectPr stays last
            sections[0].addprevious(paragraph)
        else:
            self.parent.append(paragraph)
        return paragraph

    def new_table(self, rows: int, cols: int) -> Any:
        if self._add_table is None:
            return None
        self._first = None
        return self._add_table(rows, cols)


class _DocxWriter:
    def __init__(self, content: DocumentContent, *, over_limit: bool) -> None:
        import docx

        self.content = content
        self.over_limit = over_limit
        self.document = docx.Document()
        self.footnote_ids: dict[int, int] = {}  # a note's number in the content -> its w:id
        self._bookmark_id = 0
        # Set by _numbering_definitions.
        self._numbering: Any = None
        self._paragraphs_abstract = self._ordered_abstract = self._bullet_num = 0
        self._paragraph_num_id: int | None = None
        self._last_paragraph_number: int | None = None

    # The whole document, in OHCHR's order.

    def write(self) -> bytes:
        self._page_setup()
        self._styles()
        self._numbering_definitions()
        self._footnotes()
        self._header_and_footer()
        self._properties()
        self._front_matter()
        for section in self.content.sections:
            self._heading(section.title, 1, bookmark=SECTION_BOOKMARK.format(pk=section.pk))
            for block in section.blocks:
                self._block(block)
        self._annex()
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()

    def _front_matter(self) -> None:
        """The texts and conditions of the PDF's template (templates/submissions/document/submission.html)."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        content = self.content
        logo = self._logo_path()
        if logo is not None:
            self._logo(logo)
        coalition = self.document.add_paragraph()
        coalition.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = coalition.add_run(_plain(content.coalition_name))
        run.bold = True
        run.font.size = Pt(14)
        self._styled_paragraph("Title").add_run(_plain(content.title))
        date = self.document.add_paragraph(format_date(content.date, "DATE_FORMAT"))
        date.alignment = WD_ALIGN_PARAGRAPH.CENTER

        if content.organisations:
            label = _("Submitted jointly by:") if content.kind == "joint" else _("Submitted by:")
            self.document.add_paragraph().add_run(label).bold = True
            for organisation in content.organisations:
                self.document.add_paragraph(
                    ", ".join(filter(None, (_organisation_name(organisation), _place(organisation))))
                )

        if content.contact_name or content.contact_email:
            contact = self.document.add_paragraph()
            contact.add_run(_("Contact person:")).bold = True
            contact.add_run(
                " " + _plain(content.contact_name) + (", " if content.contact_name and content.contact_email else "")
            )
            email = _plain(content.contact_email)
            href = _safe_href(f"mailto:{email}") if email else None
            writer = _Paragraph(contact._p, self.document.part, self.footnote_ids)
            if href is not None:
                link = writer.hyperlink(href)
                writer.text(email, frozenset(), link)
                _style_link_run(link[0])
            elif email:
                writer.text(email, frozenset(), None)

        summary = _plain_paragraphs(content.executive_summary)
        if summary:
            self._heading(_("Executive summary"), 1, bookmark=SUMMARY_BOOKMARK)
            for text in summary:
                self.document.add_paragraph(text)

        if content.keywords:
            keywords = self.document.add_paragraph()
            self._bookmark(keywords, KEYWORDS_BOOKMARK)
            keywords.add_run(_("Keywords:")).bold = True
            keywords.add_run(" " + ", ".join(_plain(keyword) for keyword in content.keywords))

    def _annex(self) -> None:
        """As in the PDF: the organisations that have a description, outside the count."""
        described = [o for o in self.content.organisations if o.description.strip()]
        if not described:
            return
        heading = self._heading(_("Annex: the submitting organisations"), 1, bookmark=ANNEX_BOOKMARK)
        heading.paragraph_format.page_break_before = True
        for organisation in described:
            self._heading(_organisation_name(organisation), 2)
            if place := _place(organisation):
                self.document.add_paragraph(place)
            for text in _plain_paragraphs(organisation.description):
                self.document.add_paragraph(text)

    def _styled_paragraph(self, style_id: str) -> Any:
        # The style's id, not its name: python-docx finds a style by name by walking all the template's
        # styles each time (25 headings: about 5 times slower that way).
        paragraph = self.document.add_paragraph()
        _paragraph_properties(paragraph._p, style_id, None)
        return paragraph

    def _heading(self, text: str, level: int, *, bookmark: str | None = None) -> Any:
        paragraph = self._styled_paragraph(f"Heading{level}")
        if bookmark:
            self._bookmark(paragraph, bookmark)
        paragraph.add_run(_plain(text))
        return paragraph

    def _bookmark(self, paragraph: Any, name: str) -> None:
        """A bookmark at the start of the paragraph: where a part of the document begins."""
        self._bookmark_id += 1
        paragraph._p.append(_el("w:bookmarkStart", id=self._bookmark_id, name=name))
        paragraph._p.append(_el("w:bookmarkEnd", id=self._bookmark_id))

    def _logo_path(self) -> Path | None:
        """The coalition's logo, only as a regular file inside MEDIA_ROOT (symlinks and ``..`` resolved)."""
        if not self.content.coalition_logo_path:
            return None
        media_root = Path(settings.MEDIA_ROOT).resolve()
        path = Path(self.content.coalition_logo_path).resolve()
        if not path.is_relative_to(media_root) or not path.is_file():
            return None
        return path

    def _logo(self, path: Path) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.image.exceptions import UnrecognizedImageError
        from docx.shared import Cm

        paragraph = self.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run()
        # add_picture reads the bytes and embeds them: an internal part, never a link.
        try:
            run.add_picture(str(path), height=Cm(2.5))
            return
        except UnrecognizedImageError:
            image = _as_png(path)  # WebP, which the PDF shows and Word's formats leave out
        except (OSError, ValueError, ZeroDivisionError, struct.error):
            image = None  # a broken file
        if image is not None:
            run.add_picture(image, height=Cm(2.5))
        else:  # SVG or a broken file: the document goes without the logo rather than not at all
            paragraph._p.getparent().remove(paragraph._p)

    # Section text.

    def _block(self, block: Block) -> None:
        if not block.html.strip():
            return
        root = _parse_fragment(block.html)
        numbering = None
        if block.kind == "paragraph" and block.number is not None:
            numbering = (self._paragraph_num(block.number), 0)
        self._flow(root, self._body_sink(), numbering=numbering)

    def _body_sink(self) -> _Sink:
        return _Sink(self.document.element.body, self.document.part, add_table=self.document.add_table)

    def _flow(
        self,
        node: Any,
        sink: _Sink,
        *,
        style: str | None = None,
        numbering: tuple[int, int] | None = None,
        formats: frozenset[str] = frozenset(),
        depth: int = 0,
    ) -> None:
        """Writes a node's children, a mix of inline content and blocks, as paragraphs in ``sink``.

        ``numbering`` (numId, level) goes on the first paragraph made, a list item's or a numbered paragraph's.
        """
        current: _Paragraph | None = None
        pending = [numbering]

        def paragraph(paragraph_style: str | None) -> _Paragraph:
            element = sink.new_paragraph()
            _paragraph_properties(element, paragraph_style, pending[0])
            pending[0] = None
            return _Paragraph(element, sink.part, self.footnote_ids)

        def inline_text(text: str | None) -> None:
            nonlocal current
            if not text:
                return
            if current is None:
                if _blank(text):
                    return
                current = paragraph(style)
            current.text(text, formats, None)

        inline_text(node.text)
        for child in node:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in _HEADING_TAGS:
                current = None
                self._inline_children(child, paragraph(f"Heading{_HEADING_TAGS[tag]}"), formats, None)
            elif tag == "p":
                current = None
                self._inline_children(child, paragraph(style), formats, None)
            elif tag in ("ul", "ol"):
                current = None
                self._list(child, sink, depth=depth)
            elif tag == "blockquote":
                current = None
                self._flow(child, sink, style="Quote", formats=formats, depth=depth)
            elif tag == "table":
                current = None
                self._table(child, sink)
            elif tag in _BLOCK_TAGS:  # li, tr or a cell out of place, a div: keep the words
                current = None
                self._flow(child, sink, style=style, formats=formats, depth=depth)
            elif tag:
                if current is None:
                    current = paragraph(style)
                self._inline(child, current, formats, None)
            inline_text(child.tail)

    def _inline_children(self, node: Any, paragraph: _Paragraph, formats: frozenset[str], target: Any) -> None:
        if node.text:
            paragraph.text(node.text, formats, target)
        for child in node:
            self._inline(child, paragraph, formats, target)
            if child.tail:
                paragraph.text(child.tail, formats, target)

    def _inline(self, node: Any, paragraph: _Paragraph, formats: frozenset[str], target: Any) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""  # comments and processing instructions: no text
        if not tag:
            return
        if tag == "br":
            paragraph.line_break(target)
            return
        if tag == "span" and node.get("data-footnote-ref") is not None:
            reference = node.get("data-footnote-ref").strip()
            if reference.isdigit():
                paragraph.footnote_reference(int(reference), target)
            return
        if tag in _FORMATS:
            formats = formats | {_FORMATS[tag]}
        href = _safe_href(node.get("href")) if tag == "a" and target is None else None
        if href is not None:
            link = paragraph.hyperlink(href)
            self._inline_children(node, paragraph, formats, link)
            for run in link.findall(f"{{{_W}}}r"):
                _style_link_run(run)
            return
        separates = tag in _BLOCK_TAGS  # a block inside inline markup still separates the words around it
        if separates:
            paragraph.text(" ", formats, target)
        self._inline_children(node, paragraph, formats, target)
        if separates:
            paragraph.text(" ", formats, target)

    def _list(self, node: Any, sink: _Sink, *, depth: int) -> None:
        level = min(depth, _MAX_LIST_LEVEL)
        num_id = self._new_ordered_num() if node.tag == "ol" else self._bullet_num
        if node.text and not _blank(node.text):  # text outside any item: keep its words
            self._flow(_wrap_text(node.text), sink, style="ListParagraph", depth=depth + 1)
        for item in node:
            tag = item.tag if isinstance(item.tag, str) else ""
            if tag == "li":
                self._flow(item, sink, style="ListParagraph", numbering=(num_id, level), depth=depth + 1)
            elif tag:
                self._flow(_wrap_copy(item), sink, style="ListParagraph", depth=depth + 1)
            if item.tail and not _blank(item.tail):
                self._flow(_wrap_text(item.tail), sink, style="ListParagraph", depth=depth + 1)

    def _table(self, node: Any, sink: _Sink) -> None:
        from docx.oxml.ns import qn

        rows = node.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
        placements, occupied = [], set()
        for r, row in enumerate(rows):
            c = 0
            for cell in row:
                if cell.tag not in ("td", "th"):
                    continue
                while (r, c) in occupied:
                    c += 1
                rowspan = min(_span(cell.get("rowspan")), len(rows) - r)
                colspan = _span(cell.get("colspan"))
                occupied.update((r + i, c + j) for i in range(rowspan) for j in range(colspan))
                placements.append((r, c, rowspan, colspan, cell))
                c += colspan
        if not placements:
            return
        columns = max(c for _, c in occupied) + 1
        table = sink.new_table(len(rows), columns)
        if table is None:  # a table inside a footnote: its cells as lines of the note
            for *_, cell in placements:
                self._flow(cell, sink)
            return
        table.style = self.document.styles["Table Grid"]
        header_rows = {r for r, row in enumerate(rows) if row.getparent().tag == "thead"}
        for r in header_rows:
            table.rows[r]._tr.get_or_add_trPr().append(_el("w:tblHeader"))
        for r, c, rowspan, colspan, cell in placements:
            target = table.cell(r, c)
            if rowspan > 1 or colspan > 1:
                target = target.merge(table.cell(r + rowspan - 1, c + colspan - 1))
            tc = target._tc
            first = tc.findall(qn("w:p"))
            for extra in first[1:]:
                tc.remove(extra)
            cell_sink = _Sink(tc, self.document.part, first=first[0] if first else None, add_table=target.add_table)
            formats = frozenset({"b"}) if cell.tag == "th" or r in header_rows else frozenset()
            self._flow(cell, cell_sink, formats=formats)
            if tc[-1].tag != qn("w:p"):  # a cell must end with a paragraph
                tc.append(_el("w:p"))

    # Numbering: one instance for the numbered paragraphs, one for bullets, one per ordered list.

    def _numbering_definitions(self) -> None:
        from docx.oxml.ns import qn

        numbering = self.document.part.numbering_part.element
        abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
        paragraphs, bullets, ordered = (max(abstract_ids, default=-1) + i for i in (1, 2, 3))
        first_num = numbering.find(qn("w:num"))
        definitions = [
            _abstract_num(paragraphs, [("decimal", "%1.", 0, 567)], nsid=0x55505201),
            _abstract_num(
                bullets,
                [("bullet", "\u2022\u25e6\u25aa"[i % 3], 567 * (i + 1), 283) for i in range(9)],
                nsid=0x55505202,
            ),
            _abstract_num(
                ordered,
                [(("decimal", "lowerLetter", "lowerRoman")[i % 3], f"%{i + 1}.", 567 * (i + 1), 425) for i in range(9)],
                nsid=0x55505203,
            ),
        ]
        for definition in definitions:
            if first_num is not None:
                first_num.addprevious(definition)
            else:
                numbering.append(definition)
        self._numbering = numbering
        self._paragraphs_abstract, self._ordered_abstract = paragraphs, ordered
        self._bullet_num = self._add_num(bullets)

    def _add_num(self, abstract_id: int, *, restart: dict[int, int] | None = None) -> int:
        from docx.oxml.ns import qn

        num_id = max((int(n.get(qn("w:numId"))) for n in self._numbering.findall(qn("w:num"))), default=0) + 1
        num = _el("w:num", numId=num_id)
        num.append(_el("w:abstractNumId", val=abstract_id))
        for level, start in (restart or {}).items():
            override = _el("w:lvlOverride", ilvl=level)
            override.append(_el("w:startOverride", val=start))
            num.append(override)
        self._numbering.append(num)
        return num_id

    def _paragraph_num(self, number: int) -> int:
        """The numbered paragraphs share one instance, so Word continues it across sections and headings.

        Only a gap in the numbers (which document_content never makes) starts another instance at the number.
        """
        if self._paragraph_num_id is None or number != (self._last_paragraph_number or 0) + 1:
            self._paragraph_num_id = self._add_num(self._paragraphs_abstract, restart={0: number})
        self._last_paragraph_number = number
        return self._paragraph_num_id

    def _new_ordered_num(self) -> int:
        return self._add_num(self._ordered_abstract, restart=dict.fromkeys(range(9), 1))

    # Footnotes: word/footnotes.xml, written here because python-docx has no API for it.

    def _footnotes(self) -> None:
        from docx.opc.constants import CONTENT_TYPE as CT
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.opc.packuri import PackURI
        from docx.opc.part import XmlPart
        from docx.oxml.ns import qn

        notes = self.content.footnotes
        if not notes:
            return
        root = _xml(
            f'<w:footnotes xmlns:w="{_W}" xmlns:r="{_R}">'
            f'<w:footnote w:type="separator" w:id="{_SEPARATOR_ID}"><w:p><w:pPr><w:spacing w:after="0" w:line="240"'
            ' w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
            f'<w:footnote w:type="continuationSeparator" w:id="{_CONTINUATION_ID}"><w:p><w:pPr><w:spacing w:after="0"'
            ' w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
            "</w:footnotes>"
        )
        part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, root, self.document.part.package)
        self.document.part.relate_to(part, RT.FOOTNOTES)
        for index, note in enumerate(notes, start=1):
            self.footnote_ids[note.number] = index
        for note in notes:
            root.append(self._footnote(note, part))
        # Word lists the separators in the settings too; w:footnotePr comes just before w:compat there.
        settings_element = self.document.settings.element
        footnote_properties = _xml(
            f'<w:footnotePr><w:footnote w:id="{_SEPARATOR_ID}"/><w:footnote w:id="{_CONTINUATION_ID}"/></w:footnotePr>'
        )
        compat = settings_element.find(qn("w:compat"))
        if compat is not None:
            compat.addprevious(footnote_properties)
        else:
            settings_element.append(footnote_properties)

    def _footnote(self, note: Footnote, part: Any) -> Any:
        footnote = _el("w:footnote", id=self.footnote_ids[note.number])
        first = _el("w:p")
        _paragraph_properties(first, "FootnoteText", None)
        first.append(_run(_el("w:footnoteRef"), style="FootnoteReference"))
        first.append(_run(_text_element("w:t", " ")))
        footnote.append(first)
        self._flow(_parse_fragment(note.html), _Sink(footnote, part, first=first), style="FootnoteText")
        return footnote

    # Page, styles, header and footer, properties.

    def _page_setup(self) -> None:
        from docx.shared import Cm, Mm

        section = self.document.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(2.54))
        section.header_distance = section.footer_distance = Cm(1.25)

    def _styles(self) -> None:
        from docx.oxml.ns import qn

        styles = self.document.styles.element
        language = _WORD_LANGUAGES.get(self.content.language, self.content.language)
        defaults = styles.find(qn("w:docDefaults"))
        run_defaults = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        for child in list(run_defaults):
            run_defaults.remove(child)
        run_defaults.extend(
            [
                _el("w:rFonts", ascii=FONT, hAnsi=FONT, cs=FONT, eastAsia=FONT),
                _el("w:sz", val=24),
                _el("w:szCs", val=24),
                _el("w:lang", val=language, eastAsia=language, bidi="ar-SA"),
            ]
        )
        paragraph_defaults = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}")
        for child in list(paragraph_defaults):
            paragraph_defaults.remove(child)
        paragraph_defaults.append(_el("w:spacing", after=120, line=240, lineRule="auto"))

        sizes = {"Title": 32, "Heading1": 28, "Heading2": 26, "Heading3": 24, "Heading4": 24}
        for style in styles.findall(qn("w:style")):
            style_id = style.get(qn("w:styleId"))
            if style_id not in sizes:
                continue
            run_properties = style.find(qn("w:rPr"))
            for tag in ("w:rFonts", "w:color", "w:sz", "w:szCs", "w:spacing", "w:kern"):
                for child in run_properties.findall(qn(tag)):
                    run_properties.remove(child)
            if style_id == "Title":
                for border in style.findall(f"{qn('w:pPr')}/{qn('w:pBdr')}"):
                    border.getparent().remove(border)
                style.find(qn("w:pPr")).append(_el("w:jc", val="center"))
                run_properties.insert(0, _el("w:b"))
            run_properties.append(_el("w:sz", val=sizes[style_id]))
            run_properties.append(_el("w:szCs", val=sizes[style_id]))
        quote = styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='Quote']")
        if quote is not None and quote.find(qn("w:pPr")) is None:
            quote.find(qn("w:rPr")).addprevious(
                _xml('<w:pPr><w:spacing w:before="120"/><w:ind w:left="567" w:right="567"/></w:pPr>')
            )
        present = {style.get(qn("w:styleId")) for style in styles.findall(qn("w:style"))}
        for style_id, definition in _ADDED_STYLES.items():
            if style_id not in present:  # python-docx's template has none of them today
                styles.append(_xml(definition))

    def _header_and_footer(self) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt, RGBColor

        section = self.document.sections[0]
        if self.over_limit:
            header = section.header
            header.is_linked_to_previous = False
            mark = header.paragraphs[0]
            mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = mark.add_run(_("DRAFT - OVER LIMIT"))
            run.bold = True
            run.font.size = Pt(14)
            run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
        footer = section.footer
        footer.is_linked_to_previous = False
        line = footer.paragraphs[0]
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        # Translators: the footer of every page of the generated DOCX and PDF.
        label = _("Page %(page)s of %(pages)s")
        for piece in re.split(r"(%\((?:page|pages)\)s)", label):
            if piece == "%(page)s":
                line._p.extend(_field("PAGE"))
            elif piece == "%(pages)s":
                line._p.extend(_field("NUMPAGES"))
            elif piece:
                line._p.append(_run(_text_element("w:t", piece)))

    def _properties(self) -> None:
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        content = self.content
        properties = self.document.core_properties
        properties.title = _plain(content.title)[:255]
        properties.author = _plain(content.coalition_name)[:255]
        properties.last_modified_by = _plain(content.coalition_name)[:255]
        # The PDF's subject, word for word.
        properties.subject = _(
            "Stakeholder submission by %(coalition)s to the Universal Periodic Review of %(state)s"
        ) % {"coalition": _plain(content.coalition_name), "state": _plain(content.state_name)}
        properties.language = _WORD_LANGUAGES.get(content.language, content.language)
        properties.keywords = ", ".join(_plain(keyword) for keyword in content.keywords)[:255]
        properties.comments = ""
        properties.category = ""
        properties.revision = 1
        made = datetime.datetime.combine(content.date, datetime.time(), tzinfo=datetime.UTC)
        properties.created = properties.modified = made
        # python-docx's template carries a thumbnail of an empty page; a file manager would show it.
        package = self.document.part.package
        for r_id, relationship in list(package.rels.items()):
            if relationship.reltype == RT.THUMBNAIL:
                del package.rels[r_id]


_ADDED_STYLES = {
    "FootnoteText": (
        '<w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/>'
        '<w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
        '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        '<w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>'
    ),
    "FootnoteReference": (
        '<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/>'
        '<w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>'
    ),
    "Hyperlink": (
        '<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/>'
        '<w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
        '<w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr></w:style>'
    ),
}


def _paragraph_properties(paragraph: Any, style: str | None, numbering: tuple[int, int] | None) -> None:
    """A w:p's style and numbering (numId, level). A new paragraph's w:pPr is built here in the schema's
    order (pStyle, then numPr with ilvl and numId): python-docx's get_or_add_* look for each property's
    successors among the children first, a fifth of the DOCX's time. A w:pPr already there is changed
    through python-docx."""
    from docx.oxml.ns import qn

    existing = paragraph.find(qn("w:pPr"))
    if existing is not None:
        if style:
            existing.style = style
        if numbering is not None:
            number = existing.get_or_add_numPr()
            number.get_or_add_ilvl().val = numbering[1]
            number.get_or_add_numId().val = numbering[0]
        return
    properties = _el("w:pPr")
    if style:
        properties.append(_el("w:pStyle", val=style))
    if numbering is not None:
        number = _el("w:numPr")
        number.append(_el("w:ilvl", val=numbering[1]))
        number.append(_el("w:numId", val=numbering[0]))
        properties.append(number)
    paragraph.insert(0, properties)


def _as_png(path: Path) -> io.BytesIO | None:
    """A raster image Pillow reads (WebP above all) as PNG bytes, or None (SVG, a broken file)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image.thumbnail((1600, 1600))
            if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                image = image.convert("RGBA")
            out = io.BytesIO()
            image.save(out, "PNG")
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError):
        return None
    out.seek(0)
    return out


def _organisation_name(organisation: SignatoryOrganisation) -> str:
    name = _plain(organisation.name)
    return f"{name} ({_plain(organisation.acronym)})" if _plain(organisation.acronym) else name


def _place(organisation: SignatoryOrganisation) -> str:
    return ", ".join(part for part in (_plain(organisation.city), _plain(organisation.country)) if part)


def _abstract_num(abstract_id: int, levels: list[tuple[str, str, int, int]], *, nsid: int) -> Any:
    """A w:abstractNum; each level is (format, text, left indent, hanging indent) in twentieths of a point."""
    xml_levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
        f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{left + hanging}" w:hanging="{hanging}"/></w:pPr></w:lvl>'
        for i, (fmt, text, left, hanging) in enumerate(levels)
    )
    kind = "singleLevel" if len(levels) == 1 else "hybridMultilevel"
    return _xml(
        f'<w:abstractNum w:abstractNumId="{abstract_id}"><w:nsid w:val="{nsid:08X}"/>'
        f'<w:multiLevelType w:val="{kind}"/>{xml_levels}</w:abstractNum>'
    )


def _field(instruction: str) -> list[Any]:
    """A complex field (begin, instruction, separate, cached result, end), as Word writes PAGE and NUMPAGES."""
    return [
        _run(_el("w:fldChar", fldCharType="begin")),
        _run(_text_element("w:instrText", f" {instruction} ")),
        _run(_el("w:fldChar", fldCharType="separate")),
        _run(_text_element("w:t", "1")),
        _run(_el("w:fldChar", fldCharType="end")),
    ]


def _style_link_run(run: Any) -> None:
    from docx.oxml.ns import qn

    properties = run.find(qn("w:rPr"))
    if properties is None:
        properties = _el("w:rPr")
        run.insert(0, properties)
    if properties.find(qn("w:rStyle")) is None:
        properties.insert(0, _el("w:rStyle", val="Hyperlink"))


def _span(value: str | None) -> int:
    value = (value or "").strip()
    return min(int(value), _MAX_CELL_SPAN) if value.isdigit() and int(value) >= 1 else 1


def _wrap_copy(node: Any) -> Any:
    """A stray element inside a list (not an li), copied into a wrapper so _flow writes it whole."""
    import copy

    import lxml.html

    wrapper = lxml.html.Element("div")
    wrapper.append(copy.deepcopy(node))
    wrapper[0].tail = None
    return wrapper


def _wrap_text(text: str) -> Any:
    import lxml.html

    wrapper = lxml.html.Element("div")
    wrapper.text = text
    return wrapper
