"""The "Generate documents" job: the PDF and the DOCX of a submission, made by a Celery worker.

One press of the button is one ``GeneratedDocument`` row, queued inside the request's transaction and
handed to a worker once it commits. The worker claims the row with a conditional UPDATE (a task
delivered twice runs once), then moves it through counting → rendering_pdf → rendering_docx → done,
committing each step so the page can show it. Every step is again a conditional UPDATE from the step
before: a job that a sweep has meanwhile declared failed (it ran past the hard time limit) is never
brought back to life. Any error ends the job as failed, with the reason in plain words and no file
kept. Either way, the person who asked is told under the bell.

WeasyPrint and the DOCX library are imported only by ``submissions.documents.pdf`` and ``.docx``,
and those only inside ``document_generate``: the web process never loads them.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import re
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from accounts.models import User
from notifications.services import notification_create
from submissions.documents.content import document_content
from submissions.documents.limits import DocumentReport, over_lines, report_lines, words_report
from submissions.models import GeneratedDocument, Submission
from submissions.selectors import document_running, document_running_key
from upr_portal.db import in_business_transaction

logger = logging.getLogger(__name__)

Status = GeneratedDocument.Status

# The Celery task's limits (submissions/tasks.py). The soft one raises inside the job, which then
# fails with a reason; the hard one kills the worker process, which leaves the row in a running
# state for documents_fail_stale to find.
SOFT_TIME_LIMIT = 120
HARD_TIME_LIMIT = 150
# A running job older than this was killed by the hard limit (or its worker died).
RUNNING_TIMEOUT = datetime.timedelta(seconds=HARD_TIME_LIMIT + 30)
# A queued job no worker has started by then is not going to be: its message was lost.
QUEUED_TIMEOUT = datetime.timedelta(minutes=10)

DONE_NOTIFICATION = "submissions.documents_done"
FAILED_NOTIFICATION = "submissions.documents_failed"

# The sections furthest over their budgets that a report names.
SECTIONS_SHOWN = 3

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class ProducedDocument:
    """What the producer of a kind other than a submission's returns: one PDF and its figures."""

    pdf: bytes
    file_stem: str  # the download's name without its extension
    report: dict = field(default_factory=dict)  # figures the page shows beside the download


@dataclass(frozen=True)
class DocumentKind:
    produce: Callable[[GeneratedDocument], ProducedDocument]  # runs in the worker
    view_rule: str  # the rule that lets a person download it, tested on the document's coalition
    page_url: Callable[[GeneratedDocument], str]  # where the notification of the job's end leads
    title: Callable[[GeneratedDocument], str]  # what it is, for that notification ("the matrix of ...")


_KINDS: dict[str, DocumentKind] = {}


def register_document_kind(
    kind: str,
    *,
    produce: Callable[[GeneratedDocument], ProducedDocument],
    view_rule: str,
    page_url: Callable[[GeneratedDocument], str],
    title: Callable[[GeneratedDocument], str],
) -> None:
    """Lets the job make another kind of PDF (an app's ``ready()`` calls it; a kind of
    ``GeneratedDocument.Kind`` other than a submission's)."""
    if kind == GeneratedDocument.Kind.SUBMISSION or kind not in GeneratedDocument.Kind.values:
        raise ValueError(f"Not a document kind that can be registered: {kind!r}")
    _KINDS[kind] = DocumentKind(produce=produce, view_rule=view_rule, page_url=page_url, title=title)


def document_kind(kind: str) -> DocumentKind:
    try:
        return _KINDS[kind]
    except KeyError:
        raise LookupError(f"No producer is registered for the document kind {kind!r}") from None


class StorageFailed(Exception):
    """The media storage refused a file (its cause says why: a full disk, a missing folder...)."""


class JobStopped(Exception):
    """The row left the state the job expected: a sweep declared it failed while it ran."""


def document_file_stem(submission: Submission) -> str:
    """``JS-<coalition>-<State>-UPR<session>``: the coalition's acronym (or its name as a slug), the
    State's name and the Working Group session, in ASCII so every system keeps the name as it is."""
    coalition = submission.coalition
    prefix = "JS" if submission.kind == Submission.Kind.JOINT else "IS"
    who = _ascii_part(coalition.acronym) or slugify(coalition.name) or str(coalition.pk)
    state = _ascii_part(submission.review.state.name)
    return f"{prefix}-{who}-{state}-UPR{submission.review.session.number}"


