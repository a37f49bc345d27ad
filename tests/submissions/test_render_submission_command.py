"""``manage.py render_submission``: writes the PDF or its HTML, prints the figures, exits 1 when over."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories.documents import document_world
from tests.submissions.pdf_text import page_texts


def run(*args) -> str:
    out = io.StringIO()
    call_command("render_submission", *args, stdout=out)
    return out.getvalue()


def test_render_submission_pdf_writes_the_file_and_prints_the_figures(db, tmp_path):
    world = document_world()
    output = tmp_path / "js.pdf"
    printed = run(str(world.submission.pk), "--format", "pdf", "--output", str(output))
    texts = page_texts(output.read_bytes())
    assert output.read_bytes().startswith(b"%PDF-")
    assert printed.splitlines() == [
        "Words: 56 in the text, 22 in the notes, 78 counted (notes count).",
        "Word limit: 5,630.",
        f"Pages: {len(texts) - 1} ({len(texts)} with the annex).",
        "Page limit: 10.",
        "“Detention”: 34 words, 14 over its budget of 20.",
        f"Wrote {output} ({output.stat().st_size} bytes).",
    ]


def test_render_submission_html_writes_what_weasyprint_lays_out(db, tmp_path):
    world = document_world()
    output = tmp_path / "js.html"
    printed = run(str(world.submission.pk), "--format", "html", "--output", str(output))
    html = output.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>")
    assert '<p class="para" id="para-3"><span class="para-number">3.</span>Charlie detainees' in html
    assert "@font-face" in html
    assert printed.splitlines()[0] == "Words: 56 in the text, 22 in the notes, 78 counted (notes count)."


def test_render_submission_over_a_limit_exits_1_after_writing(db, tmp_path):
    world = document_world(max_words=50, max_pages=1)
    output = tmp_path / "js.pdf"
    out = io.StringIO()
    with pytest.raises(CommandError, match="over a limit") as raised:
        call_command("render_submission", world.submission.pk, "--output", str(output), stdout=out)
    assert raised.value.returncode == 1
    assert page_texts(output.read_bytes())[0].count("DRAFT - OVER LIMIT") == 1
    assert "28 words over the limit of 50 (78 counted)." in out.getvalue().splitlines()


def test_render_submission_unknown_submission_is_an_error(db, tmp_path):
    with pytest.raises(CommandError, match=r"There is no submission 999999\."):
        run("999999", "--output", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


def test_render_submission_docx_writes_a_word_document(db, tmp_path):
    import zipfile

    world = document_world()
    output = tmp_path / "js.docx"
    printed = run(str(world.submission.pk), "--format", "docx", "--output", str(output))
    with zipfile.ZipFile(output) as docx:
        assert "word/document.xml" in docx.namelist()
        assert "Charlie detainees waited nineteen days" in docx.read("word/document.xml").decode()
    assert printed.splitlines()[:2] == [
        "Words: 56 in the text, 22 in the notes, 78 counted (notes count).",
        "Word limit: 5,630.",
    ]


def test_render_submission_docx_over_the_page_limit_is_marked_and_exits_1(db, tmp_path):
    """The DOCX gets the PDF's pages: the same figures and the same mark as the job gives it."""
    import zipfile

    world = document_world(max_pages=1)
    world.submission.sections.update(body="<p>" + "Many words of testimony. " * 400 + "</p>")
    output = tmp_path / "js.docx"
    out = io.StringIO()
    with pytest.raises(CommandError, match="over a limit") as raised:
        call_command("render_submission", world.submission.pk, "--format", "docx", "--output", str(output), stdout=out)
    with zipfile.ZipFile(output) as docx:
        headers = [docx.read(name).decode() for name in docx.namelist() if name.startswith("word/header")]
    assert raised.value.returncode == 1
    assert any("DRAFT - OVER LIMIT" in header for header in headers)
    lines = out.getvalue().splitlines()
    assert "Page limit: 1." in lines
    assert [line for line in lines if re.fullmatch(r"\d+ pages? over the limit of 1 \(\d+ pages\)\.", line)] != []
