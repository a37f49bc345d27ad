"""The submission's PDF, read back with pypdf: content in order, numbering, notes, limits, fonts, metadata."""

import gc
import html
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from submissions.documents.content import DocumentContent, document_content
from submissions.documents.limits import SectionOverBudget
from submissions.documents.pdf import PdfResult, render_pdf, render_plain
from tests.factories.documents import document_world
from tests.shared_data import module_rows
from tests.submissions.pdf_text import (
    body_runs,
    call_runs,
    joined,
    normalise,
    note_runs,
    page_texts,
    pdf_reader,
    pdf_runs,
    text_pages,
)

MARK = "DRAFT - OVER LIMIT"
FONTS = Path(settings.BASE_DIR) / "static" / "fonts" / "tinos"


@dataclass
class Rendered:
    within: DocumentContent  # within its limits
    within_pdf: PdfResult
    over: DocumentContent  # the same submission under a tiny limit: 50 words, 1 page
    over_pdf: PdfResult
    pages_over: DocumentContent  # within the word limit, over a page limit of 1
    pages_over_pdf: PdfResult


def build() -> Rendered:
    """Three renders of one submission with a long section, under three limits."""
    world = document_world(long_section=True)
    world.submission.contact_name, world.submission.contact_email = "Aino Contact", "aino@example.org"
    world.submission.save(update_fields=["contact_name", "contact_email"])
    within = document_content(world.submission)
    within_pdf = render_pdf(within)
    world.limit.max_words, world.limit.max_pages = 50, 1
    world.limit.save(update_fields=["max_words", "max_pages"])
    over = document_content(world.submission)
    over_pdf = render_pdf(over)
    world.limit.max_words = 5630
    world.limit.save(update_fields=["max_words"])
    pages_over = document_content(world.submission)
    return Rendered(within, within_pdf, over, over_pdf, pages_over, render_pdf(pages_over))


rendered = module_rows("rendered", build)


def plain(block_html: str) -> str:
    """A block's words as the PDF shows them: without markup and without its footnotes."""
    text = re.sub(r'<span data-footnote-ref="[0-9]+"></span>', "", block_html)
    return normalise(html.unescape(re.sub(r"<[^>]+>", " ", text)))


def test_pdf_paragraph_words_present_once_and_in_order(rendered):
    content, result = rendered.within, rendered.within_pdf
    body = joined([run for run in body_runs(pdf_runs(result.pdf_bytes)) if not re.fullmatch(r"[0-9]+\.", run.text)])
    position = 0
    blocks = [block for section in content.sections for block in section.blocks]
    assert len(blocks) == 31
    for block in blocks:
        text = plain(block.html)
        assert body.count(text) == 1, text
        found = body.index(text)
        assert found >= position, text
        position = found + len(text)


def test_pdf_paragraph_numbers_continuous_across_sections(rendered):
    content, result = rendered.within, rendered.within_pdf
    numbers = [
        int(run.text[:-1]) for run in body_runs(pdf_runs(result.pdf_bytes)) if re.fullmatch(r"[0-9]+\.", run.text)
    ]
    assert numbers == list(range(1, 30))
    assert content.paragraph_numbers == numbers
    # Each number opens its own paragraph: "3." then the words of paragraph 3.
    body = joined(body_runs(pdf_runs(result.pdf_bytes)))
    assert "3. Charlie detainees waited nineteen days in police cells." in body
    assert "6. Kilo01 the coalition" in body


def test_pdf_signatories_listed_before_the_first_section(rendered):
    result = rendered.within_pdf
    body = joined(body_runs(pdf_runs(result.pdf_bytes)))
    first_heading = body.index("Introduction 1.")
    for line in (
        "Submitted jointly by:",
        "Alpha Watch (AW), Nairobi, Kenyana",
        "Bravo Legal Aid (BLA), Mombasa, Kenyana",
        "Charlie Institute, Kisumu, Kenyana",
    ):
        assert body.count(line) == 1, line
        assert body.index(line) < first_heading, line
    assert body.index("Contact person: Aino Contact, aino@example.org") < first_heading
    assert body.index("Kenyana UPR Coalition") < body.index("Joint submission to the Universal Periodic Review")
    assert "Joint submission to the Universal Periodic Review of Finlandia, 52nd session (4th cycle)" in body


