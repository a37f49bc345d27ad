"""Deadlines in Geneva time and moving a review to another session."""

import datetime

from django.db import transaction

from reviews.models import (
    DEFAULT_DEADLINE_TIME,
    GENEVA,
    Review,
    Session,
)

# Kept for callers that want the 4th-cycle time; each session now stores its own (Session.deadline_time).
DEADLINE_TIME = DEFAULT_DEADLINE_TIME


def geneva_deadline(
    day: datetime.date, *, at: datetime.time | None = None, session: Session | None = None
) -> datetime.datetime:
    """The moment a deadline falls on ``day``, in Geneva time.

    The time of day is ``at`` if given, else the session's deadline time (12:00 before cycle 4, 23:59
    in cycle 4), else 23:59.
    """
    if at is None:
        at = session.deadline_time if session is not None else DEADLINE_TIME
    return datetime.datetime.combine(day, at, tzinfo=GENEVA)


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
