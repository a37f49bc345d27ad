"""A coalition's deadlines laid out for its timeline page: by month, with past ones and today marked."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from deadlines.providers import Deadline
from upr_portal.timezones import geneva_day


@dataclass(frozen=True, slots=True)
class TimelineRow:
    day: datetime.date
    # None for the row that marks today.
    deadline: Deadline | None = None
    is_past: bool = False

    @property
    def is_today_marker(self) -> bool:
        return self.deadline is None


@dataclass(slots=True)
class TimelineMonth:
    first_day: datetime.date
    rows: list[TimelineRow] = field(default_factory=list)


def is_past(deadline: Deadline, *, now: datetime.datetime) -> bool:
    """A deadline is past once its moment has gone; a milestone (a day) once its Geneva day has."""
    if deadline.is_all_day:
        return deadline.day < geneva_day(now)
    return deadline.moment < now


def timeline_months(deadlines: list[Deadline], *, now: datetime.datetime) -> list[TimelineMonth]:
    """The deadlines (in date order) grouped by Geneva month, with a row for today before today's first
    deadline (or at its place in time when no deadline falls on or after it)."""
    today = geneva_day(now)
    rows: list[TimelineRow] = []
    marked = False
    for deadline in sorted(deadlines, key=lambda d: d.sort_key):
        if not marked and deadline.day >= today:
            rows.append(TimelineRow(day=today))
            marked = True
        rows.append(TimelineRow(day=deadline.day, deadline=deadline, is_past=is_past(deadline, now=now)))
    if not marked:
        rows.append(TimelineRow(day=today))
    months: list[TimelineMonth] = []
    for row in rows:
        first_day = row.day.replace(day=1)
        if not months or months[-1].first_day != first_day:
            months.append(TimelineMonth(first_day=first_day))
        months[-1].rows.append(row)
    return months
