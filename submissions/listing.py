"""The coalition's submissions as its home page and its submissions page list them: the joint
submission and its clusters' own, each with its state and its next deadline. Two queries whatever
the number of submissions and sections, remembered until the database changes
(upr_portal/freshness.py): only what is late is worked out on each request."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace

from django.utils import translation
from django.utils.translation import gettext as _

from coalitions.models import Coalition
from reviews.state_names import name_fields
from submissions.models import Section, Submission
from upr_portal import freshness
from upr_portal.tables import review_badge_of


@dataclass(frozen=True, slots=True)
class SubmissionListed:
    pk: int
    title: str
    kind: str
    cluster: str  # "" for the coalition's own joint submission
    review: str
    review_badge: dict  # what reviews/_status.html reads
    status: str
    status_label: str
    is_locked: bool
    stakeholder_deadline: datetime.datetime | None  # the UN's deadline for stakeholders
    milestone_label: str  # the nearest section milestone not met: its name and section
    milestone_when: datetime.datetime | None
    milestone_late: bool
    late: int  # milestones passed and not met, over every section


def coalition_submissions(*, coalition: Coalition, now: datetime.datetime) -> list[SubmissionListed]:
    """The coalition's submissions, newest first: the joint submission's and the clusters' alike."""
    listed = freshness.remember(
        "coalition-submissions", (coalition.pk, translation.get_language()), lambda: _listed(coalition=coalition)
    )
    return [
        replace(
            row,
            milestone_late=row.milestone_when is not None and row.milestone_when < now,
            late=sum(when < now for when in open_milestones),
        )
        for row, open_milestones in listed
    ]


def _listed(*, coalition: Coalition) -> list[tuple[SubmissionListed, tuple[datetime.datetime, ...]]]:
    """Each submission's row as of no moment (nothing late yet), with when each of its sections'
    milestones not met falls: what the moment changes is worked out from them."""
    submissions = list(
        Submission.objects.filter(coalition=coalition)
        .select_related("cluster", "review__state", "review__session", "review__rescheduled_from")
        .only(
            *("title", "kind", "status", "created_at", "coalition", "cluster__name"),
            *("review__status", "review__stakeholder_deadline", "review__session__number"),
            *name_fields("review__state__"),
            *("review__session__dates_provisional", "review__rescheduled_from__number"),
        )
        .order_by("-created_at", "-pk")
    )
    # Only the milestones and the state that decides whether each is met: never a section's text.
    sections = Section.objects.filter(submission__coalition=coalition).only(
        "submission", "title", "state", "first_draft_due", "review_due", "final_due"
    )
    nearest: dict[int, tuple[datetime.datetime, str]] = {}
    open_milestones: dict[int, list[datetime.datetime]] = {}
    for section in sections:
        milestones = section.open_milestones()
        open_milestones.setdefault(section.submission_id, []).extend(when for _name, _label, when in milestones)
        if not milestones:
            continue
        # The first milestone not met, late or ahead (Section.next_milestone).
        _name, label, when = milestones[0]
        if section.submission_id not in nearest or when < nearest[section.submission_id][0]:
            nearest[section.submission_id] = (
                when,
                _("%(milestone)s: %(section)s") % {"milestone": label, "section": section.title},
            )
    rows = []
    for submission in submissions:
        when, label = nearest.get(submission.pk, (None, ""))
        row = SubmissionListed(
            pk=submission.pk,
            title=submission.title,
            kind=str(submission.get_kind_display()),
            cluster=submission.cluster.name if submission.cluster_id else "",
            review=str(submission.review),
            review_badge=review_badge_of(submission.review),
            status=submission.status,
            status_label=str(submission.get_status_display()),
            is_locked=submission.is_locked,
            stakeholder_deadline=submission.review.stakeholder_deadline,
            milestone_label=label,
            milestone_when=when,
            milestone_late=False,
            late=0,
        )
        rows.append((row, tuple(open_milestones.get(submission.pk, ()))))
    return rows
