"""A section's milestones as pages show them: each with its state (met, late, due in so many days)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from submissions.models import Section
from submissions.models.core import SECTION_MILESTONES
from upr_portal.timezones import geneva_day


@dataclass(frozen=True, slots=True)
class MilestoneState:
    name: str
    label: str
    when: datetime.datetime
    met: bool
    late: bool
    # Geneva days from today to the milestone's day (0: today; negative: passed).
    days_left: int

    @property
    def status(self) -> str:
        """In words: "met", "late", "due today", "due in 3 days"."""
        if self.met:
            return _("met")
        if self.late:
            return _("late")
        if self.days_left == 0:
            return _("due today")
        return ngettext("due in %(days)d day", "due in %(days)d days", self.days_left) % {"days": self.days_left}

    @property
    def css(self) -> str:
        return "text-success" if self.met else "text-danger fw-bold" if self.late else ""


def section_milestones(section: Section, *, now: datetime.datetime) -> list[MilestoneState]:
    """The milestones set on the section, in order, each with its state at ``now``."""
    today = geneva_day(now)
    result = []
    for name, label in SECTION_MILESTONES:
        when = getattr(section, name)
        if when is None:
            continue
        met = section.milestone_met(name)
        result.append(
            MilestoneState(
                name=name,
                label=str(label),
                when=when,
                met=met,
                late=not met and when < now,
                days_left=(geneva_day(when) - today).days,
            )
        )
    return result


def next_deadline_fields(section: Section, *, now: datetime.datetime) -> dict:
    """The submission page's "Next deadline" cell of a section, as plain values (its rows are cached)."""
    found = section.next_milestone(now)
    if found is None:
        return {}
    _name, label, when = found
    return {"next_deadline_label": str(label), "next_deadline_at": when, "next_deadline_late": when < now}
