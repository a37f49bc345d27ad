"""Recommendations, written through the service as a drafter would."""

from submissions.models import Recommendation, Section
from submissions.services.recommendations import SMART_FIELDS, recommendation_add, recommendation_confirm_smart


def add_recommendation(
    section: Section, *, author, text: str, theme: str = "", states=(), smart=(), confirmed_by=None
) -> Recommendation:
    """A recommendation at the end of the section; ``smart="all"`` ticks the five criteria, and
    ``confirmed_by`` confirms them as that person (the audit event is written too)."""
    ticked = SMART_FIELDS if smart == "all" else list(smart)
    recommendation = recommendation_add(
        section=section, actor=author, text=text, theme=theme, states=list(states), smart=ticked
    )
    if confirmed_by is not None:
        recommendation_confirm_smart(recommendation=recommendation, actor=confirmed_by)
    return recommendation