def _ascii_part(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-")


def document_download_name(document: GeneratedDocument, extension: str) -> str:
    return f"{document_file_stem(document.submission)}.{extension}"


# Queueing.


def document_generate_queue(*, submission: Submission, actor: User) -> GeneratedDocument:
    """Queues a job for the submission's documents, or returns the one already queued or running.

    Atomic: the row is written in one transaction and the task is sent once it commits. Two presses
    at the same instant still make one job: the database allows one running row per submission.
    """
    documents_fail_stale(submission=submission)
    with transaction.atomic():
        running = document_running(submission=submission)
        if running is not None:
            return running
        task_id = str(uuid.uuid4())
        try:
            with transaction.atomic():
                document = GeneratedDocument.objects.create(submission=submission, requested_by=actor, task_id=task_id)
        except IntegrityError:
            # Another request queued one between our read and our insert.
            return document_running(submission=submission)
        transaction.on_commit(lambda: _publish(document.pk, task_id))
    return document


def document_queue_kind(*, kind: str, coalition, subject_id: int, actor: User) -> GeneratedDocument:
    """Queues the PDF of another kind (a coalition's matrix of a review, a factsheet), or returns the
    job already queued or running for the same thing: one at a time per kind, coalition and subject."""
    document_kind(kind)  # refuses a kind without a producer before anything is written
    key = GeneratedDocument.key_for(kind, coalition.pk, subject_id)
    documents_fail_stale(job_key=key)
    with transaction.atomic():
        running = document_running_key(job_key=key)
        if running is not None:
            return running
        task_id = str(uuid.uuid4())
        try:
            with transaction.atomic():
                document = GeneratedDocument.objects.create(
                    kind=kind,
                    coalition=coalition,
                    subject_id=subject_id,
                    job_key=key,
                    requested_by=actor,
                    task_id=task_id,
                )
        except IntegrityError:
            return document_running_key(job_key=key)
        transaction.on_commit(lambda: _publish(document.pk, task_id))
    return document


def _publish(document_id: int, task_id: str) -> None:
    """Hands the job to a worker; a broker that cannot be reached fails the job at once, with why."""
    from submissions.tasks import generate_documents

    try:
        generate_documents.apply_async(kwargs={"document_id": document_id}, task_id=task_id)
    except BrokerError:
        logger.exception("Could not queue the documents job %s", document_id)
        _fail(
            document_id,
            _("The job could not be handed to a worker: the task queue cannot be reached. Try again in a minute."),
            expected=[Status.QUEUED],
        )


def document_generate_now(*, submission: Submission, actor: User) -> GeneratedDocument:
    """Makes the documents here and now, without a worker (the demo seed). Not inside a transaction:
    the job commits each of its steps. Refuses while another job for the submission is running."""
    if in_business_transaction():
        raise RuntimeError("document_generate_now commits each step of the job: call it outside a transaction.")
    document = GeneratedDocument.objects.create(submission=submission, requested_by=actor)
    return document_generate(document_id=document.pk)


# The job.


def document_generate(*, document_id: int) -> GeneratedDocument | None:
    """Runs one job, as the worker's task does (never inside a transaction: each step is committed).

    Returns the row as it ended, or None when there was nothing to do (gone, or claimed already).
    """
    now = timezone.now()
    if not GeneratedDocument.objects.filter(pk=document_id, status=Status.QUEUED).update(
        status=Status.COUNTING, started_at=now
    ):
        logger.info("Documents job %s is gone or already claimed; nothing to do", document_id)
        return None
    document = GeneratedDocument.objects.select_related(
        "submission__coalition", "submission__review__state", "submission__review__session", "requested_by"
    ).get(pk=document_id)
    stored: list[str] = []
    try:
        if document.kind == GeneratedDocument.Kind.SUBMISSION:
            _generate(document, stored)
        else:
            _generate_kind(document, stored)
    except JobStopped:
        _delete_files(stored)
        logger.warning("Documents job %s was declared failed while it ran; its files are not kept", document_id)
    except Exception as error:
        _delete_files(stored)
        logger.exception("Documents job %s failed", document_id)
        _fail(document_id, failure_reason(error), expected=GeneratedDocument.RUNNING)
    document.refresh_from_db()
    return document


def _generate(document: GeneratedDocument, stored: list[str]) -> None:
    from submissions.documents.docx import render_docx
    from submissions.documents.pdf import render_pdf

    submission = document.submission
    content = document_content(submission)
    section_versions = {str(section.pk): section.version for section in content.sections}
    # The words are known before the PDF is: the page shows them while the PDF renders.
    report = words_report(content)
    _step(document, Status.COUNTING, Status.RENDERING_PDF, section_versions=section_versions, report=report.as_json())
    rendered = render_pdf(content)
    report = rendered.report or report.with_pages(
        pages=rendered.pages, total_pages=rendered.total_pages, paragraphs_beyond=rendered.overflow
    )
    _step(document, Status.RENDERING_PDF, Status.RENDERING_DOCX, report=report.as_json())
    docx = render_docx(content, over_limit=report.is_over)

    stem = document_file_stem(submission)
    try:
        document.pdf.save(f"{stem}.pdf", ContentFile(rendered.pdf_bytes), save=False)
        stored.append(document.pdf.name)
        document.docx.save(f"{stem}.docx", ContentFile(docx), save=False)
        stored.append(document.docx.name)
    except OSError as error:
        raise StorageFailed from error
    # Done and its notification in one transaction: whoever sees the job done also finds it under the bell.
    with transaction.atomic():
        _step(
            document,
            Status.RENDERING_DOCX,
            Status.DONE,
            finished_at=timezone.now(),
            pdf=document.pdf.name,
            docx=document.docx.name,
            pdf_sha256=hashlib.sha256(rendered.pdf_bytes).hexdigest(),
            docx_sha256=hashlib.sha256(docx).hexdigest(),
        )
        _notify_done(document, report)


def _generate_kind(document: GeneratedDocument, stored: list[str]) -> None:
    """The job for the other kinds: their producer makes the PDF, the job stores it and tells who asked."""
    _step(document, Status.COUNTING, Status.RENDERING_PDF)
    # A coalition's own documents (matrix, factsheets) speak the language of the person who asked;
    # a submission's speak the submission's (submissions/documents/content.py).
    person = document.requested_by
    with translation.override(getattr(person, "language", "") or settings.LANGUAGE_CODE):
        produced = document_kind(document.kind).produce(document)
    stem = _ascii_part(produced.file_stem) or document.kind
    try:
        document.pdf.save(f"{stem}.pdf", ContentFile(produced.pdf), save=False)
        stored.append(document.pdf.name)
    except OSError as error:
        raise StorageFailed from error
    with transaction.atomic():
        _step(
            document,
            Status.RENDERING_PDF,
            Status.DONE,
            finished_at=timezone.now(),
            pdf=document.pdf.name,
            pdf_sha256=hashlib.sha256(produced.pdf).hexdigest(),
            report=produced.report,
        )
        document.report = produced.report
        _notify_done(document, None)


def over_reasons(figures: dict) -> list[str]:
    """What is over a limit, and where, in plain sentences (empty when the document is within them)."""
    if not figures.get("is_over"):
        return []
    return over_lines(DocumentReport.from_json(figures), sections_shown=SECTIONS_SHOWN)


def _step(document: GeneratedDocument, current: str, following: str, **fields) -> None:
    if not GeneratedDocument.objects.filter(pk=document.pk, status=current).update(status=following, **fields):
        raise JobStopped
    document.status = following


def _delete_files(names: list[str]) -> None:
    storage = GeneratedDocument._meta.get_field("pdf").storage
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("Could not delete %s, a file of a failed documents job", name)


def failure_reason(error: BaseException) -> str:
    """Why a job failed, in words a coordinator can act on."""
    if isinstance(error, SoftTimeLimitExceeded):
        return _(
            "Making the documents took longer than %(seconds)d seconds and was stopped. Try again; if it "
            "happens again, tell the site's administrators."
        ) % {"seconds": SOFT_TIME_LIMIT}
    if isinstance(error, MemoryError):
        return _("Making the documents needed more memory than a worker may use. Tell the site's administrators.")
    if isinstance(error, StorageFailed):
        cause = error.__cause__
        return _("The documents were made but could not be stored (%(error)s). Tell the site's administrators.") % {
            "error": getattr(cause, "strerror", None) or cause
        }
    if isinstance(error, ValidationError):
        # The content's own refusals (say, a submission without sections) are written for people.
        return " ".join(error.messages)
    return _(
        "The documents could not be made because of an error in the portal (%(error)s). The site's "
        "administrators can find the details in the worker's log."
    ) % {"error": type(error).__name__}


def _fail(document_id: int, reason: str, *, expected) -> bool:
    """Marks a job failed, from one of the ``expected`` states only, and tells who asked."""
    with transaction.atomic():  # failed and its notification together, as for done
        updated = GeneratedDocument.objects.filter(pk=document_id, status__in=list(expected)).update(
            status=Status.FAILED, error=reason, finished_at=timezone.now()
        )
        if updated:
            document = GeneratedDocument.objects.select_related("submission", "requested_by").get(pk=document_id)
            _notify_failed(document)
    return bool(updated)


def document_is_stale(document: GeneratedDocument, *, now: datetime.datetime | None = None) -> bool:
    """Whether ``documents_fail_stale`` would fail this job (the same two conditions, on one row)."""
    now = now or timezone.now()
    if document.status == Status.QUEUED:
        return document.created_at < now - QUEUED_TIMEOUT
    running = (Status.COUNTING, Status.RENDERING_PDF, Status.RENDERING_DOCX)
    return (
        document.status in running and document.started_at is not None and document.started_at < now - RUNNING_TIMEOUT
    )


def documents_fail_stale(
    *, submission: Submission | None = None, job_key: str | None = None, now: datetime.datetime | None = None
) -> int:
    """Fails the jobs that will never finish: queued too long (the message was lost) or running past
    the hard time limit (the worker process was killed). A failed job is reported, never dropped.

    Called before a submission's documents are shown or queued, and every few minutes by beat.
    """
    now = now or timezone.now()
    running = [Status.COUNTING, Status.RENDERING_PDF, Status.RENDERING_DOCX]
    # One query for both kinds: the submission page asks on every view.
    found = GeneratedDocument.objects.filter(
        Q(status=Status.QUEUED, created_at__lt=now - QUEUED_TIMEOUT)
        | Q(status__in=running, started_at__lt=now - RUNNING_TIMEOUT)
    )
    if submission is not None:
        found = found.filter(submission=submission)
    if job_key is not None:
        found = found.filter(job_key=job_key)
    found = list(found.order_by("pk").values_list("pk", "status"))
    stale = [pk for pk, status in found if status == Status.QUEUED]
    stuck = [pk for pk, status in found if status != Status.QUEUED]
    failed = 0
    for document_id in stale:
        failed += _fail(
            document_id,
            _(
                "No worker started the job within %(minutes)d minutes, so it was given up. Press "
                "“Generate documents” again; if it happens again, tell the site's administrators."
            )
            % {"minutes": QUEUED_TIMEOUT.seconds // 60},
            expected=[Status.QUEUED],
        )
    for document_id in stuck:
        failed += _fail(
            document_id,
            _(
                "The job stopped without finishing: it ran longer than %(seconds)d seconds or its worker "
                "stopped. Try again; if it happens again, tell the site's administrators."
            )
            % {"seconds": HARD_TIME_LIMIT},
            expected=running,
        )
    return failed


# Telling who asked.


def _submission_url(submission_id: int) -> str:
    return reverse("submissions:detail", args=[submission_id]) + "#documents"


def _notify_done(document: GeneratedDocument, report) -> None:
    person = document.requested_by
    if person is None:
        return
    with translation.override(person.language or settings.LANGUAGE_CODE):
        if document.kind != GeneratedDocument.Kind.SUBMISSION:
            kind = document_kind(document.kind)
            notification_create(
                user=person,
                kind=DONE_NOTIFICATION,
                title=_("The PDF of %(what)s is ready") % {"what": kind.title(document)},
                body="",
                url=kind.page_url(document),
                coalition_id=document.coalition_id,
            )
            return
        submission = document.submission
        if report.is_over:
            title = _("The documents of “%(title)s” are ready, but over a limit") % {"title": submission.title}
        else:
            title = _("The documents of “%(title)s” are ready") % {"title": submission.title}
        notification_create(
            user=person,
            kind=DONE_NOTIFICATION,
            title=title,
            body=" ".join(report_lines(report)),
            url=_submission_url(submission.pk),
            coalition_id=submission.coalition_id,
        )


def _notify_failed(document: GeneratedDocument) -> None:
    person = document.requested_by
    if person is None:
        return
    with translation.override(person.language or settings.LANGUAGE_CODE):
        if document.kind != GeneratedDocument.Kind.SUBMISSION:
            kind = document_kind(document.kind)
            title = _("The PDF of %(what)s could not be made") % {"what": kind.title(document)}
            url = kind.page_url(document)
        else:
            title = _("The documents of “%(title)s” could not be made") % {"title": document.submission.title}
            url = _submission_url(document.submission_id)
        notification_create(
            user=person,
            kind=FAILED_NOTIFICATION,
            title=title,
            body=document.error,
            url=url,
            coalition_id=document.coalition_id,
        )
