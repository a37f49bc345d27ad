"""The submission's documents: the "Generate documents" button, the job's status, the downloads, and
the signatories and contact person the documents name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coalitions.access import get_visible_or_404
from coalitions.rules import can
from submissions import selectors, signoff_selectors
from submissions.errors import SubmissionError
from submissions.forms import SignatoriesForm
from submissions.models import GeneratedDocument, Section, Submission
from submissions.services import documents as services
from submissions.services import signatories as signatory_services
from submissions.views.common import submission_for
from upr_portal.freshness import remember

# The history on the submission page shows the latest documents; older ones stay stored.
HISTORY_LENGTH = 20


@dataclass(frozen=True)
class DocumentRow:
    """One generated document as the history shows it."""

    document: GeneratedDocument
    figures: dict
    over_reasons: list[str]
    versions: list[tuple[str, int]]  # (section title, version) it was made from
    text_changed: bool  # a section has been saved (or added, or removed) since


def document_rows(documents: list[GeneratedDocument], sections: list[Section]) -> list[DocumentRow]:
    titles = {str(section.pk): section.title for section in sections}
    current = {str(section.pk): section.version for section in sections}
    rows = []
    for document in documents:
        made_from = document.section_versions or {}
        rows.append(
            DocumentRow(
                document=document,
                figures=document.report or {},
                over_reasons=services.over_reasons(document.report or {}),
                # In the sections' order: PostgreSQL's jsonb does not keep the keys' order.
                versions=[(titles[pk], made_from[pk]) for pk in titles if pk in made_from]
                + [(_("a section deleted since"), version) for pk, version in made_from.items() if pk not in titles],
                text_changed=document.status == GeneratedDocument.Status.DONE and made_from != current,
            )
        )
    return rows


@dataclass(frozen=True)
class DocumentsPanel:
    """What the documents panel shows alike to everyone, remembered while the database does not change
    (upr_portal/freshness.py)."""

    rows: list[DocumentRow]
    signatories: list[str] | None  # None: the job's part only (the status endpoint)
    signatories_chosen: bool = False


def documents_panel(
    submission: Submission, sections: Callable[[], list[Section]], *, whole_panel: bool = True
) -> DocumentsPanel:
    """The panel's documents and signatories (a constant number of queries when they are computed);
    ``sections`` (in order, with their titles and versions) are read only then."""

    def compute():
        rows = _document_rows(submission, sections())
        if not whole_panel:
            return DocumentsPanel(rows=rows, signatories=None)
        names, chosen = signoff_selectors.document_signatory_names(submission)
        return DocumentsPanel(rows=rows, signatories=names, signatories_chosen=chosen)

    # The language: the rows' reasons for being over a limit are sentences.
    return remember("submission-documents", (submission.pk, whole_panel, translation.get_language()), compute)


def documents_context(request, submission: Submission, panel: DocumentsPanel, sections: Callable[[], list[Section]]):
    """What the documents panel of the submission page needs; the status endpoint, polled every second
    or two, asks for the job's part only."""
    rows = panel.rows
    # A job that will never finish is failed before it is shown. Only one job runs at a time and it
    # is the newest, so the list tells (whether one has waited or run too long is the clock's, asked on
    # every request): the page asks the database again only when one is stale.
    if any(services.document_is_stale(row.document) for row in rows):
        services.documents_fail_stale(submission=submission)
        rows = _document_rows(submission, sections())
    context = {"document_rows": rows, "latest": rows[0] if rows else None}
    if panel.signatories is not None:
        context |= {
            "signatories": panel.signatories,
            "signatories_chosen": panel.signatories_chosen,
            "signatories_endorsed": submission.status in signoff_selectors.SIGNED_LIST_STATUSES,
            "can_generate": can(request.user, "submissions.generate_documents", submission),
        }
    return context


def _document_rows(submission: Submission, sections: list[Section]) -> list[DocumentRow]:
    # Of who asked, the name shown: the remembered rows hold no more of their accounts.
    documents = selectors.documents_of(submission=submission).only(
        *(field.name for field in GeneratedDocument._meta.concrete_fields),
        *("requested_by__full_name", "requested_by__email"),
    )
    return document_rows(list(documents[:HISTORY_LENGTH]), sections)


@login_required
@require_POST
def documents_generate(request, pk: int):
    submission = submission_for(request, pk, "submissions.generate_documents")
    services.documents_fail_stale(submission=submission)
    running = selectors.document_running(submission=submission)
    if running is not None:
        # Pressing again shows the job that is running rather than starting another.
        messages.info(
            request,
            _("The documents are already being made (%(status)s). This page shows how far they are.")
            % {"status": running.get_status_display()},
        )
    else:
        services.document_generate_queue(submission=submission, actor=request.user)
        messages.success(request, _("The documents are being made. This page shows how far they are."))
    return redirect(reverse("submissions:detail", args=[pk]) + "#documents")


@login_required
@require_GET
def documents_status(request, pk: int):
    """The latest job's state for the page's polling script; its status panel comes ready-made as HTML."""
    submission = submission_for(request, pk, "submissions.view_documents")

    def sections():
        return list(submission.sections.only("pk", "title", "version").order_by("position", "pk"))

    panel = documents_panel(submission, sections, whole_panel=False)
    context = {"submission": submission, **documents_context(request, submission, panel, sections)}
    latest = context["latest"]
    data = {
        "status": latest.document.status if latest else None,
        "running": bool(latest and latest.document.is_running),
        "html": render_to_string("submissions/_documents.html#status", context, request=request),
    }
    if latest and not latest.document.is_running:
        data["history_html"] = render_to_string("submissions/_documents.html#history", context, request=request)
    return JsonResponse(data)


@login_required
@require_GET
def document_download(request, pk: int, document_pk: int, extension: str):
    submission = submission_for(request, pk, "submissions.view_documents")
    document = get_visible_or_404(
        request.user,
        "submissions.view_documents",
        GeneratedDocument.objects.filter(submission=submission, status=GeneratedDocument.Status.DONE),
        pk=document_pk,
    )
    document.submission = submission
    stored = {"pdf": document.pdf, "docx": document.docx}[extension]
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=services.document_download_name(document, extension),
        content_type=services.CONTENT_TYPES[extension],
    )


@login_required
@require_http_methods(["GET", "POST"])
def signatories_edit(request, pk: int):
    submission = submission_for(request, pk, "submissions.change_submission")
    form = SignatoriesForm(
        request.POST or None,
        submission=submission,
        chosen=selectors.submission_signatories(submission),
    )
    if request.method == "POST" and form.is_valid():
        submission.refresh_from_db()
        try:
            signatory_services.submission_signatories_update(
                submission=submission,
                actor=request.user,
                organisations=form.cleaned_data["organisations"],
                contact_name=form.cleaned_data["contact_name"],
                contact_email=form.cleaned_data["contact_email"],
            )
        except SubmissionError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The organisations and the contact person are saved."))
            return redirect(reverse("submissions:detail", args=[pk]) + "#documents")
    return render(
        request,
        "submissions/signatories.html",
        {
            "coalition": submission.coalition,
            "submission": submission,
            "form": form,
            "chosen": selectors.submission_signatories_chosen(submission),
        },
    )


@login_required
@require_POST
def signatories_reset(request, pk: int):
    submission = submission_for(request, pk, "submissions.change_submission")
    signatory_services.submission_signatories_reset(submission=submission, actor=request.user)
    messages.success(request, _("The document lists every member organisation again, by name."))
    return redirect("submissions:signatories", pk=pk)
