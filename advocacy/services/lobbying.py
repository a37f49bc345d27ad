"""Writing the lobbying log: add, change and delete a meeting with a State's embassy or mission."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from advocacy.models import Meeting
from coalitions.models import Coalition
from reviews.models import Review, State
from submissions.models import Recommendation


def _checked(
    *, coalition: Coalition, review: Review, raised: Iterable[int], held_on, follow_up_on
) -> list[Recommendation]:
    if not coalition.reviews.filter(pk=review.pk).exists():
        raise ValidationError(_("Choose one of the reviews the coalition works on."), code="review")
    ids = set(raised)
    rows = list(Recommendation.objects.filter(pk__in=ids, submission__coalition=coalition).select_related("submission"))
    if len(rows) != len(ids):
        raise ValidationError(_("Choose recommendations of the coalition's own submissions."), code="raised")
    if any(row.submission.review_id != review.pk for row in rows):
        raise ValidationError(
            _("Choose recommendations of the coalition's submissions for the review lobbied for."), code="raised"
        )
    if follow_up_on is not None and follow_up_on < held_on:
        raise ValidationError(_("The follow-up cannot come before the meeting."), code="follow_up_on")
    return rows


def _clean_texts(fields: dict) -> dict:
    # Plain text shown escaped; only the line endings are made one kind.
    return {name: value.replace("\r\n", "\n").strip() for name, value in fields.items()}


@transaction.atomic
def meeting_create(
    *,
    coalition: Coalition,
    actor: User,
    review: Review,
    state: State,
    held_on: datetime.date,
    raised: Iterable[int] = (),
    channel: str = Meeting.Channel.EMBASSY,
    people: str = "",
    outcome: str = "",
    follow_up_on: datetime.date | None = None,
    follow_up_done: bool = False,
) -> Meeting:
    """Logs a meeting and the recommendations raised at it. Atomic: the meeting and its links."""
    rows = _checked(coalition=coalition, review=review, raised=raised, held_on=held_on, follow_up_on=follow_up_on)
    texts = _clean_texts({"people": people, "outcome": outcome})
    meeting = Meeting.objects.create(
        coalition=coalition,
        review=review,
        state=state,
        channel=channel,
        held_on=held_on,
        follow_up_on=follow_up_on,
        follow_up_done=follow_up_done,
        created_by=actor,
        **texts,
    )
    meeting.raised.set(rows)
    return meeting


class StaleMeeting(ValidationError):
    """The meeting was saved by someone else after the form was loaded."""

    def __init__(self, current: Meeting):
        self.current = current
        super().__init__(
            _(
                "Someone else saved this meeting while you were editing it. Your changes are still in the form; "
                "the saved outcome now reads: “%(outcome)s”. Save again to keep yours."
            )
            % {"outcome": current.outcome or _("(empty)")},
            code="stale",
        )


def saved_at(meeting: Meeting) -> str:
    """The token of a meeting's last save that an edit form carries (``loaded``)."""
    return meeting.updated_at.isoformat()


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    actor: User,
    loaded: str = "",
    review: Review,
    state: State,
    held_on: datetime.date,
    raised: Iterable[int] = (),
    channel: str = Meeting.Channel.EMBASSY,
    people: str = "",
    outcome: str = "",
    follow_up_on: datetime.date | None = None,
    follow_up_done: bool = False,
) -> Meeting:
    """Changes a meeting and the recommendations raised at it. Atomic. ``loaded`` is the token of the save
    the form started from (``saved_at``): a meeting saved since is not overwritten (StaleMeeting)."""
    current = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if loaded and loaded != saved_at(current):
        raise StaleMeeting(current)
    rows = _checked(
        coalition=meeting.coalition, review=review, raised=raised, held_on=held_on, follow_up_on=follow_up_on
    )
    texts = _clean_texts({"people": people, "outcome": outcome})
    meeting.review = review
    meeting.state = state
    meeting.channel = channel
    meeting.held_on = held_on
    meeting.follow_up_on = follow_up_on
    meeting.follow_up_done = follow_up_done and follow_up_on is not None
    meeting.people = texts["people"]
    meeting.outcome = texts["outcome"]
    meeting.save()
    meeting.raised.set(rows)
    return meeting


def meeting_delete(*, meeting: Meeting, actor: User) -> None:
    meeting.delete()
