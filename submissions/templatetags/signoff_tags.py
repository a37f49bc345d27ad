"""The sign-off panel of the submission page: a partial that reads its own figures (none before sign-off
opens), so the submission page's view needs nothing for it."""

from django import template

from submissions import signoff_selectors as selectors
from submissions.models import SignOff, Submission
from upr_portal.freshness import remember

register = template.Library()


@register.inclusion_tag("submissions/_sign_off_summary.html", takes_context=True)
def sign_off_panel(context, submission: Submission):
    if submission.status not in selectors.SIGNED_LIST_STATUSES:
        return {"shown": False}
    user = context["request"].user
    # The person's own sign-off and the figures (two queries), remembered per person while the
    # database does not change (upr_portal/freshness.py).
    mine, counts = remember(
        "sign-off-panel",
        (submission.pk, user.pk),
        lambda: (selectors.sign_off_of_person(submission, user), selectors.sign_off_counts(submission)),
    )
    return {
        "shown": True,
        "submission": submission,
        "counts": counts,
        "mine": mine,
        "awaited": mine is not None
        and mine.status == SignOff.Status.PENDING
        and submission.status == Submission.Status.SIGN_OFF,
    }