def test_pdf_footnotes_with_their_text_and_calls(rendered):
    content, result = rendered.within, rendered.within_pdf
    runs = pdf_runs(result.pdf_bytes)
    notes = joined(note_runs(runs))
    assert notes == (
        "1 Visit reports archived by Alpha Watch. 2 Case files of Bravo Legal Aid. "
        "3 Interviews held in March. 4 As recommended in the previous cycle."
    )
    assert [n.html for n in content.footnotes] == [
        "Visit reports archived by Alpha Watch.",
        "Case files of Bravo Legal Aid.",
        "Interviews held in March.",
        "As recommended in the previous cycle.",
    ]
    # Two calls in a row are kept apart: "2,3", never "23".
    assert [run.text for run in call_runs(runs)] == ["1", "2", ",", "3", "4"]


def test_pdf_page_count_equals_the_report(rendered):
    result = rendered.within_pdf
    texts = page_texts(result.pdf_bytes)
    assert len(texts) == result.total_pages == result.report.total_pages
    assert result.pages == result.report.pages == result.total_pages - 1
    # The annex, outside the count, starts on the page after the counted ones.
    assert [i for i, text in enumerate(texts, start=1) if "Annex: the submitting organisations" in text] == [
        result.pages + 1
    ]
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in text
    assert result.report.is_over is False
    assert result.overflow == ()
    assert not any(MARK in text for text in texts)


def test_pdf_running_header_after_the_first_page(rendered):
    result = rendered.within_pdf
    header = (
        "Kenyana UPR Coalition – Joint submission to the Universal Periodic Review of Finlandia, "
        "52nd session (4th cycle)"
    )
    by_page: dict[int, list[str]] = {}
    for run in pdf_runs(result.pdf_bytes):
        if run.size == 8.5:
            by_page.setdefault(run.page, []).append(run.text)
    assert sorted(by_page) == list(range(2, result.total_pages + 1))
    for texts in by_page.values():
        assert normalise(" ".join(texts)) == header


def test_pdf_over_limit_marked_on_every_page(rendered):
    over_result = rendered.over_pdf
    texts = page_texts(over_result.pdf_bytes)
    assert len(texts) == over_result.total_pages >= 3
    assert [text.count(MARK) for text in texts] == [1] * len(texts)


def test_pdf_over_limit_report_exact(rendered):
    over, over_result = rendered.over, rendered.over_pdf
    report = over_result.report
    # 56 words of the small world, 8 of them the executive summary, and 24 x 60 of the long section.
    assert (report.words_body, report.words_notes, report.words_counted) == (56 + 1440, 22, 1518)
    assert (report.max_words, report.over_words) == (50, 1468)
    assert report.sections_over == (
        SectionOverBudget(title="Remand", budget=100, words=1440),
        SectionOverBudget(title="Detention", budget=20, words=34),
    )
    assert [s.over_by for s in report.sections_over] == [1340, 14]
    assert (report.max_pages, report.pages) == (1, over_result.pages)
    assert report.over_pages == over_result.pages - 1 >= 1
    assert report.is_over is True
    # The paragraphs beyond page 1 are those whose last words the PDF shows after page 1.
    body, pages = text_pages(
        [run for run in body_runs(pdf_runs(over_result.pdf_bytes)) if not re.fullmatch(r"[0-9]+\.", run.text)]
    )
    beyond = []
    for block in (b for s in over.sections for b in s.blocks if b.number is not None):
        text = plain(block.html)
        assert body.count(text) == 1, text
        if pages[body.index(text) + len(text) - 1] > 1:
            beyond.append(block.number)
    beyond = tuple(beyond)
    assert report.paragraphs_beyond == over_result.overflow == beyond
    assert beyond[0] > 5
    assert beyond[-1] == 29


