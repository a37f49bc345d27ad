"""Deadlines shown on other apps' pages, so those apps need not import deadlines (it sits above them)."""

from django import template

from deadlines.selectors import deadlines_for_coalition
from upr_portal.timezones import geneva_today

register = template.Library()

COALITION_DUE_LIMIT = 6


@register.inclusion_tag("deadlines/_coalition_due.html")
def coalition_due(coalition, limit: int = COALITION_DUE_LIMIT):
    """The coalition's next deadlines and milestones (a deadline stays listed all its last Geneva day),
    with a link to its whole timeline."""
    due = deadlines_for_coalition(coalition=coalition, start=geneva_today())
    return {"coalition": coalition, "due": due[:limit], "more": len(due) > limit}
