"""The DOCX for the OHCHR upload, read back from its XML: order, numbering, footnotes, count, safety."""

from __future__ import annotations

import datetime
import html
import io
import os
import re
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

from coalitions.demo import demo_seed
from reviews.models import State
from submissions.demo import demo_submission_seed
from submissions.documents.content import (
    Block,
    DocumentContent,
    DocumentLimitFigures,
    DocumentSection,
    Footnote,
    SignatoryOrganisation,
    document_content,
)
from submissions.documents.docx import ANNEX_BOOKMARK, SUMMARY_BOOKMARK, render_docx
from tests.factories import CycleFactory, DocumentLimitFactory
from tests.factories.documents import document_world
from upr_portal.wordcount import BLOCK_ELEMENTS, WordCount, count_html, count_words, split_words

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS = {"w": W, "r": R, "rel": REL}
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"

ORGANISATIONS = (
    SignatoryOrganisation("Northern Lights Human Rights Centre", "NLHRC", "Helsinki", "Finland", "Founded in 1998."),
    SignatoryOrganisation("Children's Rights Alliance", "CRA", "Tampere", "Finland", "A network of 40 groups."),
    SignatoryOrganisation(
        "Sámi Council Observers", "", "Inari", "Finland", "Works in the Sámi homeland.\n\nSince 2001."
    ),
    SignatoryOrganisation("Legal Aid for Migrants", "LAM", "Turku", "Finland", ""),
)
SUMMARY = "The coalition welcomes reforms.\n\nMost recommendations are — still — partially implemented."

# Sections as the editor stores them: footnotes inline as <span data-footnote="">, the portal's count rules.
SECTIONS = (
    (
        "Introduction",
        (
            '<p>The coalition<span data-footnote="">Coalition charter, 2024.</span> brings together <strong>'
            "thirteen</strong> organisations; its well-<em>known</em> members work state-of-the-art.</p>",
            '<p>See <a href="https://www.ohchr.org/en/hr-bodies/upr" rel="noopener noreferrer nofollow">OHCHR\'s '
            'UPR page</a>, write to <a href="mailto:upr@example.org">upr@example.org</a> or read '
            '<a href="#recommendations">below</a>.<span data-footnote="">Consulted on <em>1 June 2026</em>, see '
            '<a href="https://example.org/notes">notes</a>.</span></p>',
            "<p>Rights—especially those of children […] and/or migrants… were reviewed in 2010–2014 under "
            "A/HRC/52/1.<br>A second line&nbsp;with a no-break space &amp; a symbol § too.</p>",
        ),
    ),
    (
        "Torture and ill-treatment",
        (
            '<h3>Remand<span data-footnote="">Note in a heading.</span> prisoners</h3>',
            '<p>Remand prisoners are held in police cells.<span data-footnote="">Centre against Torture, '
            'report 2025.</span> Nine stayed four weeks.<span data-footnote="">Case files 2025.</span></p>',
            '<ul><li>Police cells<span data-footnote="">Listed by the coalition.</span></li><li>Prisons with '
            "<strong>no</strong> daylight<ol><li>Vantaa</li><li>Turku</li></ol></li></ul>",
            "<p>Conditions — as the table shows — have not improved.</p>",
            "<table><thead><tr><th>Facility</th><th>Cases</th><th>Longest stay</th></tr></thead><tbody>"
            '<tr><td rowspan="2">Police cells</td><td>37</td><td>31 days</td></tr>'
            '<tr><td>9<span data-footnote="">Over four weeks.</span></td><td>more than 28 days</td></tr>'
            '<tr><td colspan="3">Source: monitoring of member organisations</td></tr></tbody></table>',
            '<blockquote><p>"For five weeks I spoke to nobody." Man held on remand.</p></blockquote>',
            '<p>Safeguards in custody are not effective.<span data-footnote="">Interviews with 37 persons.</span></p>',
        ),
    ),
    (
        "Recommendations",
        (
            "<h2>To the Government</h2>",
            "<p>The coalition recommends that Finland:</p>",
            '<ol><li>Set a statutory limit on police custody.<span data-footnote="">As the CPT asked in 2020.'
            "</span></li><li>Provide assistance to victims independent of proceedings.</li></ol>",
            "<h4>Follow-up</h4>",
            '<p>Adopt a public implementation plan with indicators.<span data-footnote="">Plan of 2023 lapsed.'
            '</span> It should be funded.<span data-footnote="">Budget law, <strong>section 4</strong>.</span> '
            'Its results should be published yearly.<span data-footnote="">By the ministry.</span></p>',
        ),
    ),
)

