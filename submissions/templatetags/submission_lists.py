"""``{% coalition_submissions coalition %}``: the coalition's submissions with their state and next
deadline, for its home page and its submissions page (coalitions sits below submissions and cannot
import it; its template can include this)."""

from django import template
from django.utils import timezone

from submissions.listing import coalition_submissions as submissions_of

register = template.Library()


@register.inclusion_tag("submissions/_coalition_submissions.html")
def coalition_submissions(coalition):
    return {"coalition": coalition, "submissions": submissions_of(coalition=coalition, now=timezone.now())}
