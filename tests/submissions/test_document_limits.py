"""The document's figures against its limit: words first, then pages, and what is over."""

import json

import pytest
from django.utils import translation

from submissions.documents.content import document_content
from submissions.documents.limits import DocumentReport, SectionOverBudget, report_lines, words_report
from tests.factories.documents import document_world


@pytest.fixture
def world(db):
    return document_world(max_words=60, max_pages=1)


def test_words_report_over_the_limit_by_how_much(world):
    report = words_report(document_content(world.submission))
    assert (report.words_body, report.words_notes, report.words_counted) == (56, 22, 78)
    assert (report.max_words, report.over_words, report.max_pages, report.pages) == (60, 18, 1, None)
    assert report.sections_over == (SectionOverBudget(title="Detention", budget=20, words=34),)
    assert report.is_over is True


def test_words_report_within_the_limit_when_notes_do_not_count(world):
    world.limit.notes_count = False
    world.limit.save(update_fields=["notes_count"])
    report = words_report(document_content(world.submission))
    assert (report.words_counted, report.over_words, report.is_over) == (56, 0, False)
    # A section's budget is measured the same way: 24 body words, still over its 20.
    assert report.sections_over == (SectionOverBudget(title="Detention", budget=20, words=24),)


def test_words_report_sections_furthest_over_first(world):
    for section, budget in zip(world.sections, (5, 20, 3), strict=True):
        section.word_budget = budget
        section.save(update_fields=["word_budget"])
    report = words_report(document_content(world.submission))
    assert [(s.title, s.words, s.budget, s.over_by) for s in report.sections_over] == [
        ("Introduction", 20, 5, 15),
        ("Detention", 34, 20, 14),
        ("Recommendations", 16, 3, 13),
    ]


def test_report_pages_over_the_page_limit():
    report = DocumentReport(
        words_body=10, words_notes=0, words_counted=10, notes_count=True, max_words=100, max_pages=2
    ).with_pages(pages=4, total_pages=5, paragraphs_beyond=(7, 8))
    assert (report.over_words, report.over_pages, report.is_over) == (0, 2, True)
    assert report.paragraphs_beyond == (7, 8)


def test_report_json_round_trip(world):
    report = words_report(document_content(world.submission)).with_pages(
        pages=2, total_pages=3, paragraphs_beyond=(4, 5)
    )
    data = json.loads(json.dumps(report.as_json()))
    assert data["over_words"] == 18
    assert data["over_pages"] == 1
    assert data["is_over"] is True
    assert data["sections_over"] == [{"title": "Detention", "budget": 20, "words": 34, "over_by": 14}]
    assert DocumentReport.from_json(data) == report


def test_report_lines_say_what_is_over(world):
    report = words_report(document_content(world.submission)).with_pages(
        pages=2, total_pages=3, paragraphs_beyond=(4, 5)
    )
    with translation.override("en"):
        assert report_lines(report) == [
            "Words: 56 in the text, 22 in the notes, 78 counted (notes count).",
            "Word limit: 60.",
            "Pages: 2 (3 with the annex).",
            "Page limit: 1.",
            "18 words over the limit of 60 (78 counted).",
            "1 page over the limit of 1 (2 pages).",
            "Paragraphs beyond page 1: 4, 5.",
            "“Detention”: 34 words, 14 over its budget of 20.",
        ]


def test_report_lines_without_a_limit():
    report = DocumentReport(
        words_body=10, words_notes=2, words_counted=12, notes_count=True, max_words=None, max_pages=None
    ).with_pages(pages=1, total_pages=1)
    assert report_lines(report) == [
        "Words: 10 in the text, 2 in the notes, 12 counted (notes count).",
        "No word limit is set for this kind of submission in this cycle.",
        "Pages: 1.",
    ]
    assert report.is_over is False
