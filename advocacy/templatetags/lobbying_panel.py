"""The lobbying part's panel on the 'After the review' page reads its own rows (six queries)."""

from django import template

from advocacy import lobbying_selectors as selectors

register = template.Library()

LATEST_MEETINGS = 5


@register.simple_tag
def lobbying_overview(coalition) -> dict:
    return {
        "meetings": list(selectors.meetings_of(coalition=coalition)[:LATEST_MEETINGS]),
        "follow_ups": list(selectors.follow_ups_due(coalition=coalition)),
        "factsheets": selectors.factsheets_with_documents(coalition=coalition),
        "statements": selectors.statements_of(coalition=coalition),
    }
