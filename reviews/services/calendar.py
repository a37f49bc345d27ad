"""Deadlines in Geneva time and moving a review to another session."""

import datetime

from django.db import transaction

from reviews.models import (
    GENEVA,
    Review,
    Session,
)

DEADLINE_TIME = datetime.time(23, 59)


def geneva_deadline(day: datetime.date, *, at: datetime.time | None = None) -> datetime.datetime:
    """The moment a deadline falls on ``day``: 23:59 Geneva time unless another time is given."""
    return datetime.datetime.combine(day, at or DEADLINE_TIME, tzinfo=GENEVA)


def review_move(*, review: Review, session: Session) -> Review:
    """Move a review to another Working Group session (a State's review was rescheduled).

    Validates like the admin does, including one review per State per cycle; raises ValidationError.
    """
    with transaction.atomic():
        review = Review.objects.select_for_update().get(pk=review.pk)
        review.session = session
        review.full_clean()
        review.save()
    return review
