"""The implementation matrix of a coalition for one review: the page with its filters, the CSV, XLSX and
PDF downloads, the form of one row's assessment, its history and the restoring of an earlier state."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from advocacy import selectors
from advocacy.forms import AssessmentForm, MatrixFilterForm
from advocacy.services import matrix as services
from coalitions.access import require
from coalitions.models import Coalition
from coalitions.rules import can
from coalitions.views.coalitions import coalition_for
from reviews.models import Review, UPRRecommendation
from submissions.models import GeneratedDocument
from submissions.selectors import latest_kind_document
from submissions.services.documents import document_queue_kind
from upr_portal.exports import csv_response, xlsx_response
from upr_portal.timezones import geneva_today


def _review_for(coalition: Coalition, review_pk: int) -> Review:
    review = selectors.matrix_review(coalition=coalition, review_pk=review_pk)
    if review is None:
        raise Http404
    return review


def _filtered(request, coalition: Coalition, review: Review) -> tuple[MatrixFilterForm, selectors.Matrix]:
    form = MatrixFilterForm(
        request.GET,
        cluster_choices=selectors.matrix_cluster_choices(coalition=coalition),
        theme_choices=selectors.matrix_theme_choices(review=review),
    )
    return form, selectors.matrix_rows(coalition=coalition, review=review, filters=form.filters())


def matrix_url(coalition: Coalition, review: Review) -> str:
    return reverse("advocacy:matrix", args=[coalition.pk, review.pk])


@login_required
@require_GET
def matrix(request, pk: int, review_pk: int):
    coalition = coalition_for(request, pk, "advocacy.view_matrix")
    review = _review_for(coalition, review_pk)
    form, result = _filtered(request, coalition, review)
    query = request.GET.urlencode()
    return render(
        request,
        "advocacy/matrix.html",
        {
            "coalition": coalition,
            "review": review,
            "form": form,
            "matrix": result,
            "query": query,
            "can_change": can(request.user, "advocacy.change_assessment", coalition),
            "can_generate": can(request.user, "advocacy.generate_documents", coalition),
            "document": latest_kind_document(
                kind=GeneratedDocument.Kind.MATRIX, coalition=coalition, subject_id=review.pk
            ),
            "generate_url": reverse("advocacy:matrix_pdf", args=[coalition.pk, review.pk]),
            "page_url": matrix_url(coalition, review),
        },
    )


def export_header() -> list[str]:
    return [
        _("Paragraph"),
        _("Working Group report"),
        _("Recommendation"),
        _("Recommending States"),
        _("Position"),
        _("Themes"),
        _("Affected persons"),
        _("Relevant"),
        _("Cluster"),
        _("Implementation"),
        _("Evidence"),
        _("Sources"),
        _("Indicator"),
        _("Baseline"),
        _("Target"),
        _("Responsible ministry or agency"),
        _("Sections that follow it up"),
        _("Our recommendations that follow it up"),
    ]


def export_rows(result: selectors.Matrix):
    labels = {count.level: count.label for count in result.counts}
    for row in result.rows:
        recommendation, assessment = row.recommendation, row.assessment
        yield [
            recommendation.paragraph,
            recommendation.report_symbol,
            recommendation.text,
            row.states_text,
            recommendation.get_position_display(),
            row.themes_text,
            row.persons_text,
            row.relevant,
            assessment.cluster.name if assessment and assessment.cluster else "",
            labels[row.level],
            assessment.evidence if assessment else "",
            assessment.sources if assessment else "",
            assessment.indicator if assessment else "",
            assessment.baseline if assessment else "",
            assessment.target if assessment else "",
            assessment.responsible if assessment else "",
            "; ".join(section.title for section in row.sections),
            "; ".join(f"{f.section_title} {f.position}: {f.text}" for f in row.follow_ups),
        ]


def _file_name(review: Review, extension: str) -> str:
    return f"matrix-{review.state.code}-session-{review.session.number}-{geneva_today().isoformat()}.{extension}"


@login_required
@require_GET
def matrix_csv(request, pk: int, review_pk: int):
    coalition = coalition_for(request, pk, "advocacy.view_matrix")
    review = _review_for(coalition, review_pk)
    _form, result = _filtered(request, coalition, review)
    return csv_response(filename=_file_name(review, "csv"), header=export_header(), rows=export_rows(result))


@login_required
@require_GET
def matrix_xlsx(request, pk: int, review_pk: int):
    coalition = coalition_for(request, pk, "advocacy.view_matrix")
    review = _review_for(coalition, review_pk)
    _form, result = _filtered(request, coalition, review)
    return xlsx_response(
        filename=_file_name(review, "xlsx"),
        header=export_header(),
        rows=export_rows(result),
        sheet_title=_("Implementation matrix"),
    )


@login_required
@require_POST
def matrix_pdf(request, pk: int, review_pk: int):
    coalition = coalition_for(request, pk, "advocacy.view_matrix")
    review = _review_for(coalition, review_pk)
    require(request.user, "advocacy.generate_documents", coalition)
    document_queue_kind(
        kind=GeneratedDocument.Kind.MATRIX, coalition=coalition, subject_id=review.pk, actor=request.user
    )
    messages.success(request, _("The PDF of the matrix is being made; the page shows when it is ready."))
    return redirect(matrix_url(coalition, review) + "#documents")


def _recommendation_for(coalition: Coalition, recommendation_pk: int) -> UPRRecommendation:
    recommendation = selectors.matrix_recommendation(coalition=coalition, recommendation_pk=recommendation_pk)
    if recommendation is None:
        raise Http404
    return recommendation


def _form_initial(assessment, section_ids) -> dict:
    values = services.assessment_values(assessment, section_ids=section_ids)
    return {
        **values.as_data(),
        "version": assessment.version if assessment else 0,
    }


def _values(form: AssessmentForm) -> services.AssessmentValues:
    data = form.cleaned_data
    return services.AssessmentValues(
        level=data["level"],
        relevant=data["relevant"],
        cluster_id=data["cluster"],
        evidence=data["evidence"],
        sources=data["sources"],
        indicator=data["indicator"],
        baseline=data["baseline"],
        target=data["target"],
        responsible=data["responsible"],
        section_ids=tuple(data["sections"]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_edit(request, pk: int, recommendation_pk: int):
    coalition = coalition_for(request, pk, "advocacy.view_matrix")
    recommendation = _recommendation_for(coalition, recommendation_pk)
    require(request.user, "advocacy.change_assessment", coalition)
    assessment = selectors.assessment_of(coalition=coalition, recommendation=recommendation)
    section_ids = list(assessment.sections.values_list("pk", flat=True)) if assessment else []
    choices = {
        "cluster_choices": selectors.matrix_cluster_choices(coalition=coalition),
        "section_choices": selectors.assessment_section_choices(
            coalition=coalition, state_id=recommendation.review.state_id
        ),
    }
    form = AssessmentForm(request.POST or None, initial=_form_initial(assessment, section_ids), **choices)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_save(
                coalition=coalition,
                recommendation=recommendation,
                actor=request.user,
                values=_values(form),
                expected_version=form.cleaned_data["version"],
            )
        except services.StaleAssessment as error:
            stale = error.current
            # The person's text stays in the form; the next save starts from the version now saved.
            data = request.POST.copy()
            data["version"] = str(stale.version)
            form = AssessmentForm(data, **choices)
            form.is_valid()
            form.add_error(None, _("Someone else saved this assessment while you were editing: here are both."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The assessment of %(citation)s is saved.") % {"citation": recommendation.citation},
            )
            return redirect(matrix_url(coalition, recommendation.review) + f"#row-{recommendation.pk}")
    return render(
        request,
        "advocacy/matrix_assessment_form.html",
        {
            "coalition": coalition,
            "review": recommendation.review,
            "recommendation": recommendation,
            "assessment": assessment,
            "form": form,
            "stale": stale,
            "stale_sections": list(stale.sections.order_by("pk").values_list("title", flat=True))
            if stale is not None and stale.pk
            else [],
        },
    )


def _assessment_for(coalition: Coalition, recommendation: UPRRecommendation):
    assessment = selectors.assessment_of(coalition=coalition, recommendation=recommendation)
    if assessment is None:
        raise Http404
    return assessment


@login_required
@require_GET
def assessment_history(request, pk: int, recommendation_pk: int):
    coalition = coalition_for(request, pk, "advocacy.view_matrix")
    recommendation = _recommendation_for(coalition, recommendation_pk)
    assessment = _assessment_for(coalition, recommendation)
    versions = selectors.assessment_versions(assessment=assessment)
    return render(
        request,
        "advocacy/matrix_history.html",
        {
            "coalition": coalition,
            "review": recommendation.review,
            "recommendation": recommendation,
            "assessment": assessment,
            "versions": versions,
            "levels": dict(selectors.ImplementationLevel.choices),
            "can_restore": can(request.user, "advocacy.change_assessment", coalition),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_restore(request, pk: int, recommendation_pk: int, number: int):
    coalition = coalition_for(request, pk, "advocacy.view_matrix")
    recommendation = _recommendation_for(coalition, recommendation_pk)
    assessment = _assessment_for(coalition, recommendation)
    require(request.user, "advocacy.change_assessment", coalition)
    if not assessment.versions.filter(number=number).exists():
        raise Http404
    history_url = reverse("advocacy:assessment_history", args=[coalition.pk, recommendation.pk])
    if request.method == "POST":
        restored = services.assessment_restore(assessment=assessment, number=number, actor=request.user)
        messages.success(
            request,
            _("Version %(number)d is restored as version %(new)d.") % {"number": number, "new": restored.version},
        )
        return redirect(history_url)
    return render(
        request,
        "confirm.html",
        {
            "coalition": coalition,
            "title": _("Restore version %(number)d of the assessment of %(citation)s?")
            % {"number": number, "citation": recommendation.citation},
            "explanation": _(
                "Its values are saved as a new version; the current one stays in the history and can be restored."
            ),
            "confirm_label": _("Restore"),
            "cancel_url": history_url,
        },
    )
