"""Reads for the UPR calendar: what is coming up."""

import datetime

from django.db.models import F, QuerySet

from reviews.models import Review


def upcoming_reviews(*, today: datetime.date | None = None, limit: int | None = 30) -> QuerySet[Review]:
    """Reviews whose Working Group session has not ended, or whose dates are not known yet.

    Soonest stakeholder deadline first (unknown deadlines last), then session number, then State name.
    """
    reviews = (
        Review.objects.upcoming(today=today)
        .select_related("state", "session")
        .order_by(F("stakeholder_deadline").asc(nulls_last=True), "session__number", "state__name")
    )
    return reviews[:limit] if limit is not None else reviews
