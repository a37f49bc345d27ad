"""The sign-off panel of the submission page: a partial that reads its own figures (two queries, and
none before sign-off opens), so the submission page's view needs nothing for it."""

from django import template

from submissions import signoff_selectors as selectors
from submissions.models import SignOff, Submission

register = template.Library()


@register.inclusion_tag("submissions/_sign_off_summary.html", takes_context=True)
def sign_off_panel(context, submission: Submission):
    if submission.status not in selectors.SIGNED_LIST_STATUSES:
        return {"shown": False}
    mine = selectors.sign_off_of_person(submission, context["request"].user)
    return {
        "shown": True,
        "submission": submission,
        "counts": selectors.sign_off_counts(submission),
        "mine": mine,
        "awaited": mine is not None
        and mine.status == SignOff.Status.PENDING
        and submission.status == Submission.Status.SIGN_OFF,
    }
