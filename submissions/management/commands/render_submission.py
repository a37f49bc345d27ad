"""Makes a submission's PDF, DOCX or the PDF's HTML in the foreground, as the documents job does."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from submissions.documents.content import document_content
from submissions.documents.limits import report_lines
from submissions.models import Submission

FORMATS = ("pdf", "docx", "html")


class Command(BaseCommand):
    help = (
        "Write a submission's document (PDF, DOCX, or the exact HTML WeasyPrint lays out for the PDF) to a "
        "file, and print its words, pages and limits. Exits with status 1 when the document is over a limit."
    )

    def add_arguments(self, parser):
        parser.add_argument("submission_id", type=int)
        parser.add_argument("--format", choices=FORMATS, default="pdf", dest="output_format")
        parser.add_argument("--output", required=True, type=Path, help="the file to write")

    def handle(self, *args, submission_id, output_format, output, **options):
        submission = Submission.objects.filter(pk=submission_id).first()
        if submission is None:
            raise CommandError(_("There is no submission %(id)s.") % {"id": submission_id})
        content = document_content(submission)
        from submissions.documents.pdf import render_pdf

        # The pages are the PDF's, for every format: the DOCX gets the figures and the mark the job gives it.
        result = render_pdf(content)
        report = result.report
        if output_format == "docx":
            from submissions.documents.docx import render_docx

            data = render_docx(content, over_limit=report.is_over)
        elif output_format == "html":
            data = result.html.encode("utf-8")
        else:
            data = result.pdf_bytes
        output.write_bytes(data)
        for line in report_lines(report):
            self.stdout.write(line)
        self.stdout.write(_("Wrote %(path)s (%(size)s bytes).") % {"path": output, "size": len(data)})
        if report.is_over:
            # After writing: a document over a limit is still made, for review.
            raise CommandError(_("The document is over a limit."), returncode=1)
