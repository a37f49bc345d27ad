"""The coordinator's journey to the documents: press "Generate documents", watch the status change
to done without a reload, and download the DOCX and the PDF.

The job runs on a real Celery worker, so the page really waits for it: on Redis when REDIS_URL is set
(the ``celery_worker`` fixture, as in CI), otherwise on kombu's filesystem transport as `make run`
runs it without Redis, in folders of the test's own.
"""

import contextlib
import io
import re
import zipfile
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from coalitions.models import Role
from submissions.models import GeneratedDocument
from tests.conftest import celery_mode
from tests.factories import MembershipFactory
from tests.factories.documents import document_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def forget_broker_connections(app) -> None:
    # What Celery itself does after a fork (Celery._after_fork): the next publish connects anew, to
    # the broker the configuration names now.
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


@contextlib.contextmanager
def worker_on_files(folder: Path):
    """A worker thread on kombu's filesystem transport in ``folder``, with eager mode off meanwhile."""
    from upr_portal.celery import app

    names = ("broker_url", "broker_transport", "broker_transport_options", "result_backend", "task_always_eager")
    saved = {name: app.conf[name] for name in names}
    for sub in ("queue", "control", "results"):
        (folder / sub).mkdir(parents=True)
    app.conf.update(
        broker_url="filesystem://localhost/",
        broker_transport="upr_portal.celery_files:Transport",
        broker_transport_options={
            "data_folder_in": str(folder / "queue"),
            "data_folder_out": str(folder / "queue"),
            "control_folder": str(folder / "control"),
            "polling_interval": 0.1,
        },
        result_backend=f"file://{folder / 'results'}",
        task_always_eager=False,
    )
    forget_broker_connections(app)
    try:
        # No ping check: it reads its answer through the result backend, which Celery keeps per thread
        # and which this thread may have opened on other folders before. The worker is consuming once
        # start_worker returns; the job itself, read back from the database, proves the round trip.
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10, loglevel="WARNING"):
            yield
    finally:
        app.conf.update(saved)
        forget_broker_connections(app)


@pytest.fixture
def worker(request, tmp_path):
    if celery_mode() == "redis-worker":
        yield request.getfixturevalue("celery_worker")
        return
    with worker_on_files(tmp_path / "celery"):
        yield


@pytest.fixture
def page(page: Page):
    yield page
    # The live server shares the test's SQLite connection: no request may still run during the flush.
    page.goto("about:blank")
    page.wait_for_timeout(500)


def test_coordinator_generates_the_documents_and_downloads_both(live_server, page: Page, worker, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = document_world()
    coordinator = MembershipFactory(
        coalition=world.coalition, organisation=world.organisations[0], role=Role.COORDINATOR
    ).user
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    sign_in(page, live_server, coordinator)
    page.goto(live_server.url + reverse("submissions:detail", args=[world.submission.pk]))
    status = page.locator("#documents-status")
    expect(status).to_have_text("No documents have been generated yet.")

    page.get_by_role("button", name="Generate documents").click()

    # The form's answer is the page again, the job queued or already under way.
    expect(page.get_by_role("status").first).to_contain_text("The documents are being made.")
    expect(status).to_have_attribute("aria-live", "polite")
    label = status.locator(".document-status-label")
    expect(label).to_have_text(re.compile(r"^(Queued|Counting words|Rendering the PDF|Rendering the DOCX|Done)$"))
    # The job takes a second or more on the worker: the page first shows it under way.
    assert label.text_content() in {"Queued", "Counting words", "Rendering the PDF", "Rendering the DOCX"}
    # Marks this very page: a reload or a navigation would lose the mark.
    page.evaluate("window.stillTheSamePage = true")

    expect(label).to_have_text("Done", timeout=60_000)
    assert page.evaluate("window.stillTheSamePage") is True
    expect(status).to_contain_text("Within the limits.")
    document = GeneratedDocument.objects.get()
    assert (document.status, document.requested_by) == (GeneratedDocument.Status.DONE, coordinator)
    # The history below came with the finished job, still without a reload.
    expect(page.locator("#documents-history table")).to_contain_text(document.pdf_sha256[:12])

    with page.expect_download() as docx_download:
        status.get_by_role("link", name="Download the DOCX (for OHCHR)").click()
    with page.expect_download() as pdf_download:
        status.get_by_role("link", name="Download the PDF").click()

    docx, pdf = docx_download.value, pdf_download.value
    assert (docx.suggested_filename, pdf.suggested_filename) == (
        "JS-KUC-Finlandia-UPR52.docx",
        "JS-KUC-Finlandia-UPR52.pdf",
    )
    assert Path(pdf.path()).read_bytes()[:5] == b"%PDF-"
    with zipfile.ZipFile(io.BytesIO(Path(docx.path()).read_bytes())) as package:
        assert "word/document.xml" in package.namelist()
        assert "Charlie detainees waited nineteen days" in package.read("word/document.xml").decode()
    assert problems == []
