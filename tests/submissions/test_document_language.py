"""A submission written in French gives French documents, whoever asks for them: read back from the files."""

import re

import pytest
from django.utils import translation

from submissions.documents.content import document_content
from submissions.documents.docx import render_docx
from submissions.documents.pdf import render_pdf
from submissions.models import Submission
from tests.factories.documents import document_world
from tests.shared_data import module_rows
from tests.submissions.docx_text import W, paragraph_text, parts, xml
from tests.submissions.pdf_text import normalise, page_texts

TITLE_FR = "Contribution conjointe à l'Examen périodique universel – Finlandie, 52e session (4e cycle)"
FRENCH_DATE = (
    r"\b\d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) 20\d\d\b"
)
ENGLISH_FIXED_TEXTS = ("Joint submission", "Page 1 of", "DRAFT - OVER LIMIT", "Executive summary", "Keywords", "Annex:")


def build():
    """A French submission over its word limit, asked for by a person who reads the portal in Spanish."""
    world = document_world(max_words=60)
    world.submission.language = "fr"
    world.submission.save(update_fields=["language"])
    state = world.submission.review.state
    state.name_fr, state.name_es = "Finlandie", "Finlandia (es)"
    state.save(update_fields=["name_fr", "name_es"])
    country = world.organisations[0].country
    country.name_fr = "Kényanie"
    country.save(update_fields=["name_fr"])
    with translation.override("es"):
        content = document_content(world.submission)
        pdf = render_pdf(content)
        docx = render_docx(content)
    return content, pdf, docx


rendered = module_rows("rendered", build)


def test_title_and_names_in_the_submissions_language(rendered):
    content, _pdf, _docx = rendered
    assert content.language == "fr"
    assert content.title == TITLE_FR
    assert content.state_name == "Finlandie"
    assert {organisation.country for organisation in content.organisations} == {"Kényanie"}


def test_pdf_read_back_is_french_on_every_page(rendered):
    _content, pdf, _docx = rendered
    pages = [normalise(text) for text in page_texts(pdf.pdf_bytes)]
    assert len(pages) == pdf.total_pages >= 2
    assert TITLE_FR in pages[0]
    assert "Contribution conjointe de : Alpha Watch (AW), Nairobi, Kényanie" in pages[0]
    assert re.search(FRENCH_DATE, pages[0])
    assert "Résumé analytique" in pages[0]
    assert "Annexe : les organisations auteures de la contribution" in pages[-1]
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} sur {len(pages)}" in text
        assert "PROJET - LIMITE DÉPASSÉE" in text
        for english in ENGLISH_FIXED_TEXTS:
            assert english not in text, (number, english)
    assert "Kényanie" in " ".join(pages)


def test_pdf_metadata_language_is_french(rendered):
    _content, pdf, _docx = rendered
    assert '<html lang="fr">' in pdf.html
    assert "Contribution des parties prenantes" in pdf.html


def test_docx_read_back_is_french(rendered):
    _content, _pdf, docx = rendered
    document = xml(docx, "word/document.xml")
    texts = [paragraph_text(paragraph) for paragraph in document.iter(f"{{{W}}}p")]
    assert TITLE_FR in texts
    assert "Contribution conjointe de\u00a0:" in texts
    assert "Annexe\u00a0: les organisations auteures de la contribution" in texts
    assert "Résumé analytique" in texts
    whole = " ".join(texts)
    for english in ENGLISH_FIXED_TEXTS:
        assert english not in whole, english
    footers = " ".join(
        paragraph_text(paragraph)
        for name in parts(docx)
        if name.startswith("word/footer")
        for paragraph in xml(docx, name).iter(f"{{{W}}}p")
    )
    assert footers.startswith("Page ")
    assert " sur " in footers
    assert " of " not in footers


def test_word_count_does_not_depend_on_the_documents_language(rendered):
    """The one word-count rule whatever the language: the same submission in English counts the same."""
    content, pdf, _docx = rendered
    submission = Submission.objects.get(pk=content.submission_pk)
    submission.language = "en"
    submission.save(update_fields=["language"])  # undone after the test, as each test's writes are

    english = document_content(submission)

    assert english.title != content.title
    assert (english.words, english.counted_words) == (content.words, content.counted_words)
    assert pdf.report.words_counted == content.counted_words > 60


@pytest.fixture(autouse=True)
def _english_outside(db):
    """The test itself runs in English: only the submission's language may make the documents French."""
    with translation.override("en"):
        yield
