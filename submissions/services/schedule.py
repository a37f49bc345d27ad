"""A section's internal milestones: the rules they follow, and setting them for many sections at once.

Milestones come in order (first draft, then review, then final text) and none falls after the UN
stakeholder deadline of the submission's review: a section finished after the UN closed its window
is of no use. Bulk schedules are set relative to that deadline ("first drafts 10 weeks before"), in
Geneva days and Geneva time, so a daylight-saving change between the two dates moves nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import User
from coalitions.models import AuditEvent, Organisation
from coalitions.services.coalitions import audit
from submissions.errors import SubmissionError, refuse_if_locked
from submissions.models import Section, Submission
from submissions.models.core import SECTION_MILESTONES
from upr_portal.timezones import GENEVA, geneva_day

MILESTONE_NAMES = [name for name, _label in SECTION_MILESTONES]
MILESTONE_LABELS = dict(SECTION_MILESTONES)


def _shown(moment: datetime.datetime) -> str:
    return formats.date_format(moment.astimezone(GENEVA), "DATETIME_FORMAT")


def milestone_problems(
    milestones: dict[str, datetime.datetime | None], *, un_deadline: datetime.datetime | None
) -> dict[str, str]:
    """What is wrong with a section's milestones, in plain words, by field name (empty: nothing)."""
    problems = {}
    previous = None
    for name in MILESTONE_NAMES:
        when = milestones.get(name)
        if when is None:
            continue
        if un_deadline is not None and when > un_deadline:
            problems[name] = _(
                "%(milestone)s is after the UN stakeholder deadline (%(deadline)s, Geneva time): "
                "choose an earlier date."
            ) % {"milestone": MILESTONE_LABELS[name], "deadline": _shown(un_deadline)}
        elif previous is not None and when < milestones[previous]:
            problems[name] = _("%(milestone)s comes before %(earlier)s: milestones go in order.") % {
                "milestone": MILESTONE_LABELS[name],
                "earlier": str(MILESTONE_LABELS[previous]).lower(),
            }
        previous = name
    return problems


def refuse_bad_milestones(milestones: dict[str, datetime.datetime | None], *, submission: Submission) -> None:
    problems = milestone_problems(milestones, un_deadline=submission.review.stakeholder_deadline)
    if problems:
        raise SubmissionError(" ".join(problems.values()))


@dataclass(frozen=True)
class MilestoneRule:
    """One milestone of a bulk schedule: so many days before the UN deadline's Geneva day, at a Geneva time."""

    name: str
    days_before: int
    at: datetime.time

    def moment(self, un_deadline: datetime.datetime) -> datetime.datetime:
        day = geneva_day(un_deadline) - datetime.timedelta(days=self.days_before)
        # Combined in Geneva's zone, not added as hours: 17:00 stays 17:00 across a DST change.
        return datetime.datetime.combine(day, self.at, tzinfo=GENEVA)


@dataclass(frozen=True)
class PlannedSection:
    section: Section
    milestones: dict[str, datetime.datetime | None]
    problems: dict[str, str]

    @property
    def dates(self) -> list[datetime.datetime | None]:
        return [self.milestones[name] for name in MILESTONE_NAMES]


def schedule_plan(
    *, submission: Submission, sections: Iterable[Section], rules: Iterable[MilestoneRule]
) -> list[PlannedSection]:
    """What a bulk schedule would give each section (its other milestones kept), with the problems."""
    un_deadline = submission.review.stakeholder_deadline
    if un_deadline is None:
        raise SubmissionError(
            _(
                "The review has no stakeholder deadline yet, so there is nothing to count back from. "
                "Set each section's milestones in its settings instead."
            )
        )
    rules = list(rules)
    plan = []
    for section in sections:
        milestones = {name: getattr(section, name) for name in MILESTONE_NAMES}
        for rule in rules:
            milestones[rule.name] = rule.moment(un_deadline)
        plan.append(
            PlannedSection(
                section=section, milestones=milestones, problems=milestone_problems(milestones, un_deadline=un_deadline)
            )
        )
    return plan


def sections_schedule(
    *,
    submission: Submission,
    actor: User,
    section_ids: Iterable[int],
    rules: Iterable[MilestoneRule],
    lead_organisation: Organisation | None = None,
) -> int:
    """Sets the milestones (and optionally the lead organisation) of the chosen sections of a
    submission relative to its review's stakeholder deadline. One transaction: every section or none.
    Returns the number of sections changed; records SECTIONS_SCHEDULED with that count."""
    rules = list(rules)
    with transaction.atomic():
        submission = Submission.objects.select_for_update().select_related("review", "coalition").get(pk=submission.pk)
        refuse_if_locked(submission)
        sections = list(submission.sections.filter(pk__in=list(section_ids)).order_by("position", "pk"))
        if not sections:
            raise SubmissionError(_("Choose at least one section."))
        plan = schedule_plan(submission=submission, sections=sections, rules=rules)
        refused = [item for item in plan if item.problems]
        if refused:
            raise SubmissionError(
                _("%(section)s: %(problems)s")
                % {"section": refused[0].section.title, "problems": " ".join(refused[0].problems.values())}
            )
        fields = [rule.name for rule in rules]
        if lead_organisation is not None:
            fields.append("lead_organisation")
        now = timezone.now()
        for item in plan:
            item.section.updated_at = now
            for name in MILESTONE_NAMES:
                setattr(item.section, name, item.milestones[name])
            if lead_organisation is not None:
                item.section.lead_organisation = lead_organisation
        # One UPDATE for all the sections rather than one per section.
        Section.objects.bulk_update(sections, [*fields, "updated_at"])
        audit(
            coalition=submission.coalition,
            actor=actor,
            action=AuditEvent.Action.SECTIONS_SCHEDULED,
            subject=submission.title,
            count=len(sections),
            milestones={rule.name: rule.moment(submission.review.stakeholder_deadline).isoformat() for rule in rules},
            lead_organisation=lead_organisation.name if lead_organisation is not None else "",
        )
    return len(sections)
