"""The recommendations States made at reviews, for every signed-in person: a search and its export.

The UN's recommendations are public: any signed-in person searches them, whatever their coalition.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from reviews import selectors
from reviews.forms import RecommendationSearchForm
from reviews.models import IndexTerm, UPRRecommendation
from upr_portal.exports import csv_response, xlsx_response
from upr_portal.timezones import geneva_today

RECOMMENDATIONS_PER_PAGE = 50


def _search(request) -> tuple[RecommendationSearchForm, object]:
    form = RecommendationSearchForm(request.GET or None)
    return form, selectors.recommendation_search(**form.filters())


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
@require_GET
def recommendation_list(request):
    form, recommendations = _search(request)
    page = Paginator(selectors.recommendation_rows(recommendations), RECOMMENDATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = _query_without_page(request)
    return render(
        request,
        "reviews/recommendation_list.html",
        {
            "form": form,
            "page": page,
            "count": page.paginator.count,
            "query": query,
            "export_limit": selectors.RECOMMENDATION_EXPORT_LIMIT,
            "over_export_limit": page.paginator.count > selectors.RECOMMENDATION_EXPORT_LIMIT,
        },
    )


def export_header() -> list[str]:
    return [
        _("State under review"),
        _("Cycle"),
        _("Session"),
        _("Working Group report"),
        _("Paragraph"),
        _("Recommendation"),
        _("Recommending States"),
        _("Recommending States, as given"),
        _("Position"),
        _("Source of the position"),
        _("Themes"),
        _("Affected persons"),
        _("SDGs"),
    ]


def export_row(recommendation: UPRRecommendation) -> list:
    review = recommendation.review
    terms = recommendation.terms.all()
    return [
        review.state.local_name,
        review.session.cycle.number,
        review.session.number,
        recommendation.report_symbol,
        recommendation.paragraph,
        recommendation.text,
        "; ".join(_state_label(state) for state in recommendation.recommending_states.all()),
        recommendation.recommending_states_text,
        recommendation.get_position_display(),
        recommendation.position_source,
        "; ".join(term.name for term in terms if term.kind == IndexTerm.Kind.THEME),
        "; ".join(term.name for term in terms if term.kind == IndexTerm.Kind.PERSONS),
        ", ".join(str(goal) for goal in recommendation.sdgs or []),
    ]


def _state_label(state) -> str:
    if state.status == state.Status.OBSERVER:
        return _("%(state)s (observer)") % {"state": state.local_name}
    return state.local_name


@login_required
@require_GET
def recommendation_export(request, file_format: str):
    """The search's result as CSV or XLSX, the same columns in both, at most
    RECOMMENDATION_EXPORT_LIMIT rows (the page says so when the result is longer)."""
    _form, recommendations = _search(request)
    rows = selectors.recommendation_rows(recommendations)[: selectors.RECOMMENDATION_EXPORT_LIMIT]
    # Prefetched a chunk at a time: the States and terms of 20,000 rows in one IN list would be
    # more parameters than SQLite takes.
    lines = (export_row(recommendation) for recommendation in rows.iterator(chunk_size=2000))
    filename = f"upr-recommendations-{geneva_today().isoformat()}.{file_format}"
    if file_format == "xlsx":
        return xlsx_response(filename=filename, header=export_header(), rows=lines, sheet_title=_("Recommendations"))
    return csv_response(filename=filename, header=export_header(), rows=lines)
