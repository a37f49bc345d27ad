"""Reads for the UPR calendar: what is coming up, and what is coming up for one person."""

import datetime
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from coalitions.models import Coalition
from reviews.models import GENEVA, Review


def _geneva_today() -> datetime.date:
    return timezone.localdate(timezone.now(), GENEVA)


def upcoming_reviews(*, today: datetime.date | None = None, limit: int | None = 30) -> QuerySet[Review]:
    """Reviews whose Working Group session has not ended, or whose dates are not known yet.

    Soonest stakeholder deadline first (unknown deadlines last), then session number, then State name.
    """
    today = today or _geneva_today()
    reviews = (
        Review.objects.filter(Q(session__wg_end__gte=today) | Q(session__wg_end__isnull=True))
        .select_related("state", "session")
        .order_by(F("stakeholder_deadline").asc(nulls_last=True), "session__number", "state__name")
    )
    return reviews[:limit] if limit is not None else reviews


@dataclass(frozen=True, slots=True)
class Milestone:
    review: Review
    coalition: Coalition
    label: str | Promise
    when: datetime.date | datetime.datetime
    is_deadline: bool

    @property
    def day(self) -> datetime.date:
        """The Geneva day of the milestone (deadlines are moments, the rest are days)."""
        if isinstance(self.when, datetime.datetime):
            return timezone.localdate(self.when, GENEVA)
        return self.when

    @property
    def sort_key(self) -> tuple:
        if isinstance(self.when, datetime.datetime):
            moment = self.when
        else:
            moment = datetime.datetime.combine(self.when, datetime.time.min, tzinfo=GENEVA)
        return (moment, self.review.session.number, self.review.state.name, self.coalition.name)


# (field on Review, label, is a deadline)
MILESTONE_FIELDS = (
    ("stakeholder_deadline", _("Stakeholder submission deadline"), True),
    ("national_report_deadline", _("National report deadline"), True),
    ("pre_session", _("Pre-session"), False),
    ("review_date", _("Review in the Working Group"), False),
    ("adoption_date", _("Adoption at the Human Rights Council"), False),
    ("mid_term_report_due", _("Mid-term report due"), False),
)


def milestones_due_for_user(*, user, today: datetime.date | None = None) -> list[Milestone]:
    """The milestones not yet past (counted in Geneva days) of the reviews the user's coalitions
    work on, through the user's active memberships, soonest first. One query, however many reviews.

    A deadline stays listed for the whole of its last day.
    """
    if not user.is_authenticated:
        return []
    today = today or _geneva_today()
    links = (
        Coalition.reviews.through.objects.filter(
            coalition__memberships__user=user, coalition__memberships__is_active=True
        )
        .select_related("coalition", "review__state", "review__session")
        .distinct()
    )
    milestones = []
    for link in links:
        for field_name, label, is_deadline in MILESTONE_FIELDS:
            when = getattr(link.review, field_name)
            if when is None:
                continue
            milestone = Milestone(
                review=link.review, coalition=link.coalition, label=label, when=when, is_deadline=is_deadline
            )
            if milestone.day >= today:
                milestones.append(milestone)
    return sorted(milestones, key=lambda m: m.sort_key)
