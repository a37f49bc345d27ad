"""Reads of deadlines: for a person, for a coalition, and for the reminder scan."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from coalitions.models import Coalition
from coalitions.rules import memberships_of
from deadlines.models import DEFAULT_OFFSETS, CoalitionReminderSettings, ReminderMute
from deadlines.providers import Deadline, all_providers
from submissions.models import Section
from submissions.selectors import sections_drafted_by
from upr_portal.timezones import geneva_day, geneva_today

# Overdue reminders stop this many days after the deadline: by then the coordinators know.
OVERDUE_HORIZON_DAYS = 14
# A digest lists what is due within this many days, and what is late.
DIGEST_AHEAD_DAYS = 14


def _collect(*, coalition_ids, start, end) -> list[Deadline]:
    found = []
    for provider in all_providers():
        found.extend(provider.deadlines(coalition_ids=coalition_ids, start=start, end=end))
    return sorted(found, key=lambda d: d.sort_key)


def deadlines_for_coalition(
    *, coalition: Coalition, start: datetime.date | None = None, end: datetime.date | None = None
) -> list[Deadline]:
    """Every deadline and milestone of the coalition, past ones included unless ``start`` is given."""
    return _collect(coalition_ids=[coalition.pk], start=start, end=end)


def deadlines_for_user(*, user, start: datetime.date | None = None, end: datetime.date | None = None) -> list[Deadline]:
    """The deadlines that concern the person through their active memberships, one per coalition
    (a review worked on by two of their coalitions appears for each; ``unique_by_key`` folds them)."""
    if not user.is_authenticated:
        return []
    # The memberships the request already read (coalitions.rules keeps them on the user).
    coalition_ids = list(memberships_of(user))
    if not coalition_ids:
        return []
    return [d for d in _collect(coalition_ids=coalition_ids, start=start, end=end) if d.concerns(user.pk)]


def unique_by_key(deadlines: list[Deadline]) -> list[Deadline]:
    """The first of each key: one event, one reminder, however many coalitions share the deadline."""
    seen = set()
    result = []
    for deadline in deadlines:
        if deadline.key not in seen:
            seen.add(deadline.key)
            result.append(deadline)
    return result


def due_next_for_user(*, user, today: datetime.date | None = None) -> list[Deadline]:
    """What is still ahead for the person, soonest first (a deadline stays listed all its last day)."""
    return deadlines_for_user(user=user, start=today or geneva_today())


@dataclass(frozen=True, slots=True)
class SectionDue:
    """One of the person's sections with what it must meet next, for the home page."""

    section: Section
    # The soonest deadline still ahead for the section's coalition and review (None: nothing ahead).
    next_deadline: Deadline | None
    # The UN stakeholder deadline of the section's review and the Geneva days left until its day:
    # 0 on the day itself, negative once passed, None while OHCHR has not announced it.
    un_deadline: datetime.datetime | None
    days_left: int | None

    @property
    def un_deadline_passed(self) -> bool:
        return self.days_left is not None and self.days_left < 0


def sections_due_for_user(
    *, user, due: list[Deadline] | None = None, today: datetime.date | None = None
) -> list[SectionDue]:
    """The sections the person drafts (``submissions.selectors.sections_drafted_by``), each with its
    next deadline and a countdown to the UN deadline. ``due`` is ``due_next_for_user``'s answer when
    the caller already has it (the home page shows both), so the providers are asked once."""
    today = today or geneva_today()
    sections = sections_drafted_by(user=user)
    if not sections:
        return []
    if due is None:
        due = due_next_for_user(user=user, today=today)
    result = []
    for section in sections:
        submission = section.submission
        next_deadline = next(
            (
                d
                for d in due
                if d.is_deadline
                and not d.done
                and d.coalition.pk == submission.coalition_id
                and (d.review is None or d.review.pk == submission.review_id)
            ),
            None,
        )
        un_deadline = submission.review.stakeholder_deadline
        days_left = (geneva_day(un_deadline) - today).days if un_deadline is not None else None
        result.append(
            SectionDue(section=section, next_deadline=next_deadline, un_deadline=un_deadline, days_left=days_left)
        )
    return result


def deadlines_to_remind(*, start: datetime.date, end: datetime.date) -> list[Deadline]:
    """The deadlines of every coalition between two Geneva days that people are reminded of."""
    return [d for d in _collect(coalition_ids=None, start=start, end=end) if d.is_reminded]


@dataclass(frozen=True, slots=True)
class ReminderSchedule:
    """When a coalition reminds: days before a deadline (largest first), daily once late, a digest."""

    offsets: tuple[int, ...] = tuple(DEFAULT_OFFSETS)
    remind_overdue: bool = True
    send_digest: bool = True

    def merged(self, other: ReminderSchedule) -> ReminderSchedule:
        """One schedule for a person reminded of the same deadline through two coalitions: every day
        either reminds on, so each reminder goes once however many coalitions share the deadline."""
        return ReminderSchedule(
            offsets=tuple(sorted(set(self.offsets) | set(other.offsets), reverse=True)),
            remind_overdue=self.remind_overdue or other.remind_overdue,
            send_digest=self.send_digest or other.send_digest,
        )


DEFAULT_SCHEDULE = ReminderSchedule()


def reminder_schedule_of(settings: CoalitionReminderSettings | None) -> ReminderSchedule:
    if settings is None:
        return DEFAULT_SCHEDULE
    return ReminderSchedule(
        offsets=tuple(sorted(set(settings.offsets), reverse=True)),
        remind_overdue=settings.remind_overdue,
        send_digest=settings.send_digest,
    )


def reminder_schedules() -> dict[int, ReminderSchedule]:
    """The schedules coalitions changed, by coalition id; every other coalition uses DEFAULT_SCHEDULE."""
    return {row.coalition_id: reminder_schedule_of(row) for row in CoalitionReminderSettings.objects.all()}


def reminder_settings_for(*, coalition: Coalition) -> CoalitionReminderSettings:
    """The coalition's settings, unsaved defaults when it never changed them."""
    found = CoalitionReminderSettings.objects.filter(coalition=coalition).first()
    return found or CoalitionReminderSettings(coalition=coalition)


def muted_providers(*, user) -> set[str]:
    return set(ReminderMute.objects.filter(user=user).values_list("provider", flat=True))


def digest_items(*, deadlines: list[Deadline], today: datetime.date) -> list[Deadline]:
    """What a coalition's digest lists: its deadlines due within DIGEST_AHEAD_DAYS, and those late."""
    end = today + datetime.timedelta(days=DIGEST_AHEAD_DAYS)
    start = today - datetime.timedelta(days=OVERDUE_HORIZON_DAYS)
    items = []
    for deadline in unique_by_key(deadlines):
        if not deadline.is_reminded:
            continue
        if today <= deadline.day <= end or (deadline.remind_overdue and start <= deadline.day < today):
            items.append(deadline)
    return items
