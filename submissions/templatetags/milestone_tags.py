"""``{% section_milestones section %}``: a section's milestones with their states, for its pages."""

from django import template
from django.utils import timezone

from submissions.milestones import section_milestones as milestones_of
from upr_portal.timezones import GENEVA

register = template.Library()


@register.inclusion_tag("submissions/_milestones.html")
def section_milestones(section):
    # The reader's zone is the active one; Geneva time is shown beside it when it differs.
    current = timezone.get_current_timezone()
    name = getattr(current, "key", str(current))
    return {
        "reader_zone_name": name.replace("_", " "),
        "section": section,
        "milestones": milestones_of(section, now=timezone.now()),
        "reader_zone": current,
        "reader_is_geneva": name == GENEVA.key,
    }
