"""The PDF fetches nothing and embeds nothing it should not: SSRF and local-file payloads, the URL fetcher."""

import dataclasses
import http.server
import re
import threading
from pathlib import Path

import pytest
from django.conf import settings

from submissions.documents.content import Block, document_content
from submissions.documents.pdf import SafeFetcher, allowed_path, render_pdf
from submissions.models import Section
from tests.factories.documents import document_world
from tests.submissions.pdf_text import page_texts, pdf_reader

STATIC = Path(settings.BASE_DIR) / "static"
FONT = STATIC / "fonts" / "tinos" / "tinos-latin-400-normal.woff"


@pytest.fixture
def server():
    """A web server on 127.0.0.1 that counts every request it gets (and redirects to a local file)."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    finally:
        httpd.shutdown()
        httpd.server_close()


def payloads(base: str) -> list[str]:
    static_url = STATIC.resolve().as_uri()
    return [
        f'<p>Alpha<img src="{base}/img.png"> image</p>',
        '<p><img src="file:///etc/passwd"><img src="../../../../../../etc/hostname">'
        f'<img src="{static_url}/../../../etc/passwd">Bravo</p>',
        '<p><a rel="attachment" href="file:///etc/passwd">Charlie attachment</a></p>',
        '<p><a rel="attachment" href="../../../../../../../etc/passwd">Delta attachment</a></p>',
        f'<p><a rel="attachment" href="{static_url}/../pyproject.toml">Echo attachment</a></p>',
        f'<p><a rel="attachment" href="{base}/attachment.txt">Foxtrot attachment</a></p>',
        f'<link rel="stylesheet" href="{base}/style.css"><link rel="attachment" href="file:///etc/passwd">',
        f'<style>@import url("{base}/import.css"); p {{ background: url("{base}/background.png") }} '
        f'@font-face {{ font-family: X; src: url("{base}/font.woff2") }} .x {{ font-family: X }}</style>',
        f'<p class="x" style="background-image: url({base}/inline.png); '
        f'list-style-image: url({base}/list.png)">Golf</p>',
        f'<p><object data="{base}/object"></object><embed src="{base}/embed">'
        f'<iframe src="{base}/frame"></iframe>Hotel</p>',
        f'<svg width="10" height="10"><image href="{base}/svg.png" width="10" height="10"/></svg>',
        f'<p><a href="{base}/link">India link</a> <a href="../../../etc/passwd">Juliet link</a></p>',
    ]


def assert_nothing_embedded(pdf_bytes: bytes) -> None:
    reader = pdf_reader(pdf_bytes)
    assert reader.attachments == {}
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
    for page in reader.pages:
        for annotation in page.get("/Annots", []) or []:
            assert annotation.get_object()["/Subtype"] != "/FileAttachment"
    assert b"root:x:0:0" not in pdf_bytes


def test_pdf_payloads_in_section_text_fetch_and_embed_nothing(db, server):
    base, hits = server
    world = document_world()
    # Written behind the save service's back: the document cleans the text again before rendering.
    Section.objects.filter(pk=world.sections[0].pk).update(body="".join(payloads(base)))
    result = render_pdf(document_content(world.submission))
    assert hits == []
    assert_nothing_embedded(result.pdf_bytes)
    text = page_texts(result.pdf_bytes)[0]
    assert "Charlie attachment" in text
    # What the cleaner leaves of the payloads: ordinary web links, which a PDF shows and never fetches.
    assert re.findall(r'<a href="(http://127\.0\.0\.1:[0-9]+/[a-z.]+)"', result.html) == [
        f"{base}/attachment.txt",
        f"{base}/link",
    ]
    assert result.html.count(base) == 2
    for gone in ('attachment"', "<img", "<link", "<object", "<embed", "<iframe", "<svg", "url(", "etc/passwd"):
        assert gone not in result.html.split("<body>")[1], gone


def test_pdf_payloads_past_the_cleaner_fetch_and_embed_nothing(db, server):
    """Even markup the cleaner would never let through reaches no server and no local file."""
    base, hits = server
    content = document_content(document_world().submission)
    raw = tuple(Block(kind="paragraph", html=payload, number=100 + i) for i, payload in enumerate(payloads(base)))
    first = dataclasses.replace(content.sections[0], blocks=content.sections[0].blocks + raw)
    content = dataclasses.replace(content, sections=(first, *content.sections[1:]))
    result = render_pdf(content)
    assert base in result.html
    assert hits == []
    assert_nothing_embedded(result.pdf_bytes)
    # The fonts still come from the static folder.
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[1]
        for page in pdf_reader(result.pdf_bytes).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts <= {"Tinos", "Tinos-Bold", "Tinos-Italic", "Tinos-BoldItalic"}


@pytest.fixture
def static_dir(tmp_path):
    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    (static / "css" / "ok.css").write_text("p { color: black }")
    (tmp_path / "secret.txt").write_text("secret")
    (static / "css" / "link.css").symlink_to(tmp_path / "secret.txt")
    (static / "inside-link.css").symlink_to(static / "css" / "ok.css")
    return static


def test_safe_fetcher_refuses_http_and_https(server):
    base, hits = server
    fetcher = SafeFetcher()
    for url in (f"{base}/x", base.replace("http:", "https:") + "/x", f"HTTP://127.0.0.1:{base.rsplit(':', 1)[1]}/y"):
        with pytest.raises(ValueError, match=r"disallowed protocol|Refused"):
            fetcher.fetch(url)
    assert hits == []


def test_safe_fetcher_refuses_files_outside_static(static_dir, tmp_path):
    fetcher = SafeFetcher(roots=[static_dir])
    refused = [
        "file:///etc/passwd",
        (tmp_path / "secret.txt").as_uri(),
        static_dir.as_uri() + "/../secret.txt",
        static_dir.as_uri() + "/css/../../secret.txt",
        static_dir.as_uri() + "/css/%2e%2e/%2e%2e/secret.txt",
        (static_dir / "css" / "link.css").as_uri(),  # a symlink out of the static folder
        (static_dir / "css").as_uri(),  # a folder, not a regular file
        (static_dir / "missing.css").as_uri(),
        "file://example.org" + str(static_dir / "css" / "ok.css"),
    ]
    for url in refused:
        with pytest.raises(ValueError, match="Refused"):
            fetcher.fetch(url)
    assert fetcher.refused == refused
    for url in ("ftp://127.0.0.1/x", "javascript:alert(1)"):
        with pytest.raises(ValueError, match="Refused"):
            fetcher.fetch(url)


def test_safe_fetcher_allows_files_inside_static(static_dir):
    fetcher = SafeFetcher(roots=[static_dir])
    response = fetcher.fetch((static_dir / "css" / "ok.css").as_uri())
    assert (response.read(), response.content_type) == (b"p { color: black }", "text/css")
    # A symlink that stays inside the folder is judged by where it leads, like any other path.
    assert fetcher.fetch((static_dir / "inside-link.css").as_uri()).read() == b"p { color: black }"
    assert (
        allowed_path((static_dir / "inside-link.css").as_uri(), [static_dir])
        == (static_dir / "css" / "ok.css").resolve()
    )
    assert fetcher.refused == []


def test_safe_fetcher_allows_a_shipped_font_and_data_uris():
    fetcher = SafeFetcher()
    response = fetcher.fetch(FONT.as_uri())
    assert response.read() == FONT.read_bytes()
    assert fetcher.fetch("data:text/plain;base64,S2lsbw==").read() == b"Kilo"
    assert fetcher.refused == []
