"""The internal milestones of sections (first draft, review, final text) as deadlines.

Each milestone set on a section is a deadline for the section's assignees: the people named on it and
the active editing members (coordinators, cluster leads, drafters) of its lead and contributing
organisations. A milestone met by the section's workflow state (MILESTONE_MET_IN) is still listed, as
done, and nobody is reminded of it. Reminders of these deadlines can be muted.

Reads in four queries whatever the number of sections and coalitions: the sections, their named
people, their organisations, and the editing members of those organisations.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from deadlines.providers import Deadline
from reviews.state_names import name_fields
from submissions.models import Section
from submissions.models.core import SECTION_MILESTONES
from submissions.selectors import section_people
from upr_portal.tables import reverse_each
from upr_portal.timezones import GENEVA


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=GENEVA)


class SectionMilestoneProvider:
    """First drafts, reviews and final texts due, set per section by the coordinators."""

    name = "section_milestones"
    label = _("The internal deadlines of the sections assigned to you")
    mutable = True

    def deadlines(self, *, coalition_ids=None, start=None, end=None) -> list[Deadline]:
        in_range = Q()
        for field_name, _label in SECTION_MILESTONES:
            bounds = {f"{field_name}__isnull": False}
            if start is not None:
                bounds[f"{field_name}__gte"] = _day_start(start)
            if end is not None:
                bounds[f"{field_name}__lt"] = _day_start(end + datetime.timedelta(days=1))
            in_range |= Q(**bounds)
        sections = (
            Section.objects.filter(in_range)
            .select_related(
                *("submission__coalition", "submission__review__state", "submission__review__session"),
                # The review's badge names the session it was moved from (upr_portal.tables.review_badge_of).
                "submission__review__rescheduled_from",
            )
            .only(
                *("title", "state", "lead_organisation_id", "updated_at", "submission__status"),
                "submission__coalition__name",
                *(field_name for field_name, _label in SECTION_MILESTONES),
                *("submission__review__status", "submission__review__updated_at"),
                *name_fields("submission__review__state__"),
                *("submission__review__session__number", "submission__review__session__dates_provisional"),
                "submission__review__rescheduled_from__number",
            )
            .order_by("pk")
        )
        if coalition_ids is not None:
            sections = sections.filter(submission__coalition_id__in=list(coalition_ids))
        sections = list(sections)
        audiences = section_people(sections)
        urls = {}
        result = []
        for section in sections:
            submission = section.submission
            if submission.pk not in urls:
                urls[submission.pk] = reverse_each("submissions:section", submission.pk)
            for field_name, label in SECTION_MILESTONES:
                when = getattr(section, field_name)
                if when is None:
                    continue
                deadline = Deadline(
                    key=f"section-{section.pk}-{field_name}",
                    provider=self.name,
                    label=format_lazy("{label}: {title}", label=label, title=section.title),
                    when=when,
                    coalition=submission.coalition,
                    url=urls[submission.pk](section.pk),
                    review=submission.review,
                    mutable=True,
                    remind_overdue=True,
                    audience=audiences[section.pk],
                    done=section.milestone_met(field_name) or submission.is_locked,
                    # A moved milestone is a change of the section (its settings are saved with it).
                    changed_at=section.updated_at,
                )
                if (start is None or deadline.day >= start) and (end is None or deadline.day <= end):
                    result.append(deadline)
        return result
