"""Reads a PDF back with pypdf: its text by page, split by what the text is (body, notes, calls...).

WeasyPrint writes each run of text with its font size, so the size tells the parts of a page apart:
the text and its headings are 12 pt or more, the footnotes and the page number 10 pt, the running
header 8.5 pt and the footnote calls 8 pt (static/css/document.css).
"""

import io
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Run:
    page: int  # 1-based
    size: float
    font: str
    text: str


def pdf_reader(pdf_bytes: bytes):
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(pdf_bytes))


def pdf_runs(pdf_bytes: bytes) -> list[Run]:
    runs: list[Run] = []
    for number, page in enumerate(pdf_reader(pdf_bytes).pages, start=1):

        def visit(text, cm, tm, font, size, number=number):
            if text.strip():
                runs.append(Run(number, round(size * cm[0], 1), str(font.get("/BaseFont", "")) if font else "", text))

        page.extract_text(visitor_text=visit)
    return runs


def joined(runs: list[Run]) -> str:
    return normalise(" ".join(run.text for run in runs))


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def body_runs(runs: list[Run]) -> list[Run]:
    """The text and its headings, without list bullets (WeasyPrint draws a page's bullets after its text)."""
    return [run for run in runs if run.size >= 12 and run.text.strip() != "•"]


def note_runs(runs: list[Run]) -> list[Run]:
    return [run for run in runs if run.size == 10 and not run.text.startswith("Page ")]


def call_runs(runs: list[Run]) -> list[Run]:
    return [run for run in runs if run.size == 8]


def page_texts(pdf_bytes: bytes) -> list[str]:
    return [page.extract_text() for page in pdf_reader(pdf_bytes).pages]


def text_pages(runs: list[Run]) -> tuple[str, list[int]]:
    """The runs' text joined as ``joined`` joins it, with the page of each of its characters."""
    text, pages = "", []
    for run in runs:
        piece = normalise(run.text)
        if not piece:
            continue
        if text:
            text += " "
            pages.append(run.page)
        text += piece
        pages.extend([run.page] * len(piece))
    return text, pages
