"""A section's recommendations (add, change, delete, reorder, SMART checklist) and the lobbying plan."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coalitions.access import require
from coalitions.rules import can
from submissions import recommendation_selectors as selectors
from submissions.errors import SubmissionError
from submissions.models import Recommendation, Section
from submissions.models.recommendations import RECOMMENDATION_MAX_LENGTH, SMART_CRITERIA
from submissions.recommendation_forms import THEME_LIST_ID, RecommendationForm
from submissions.services import recommendations as services
from submissions.views.common import section_for, submission_for
from upr_portal.admin_export import BYTE_ORDER_MARK, defused
from upr_portal.timezones import geneva_today
from upr_portal.wordcount import count_words

WITHDRAWN = gettext_lazy(
    "The reviewer's confirmation of its SMART checklist is withdrawn: the text or the ticks changed."
)


def section_recommendations_context(request, section: Section) -> dict:
    """What the section page's recommendations list needs (templates/submissions/_recommendations.html)."""
    recommendations = selectors.recommendations_of_section(section=section)
    return {
        "recommendations": recommendations,
        "recommendation_words": sum(count_words(r.text) for r in recommendations),
        "smart_criteria": SMART_CRITERIA,
        "smart_total": len(SMART_CRITERIA),
        "can_change_recommendations": can(request.user, "submissions.change_recommendations", section),
        "can_confirm_smart": can(request.user, "submissions.confirm_smart", section),
    }


def _recommendation_for(request, pk: int, section_pk: int, recommendation_pk: int, rule: str):
    section = section_for(request, pk, section_pk, text=False)
    require(request.user, rule, section)
    recommendation = Recommendation.objects.filter(section=section, pk=recommendation_pk).first()
    if recommendation is None:
        raise Http404
    recommendation.section = section
    return section, recommendation


def _section_url(section: Section) -> str:
    return reverse("submissions:section", args=[section.submission_id, section.pk]) + "#recommendations"


def _form_page(request, section, form, recommendation=None):
    return render(
        request,
        "submissions/recommendation_form.html",
        {
            "coalition": section.submission.coalition,
            "submission": section.submission,
            "section": section,
            "form": form,
            "recommendation": recommendation,
            "themes": selectors.theme_suggestions(submission=section.submission),
            "theme_list_id": THEME_LIST_ID,
            "max_length": RECOMMENDATION_MAX_LENGTH,
        },
    )


def _fields(form: RecommendationForm) -> dict:
    data = form.cleaned_data
    return {
        "text": data["text"],
        "theme": data["theme"],
        "states": data["states"],
        "smart": data["smart"],
        "follows_up_recommendations": data["follows_up_recommendations"],
    }


