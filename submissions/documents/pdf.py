"""The submission's PDF, laid out by WeasyPrint: the one module that imports it, inside functions only.

WeasyPrint is imported when a PDF is made (by the Celery job or the ``render_submission`` command),
never when the web process starts: ruff's banned-module-level-imports keeps it so. ``SafeFetcher``
is built on first use for the same reason (a module ``__getattr__``).

Safety: the HTML comes from cleaned user text, and WeasyPrint is given a URL fetcher that loads only
``data:`` URIs and regular files whose real path lies in the project's static folders (fonts, the
stylesheet). Everything else is refused: http(s) and every other scheme (so no redirect can happen),
``file:`` elsewhere, ``../`` and symlinks out of the folder. The same fetcher serves the HTML, its
CSS, its images and ``write_pdf`` (``rel=attachment``), and presentational hints stay off.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import mimetypes
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings

from submissions.documents.content import DocumentContent
from submissions.documents.html import document_html, stylesheet_path
from submissions.documents.limits import DocumentReport, words_report

PDF_VARIANT = "pdf/ua-1"
# Where the counted text ends: the annex, outside the count, starts on a new page after it.
COUNTED_END_ANCHOR = "counted-end"


@dataclass(frozen=True)
class PdfResult:
    pdf_bytes: bytes
    pages: int  # the pages of the counted text (the annex starts on a page of its own after them)
    overflow: tuple[int, ...]  # numbered paragraphs that do not end within the page limit
    total_pages: int = 0  # every page, the annex included
    report: DocumentReport | None = None  # the words and pages against the limit
    html: str = ""  # exactly what WeasyPrint laid out

    @property
    def pdf(self) -> bytes:
        return self.pdf_bytes

    @property
    def paragraphs_beyond(self) -> tuple[int, ...]:
        return self.overflow


@dataclass(frozen=True)
class Layout:
    """What a laid-out document tells before any PDF byte is written."""

    pages: int
    total_pages: int
    paragraph_pages: dict[int, int]  # paragraph number -> the (1-based) page it ends on


def static_roots() -> tuple[Path, ...]:
    """The folders the fetcher may read from: the static folders and the collected static root."""
    roots = [*settings.STATICFILES_DIRS, settings.STATIC_ROOT]
    return tuple(Path(os.fspath(root)).resolve() for root in roots if root and Path(os.fspath(root)).is_dir())


def allowed_path(url: str, roots: Iterable[Path]) -> Path | None:
    """The real path of a ``file:`` URL when it names a regular file inside one of ``roots``, else None.

    The path is resolved before the check, so ``../`` and symlinks are judged by where they lead.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    raw = url2pathname(unquote(parts.path))
    if not raw or "\x00" in raw or not os.path.isabs(raw):
        return None
    try:
        real = Path(raw).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not real.is_file():
        return None
    for root in roots:
        if real.is_relative_to(Path(root).resolve()):
            return real
    return None