_FOOTNOTE = re.compile(r'<span data-footnote="">(.*?)</span>', re.DOTALL)
_KINDS = {"p": "paragraph", "h2": "heading", "h3": "heading", "h4": "heading", "ul": "list", "ol": "list"}
_KINDS |= {"table": "table", "blockquote": "quote"}


def make_content(
    sections=SECTIONS,
    *,
    language: str = "en",
    organisations=ORGANISATIONS,
    logo: str | None = None,
    first_paragraph: int = 1,
    kind: str = "joint",
) -> DocumentContent:
    """What document_content builds from a submission, made by hand from stored section HTML."""
    note_number, paragraph_number, built = 0, first_paragraph - 1, []
    for pk, (title, stored_blocks) in enumerate(sections, start=101):
        blocks = []
        for stored in stored_blocks:
            notes = []

            def to_reference(match, notes=notes):
                nonlocal note_number
                note_number += 1
                notes.append(Footnote(number=note_number, html=match.group(1)))
                return f'<span data-footnote-ref="{note_number}"></span>'

            tag = re.match(r"<(\w+)", stored).group(1)
            block_kind = _KINDS[tag]
            number = None
            if block_kind == "paragraph":
                paragraph_number += 1
                number = paragraph_number
            blocks.append(
                Block(
                    kind=block_kind,
                    html=_FOOTNOTE.sub(to_reference, stored),
                    number=number,
                    level=int(tag[1]) if block_kind == "heading" else None,
                    footnotes=tuple(notes),
                    words=count_html(stored),
                )
            )
        words = WordCount(body=sum(b.words.body for b in blocks), notes=sum(b.words.notes for b in blocks))
        built.append(DocumentSection(pk=pk, title=title, version=1, budget=1000, words=words, blocks=tuple(blocks)))
    return DocumentContent(
        submission_pk=7,
        language=language,
        title="Joint submission to the Universal Periodic Review of Finland, 55th session (fifth cycle)",
        coalition_name="Demo National UPR Coalition",
        coalition_logo_path=logo,
        state_name="Finland",
        session_number=55,
        cycle_number=5,
        date=datetime.date(2026, 12, 1),
        organisations=organisations,
        contact_name="Aino Virtanen",
        contact_email="aino@example.org",
        executive_summary=SUMMARY,
        keywords=("remand imprisonment", "free, prior and informed consent"),
        sections=tuple(built),
        limit=DocumentLimitFigures(max_words=5630, max_pages=None, notes_count=True),
        # As document_content counts: the sections and the executive summary.
        words=WordCount(
            body=sum(s.words.body for s in built) + count_words(SUMMARY), notes=sum(s.words.notes for s in built)
        ),
        kind=kind,
        summary_words=count_words(SUMMARY),
    )


# Reading the file back.


def parse(data: bytes):
    from lxml import etree  # heavy libraries load inside functions (ruff's banned-module-level-imports)

    return etree.fromstring(data)


