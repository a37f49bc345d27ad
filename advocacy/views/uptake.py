"""Uptake after a review (matches to decide, figures, what was taken up) and starting the mid-term report."""

import csv
import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from advocacy import uptake_selectors as selectors
from advocacy.models import UptakeMatch
from advocacy.services import mid_term as mid_term_services
from advocacy.services import uptake as services
from advocacy.uptake_forms import UptakeMatchForm
from coalitions.access import require
from coalitions.models import Coalition
from coalitions.rules import can
from coalitions.views.coalitions import coalition_for
from reviews.models import Review, UPRRecommendation
from submissions.errors import SubmissionError
from upr_portal.admin_export import BYTE_ORDER_MARK, defused
from upr_portal.timezones import geneva_today


def _review_for(coalition: Coalition, review_pk: int) -> Review:
    """One of the reviews the coalition works on; any other answers 404."""
    review = coalition.reviews.select_related("state", "session", "session__cycle").filter(pk=review_pk).first()
    if review is None:
        raise Http404
    return review


def uptake_url(coalition: Coalition, review: Review, anchor: str = "") -> str:
    url = reverse("advocacy:uptake", args=[coalition.pk, review.pk])
    return f"{url}#{anchor}" if anchor else url


def _match_form(coalition: Coalition, review: Review, *, data=None, without_proposal=None) -> UptakeMatchForm:
    asks = services.coalition_asks(coalition=coalition, review=review).select_related("submission")
    if without_proposal is not None:
        asks = asks.filter(pk__in=[ask.pk for ask in without_proposal])
    made = UPRRecommendation.objects.filter(review=review).order_by("paragraph_major", "paragraph_minor")
    return UptakeMatchForm(data, asks=asks, made=made)


@login_required
@require_GET
def uptake(request, pk: int, review_pk: int):
    coalition = coalition_for(request, pk, "advocacy.view_uptake")
    review = _review_for(coalition, review_pk)
    result = selectors.uptake_of_review(coalition=coalition, review=review)
    can_decide = can(request.user, "advocacy.decide_uptake", coalition)
    return render(
        request,
        "advocacy/uptake.html",
        {
            "coalition": coalition,
            "review": review,
            "uptake": result,
            "can_decide": can_decide,
            "can_start_mid_term": can(request.user, "submissions.create_submission", coalition),
            "mid_term": selectors.mid_term_report(coalition=coalition, review=review),
            "match_form": _match_form(coalition, review, without_proposal=result.without_proposal)
            if can_decide and result.without_proposal and result.made_count
            else None,
        },
    )


@login_required
@require_POST
def uptake_propose(request, pk: int, review_pk: int):
    coalition = coalition_for(request, pk, "advocacy.decide_uptake")
    review = _review_for(coalition, review_pk)
    started = time.perf_counter()
    result = services.uptake_propose(coalition=coalition, review=review, actor=request.user)
    seconds = time.perf_counter() - started
    if not result.made:
        messages.warning(request, _("No recommendation made at this review is imported yet: import its outcome first."))
    else:
        messages.success(
            request,
            ngettext(
                "%(n)d match is proposed, to confirm or reject (%(asks)d of our recommendations compared with "
                "%(made)d made, in %(seconds).2f s).",
                "%(n)d matches are proposed, to confirm or reject (%(asks)d of our recommendations compared with "
                "%(made)d made, in %(seconds).2f s).",
                result.proposed,
            )
            % {"n": result.proposed, "asks": result.asks, "made": result.made, "seconds": seconds},
        )
    return redirect(uptake_url(coalition, review, "proposed"))


