"""The section editor's picker of previous recommendations (issue 12): the recommendations made to
the submission's State at its earlier reviews, searched from a dialog and inserted as a citation.

A JSON API of the editor, like the save API: 401 signed out, 404 for who may not see the section,
403 with the reason for who may see it but not edit it.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from accounts.two_factor.policy import TwoFactorRequired
from coalitions.access import REFUSALS
from reviews.models import RecommendationPosition, UPRRecommendation
from reviews.selectors import earlier_recommendations
from submissions.models import Submission
from submissions.views.common import section_for

PICKER_LIMIT = 20
# The recommendation's words quoted in the citation, at most (then an ellipsis).
QUOTE_LENGTH = 200


def _json_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": code, "message": message}, status=status)


def position_word(position: str) -> str:
    """The position as a word inside a sentence: "supported", not the label "Supported"."""
    return {
        RecommendationPosition.SUPPORTED: pgettext("position in a citation", "supported"),
        RecommendationPosition.NOTED: pgettext("position in a citation", "noted"),
        RecommendationPosition.PARTIALLY_SUPPORTED: pgettext("position in a citation", "partially supported"),
        RecommendationPosition.PENDING: pgettext("position in a citation", "pending"),
    }.get(position, position)


def citation_text(recommendation: UPRRecommendation) -> str:
    """What the picker inserts: "A/HRC/44/9, para. 140.7 (supported): “Ratify the …”"."""
    quote = Truncator(" ".join(recommendation.text.split())).chars(QUOTE_LENGTH)
    return _("%(citation)s (%(position)s): “%(text)s”") % {
        "citation": recommendation.citation,
        "position": position_word(recommendation.position),
        "text": quote,
    }


def _states(recommendation: UPRRecommendation) -> str:
    states = [
        _("%(state)s (observer)") % {"state": state.local_name}
        if state.status == state.Status.OBSERVER
        else state.local_name
        for state in recommendation.recommending_states.all()
    ]
    return ", ".join(states) or recommendation.recommending_states_text


@require_GET
def previous_recommendations(request, pk: int, section_pk: int):
    """At most PICKER_LIMIT recommendations matching ``q`` (all of them, latest first, without it)."""
    if not request.user.is_authenticated:
        return _json_error(401, "signed_out", _("You are signed out. Sign in again in another tab, then retry."))
    try:
        section = section_for(request, pk, section_pk, "submissions.edit_section", text=False)
    except Http404:
        return _json_error(404, "not_found", _("This section does not exist or is not yours to see."))
    except TwoFactorRequired as refusal:
        return _json_error(403, "two_factor_required", refusal.reason)
    except PermissionDenied:
        return _json_error(403, "forbidden", str(REFUSALS["submissions.edit_section"]))
    submission = section.submission
    recommendations = earlier_recommendations(
        review=submission.review,
        text=request.GET.get("q", "")[:200],
        language=submission.language,
        # A mid-term report follows up the recommendations of its own review.
        include_own=submission.kind == Submission.Kind.MID_TERM,
        limit=PICKER_LIMIT,
    )
    return JsonResponse(
        {
            "results": [
                {
                    "id": recommendation.pk,
                    "citation": recommendation.citation,
                    "text": recommendation.text,
                    "position": recommendation.get_position_display(),
                    "states": _states(recommendation),
                    "review": str(recommendation.review),
                    "insert": citation_text(recommendation),
                }
                for recommendation in recommendations
            ]
        }
    )