def test_pdf_fonts_are_the_shipped_tinos(rendered):
    from fontTools.ttLib import TTFont

    result = rendered.within_pdf
    shipped = {}
    for path in FONTS.glob("*.woff"):
        font = TTFont(path)
        shipped[font["name"].getDebugName(4)] = font["name"].getDebugName(5)
    embedded = {}
    for page in pdf_reader(result.pdf_bytes).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            name = str(font["/BaseFont"]).split("+", 1)[1]
            embedded[name] = descriptor["/FontFile2"].get_object().get_data()
    assert sorted(embedded) == ["Tinos", "Tinos-Bold", "Tinos-Italic"]
    for data in embedded.values():
        font = TTFont(io.BytesIO(data))
        full_name = font["name"].getDebugName(4)
        assert full_name in shipped, full_name
        assert font["name"].getDebugName(5) == shipped[full_name]


def test_pdf_metadata_and_tags(rendered):
    result = rendered.within_pdf
    reader = pdf_reader(result.pdf_bytes)
    metadata = reader.metadata
    assert metadata.title == "Joint submission to the Universal Periodic Review of Finlandia, 52nd session (4th cycle)"
    assert metadata.author == "Kenyana UPR Coalition"
    assert metadata.subject == (
        "Stakeholder submission by Kenyana UPR Coalition to the Universal Periodic Review of Finlandia"
    )
    assert metadata["/Keywords"] == "detention, police custody"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert "/StructTreeRoot" in root
    assert "/EmbeddedFiles" not in root.get("/Names", {})


@pytest.mark.parametrize("language", ["fr", "es"])
def test_pdf_language_in_metadata(db, language):
    world = document_world()
    world.submission.language = language
    world.submission.save(update_fields=["language"])
    result = render_pdf(document_content(world.submission))
    assert pdf_reader(result.pdf_bytes).trailer["/Root"]["/Lang"] == language
    assert f'<html lang="{language}">' in result.html


def test_pdf_over_the_page_limit_only_marked_on_every_page(rendered):
    content, result = rendered.pages_over, rendered.pages_over_pdf
    report = result.report
    assert (report.words_counted, report.max_words, report.over_words) == (1518, 5630, 0)
    assert (report.max_pages, report.pages) == (1, result.pages)
    assert report.over_pages == result.pages - 1 >= 1
    texts = page_texts(result.pdf_bytes)
    assert len(texts) == result.total_pages
    assert [text.count(MARK) for text in texts] == [1] * len(texts)
    assert result.overflow == report.paragraphs_beyond
    assert result.overflow == tuple(range(result.overflow[0], 30))
    assert content.paragraph_numbers[-1] == 29


def test_pdf_logo_embedded_from_media_as_a_data_uri(db, settings, tmp_path):
    from django.core.files.base import ContentFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    world = document_world()
    image = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(image, format="PNG")
    world.coalition.logo.save("logo.png", ContentFile(image.getvalue()))
    content = document_content(world.submission)
    assert content.coalition_logo_path == str((tmp_path / "coalition-logos" / "logo.png").resolve())
    result = render_pdf(content)
    assert 'src="data:image/png;base64,' in result.html
    assert str(tmp_path) not in result.html
    images = [
        xobject.get_object()
        for xobject in pdf_reader(result.pdf_bytes).pages[0]["/Resources"]["/XObject"].values()
        if xobject.get_object()["/Subtype"] == "/Image"
    ]
    assert [(i["/Width"], i["/Height"]) for i in images] == [(40, 20)]


def test_render_leaves_no_cycles_for_a_full_collection(rendered):
    # What a render makes is freed when it ends, by a young collection: none of it is left for the
    # oldest generation, which only a collection of the worker's whole heap clears.
    render_plain(rendered.within_pdf.html)  # whatever WeasyPrint keeps from a first render
    gc.collect()
    before = len(gc.get_objects())

    render_plain(rendered.within_pdf.html)

    assert gc.isenabled()
    assert len(gc.get_objects()) - before < 50


def test_render_leaves_the_collector_off_when_it_was(rendered):
    gc.disable()
    try:
        render_plain(rendered.within_pdf.html)
        assert not gc.isenabled()
    finally:
        gc.enable()
