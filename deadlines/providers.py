"""Deadlines that concern people, from every source, in one shape.

A provider is one small object that lists the deadlines of a set of coalitions between two Geneva
days. The reminder scan, the home page, the coalition timeline and the calendar feeds all read
deadlines through ``deadlines.selectors``, which asks every registered provider; a new kind of
deadline (a section's first draft, say) is one more provider, not one more loop.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Protocol

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from coalitions.models import Coalition
from reviews.models import Review, ReviewStatus
from reviews.state_names import name_fields
from submissions.models import Submission
from upr_portal.tables import reverse_each
from upr_portal.timezones import GENEVA, geneva_day


@dataclass(frozen=True, slots=True)
class Deadline:
    # Stable across moves of the date: the same deadline keeps its key (the iCalendar UID and the
    # reminder claims are built on it), so a moved deadline updates instead of duplicating.
    key: str
    provider: str
    label: str | Promise
    when: datetime.date | datetime.datetime  # a moment (aware) for deadlines, a day for milestones
    coalition: Coalition
    url: str
    review: Review | None = None
    # A deadline is something to deliver (reminded); a milestone is a date to know (calendar only).
    is_deadline: bool = True
    # Optional reminders can be muted; a UN deadline cannot.
    mutable: bool = True
    # Reminded daily once passed (internal deadlines); the UN closes its window at the deadline.
    remind_overdue: bool = False
    # Who it concerns: these user ids, or None for every active member of the coalition.
    audience: frozenset[int] | None = field(default=None)
    # Still shown, but nobody is reminded: the review is postponed or OHCHR suspended its submissions.
    paused: bool = False
    # Met: what was due has been delivered (the coalition sent its submission to OHCHR).
    done: bool = False
    # The date hangs on a Working Group session whose dates OHCHR has not confirmed yet.
    provisional: bool = False
    # When the deadline last changed, for calendar clients (LAST-MODIFIED, SEQUENCE); unset, the review's.
    changed_at: datetime.datetime | None = None

    @property
    def is_reminded(self) -> bool:
        return self.is_deadline and not self.paused and not self.done

    @property
    def day(self) -> datetime.date:
        """The Geneva day of the deadline."""
        if isinstance(self.when, datetime.datetime):
            return geneva_day(self.when)
        # A milestone is already a day; geneva_day() takes only aware moments.
        return self.when

    @property
    def moment(self) -> datetime.datetime:
        if isinstance(self.when, datetime.datetime):
            return self.when
        return datetime.datetime.combine(self.when, datetime.time.min, tzinfo=GENEVA)

    @property
    def is_all_day(self) -> bool:
        return not isinstance(self.when, datetime.datetime)

    @property
    def title(self) -> str:
        """The label with what it is about, for lists and calendars."""
        if self.review is not None:
            return f"{self.label} – {self.review}"
        return str(self.label)

    @property
    def sort_key(self) -> tuple:
        return (self.moment, self.key, self.coalition.name)

    def concerns(self, user_id: int) -> bool:
        return self.audience is None or user_id in self.audience


class DeadlineProvider(Protocol):
    # Stable: reminder mutes and claims name the provider.
    name: str
    # What its deadlines are, for the page where people mute reminders.
    label: str | Promise
    # Whether people may mute its reminders.
    mutable: bool

    def deadlines(
        self, *, coalition_ids: Iterable[int] | None, start: datetime.date | None, end: datetime.date | None
    ) -> Iterable[Deadline]:
        """The deadlines of these coalitions (all when None) whose Geneva day is in [start, end]."""


# (field on Review, label, is a deadline)
REVIEW_MILESTONES = (
    ("submission_window_opens", _("Submission window opens"), False),
    ("stakeholder_deadline", _("Stakeholder submission deadline"), True),
    ("national_report_deadline", _("National report deadline"), False),
    ("pre_session", _("Pre-session"), False),
    ("review_date", _("Review in the Working Group"), False),
    ("adoption_date", _("Adoption at the Human Rights Council"), False),
    ("mid_term_report_due", _("Mid-term report due"), False),
)


STAKEHOLDER_SUFFIX = "-stakeholder_deadline"
# OHCHR takes no contribution for these reviews for now: their deadline is shown, not reminded.
PAUSED_STATUSES = {ReviewStatus.POSTPONED, ReviewStatus.SUBMISSIONS_SUSPENDED}


class ReviewCalendarProvider:
    """The UN calendar of the reviews coalitions work on: the stakeholder deadline (the one the
    coalition must meet, never muted) and the review's other milestones (dates to know)."""

    name = "un_calendar"
    label = _("The UN stakeholder submission deadline")
    mutable = False

    def deadlines(self, *, coalition_ids=None, start=None, end=None) -> list[Deadline]:
        links = Coalition.reviews.through.objects.select_related(
            "coalition", "review__state", "review__session", "review__rescheduled_from"
        ).only(
            # What deadlines show and read of their coalition and review (the pages, mails and feeds):
            # every column of four tables cost more than the rest of a page's deadlines.
            *("coalition__name", "review__status", "review__updated_at", *name_fields("review__state__")),
            *("review__session__number", "review__session__dates_provisional", "review__rescheduled_from__number"),
            *(f"review__{field_name}" for field_name, _label, _is_deadline in REVIEW_MILESTONES),
        )
        if coalition_ids is not None:
            links = links.filter(coalition_id__in=list(coalition_ids))
        result = []
        for link in links:
            review, coalition = link.review, link.coalition
            for field_name, label, is_deadline in REVIEW_MILESTONES:
                when = getattr(review, field_name)
                if when is None:
                    continue
                deadline = Deadline(
                    key=f"review-{review.pk}-{field_name}",
                    provider=self.name,
                    label=label,
                    when=when,
                    coalition=coalition,
                    url="",
                    review=review,
                    is_deadline=is_deadline,
                    mutable=False,
                    paused=review.status in PAUSED_STATUSES,
                    provisional=review.dates_provisional,
                )
                if (start is None or deadline.day >= start) and (end is None or deadline.day <= end):
                    result.append(deadline)
        return self._with_urls(result)

    def _with_urls(self, deadlines: list[Deadline]) -> list[Deadline]:
        """Links each deadline to the page to act on: the coalition's submission for the review (or its
        submissions, to start one) for the stakeholder deadline, the coalition's home for the rest."""
        pairs = {(d.coalition.pk, d.review.pk) for d in deadlines if d.key.endswith(STAKEHOLDER_SUFFIX)}
        submissions = {}
        sent = set()
        if pairs:
            rows = (
                Submission.objects.filter(coalition_id__in={c for c, _r in pairs}, review_id__in={r for _c, r in pairs})
                .order_by("created_at", "pk")
                .values_list("coalition_id", "review_id", "pk", "status")
            )
            for coalition_id, review_id, pk, status in rows:
                submissions.setdefault((coalition_id, review_id), pk)
                if status == Submission.Status.SUBMITTED:
                    sent.add((coalition_id, review_id))
        if not deadlines:
            return []
        # Each pattern reversed once, not once a deadline (upr_portal/tables.py).
        submission_url = reverse_each("submissions:detail")
        submissions_url = reverse_each("submissions:list")
        coalition_url = reverse_each("coalitions:home")
        result = []
        for deadline in deadlines:
            done = False
            if deadline.key.endswith(STAKEHOLDER_SUFFIX):
                pair = (deadline.coalition.pk, deadline.review.pk)
                submission_id = submissions.get(pair)
                if submission_id is not None:
                    url = submission_url(submission_id)
                else:
                    url = submissions_url(deadline.coalition.pk)
                # A coalition that has sent its submission to OHCHR is not reminded of the deadline.
                done = pair in sent
            else:
                url = coalition_url(deadline.coalition.pk)
            result.append(replace(deadline, url=url, done=done))
        return result


_providers: dict[str, DeadlineProvider] = {}


def register(provider: DeadlineProvider) -> None:
    _providers[provider.name] = provider


def unregister(name: str) -> None:
    _providers.pop(name, None)


def get_provider(name: str) -> DeadlineProvider | None:
    return _providers.get(name)


def all_providers() -> list[DeadlineProvider]:
    return list(_providers.values())


def register_builtin() -> None:
    # Imported here: the module builds on Deadline, defined above.
    from deadlines.lobbying_followups import LobbyingFollowUpProvider
    from deadlines.section_milestones import SectionMilestoneProvider

    register(ReviewCalendarProvider())
    register(SectionMilestoneProvider())
    register(LobbyingFollowUpProvider())