def parts(docx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def xml(docx: bytes, name: str):
    return parse(parts(docx)[name])


def paragraph_text(paragraph) -> str:
    """A w:p's text as Word reads it: its w:t runs, with line breaks and tabs as spaces. A footnote call is
    no text: it separates nothing, as in Word, where a call between two letters joins them into one word."""
    pieces = []
    for node in paragraph.iter(f"{{{W}}}t", f"{{{W}}}br", f"{{{W}}}tab", f"{{{W}}}cr"):
        pieces.append(node.text or "" if node.tag == f"{{{W}}}t" else " ")
    return "".join(pieces)


def bookmarks(paragraph) -> list[str]:
    return paragraph.xpath("w:bookmarkStart/@w:name", namespaces=NS)


def counted_paragraphs(document, *, summary: bool = True) -> list:
    """The body paragraphs the portal counts: the executive summary's and the sections', without their
    headings (a section's title is not part of its counted text), found by the bookmarks where each part
    of the document begins."""
    counted, counting = [], False
    for paragraph in document.iter(f"{{{W}}}p"):
        names = bookmarks(paragraph)
        if names:
            counting = any(n.startswith("section_") or (summary and n == SUMMARY_BOOKMARK) for n in names)
            continue
        if counting:
            counted.append(paragraph)
    return counted


def section_paragraphs(document) -> list:
    return counted_paragraphs(document, summary=False)


def note_paragraphs(footnotes) -> list[list]:
    return [
        note.findall(f"{{{W}}}p")
        for note in footnotes.findall(f"{{{W}}}footnote")
        if note.get(f"{{{W}}}type") not in ("separator", "continuationSeparator")
    ]


def docx_words(docx: bytes | str | Path) -> tuple[int, int]:
    """(body words, note words) of a DOCX by the portal's rule, which is Word's: each paragraph's text runs
    counted with count_words. Automatic numbers are not in the text, so they are not words. The front matter
    and the annex are outside the count, as in the portal."""
    data = docx if isinstance(docx, bytes) else Path(docx).read_bytes()
    document = xml(data, "word/document.xml")
    body = sum(count_words(paragraph_text(p)) for p in counted_paragraphs(document))
    if "word/footnotes.xml" not in parts(data):
        return body, 0
    footnotes = xml(data, "word/footnotes.xml")
    notes = sum(count_words(paragraph_text(p)) for note in note_paragraphs(footnotes) for p in note)
    return body, notes


def html_words(fragment: str) -> list[str]:
    """The words of cleaned HTML, block elements and footnote calls separating, notes left out."""
    fragment = _FOOTNOTE.sub("\n", fragment)
    fragment = re.sub(r'<span data-footnote-ref="\d+"></span>', "\n", fragment)
    fragment = re.sub(
        r"</?(\w+)[^>]*>", lambda m: "\n" if m.group(1) in BLOCK_ELEMENTS else "", fragment, flags=re.DOTALL
    )
    return split_words(html.unescape(fragment))


def style_of(paragraph) -> str | None:
    found = paragraph.xpath("w:pPr/w:pStyle/@w:val", namespaces=NS)
    return found[0] if found else None


def numbered(paragraph) -> tuple[int, int] | None:
    num_id = paragraph.xpath("w:pPr/w:numPr/w:numId/@w:val", namespaces=NS)
    level = paragraph.xpath("w:pPr/w:numPr/w:ilvl/@w:val", namespaces=NS)
    return (int(num_id[0]), int(level[0])) if num_id else None


@pytest.fixture
def content():
    return make_content()


@pytest.fixture
def docx(content):
    return render_docx(content)


# The words and their order.


def test_docx_words_equal_portal_count_for_fixture(content, docx):
    assert content.words.notes > 0
    assert docx_words(docx) == (content.words.body, content.words.notes)


def test_docx_every_block_words_once_in_order(content, docx):
    expected = split_words(content.executive_summary)
    expected += [word for s in content.sections for b in s.blocks for word in html_words(b.html)]
    document = xml(docx, "word/document.xml")
    found = [word for p in counted_paragraphs(document) for word in split_words(paragraph_text(p))]
    assert found == expected


def test_docx_footnotes_text_in_order_referenced_once(content, docx):
    footnotes = xml(docx, "word/footnotes.xml")
    notes = note_paragraphs(footnotes)
    assert len(content.footnotes) == 12
    assert [split_words(" ".join(paragraph_text(p) for p in note)) for note in notes] == [
        html_words(note.html) for note in content.footnotes
    ]
    ids = [note.get(f"{{{W}}}id") for note in footnotes.findall(f"{{{W}}}footnote") if note.get(f"{{{W}}}type") is None]
    references = xml(docx, "word/document.xml").xpath("//w:footnoteReference/@w:id", namespaces=NS)
    assert references == ids
    # Each note opens with Word's own footnote number, not typed digits.
    for note in footnotes.findall(f"{{{W}}}footnote"):
        if note.get(f"{{{W}}}type") is None:
            assert len(note.xpath("w:p[1]/w:r[1]/w:footnoteRef", namespaces=NS)) == 1
    relations = parse(parts(docx)["word/_rels/document.xml.rels"])
    types = relations.xpath("rel:Relationship/@Type", namespaces=NS)
    assert types.count("http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes") == 1


# Numbering.


def test_docx_numbered_paragraphs_share_one_numbering_continued_across_sections(content, docx):
    document = xml(docx, "word/document.xml")
    paragraph_blocks = [b for s in content.sections for b in s.blocks if b.kind == "paragraph"]
    numbering = xml(docx, "word/numbering.xml")
    counted = counted_paragraphs(document)
    paragraph_num_ids = {
        int(n.get(f"{{{W}}}numId"))
        for n in numbering.findall(f"{{{W}}}num")
        if n.xpath("w:lvlOverride[@w:ilvl='0']/w:startOverride", namespaces=NS)
        and numbering.xpath(
            f"w:abstractNum[@w:abstractNumId='{n.find(f'{{{W}}}abstractNumId').get(f'{{{W}}}val')}']"
            "/w:multiLevelType/@w:val",
            namespaces=NS,
        )
        == ["singleLevel"]
    }
    assert len(paragraph_num_ids) == 1
    (num_id,) = paragraph_num_ids
    numbered_paragraphs = [p for p in counted if numbered(p) == (num_id, 0)]
    assert [split_words(paragraph_text(p)) for p in numbered_paragraphs] == [
        html_words(b.html) for b in paragraph_blocks
    ]
    num = numbering.xpath(f"w:num[@w:numId='{num_id}']", namespaces=NS)[0]
    start = int(num.xpath("w:lvlOverride[@w:ilvl='0']/w:startOverride/@w:val", namespaces=NS)[0])
    abstract = num.find(f"{{{W}}}abstractNumId").get(f"{{{W}}}val")
    level = numbering.xpath(f"w:abstractNum[@w:abstractNumId='{abstract}']/w:lvl[@w:ilvl='0']", namespaces=NS)[0]
    assert level.xpath("w:numFmt/@w:val", namespaces=NS) == ["decimal"]
    assert level.xpath("w:lvlText/@w:val", namespaces=NS) == ["%1."]
    assert [start + i for i in range(len(numbered_paragraphs))] == content.paragraph_numbers
    assert content.paragraph_numbers == list(range(1, 9))
    # Numbered paragraphs sit in all three sections, with section and inner headings between them.
    assert [len([b for b in s.blocks if b.number]) for s in content.sections] == [3, 3, 2]


def test_docx_numbered_paragraphs_start_without_typed_digits(docx):
    document = xml(docx, "word/document.xml")
    texts = [paragraph_text(p) for p in counted_paragraphs(document) if numbered(p)]
    assert texts
    assert [t for t in texts if re.match(r"\s*\d", t)] == []


def test_docx_numbering_starts_at_first_paragraph_number_when_not_one():
    docx = render_docx(make_content(first_paragraph=41))
    numbering = xml(docx, "word/numbering.xml")
    document = xml(docx, "word/document.xml")
    num_ids = {numbered(p)[0] for p in counted_paragraphs(document) if numbered(p) and style_of(p) is None}
    assert len(num_ids) == 1
    starts = numbering.xpath(f"w:num[@w:numId='{num_ids.pop()}']/w:lvlOverride/w:startOverride/@w:val", namespaces=NS)
    assert starts == ["41"]


def test_docx_lists_numbered_by_word_apart_from_paragraphs(docx):
    document = xml(docx, "word/document.xml")
    items = [p for p in counted_paragraphs(document) if style_of(p) == "ListParagraph" and numbered(p)]
    assert [paragraph_text(p).strip() for p in items] == [
        "Police cells",
        "Prisons with no daylight",
        "Vantaa",
        "Turku",
        "Set a statutory limit on police custody.",
        "Provide assistance to victims independent of proceedings.",
    ]
    levels = [numbered(p)[1] for p in items]
    assert levels == [0, 0, 1, 1, 0, 0]
    # The two ordered lists restart at 1: each has its own instance, and neither is the paragraphs' one.
    num_ids = [numbered(p)[0] for p in items]
    assert num_ids[0] == num_ids[1]
    assert num_ids[2] == num_ids[3] != num_ids[4]
    paragraph_ids = {numbered(p)[0] for p in counted_paragraphs(document) if numbered(p) and style_of(p) is None}
    assert paragraph_ids.isdisjoint(num_ids)


# Order and structure.


def test_docx_front_matter_in_order_organisations_before_first_section(content, docx):
    document = xml(docx, "word/document.xml")
    before = []
    for paragraph in document.iter(f"{{{W}}}p"):
        if any(name.startswith("section_") for name in bookmarks(paragraph)):
            break
        before.append(paragraph_text(paragraph))
    assert before == [
        "Demo National UPR Coalition",
        "Joint submission to the Universal Periodic Review of Finland, 55th session (fifth cycle)",
        "1 December 2026",
        "Submitted jointly by:",
        "Northern Lights Human Rights Centre (NLHRC), Helsinki, Finland",
        "Children's Rights Alliance (CRA), Tampere, Finland",
        "Sámi Council Observers, Inari, Finland",
        "Legal Aid for Migrants (LAM), Turku, Finland",
        "Contact person: Aino Virtanen, aino@example.org",
        "Executive summary",
        "The coalition welcomes reforms.",
        "Most recommendations are — still — partially implemented.",
        "Keywords: remand imprisonment, free, prior and informed consent",
    ]
    headings = [paragraph_text(p) for p in document.iter(f"{{{W}}}p") if style_of(p) == "Heading1"]
    assert headings == [
        "Executive summary",
        "Introduction",
        "Torture and ill-treatment",
        "Recommendations",
        "Annex: the submitting organisations",
    ]


def test_docx_individual_submission_says_submitted_by():
    document = xml(render_docx(make_content(kind="individual")), "word/document.xml")
    texts = [paragraph_text(p) for p in document.iter(f"{{{W}}}p")]
    assert texts.count("Submitted by:") == 1
    assert "Submitted jointly by:" not in texts


def test_docx_annex_holds_descriptions_after_sections(docx):
    document = xml(docx, "word/document.xml")
    texts, in_annex = [], False
    for paragraph in document.iter(f"{{{W}}}p"):
        if ANNEX_BOOKMARK in bookmarks(paragraph):
            in_annex = True
            assert paragraph.xpath("w:pPr/w:pageBreakBefore", namespaces=NS)
            continue
        if in_annex:
            texts.append((style_of(paragraph), paragraph_text(paragraph)))
    # Legal Aid for Migrants has no description: listed at the beginning, not in the annex (as in the PDF).
    assert texts == [
        ("Heading2", "Northern Lights Human Rights Centre (NLHRC)"),
        (None, "Helsinki, Finland"),
        (None, "Founded in 1998."),
        ("Heading2", "Children's Rights Alliance (CRA)"),
        (None, "Tampere, Finland"),
        (None, "A network of 40 groups."),
        ("Heading2", "Sámi Council Observers"),
        (None, "Inari, Finland"),
        (None, "Works in the Sámi homeland."),
        (None, "Since 2001."),
    ]


def test_docx_without_descriptions_has_no_annex():
    organisations = tuple(SignatoryOrganisation(o.name, o.acronym, o.city, o.country, "") for o in ORGANISATIONS)
    document = xml(render_docx(make_content(organisations=organisations)), "word/document.xml")
    texts = [paragraph_text(p) for p in document.iter(f"{{{W}}}p")]
    assert "Annex: the submitting organisations" not in texts
    assert [p for p in document.iter(f"{{{W}}}p") if ANNEX_BOOKMARK in bookmarks(p)] == []


def test_docx_headings_use_word_heading_styles(content, docx):
    document = xml(docx, "word/document.xml")
    section_titles = [
        (style_of(p), paragraph_text(p))
        for p in document.iter(f"{{{W}}}p")
        if any(n.startswith("section_") for n in bookmarks(p))
    ]
    assert section_titles == [("Heading1", s.title) for s in content.sections]
    inner = [(style_of(p), paragraph_text(p).strip()) for p in section_paragraphs(document)]
    assert [i for i in inner if i[0] and i[0].startswith("Heading")] == [
        ("Heading3", "Remand prisoners"),
        ("Heading2", "To the Government"),
        ("Heading4", "Follow-up"),
    ]
    styles = xml(docx, "word/styles.xml")
    names = {
        s.get(f"{{{W}}}styleId"): s.xpath("w:name/@w:val", namespaces=NS)[0] for s in styles.findall(f"{{{W}}}style")
    }
    assert [names[f"Heading{n}"] for n in (1, 2, 3, 4)] == ["heading 1", "heading 2", "heading 3", "heading 4"]
    assert names["FootnoteText"] == "footnote text"
    assert names["FootnoteReference"] == "footnote reference"


def test_docx_table_keeps_spans_and_header_row(docx):
    document = xml(docx, "word/document.xml")
    (table,) = document.findall(f".//{{{W}}}tbl")
    rows = table.findall(f"{{{W}}}tr")
    assert len(rows) == 4
    assert rows[0].xpath("w:trPr/w:tblHeader", namespaces=NS)
    assert rows[0].xpath(".//w:r/w:rPr/w:b", namespaces=NS)
    cells = [[("".join(c.xpath(".//w:t/text()", namespaces=NS)), c) for c in row.findall(f"{{{W}}}tc")] for row in rows]
    assert [[text for text, _ in row] for row in cells] == [
        ["Facility", "Cases", "Longest stay"],
        ["Police cells", "37", "31 days"],
        ["", "9", "more than 28 days"],
        ["Source: monitoring of member organisations"],
    ]
    assert cells[1][0][1].xpath("w:tcPr/w:vMerge/@w:val", namespaces=NS) == ["restart"]
    assert cells[2][0][1].xpath("w:tcPr/w:vMerge", namespaces=NS)
    assert cells[3][0][1].xpath("w:tcPr/w:gridSpan/@w:val", namespaces=NS) == ["3"]


# Page furniture and properties.


def test_docx_footer_holds_page_and_numpages_fields(docx):
    files = parts(docx)
    document = xml(docx, "word/document.xml")
    (footer_id,) = document.xpath("//w:sectPr/w:footerReference[@w:type='default']/@r:id", namespaces=NS)
    relations = parse(files["word/_rels/document.xml.rels"])
    (target,) = relations.xpath(f"rel:Relationship[@Id='{footer_id}']/@Target", namespaces=NS)
    footer = parse(files[f"word/{target}"])
    assert [t.strip() for t in footer.xpath("//w:instrText/text()", namespaces=NS)] == ["PAGE", "NUMPAGES"]
    assert "".join(footer.xpath("//w:t/text()", namespaces=NS)) == "Page 1 of 1"
    assert document.xpath("//w:sectPr/w:headerReference", namespaces=NS) == []


def test_docx_over_limit_marks_header_of_every_page(content):
    docx = render_docx(content, over_limit=True)
    files = parts(docx)
    document = xml(docx, "word/document.xml")
    sections = document.xpath("//w:sectPr", namespaces=NS)
    assert len(sections) == 1
    # One default header and no first-page or even-page variant: the mark is on every page.
    assert sections[0].xpath("w:titlePg", namespaces=NS) == []
    (header_id,) = sections[0].xpath("w:headerReference[@w:type='default']/@r:id", namespaces=NS)
    assert sections[0].xpath("w:headerReference[@w:type!='default']", namespaces=NS) == []
    relations = parse(files["word/_rels/document.xml.rels"])
    (target,) = relations.xpath(f"rel:Relationship[@Id='{header_id}']/@Target", namespaces=NS)
    header = parse(files[f"word/{target}"])
    assert "".join(header.xpath("//w:t/text()", namespaces=NS)) == "DRAFT - OVER LIMIT"
    settings = xml(docx, "word/settings.xml")
    assert settings.xpath("w:evenAndOddHeaders", namespaces=NS) == []


def test_docx_properties_title_author_language_subject(content, docx):
    core = parse(parts(docx)["docProps/core.xml"])
    ns = {"dc": "http://purl.org/dc/elements/1.1/", "cp": core.nsmap["cp"]}
    assert core.xpath("dc:title/text()", namespaces=ns) == [content.title]
    assert core.xpath("dc:creator/text()", namespaces=ns) == ["Demo National UPR Coalition"]
    assert core.xpath("dc:language/text()", namespaces=ns) == ["en-GB"]
    assert core.xpath("dc:subject/text()", namespaces=ns) == [
        "Stakeholder submission by Demo National UPR Coalition to the Universal Periodic Review of Finland"
    ]
    assert core.xpath("cp:keywords/text()", namespaces=ns) == ["remand imprisonment, free, prior and informed consent"]
    assert core.xpath("dc:description/text()", namespaces=ns) == []
    styles = xml(docx, "word/styles.xml")
    assert styles.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val", namespaces=NS) == ["en-GB"]
    assert "docProps/thumbnail.jpeg" not in parts(docx)


def test_docx_fixed_texts_in_document_language():
    docx = render_docx(make_content(language="fr"))
    document = xml(docx, "word/document.xml")
    texts = [paragraph_text(p) for p in document.iter(f"{{{W}}}p")]
    assert "1 décembre 2026" in texts
    core = parse(parts(docx)["docProps/core.xml"])
    assert core.xpath("dc:language/text()", namespaces={"dc": "http://purl.org/dc/elements/1.1/"}) == ["fr-FR"]


# Safety: nothing outside the file but text hyperlinks.


def external_relationships(docx: bytes) -> list[tuple[str, str]]:
    found = []
    for name, data in parts(docx).items():
        if name.endswith(".rels"):
            for relation in parse(data).findall(f"{{{REL}}}Relationship"):
                if relation.get("TargetMode") == "External":
                    found.append((relation.get("Type"), relation.get("Target")))
    return found


def test_docx_external_relationships_only_web_and_mail_links(docx):
    assert sorted(external_relationships(docx)) == [
        (HYPERLINK, "https://example.org/notes"),
        (HYPERLINK, "https://www.ohchr.org/en/hr-bodies/upr"),
        (HYPERLINK, "mailto:aino@example.org"),
        (HYPERLINK, "mailto:upr@example.org"),
    ]
    footnote_relations = parse(parts(docx)["word/_rels/footnotes.xml.rels"])
    assert footnote_relations.xpath("rel:Relationship/@Target", namespaces=NS) == ["https://example.org/notes"]
    # The #fragment link is plain text: no relationship, no anchor to a bookmark that does not exist.
    document = xml(docx, "word/document.xml")
    assert document.xpath("//w:hyperlink[@w:anchor]", namespaces=NS) == []


def test_docx_drops_local_and_relative_links_and_images_in_text():
    hostile = (
        (
            "Hostile",
            (
                '<p>Read <a href="file:///etc/passwd" rel="attachment">this</a>, <a href="../../settings.py">that</a>'
                ', <a href="javascript:alert(1)">it</a> and <a href=" //evil.example/x">more</a>.'
                '<img src="http://127.0.0.1:9/pixel.png"><img src="file:///etc/hosts"></p>',
            ),
        ),
    )
    content = make_content(hostile)
    docx = render_docx(content)
    assert external_relationships(docx) == [(HYPERLINK, "mailto:aino@example.org")]
    assert [name for name in parts(docx) if name.startswith("word/media/")] == []
    assert docx_words(docx) == (content.words.body, content.words.notes)
    document = xml(docx, "word/document.xml")
    assert [paragraph_text(p) for p in section_paragraphs(document)] == ["Read this, that, it and more."]


def png(width: int = 4, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def test_docx_logo_embedded_from_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    logo = tmp_path / "media" / "logos" / "coalition.png"
    logo.parent.mkdir(parents=True)
    logo.write_bytes(png())
    docx = render_docx(make_content(logo=str(logo)))
    files = parts(docx)
    assert [name for name in files if name.startswith("word/media/")] == ["word/media/image1.png"]
    assert files["word/media/image1.png"] == png()
    relations = parse(files["word/_rels/document.xml.rels"])
    images = relations.xpath(f"rel:Relationship[@Type='{IMAGE}']", namespaces=NS)
    assert [(r.get("Target"), r.get("TargetMode")) for r in images] == [("media/image1.png", None)]
    document = xml(docx, "word/document.xml")
    first = next(document.iter(f"{{{W}}}p"))
    assert first.xpath(
        ".//a:blip/@r:embed", namespaces={**NS, "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    )
    assert external_relationships(docx) == [(t, u) for t, u in external_relationships(docx) if t == HYPERLINK]


def test_docx_logo_outside_media_root_or_through_symlink_left_out(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    (tmp_path / "media").mkdir()
    outside = tmp_path / "secret.png"
    outside.write_bytes(png())
    link = tmp_path / "media" / "logo.png"
    link.symlink_to(outside)
    for path in (outside, link, tmp_path / "media" / ".." / "secret.png", tmp_path / "media" / "missing.png"):
        docx = render_docx(make_content(logo=str(path)))
        assert [name for name in parts(docx) if name.startswith("word/media/")] == []


def test_docx_logo_not_an_image_left_out(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    logo = tmp_path / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg"><image href="http://127.0.0.1:9/x.png"/></svg>')
    docx = render_docx(make_content(logo=str(logo)))
    assert [name for name in parts(docx) if name.startswith("word/media/")] == []
    assert external_relationships(docx) == [(t, u) for t, u in external_relationships(docx) if t == HYPERLINK]


def test_docx_control_characters_dropped_words_kept():
    content = make_content((("Odd", ("<p>Tab\there, vertical\x0btab, bell\x07sound.</p>",)),))
    docx = render_docx(content)
    document = xml(docx, "word/document.xml")
    assert [paragraph_text(p) for p in section_paragraphs(document)] == ["Tab here, vertical tab, bellsound."]
    assert docx_words(docx) == (content.words.body, content.words.notes)


# From the database, through document_content.


@pytest.fixture
def demo_content(db):
    State.objects.create(code="FIN", name="Finland")
    DocumentLimitFactory(cycle=CycleFactory(number=4), kind="joint", max_words=5630)
    report = demo_seed()
    submission = demo_submission_seed(coalition=report.coalition, review=report.review)
    return document_content(submission)


def test_docx_words_equal_portal_count_for_demo_submission(demo_content):
    content = demo_content
    assert content.words.body > 2000
    assert len(content.footnotes) >= 12
    docx = render_docx(content)
    assert docx_words(docx) == (content.words.body, content.words.notes)
    document = xml(docx, "word/document.xml")
    numbered_texts = [
        split_words(paragraph_text(p)) for p in section_paragraphs(document) if style_of(p) is None and numbered(p)
    ]
    assert numbered_texts == [html_words(b.html) for s in content.sections for b in s.blocks if b.kind == "paragraph"]
    assert len({numbered(p)[0] for p in section_paragraphs(document) if style_of(p) is None and numbered(p)}) == 1
    assert content.paragraph_numbers == list(range(1, len(numbered_texts) + 1))
    references = document.xpath("//w:footnoteReference/@w:id", namespaces=NS)
    assert len(references) == len(set(references)) == len(content.footnotes)


def test_docx_from_document_content_in_order_with_organisations(db):
    world = document_world()
    content = document_content(world.submission, today=datetime.date(2026, 11, 30))
    docx = render_docx(content)
    assert docx_words(docx) == (content.words.body, content.words.notes)
    document = xml(docx, "word/document.xml")
    texts = [paragraph_text(p) for p in document.iter(f"{{{W}}}p")]
    first_section = texts.index("Introduction")
    assert texts[:first_section] == [
        "Kenyana UPR Coalition",
        "Joint submission to the Universal Periodic Review of Finlandia, 52nd session (4th cycle)",
        "30 November 2026",
        "Submitted jointly by:",
        "Alpha Watch (AW), Nairobi, Kenyana",
        "Bravo Legal Aid (BLA), Mombasa, Kenyana",
        "Charlie Institute, Kisumu, Kenyana",
        *(
            [f"Contact person: {', '.join(filter(None, (content.contact_name, content.contact_email)))}"]
            if content.contact_name or content.contact_email
            else []
        ),
        "Executive summary",
        "Hotel summary of the submission in eight words.",
        "Keywords: detention, police custody",
    ]
    words = [word for p in section_paragraphs(document) for word in split_words(paragraph_text(p))]
    assert words == [word for s in content.sections for b in s.blocks for word in html_words(b.html)]
    notes = note_paragraphs(xml(docx, "word/footnotes.xml"))
    assert [paragraph_text(note[0]).strip() for note in notes] == [
        "Visit reports archived by Alpha Watch.",
        "Case files of Bravo Legal Aid.",
        "Interviews held in March.",
        "As recommended in the previous cycle.",
    ]


def test_web_process_start_loads_no_docx_library():
    # A fresh interpreter: this test process has loaded python-docx and lxml already.
    code = (
        "import sys, django; django.setup(); import upr_portal.wsgi, upr_portal.urls, submissions.tasks; "
        "from django.urls import get_resolver; get_resolver().url_patterns; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'docx', 'lxml'}))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        timeout=120,
    )
    assert (result.returncode, result.stdout.strip()) == (0, "[]"), result.stderr


def test_docx_webp_logo_embedded_as_png(settings, tmp_path):
    from PIL import Image

    settings.MEDIA_ROOT = str(tmp_path)
    logo = tmp_path / "logo.webp"
    Image.new("RGB", (8, 4), (200, 0, 0)).save(logo, "WEBP")
    files = parts(render_docx(make_content(logo=str(logo))))
    media = [name for name in files if name.startswith("word/media/")]
    assert media == ["word/media/image1.png"]
    with Image.open(io.BytesIO(files[media[0]])) as embedded:
        assert (embedded.format, embedded.size) == ("PNG", (8, 4))


def test_docx_space_before_footnote_call_moves_after_it():
    stored = (
        '<p>Held in cells <span data-footnote="">Case files.</span> for <em>weeks </em>'
        '<span data-footnote="">Two.</span></p>'
    )
    content = make_content((("Calls", (stored,)),))
    docx = render_docx(content)
    (paragraph,) = section_paragraphs(xml(docx, "word/document.xml"))
    runs = [
        "^" if run.find(f"{{{W}}}footnoteReference") is not None else "".join(run.xpath("w:t/text()", namespaces=NS))
        for run in paragraph.findall(f"{{{W}}}r")
    ]
    assert runs == ["Held in cells", "^", " for ", "weeks", "^"]
    # A call standing alone between spaces would be a word to a word processor; the portal counts none.
    assert content.sections[0].words == WordCount(body=5, notes=3)
    assert docx_words(docx) == (content.words.body, content.words.notes)


def test_docx_words_call_inside_word_counted_once_by_word():
    # The portal's rule lets a note's boundaries separate the words around it, so "Remand<note>prisoners"
    # is 2 words and the full stop after "cells<note>." one more; Word reads one word each. The DOCX keeps
    # the text as written, so Word counts fewer words than the portal there, never more.
    stored = '<p>Remand<span data-footnote="">One.</span>prisoners in cells<span data-footnote="">Two.</span>.</p>'
    content = make_content((("Calls", (stored,)),))
    assert content.sections[0].words == WordCount(body=5, notes=2)
    assert docx_words(render_docx(content)) == (content.words.body - 2, content.words.notes)
