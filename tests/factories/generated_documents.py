"""Generated documents as rows, for pages, permissions and the "final" rule.

``finished_document`` stores two small stand-in files instead of rendering: a page or a permission
check needs a finished job, not WeasyPrint. The tests of the job itself (tests/submissions/
test_documents.py) render for real.
"""

import hashlib
import io
import zipfile

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from submissions.documents.limits import DocumentReport, SectionOverBudget
from submissions.models import GeneratedDocument, Submission
from tests.factories.accounts import UserFactory
from tests.factories.submissions import SubmissionFactory

STAND_IN_PDF = b"%PDF-1.7\n% stand-in\n%%EOF\n"


def stand_in_docx() -> bytes:
    """The smallest zip that reads as a DOCX package: a word/document.xml and its content types."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        package.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return buffer.getvalue()


class GeneratedDocumentFactory(factory.django.DjangoModelFactory):
    """A queued job (status queued, nothing rendered)."""

    class Meta:
        model = GeneratedDocument

    submission = factory.SubFactory(SubmissionFactory)
    requested_by = factory.SubFactory(UserFactory)


def report_figures(
    *, counted: int = 1200, max_words: int | None = 5630, pages: int = 4, max_pages: int | None = 10, over=()
) -> dict:
    """A report as the job stores it; ``over`` lists (title, budget, words) of sections over budget."""
    return DocumentReport(
        words_body=counted - 200,
        words_notes=200,
        words_counted=counted,
        notes_count=True,
        max_words=max_words,
        max_pages=max_pages,
        pages=pages,
        total_pages=pages + 1,
        sections_over=tuple(SectionOverBudget(title=t, budget=b, words=w) for t, b, w in over),
    ).as_json()


def finished_document(
    submission: Submission, *, requested_by=None, report: dict | None = None, section_versions=None
) -> GeneratedDocument:
    """A done document with stand-in files, made from the sections' current versions unless told."""
    if section_versions is None:
        section_versions = {str(pk): version for pk, version in submission.sections.values_list("pk", "version")}
    now, docx = timezone.now(), stand_in_docx()
    document = GeneratedDocument(
        submission=submission,
        requested_by=requested_by or UserFactory(),
        status=GeneratedDocument.Status.DONE,
        started_at=now,
        finished_at=now,
        report=report if report is not None else report_figures(),
        section_versions=section_versions,
        pdf_sha256=hashlib.sha256(STAND_IN_PDF).hexdigest(),
        docx_sha256=hashlib.sha256(docx).hexdigest(),
    )
    document.pdf.save("JS-stand-in.pdf", ContentFile(STAND_IN_PDF), save=False)
    document.docx.save("JS-stand-in.docx", ContentFile(docx), save=False)
    document.save()
    return document
