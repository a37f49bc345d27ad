"""The PDFs of the other kinds the document job makes (a coalition's implementation matrix, a
factsheet): their status for the page's polling script, and their download. The pages that show them
and the views that queue them belong to the app that registered the kind (advocacy/)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from coalitions.rules import can, is_member
from submissions.models import GeneratedDocument
from submissions.services import documents as services


def _kind_document(request, document_pk: int, **filters) -> GeneratedDocument:
    """The document, if the person may see it: 404 to anyone outside its coalition, as for every object
    of a coalition, and to a member the kind's rule does not let read it."""
    document = get_object_or_404(
        GeneratedDocument.objects.exclude(kind=GeneratedDocument.Kind.SUBMISSION).select_related("requested_by"),
        pk=document_pk,
        **filters,
    )
    try:
        kind = services.document_kind(document.kind)
    except LookupError:
        raise Http404 from None
    if not is_member(request.user, document) or not can(request.user, kind.view_rule, document):
        raise Http404
    return document


@login_required
@require_GET
def kind_document_status(request, document_pk: int):
    document = _kind_document(request, document_pk)
    if services.document_is_stale(document):
        services.documents_fail_stale(job_key=document.job_key)
        document.refresh_from_db()
    html = render_to_string("submissions/_kind_document.html#status", {"document": document}, request=request)
    return JsonResponse({"status": document.status, "running": document.is_running, "html": html})


@login_required
@require_GET
def kind_document_download(request, document_pk: int):
    document = _kind_document(request, document_pk, status=GeneratedDocument.Status.DONE)
    try:
        handle = document.pdf.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=document.pdf.name.rsplit("/", 1)[-1],
        content_type=services.CONTENT_TYPES["pdf"],
    )