def _follow_up_choices(section: Section) -> list[tuple[int, str]]:
    return selectors.earlier_recommendation_choices(review=section.submission.review)


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_add(request, pk: int, section_pk: int):
    section = section_for(request, pk, section_pk, "submissions.change_recommendations", text=False)
    form = RecommendationForm(
        request.POST or None,
        state_choices=selectors.state_choices(),
        follow_up_choices=_follow_up_choices(section),
        submit_label=_("Add the recommendation"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            recommendation = services.recommendation_add(section=section, actor=request.user, **_fields(form))
        except SubmissionError as error:
            form.add_error("text", error)
        else:
            messages.success(request, _("Recommendation %(n)d is added.") % {"n": recommendation.position})
            return redirect(_section_url(section))
    return _form_page(request, section, form)


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_edit(request, pk: int, section_pk: int, recommendation_pk: int):
    section, recommendation = _recommendation_for(
        request, pk, section_pk, recommendation_pk, "submissions.change_recommendations"
    )
    initial = {
        "text": recommendation.text,
        "theme": recommendation.theme,
        "states": list(recommendation.recommending_states.values_list("pk", flat=True)),
        "smart": recommendation.smart_ticked,
        "follows_up_recommendations": list(recommendation.follows_up_recommendations.values_list("pk", flat=True)),
    }
    form = RecommendationForm(
        request.POST or None,
        initial=initial,
        state_choices=selectors.state_choices(),
        follow_up_choices=_follow_up_choices(section),
        submit_label=_("Save"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = services.recommendation_change(recommendation=recommendation, actor=request.user, **_fields(form))
        except SubmissionError as error:
            form.add_error("text", error)
        else:
            messages.success(request, _("Recommendation %(n)d is saved.") % {"n": recommendation.position})
            if result.confirmation_withdrawn:
                messages.warning(request, WITHDRAWN)
            return redirect(_section_url(section))
    return _form_page(request, section, form, recommendation)


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_delete(request, pk: int, section_pk: int, recommendation_pk: int):
    section, recommendation = _recommendation_for(
        request, pk, section_pk, recommendation_pk, "submissions.change_recommendations"
    )
    if request.method == "POST":
        try:
            services.recommendation_delete(recommendation=recommendation, actor=request.user)
        except SubmissionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Recommendation %(n)d is deleted.") % {"n": recommendation.position})
        return redirect(_section_url(section))
    return render(
        request,
        "confirm.html",
        {
            "coalition": section.submission.coalition,
            "submission": section.submission,
            "title": _("Delete recommendation %(n)d?") % {"n": recommendation.position},
            "explanation": _(
                "“%(text)s” is deleted with its target States and checklist; the recommendations after it "
                "are renumbered. This cannot be undone."
            )
            % {"text": recommendation.text},
            "confirm_label": _("Delete"),
            "cancel_url": _section_url(section),
        },
    )


@login_required
@require_POST
def recommendation_move(request, pk: int, section_pk: int, recommendation_pk: int):
    section, recommendation = _recommendation_for(
        request, pk, section_pk, recommendation_pk, "submissions.change_recommendations"
    )
    offset = -1 if request.POST.get("direction") == "up" else 1
    try:
        services.recommendation_move(recommendation=recommendation, actor=request.user, offset=offset)
    except SubmissionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The recommendation is moved."))
    return redirect(_section_url(section))


@login_required
@require_POST
def recommendation_tick(request, pk: int, section_pk: int, recommendation_pk: int):
    section, recommendation = _recommendation_for(
        request, pk, section_pk, recommendation_pk, "submissions.change_recommendations"
    )
    known = {name for name, _label, _help in SMART_CRITERIA}
    ticked = [name for name in request.POST.getlist("smart") if name in known]
    try:
        result = services.recommendation_tick(recommendation=recommendation, actor=request.user, smart=ticked)
    except SubmissionError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The checklist of recommendation %(n)d is saved: %(ticked)d of %(total)d ticked.")
            % {"n": recommendation.position, "ticked": len(ticked), "total": len(SMART_CRITERIA)},
        )
        if result.confirmation_withdrawn:
            messages.warning(request, WITHDRAWN)
    return redirect(_section_url(section))


@login_required
@require_POST
def recommendation_confirm(request, pk: int, section_pk: int, recommendation_pk: int):
    """Confirms the SMART checklist, or withdraws a confirmation (``action=withdraw``)."""
    section, recommendation = _recommendation_for(
        request, pk, section_pk, recommendation_pk, "submissions.confirm_smart"
    )
    try:
        if request.POST.get("action") == "withdraw":
            services.recommendation_withdraw_confirmation(recommendation=recommendation, actor=request.user)
            done = _("The confirmation of recommendation %(n)d is withdrawn.")
        else:
            services.recommendation_confirm_smart(recommendation=recommendation, actor=request.user)
            done = _("The SMART checklist of recommendation %(n)d is confirmed.")
    except SubmissionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done % {"n": recommendation.position})
    return redirect(_section_url(section))


@login_required
@require_GET
def lobbying_plan(request, pk: int):
    submission = submission_for(request, pk, "submissions.view_recommendations")
    plan = selectors.lobbying_plan(submission=submission)
    return render(
        request,
        "submissions/lobbying_plan.html",
        {
            "coalition": submission.coalition,
            "submission": submission,
            "plan": plan,
            "smart_total": len(SMART_CRITERIA),
        },
    )


class _Line:
    def write(self, value: str) -> str:
        return value


@login_required
@require_GET
def lobbying_plan_csv(request, pk: int):
    """The lobbying plan's rows: one per recommendation and target State (one without a State when
    none is chosen yet), in document order, so a spreadsheet filters them by State or by theme."""
    submission = submission_for(request, pk, "submissions.view_recommendations")
    plan = selectors.lobbying_plan(submission=submission)
    writer = csv.writer(_Line())
    header = [
        _("Section"),
        _("Number"),
        _("Theme"),
        _("State to ask"),
        _("Observer State"),
        _("Recommendation"),
        _("SMART criteria ticked"),
        _("SMART confirmed by"),
    ]
    lines = [BYTE_ORDER_MARK + writer.writerow(header)]
    for recommendation in plan.recommendations:
        confirmer = recommendation.smart_confirmed_by
        confirmed = str(confirmer) if confirmer and recommendation.smart_confirmed_at else ""
        for state in recommendation.states or (None,):
            row = [
                recommendation.section.title,
                recommendation.position,
                recommendation.theme,
                state.name if state else "",
                (_("yes") if state.observer else _("no")) if state else "",
                recommendation.text,
                f"{len(recommendation.smart_ticked)}/{len(SMART_CRITERIA)}",
                confirmed,
            ]
            lines.append(writer.writerow([defused(str(cell)) for cell in row]))
    response = HttpResponse("".join(lines), content_type="text/csv; charset=utf-8")
    filename = f"lobbying-plan-{submission.pk}-{geneva_today().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
