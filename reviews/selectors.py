"""Reads for the UPR calendar: what is coming up."""

import datetime

from django.db.models import QuerySet

from reviews.models import Review


def upcoming_reviews(*, today: datetime.date | None = None, limit: int | None = 30) -> QuerySet[Review]:
    """Reviews whose Working Group session has not ended, or whose dates are not known yet.

    In date order (``ReviewQuerySet.in_date_order``). Ordering by the deadline first put a session's
    review without a deadline (submissions suspended) after every later session.
    """
    reviews = (
        Review.objects.upcoming(today=today).in_date_order().select_related("state", "session", "rescheduled_from")
    )
    return reviews[:limit] if limit is not None else reviews
