"""Deadlines in Geneva time and moving a review to another session."""

import datetime
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from reviews.models import (
    DEFAULT_DEADLINE_TIME,
    GENEVA,
    REVIEW_MILESTONES,
    Review,
    ReviewStatus,
    Session,
)
from reviews.signals import review_moved_send

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


# How a moved review's milestones are set: shifted with the session, or taken from the new session.
MILESTONES_SHIFT = "shift"
MILESTONES_SESSION = "session"
MILESTONE_MODES = (MILESTONES_SHIFT, MILESTONES_SESSION)


def session_shift(*, old: Session, new: Session) -> datetime.timedelta | None:
    """The difference between the two sessions' opening days; None while either has no dates."""
    if old.wg_start is None or new.wg_start is None:
        return None
    return new.wg_start - old.wg_start


def _shifted(value, days: datetime.timedelta):
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        # The same wall-clock time in Geneva on the shifted day: 23:59 stays 23:59 across a clock change.
        local = timezone.localtime(value, GENEVA)
        return datetime.datetime.combine(local.date() + days, local.time(), tzinfo=GENEVA)
    return value + days


def moved_milestones(*, review: Review, session: Session, milestones: str) -> dict:
    """The milestones ``review`` would have in ``session``: every field of REVIEW_MILESTONES, saved nothing.

    "shift" moves each milestone by the difference between the two sessions' opening days (refused
    while either session has no dates and the review has milestones to move). "session" takes the new
    session's milestones (``Session.review_milestones()``, the rule of ``Session.apply_milestones()``);
    those it does not set, and the review date, are shifted when the sessions' dates allow it and left
    empty otherwise, never kept from the old session. A review whose stakeholder submissions are
    suspended keeps no stakeholder deadline from the session.
    """
    if milestones not in MILESTONE_MODES:
        raise ValueError(f"milestones must be one of {MILESTONE_MODES}, not {milestones!r}.")
    shift = session_shift(old=review.session, new=session)
    current = {name: getattr(review, name) for name in REVIEW_MILESTONES}
    if shift is None:
        if milestones == MILESTONES_SHIFT and any(value is not None for value in current.values()):
            raise ValidationError(
                {
                    "milestones": _(
                        "The milestones cannot be shifted: session %(old)s or session %(new)s has no dates yet. "
                        "Take the new session's milestones instead."
                    )
                    % {"old": review.session.number, "new": session.number}
                }
            )
        moved = dict.fromkeys(REVIEW_MILESTONES)
    else:
        moved = {name: _shifted(value, shift) for name, value in current.items()}
    if milestones == MILESTONES_SESSION:
        from_session = session.review_milestones()
        if review.status == ReviewStatus.SUBMISSIONS_SUSPENDED:
            from_session["stakeholder_deadline"] = None
        moved.update(from_session)
    return moved


def default_milestones_mode(review: Review) -> str:
    """A review that follows its session takes the new session's milestones; one with its own shifts them."""
    return MILESTONES_SESSION if review.milestones_from_session else MILESTONES_SHIFT


def _next_order(session: Session) -> int | None:
    """After the States already in the session's order (the UN lists a rescheduled State last)."""
    last = session.reviews.aggregate(last=Max("order"))["last"]
    return None if last is None else last + 1


def review_move(
    *,
    review: Review,
    session: Session,
    actor=None,
    milestones: str | None = None,
    on_announced: Callable[[int], None] | None = None,
) -> Review:
    """Move a review to another Working Group session (a State's review was rescheduled), in one transaction.

    The review is locked, moved with its milestones (``moved_milestones``; by default a review that
    follows its session takes the new one's, a review with its own dates shifts them; shifted, they are
    the review's own dates, no longer its session's), placed last in the new session's order and marked
    rescheduled from the first session it was moved from (a review moved back there is no longer
    rescheduled). It is validated like the admin does, including one review per State per cycle;
    raises ValidationError and changes nothing.

    Once the move commits, ``reviews.signals.review_moved`` tells the apps above (the coalitions working
    on the review); ``on_announced`` then receives how many people they told.
    """
    with transaction.atomic():
        # Only the review's row is locked, not the session and State read with it.
        review = Review.objects.select_for_update(of=("self",)).select_related("session", "state").get(pk=review.pk)
        old_session = review.session
        milestones = milestones or default_milestones_mode(review)
        if session.pk == old_session.pk:
            raise ValidationError(
                {"session": _("The review is already in session %(number)s.") % {"number": session.number}}
            )
        values = moved_milestones(review=review, session=session, milestones=milestones)
        for name, value in values.items():
            setattr(review, name, value)
        review.milestones_from_session = milestones == MILESTONES_SESSION
        review.session = session
        review.order = _next_order(session)
        if review.rescheduled_from_id == session.pk:
            review.rescheduled_from, review.rescheduled_at = None, None
        else:
            if review.rescheduled_from_id is None:
                review.rescheduled_from = old_session
            review.rescheduled_at = timezone.now()
        review.full_clean()
        review.save()

        def announce():
            told = review_moved_send(review=review, old_session=old_session, actor=actor)
            if on_announced is not None:
                on_announced(told)

        # Nobody is told of a move that rolled back, nor while the caller's transaction is still open.
        transaction.on_commit(announce)
    return review
