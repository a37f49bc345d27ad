"""The matrix and factsheet PDFs, made by the submissions' document job (registered at start-up)."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from submissions.models import GeneratedDocument


def _css_text(text: str, **values: str) -> str:
    from submissions.documents.html import css_content

    # A CSS string inside <style>: "<" escaped too, so no text can close the element.
    return mark_safe(css_content(text, **values).replace("<", "\\3C "))  # noqa: S308 - escaped above


def _matrix_title(review) -> str:
    return _("Implementation matrix: %(state)s, session %(session)s") % {
        "state": review.state.local_name,
        "session": review.session.number,
    }


def produce_matrix(document: GeneratedDocument):
    """The coalition's whole matrix of the review ``document.subject_id`` (relevant rows, every level) as
    a landscape A4 table. Runs in the worker; WeasyPrint is imported by render_html_pdf only."""
    from advocacy.selectors import matrix_review, matrix_rows
    from submissions.documents.html import document_stylesheet
    from submissions.documents.pdf import render_html_pdf
    from submissions.services.documents import ProducedDocument
    from upr_portal.timezones import geneva_today

    coalition = document.coalition
    review = matrix_review(coalition=coalition, review_pk=document.subject_id)
    if review is None:
        raise ValueError(f"Review {document.subject_id} is not one of the coalition's matrix reviews")
    language = translation.get_language() or "en"
    title = _matrix_title(review)
    html = render_to_string(
        "advocacy/pdf/matrix.html",
        {
            "lang": language,
            "title": title,
            "coalition": coalition,
            "matrix": matrix_rows(coalition=coalition, review=review),
            "generated_on": geneva_today().isoformat(),
            "stylesheet": document_stylesheet(),
            "header_content": _css_text(f"{coalition.name} – {title}"),
            "page_numbers": _css_text(_("Page %(page)s of %(pages)s"), page="counter(page)", pages="counter(pages)"),
        },
    )
    rendered = render_html_pdf(html)
    return ProducedDocument(
        pdf=rendered.pdf,
        file_stem=f"matrix-{review.state.code}-session-{review.session.number}",
        report={"pages": rendered.pages},
    )


def _matrix_page_url(document: GeneratedDocument) -> str:
    return reverse("advocacy:matrix", args=[document.coalition_id, document.subject_id]) + "#documents"


def _matrix_document_title(document: GeneratedDocument) -> str:
    from reviews.models import Review

    review = Review.objects.select_related("state", "session").filter(pk=document.subject_id).first()
    return _matrix_title(review) if review else str(GeneratedDocument.Kind.MATRIX.label)


def factsheet_title(factsheet) -> str:
    """ "<theme>: <State>'s UPR review, <N>th session", in the active language."""
    from submissions.documents.content import ordinal

    return _("%(theme)s: %(state)s's UPR review, %(session)s session") % {
        "theme": factsheet.theme,
        "state": factsheet.review.state.local_name,
        "session": ordinal(factsheet.review.session.number, noun="session"),
    }


def produce_factsheet(document: GeneratedDocument):
    """The one-page factsheet ``document.subject_id`` of the document's coalition: logo and name, title,
    the previous recommendations with the State's position and the coalition's assessment, the key
    facts and the coalition's asks. Runs in the worker; WeasyPrint is imported by render_html_pdf only.
    The report gives the pages: the factsheet page warns when it is more than one."""
    from advocacy.lobbying_selectors import assessment_levels
    from advocacy.models import Factsheet
    from submissions.documents.content import logo_path
    from submissions.documents.html import document_stylesheet, logo_data_uri
    from submissions.documents.pdf import render_html_pdf
    from submissions.services.documents import ProducedDocument

    factsheet = (
        Factsheet.objects.select_related("coalition", "review__state", "review__session")
        .filter(pk=document.subject_id, coalition_id=document.coalition_id)
        .first()
    )
    if factsheet is None:
        raise ValueError(f"Factsheet {document.subject_id} is not one of the coalition's")
    coalition = factsheet.coalition
    previous = list(
        factsheet.previous.select_related("review__session").order_by(
            "review__session__number", "paragraph_major", "paragraph_minor"
        )
    )
    levels = assessment_levels(coalition=coalition, recommendation_ids=[r.pk for r in previous])
    title = factsheet_title(factsheet)
    html = render_to_string(
        "advocacy/pdf/factsheet.html",
        {
            "lang": translation.get_language() or "en",
            "title": title,
            "coalition": coalition,
            "logo": logo_data_uri(logo_path(coalition)),
            "previous": [(r, levels.get(r.pk)) for r in previous],
            "key_facts": [line.strip() for line in factsheet.key_facts.splitlines() if line.strip()],
            "asks": list(factsheet.asks.order_by("section__position", "position", "pk")),
            "stylesheet": document_stylesheet(),
        },
    )
    rendered = render_html_pdf(html)
    report = {"pages": rendered.pages}
    if rendered.pages > 1:
        report["warnings"] = [
            _("The factsheet takes %(pages)d pages, not one: shorten its key facts or its lists.")
            % {"pages": rendered.pages}
        ]
    return ProducedDocument(
        pdf=rendered.pdf,
        file_stem=f"factsheet-{factsheet.review.state.code}-session-{factsheet.review.session.number}-{factsheet.pk}",
        report=report,
    )


def _factsheet_page_url(document: GeneratedDocument) -> str:
    return reverse("advocacy:factsheet_edit", args=[document.coalition_id, document.subject_id]) + "#documents"


def _factsheet_document_title(document: GeneratedDocument) -> str:
    from advocacy.models import Factsheet

    factsheet = (
        Factsheet.objects.select_related("review__state", "review__session").filter(pk=document.subject_id).first()
    )
    return factsheet_title(factsheet) if factsheet else str(GeneratedDocument.Kind.FACTSHEET.label)


def register_document_kinds() -> None:
    """Registers the producers of the matrix and factsheet PDFs with the document job."""
    from submissions.services.documents import register_document_kind

    register_document_kind(
        GeneratedDocument.Kind.MATRIX,
        produce=produce_matrix,
        view_rule="advocacy.view_matrix",
        page_url=_matrix_page_url,
        title=_matrix_document_title,
    )
    register_document_kind(
        GeneratedDocument.Kind.FACTSHEET,
        produce=produce_factsheet,
        view_rule="advocacy.view_factsheets",
        page_url=_factsheet_page_url,
        title=_factsheet_document_title,
    )