@login_required
@require_POST
def uptake_decide(request, pk: int, review_pk: int, match_pk: int):
    """Confirm, reject or undo (``action``): a rejection asks nothing more, "undo" brings it back."""
    coalition = coalition_for(request, pk, "advocacy.view_uptake")
    review = _review_for(coalition, review_pk)
    match = (
        UptakeMatch.objects.filter(pk=match_pk, coalition=coalition, made__review=review).select_related("made").first()
    )
    if match is None:
        raise Http404
    require(request.user, "advocacy.decide_uptake", coalition)
    action = request.POST.get("action", "")
    try:
        services.uptake_decide(match=match, actor=request.user, action=action)
    except services.UptakeError as error:
        messages.error(request, error.message)
    else:
        done = {
            "confirm": _("The match with %(citation)s is confirmed."),
            "reject": _("The match with %(citation)s is rejected. Undo brings it back."),
            "undo": _("The match with %(citation)s is back among the proposals."),
        }[action]
        messages.success(request, done % {"citation": match.made.citation})
    return redirect(uptake_url(coalition, review, "proposed" if action == "undo" else "decided"))


@login_required
@require_POST
def uptake_match(request, pk: int, review_pk: int):
    """A match a person chose from the lists ("Match to..."): stored as confirmed."""
    coalition = coalition_for(request, pk, "advocacy.decide_uptake")
    review = _review_for(coalition, review_pk)
    form = _match_form(coalition, review, data=request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of our recommendations and a recommendation made at the review."))
        return redirect(uptake_url(coalition, review, "match"))
    try:
        match = services.uptake_match_manually(
            coalition=coalition,
            review=review,
            asked=form.cleaned_data["asked"],
            made=form.cleaned_data["made"],
            actor=request.user,
        )
    except services.UptakeError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The match with %(citation)s is confirmed.") % {"citation": match.made.citation})
    return redirect(uptake_url(coalition, review, "decided"))


class _Line:
    def write(self, value: str) -> str:
        return value


def taken_up_header() -> list[str]:
    return [
        _("Our recommendation"),
        _("Theme"),
        _("States asked"),
        _("Taken up"),
        _("Recommendation made"),
        _("Recommending States"),
        _("Position"),
    ]


@login_required
@require_GET
def uptake_csv(request, pk: int, review_pk: int):
    """The table "Which of our asks were taken up, and by whom": one line per ask and made
    recommendation (one line with the last columns empty for an ask not taken up)."""
    coalition = coalition_for(request, pk, "advocacy.view_uptake")
    review = _review_for(coalition, review_pk)
    result = selectors.uptake_of_review(coalition=coalition, review=review)
    writer = csv.writer(_Line())
    lines = [BYTE_ORDER_MARK + writer.writerow(taken_up_header())]
    for row in result.taken_up:
        asked_of = ", ".join(state.local_name for state in row.ask.recommending_states.all())
        for made in row.made or (None,):
            cells = [row.ask.text, row.ask.theme, asked_of, _("yes") if made else _("no")]
            if made is None:
                cells += ["", "", ""]
            else:
                states = ", ".join(state.local_name for state in made.recommending_states.all())
                cells += [f"{made.citation}: {made.text}", states, made.get_position_display()]
            lines.append(writer.writerow([defused(str(cell)) for cell in cells]))
    response = HttpResponse("".join(lines), content_type="text/csv; charset=utf-8")
    filename = f"uptake-{review.state.code.lower()}-{review.session.number}-{geneva_today().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def mid_term_start(request, pk: int, review_pk: int):
    """Starts the mid-term report on the review from the matrix, or opens the one already started."""
    coalition = coalition_for(request, pk, "submissions.create_submission")
    review = _review_for(coalition, review_pk)
    existing = selectors.mid_term_report(coalition=coalition, review=review)
    if existing is not None:
        messages.info(request, _("The mid-term report on this review is already started: here it is."))
        return redirect("submissions:detail", existing.pk)
    try:
        submission = mid_term_services.mid_term_start(coalition=coalition, review=review, actor=request.user)
    except SubmissionError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(uptake_url(coalition, review))
    messages.success(
        request,
        ngettext(
            "The mid-term report is started with %(n)d section from the implementation matrix.",
            "The mid-term report is started with %(n)d sections from the implementation matrix.",
            submission.sections.count(),
        )
        % {"n": submission.sections.count()},
    )
    return redirect("submissions:detail", submission.pk)