@functools.cache
def _safe_fetcher_class() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SafeFetcher(URLFetcher):
        """Loads ``data:`` URIs and regular files inside the static folders; refuses everything else.

        ``refused`` lists every URL refused, for tests and logs. WeasyPrint catches the error raised
        for a refused URL and leaves the resource out (an image, a font, an attachment).
        """

        def __init__(self, roots: Iterable[Path] | None = None, **kwargs) -> None:
            # No redirects and only two schemes: http(s) never reaches urllib at all. So the HTTPS
            # handler urllib is built with gets one context made once, never used: without it, every
            # render made a default context and read the system's CA certificates (20 ms).
            kwargs.setdefault("ssl_context", _unused_ssl_context())
            super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False, **kwargs)
            self.roots = tuple(Path(root).resolve() for root in (static_roots() if roots is None else roots))
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            path = allowed_path(url, self.roots) if scheme == "file" else None
            if path is None:
                self.refused.append(url)
                raise ValueError(f"Refused by the document's URL fetcher: {url[:200]}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type})

    return SafeFetcher


@functools.cache
def _unused_ssl_context():
    import ssl

    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def __getattr__(name: str):
    if name == "SafeFetcher":
        return _safe_fetcher_class()
    raise AttributeError(name)


def render_pdf(content: DocumentContent) -> PdfResult:
    """Counts the words, lays the document out once, counts its pages and writes the PDF (PDF/UA-1).

    Over a limit the document is still made, marked "DRAFT - OVER LIMIT" on every page: the words are
    known before the layout, and the page limit is checked by the layout itself (see ``document_html``).
    """
    report = words_report(content)
    html = document_html(content, over_limit=report.over_words > 0)
    with _collector_paused():
        document = _render(html)
        layout = read_layout(document, content)
        report = _with_layout(report, layout)
        pdf_bytes = document.write_pdf(pdf_variant=PDF_VARIANT)
        del document
    return PdfResult(
        pdf_bytes=pdf_bytes,
        pages=layout.pages,
        overflow=report.paragraphs_beyond,
        total_pages=layout.total_pages,
        report=report,
        html=html,
    )


@dataclass(frozen=True)
class HtmlPdf:
    pdf: bytes
    pages: int


def render_html_pdf(html: str) -> HtmlPdf:
    """Another kind of document (a matrix, a factsheet) laid out as the submission is: the same URL
    fetcher, fonts and PDF/UA-1 variant. Its HTML inlines ``document_stylesheet()`` for the fonts and
    carries its own title, language and metadata in its <head>."""
    with _collector_paused():
        document = _render(html)
        result = HtmlPdf(pdf=document.write_pdf(pdf_variant=PDF_VARIANT), pages=len(document.pages))
        del document
    return result


def render_plain(html: str) -> bytes:
    """WeasyPrint alone on the same HTML, fetcher and options, the collector paused as for every
    document: the benchmark's yardstick."""
    with _collector_paused():
        return _render(html).write_pdf(pdf_variant=PDF_VARIANT)


@contextlib.contextmanager
def _collector_paused():
    """Python's cycle collector off while WeasyPrint lays out and writes, then one young collection.

    Nearly everything a render makes lives until its end, and most of it in reference cycles (boxes,
    styles, the parsed tree): collections during the render scan it again and again in vain, then
    move it to the oldest generation, where only a full collection of the worker's whole heap frees
    it (0.2-0.3 s, every third job). Collected once the document is dropped, it never gets there.
    """
    if not gc.isenabled():  # someone else manages the collector
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)


@functools.cache
def _font_config():
    """One font configuration per process: the stylesheet's @font-face files are read and decoded once.

    Only the portal's own stylesheet declares fonts (user text is cleaned of styles), so what one
    render registers is what every render would, and WeasyPrint skips a face it already has.
    """
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def _render(html: str):
    from weasyprint import HTML

    source = HTML(string=html, base_url=str(stylesheet_path().parent) + os.sep, url_fetcher=_safe_fetcher_class()())
    return source.render(pdf_variant=PDF_VARIANT, presentational_hints=False, font_config=_font_config())


def read_layout(document, content: DocumentContent) -> Layout:
    """Pages and where each numbered paragraph ends, from the anchors (element ids) of each page."""
    first_page: dict[str, int] = {}
    last_page: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            first_page.setdefault(anchor, number)
            last_page[anchor] = number
    total = len(document.pages)
    counted_end = first_page.get(COUNTED_END_ANCHOR)
    paragraph_pages = {}
    for paragraph in content.paragraph_numbers:
        end = last_page.get(f"para-{paragraph}-end") or last_page.get(f"para-{paragraph}")
        if end is not None:
            paragraph_pages[paragraph] = end
    return Layout(pages=counted_end or total, total_pages=total, paragraph_pages=paragraph_pages)


def _with_layout(report: DocumentReport, layout: Layout) -> DocumentReport:
    beyond = ()
    if report.max_pages is not None:
        beyond = tuple(n for n, page in sorted(layout.paragraph_pages.items()) if page > report.max_pages)
    return report.with_pages(pages=layout.pages, total_pages=layout.total_pages, paragraphs_beyond=beyond)
