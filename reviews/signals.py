"""What the UPR calendar tells the apps above it, which reviews may not import.

``review_moved`` is sent once a move of a review to another session has committed (never for a move
that rolled back), with ``sender=Review`` and the keyword arguments ``review`` (as moved),
``old_session`` and ``actor`` (the person who moved it, or None). A receiver returns how many people
it told, so the admin can say so.
"""

from django.dispatch import Signal

from reviews.models import Review

review_moved = Signal()


def review_moved_send(*, review: Review, old_session, actor=None) -> int:
    """Sends ``review_moved``; returns how many people the receivers told.

    The move is already committed: a receiver that fails is logged (by ``send_robust``) and does not
    stop the others.
    """
    responses = review_moved.send_robust(sender=Review, review=review, old_session=old_session, actor=actor)
    return sum(response for _receiver, response in responses if isinstance(response, int))
