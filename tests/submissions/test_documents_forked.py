"""The forked child that writes the DOCX while WeasyPrint lays the PDF out (submissions/documents/forked.py),
and the job's use of it: the same DOCX whichever process writes it, and the worker writes it itself
when the child cannot."""

import logging
import os
import threading
import time
import warnings

import pytest

from submissions.documents import docx as docx_module
from submissions.documents import forked
from submissions.documents.content import document_content
from submissions.documents.forked import ChildFailed, ForkedCall, NotForked
from submissions.models import GeneratedDocument
from submissions.services import documents as services
from tests.factories import MembershipFactory
from tests.factories.documents import document_world
from tests.factories.generated_documents import GeneratedDocumentFactory
from tests.submissions.docx_text import parts, xml

NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}


@pytest.fixture
def forking(monkeypatch):
    """Forks even in a pytest-xdist worker, whose channel to the controller is a second thread that
    the children never touch (a worker of the Celery pool has one thread only)."""
    if forked.threads_running() > 1:
        monkeypatch.setattr(forked, "threads_running", lambda: 1)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "This process .* is multi-threaded", DeprecationWarning)
        yield


def _raise_key_error():
    raise KeyError("missing")


def test_forked_call_answers_from_its_child(forking):
    with ForkedCall(os.getpid) as call:
        child = call.pid
        assert child is not None
        assert call.result() == child != os.getpid()
    # The child's own memory is counted on top of this process's.
    assert forked.peak_with_child_kb() > forked._resident_kb() / 2 > 0


def test_forked_call_whose_function_raises_fails_naming_the_error(forking):
    with ForkedCall(_raise_key_error) as call, pytest.raises(ChildFailed, match="KeyError"):
        call.result()


def test_forked_call_forks_nothing_while_other_threads_run():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        with ForkedCall(os.getpid) as call:
            assert call.pid is None
            with pytest.raises(NotForked):
                call.result()
    finally:
        stop.set()
        thread.join()


def test_forked_call_closed_early_kills_and_reaps_its_child(forking):
    call = ForkedCall(time.sleep, 60)
    pid = call.pid
    call.close()
    with pytest.raises(ChildProcessError):  # no such child any more, not even a zombie
        os.waitpid(pid, os.WNOHANG)


def test_forked_call_without_an_answer_in_time_fails_and_leaves_no_child(forking):
    call = ForkedCall(time.sleep, 60)
    pid = call.pid
    with pytest.raises(ChildFailed, match="no answer"):
        call.result(timeout=0.2)
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


# The job.


def run_job(world) -> GeneratedDocument:
    person = MembershipFactory(coalition=world.coalition, organisation=world.organisations[0]).user
    document = GeneratedDocumentFactory(submission=world.submission, requested_by=person)
    return services.document_generate(document_id=document.pk)


def same_parts(docx: bytes, other: bytes) -> bool:
    # The archive's entries carry the time they were written; what they hold is the same.
    return parts(docx) == parts(other)


def header_text(docx: bytes) -> str:
    files = parts(docx)
    return "".join(
        "".join(xml(docx, name).xpath("//w:t/text()", namespaces=NS))
        for name in sorted(files)
        if name.startswith("word/header")
    )


def test_job_docx_written_by_the_child_is_the_one_written_here(db, forking, monkeypatch):
    world = document_world()
    worker = os.getpid()
    render_docx = docx_module.render_docx

    def only_in_a_child(content, *, over_limit):
        if os.getpid() == worker:
            raise AssertionError("The DOCX was written in the worker")
        return render_docx(content, over_limit=over_limit)

    monkeypatch.setattr(docx_module, "render_docx", only_in_a_child)

    document = run_job(world)

    assert (document.status, document.error) == (GeneratedDocument.Status.DONE, "")
    assert same_parts(document.docx.read(), render_docx(document_content(world.submission), over_limit=False))


def test_job_writes_the_docx_itself_when_the_child_fails(db, forking, monkeypatch, caplog):
    world = document_world()
    worker = os.getpid()
    render_docx = docx_module.render_docx

    def fails_in_a_child(content, *, over_limit):
        if os.getpid() != worker:
            raise MemoryError
        return render_docx(content, over_limit=over_limit)

    monkeypatch.setattr(docx_module, "render_docx", fails_in_a_child)

    with caplog.at_level(logging.WARNING, logger="submissions.services.documents"):
        document = run_job(world)

    assert document.status == GeneratedDocument.Status.DONE
    assert same_parts(document.docx.read(), render_docx(document_content(world.submission), over_limit=False))
    assert [record.getMessage() for record in caplog.records] == [
        "The DOCX child failed (MemoryError()); writing the DOCX in the worker"
    ]


def test_job_over_the_page_limit_only_marks_the_docx_over_too(db, forking):
    # The words are within the limit, so the child writes an unmarked DOCX; the layout finds the
    # text over the one page allowed, so the DOCX is written again, marked.
    world = document_world(max_pages=1, long_section=True)

    document = run_job(world)

    assert (document.report["over_words"], document.report["is_over"]) == (0, True)
    assert document.report["over_pages"] > 0
    assert header_text(document.docx.read()) == "DRAFT - OVER LIMIT"
