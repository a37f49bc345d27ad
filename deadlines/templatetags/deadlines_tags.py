"""Deadlines shown on other apps' pages, so those apps need not import deadlines (it sits above them)."""

import datetime
from typing import NamedTuple

from django import template
from django.utils import translation

from deadlines.selectors import deadlines_for_coalition
from upr_portal import freshness
from upr_portal.tables import ROWS_CACHE_SECONDS, review_badge_of, rows_digest
from upr_portal.timezones import geneva_today

register = template.Library()

COALITION_DUE_LIMIT = 6


class DueItem(NamedTuple):
    """One deadline as the list shows it, in plain values: the list is cached under a digest of them."""

    when: datetime.date | datetime.datetime
    provisional: bool
    url: str
    label: str
    state: str  # the reviewed State's name, "" for a deadline of no review
    review_status: dict | None  # what reviews/_status.html reads of the review


@register.inclusion_tag("deadlines/_coalition_due.html")
def coalition_due(coalition, limit: int = COALITION_DUE_LIMIT):
    """The coalition's next deadlines and milestones (a deadline stays listed all its last Geneva day),
    with a link to its whole timeline; remembered until the database changes (upr_portal/freshness.py),
    in the page's language on the Geneva day."""
    today = geneva_today()
    return {
        "coalition": coalition,
        **freshness.remember(
            "coalition-due",
            (coalition.pk, limit, translation.get_language(), today),
            lambda: _due_items(coalition, limit, today),
        ),
        "rows_cache_seconds": ROWS_CACHE_SECONDS,
    }


def _due_items(coalition, limit: int, today: datetime.date) -> dict:
    due = deadlines_for_coalition(coalition=coalition, start=today)
    items = [
        DueItem(
            when=deadline.when,
            provisional=deadline.provisional,
            url=deadline.url,
            label=str(deadline.label),
            state=deadline.review.state.local_name if deadline.review else "",
            review_status=review_badge_of(deadline.review) if deadline.review else None,
        )
        for deadline in due[:limit]
    ]
    more = len(due) > limit
    return {"due": items, "more": more, "due_key": rows_digest(items, more, coalition.pk)}
