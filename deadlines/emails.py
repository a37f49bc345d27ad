"""The reminder and digest emails: their context is built from the claim when the outbox sends them."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from coalitions.emails import coordinators_tell_mail_failure
from coalitions.models import Coalition, Membership, Role
from deadlines import selectors
from deadlines.models import ReminderClaim
from deadlines.providers import ReviewCalendarProvider
from deadlines.review_moves import REVIEW_MOVED
from deadlines.services import DIGEST_EMAIL, REMINDER_EMAIL
from notifications.models import OutboxMessage
from notifications.registry import EmailKind, register
from reviews.models import Review, Session
from upr_portal.timezones import GENEVA, geneva_day


def absolute(url: str) -> str:
    return settings.SITE_URL + url if url.startswith("/") else url


def _claim_of(message: OutboxMessage) -> ReminderClaim | None:
    return (
        ReminderClaim.objects.select_related("user", "coalition", "review__state", "review__session")
        .filter(pk=message.context.get("claim"))
        .first()
    )


def _timeline_url(coalition) -> str:
    try:
        return absolute(reverse("deadlines:timeline", args=[coalition.pk]))
    except NoReverseMatch:
        return absolute(reverse("coalitions:home", args=[coalition.pk]))


def _review_deadline_moved(claim: ReminderClaim) -> bool:
    """The claim reminds of a review's date that has since moved to another day (the review was moved):
    the next scan claims a reminder of the new day, so this one would only tell the old date."""
    if claim.review is None or claim.provider != ReviewCalendarProvider.name or claim.due_at is None:
        return False
    current = getattr(claim.review, claim.deadline_key.removeprefix(f"review-{claim.review_id}-"), None)
    if isinstance(current, datetime.datetime):
        current = geneva_day(current)
    return current != geneva_day(claim.due_at)


def reminder_context(message: OutboxMessage) -> dict | None:
    """None (the message is cancelled) when the claim is gone, the person left the coalition or the
    review's deadline moved to another day since the claim."""
    claim = _claim_of(message)
    if claim is None:
        return None
    if not Membership.objects.filter(coalition_id=claim.coalition_id, user_id=claim.user_id, is_active=True).exists():
        return None
    if _review_deadline_moved(claim):
        return None
    days_left = claim.days_left or 0
    return {
        "claim": claim,
        "user": claim.user,
        "coalition": claim.coalition,
        "review": claim.review,
        "is_un_deadline": claim.provider == ReviewCalendarProvider.name,
        "is_overdue": claim.kind == ReminderClaim.Kind.OVERDUE,
        "due_at": timezone.localtime(claim.due_at, GENEVA) if claim.due_at else None,
        "all_day": claim.due_all_day,
        "days_left": days_left,
        "days_late": -days_left,
        "action_url": absolute(claim.url),
        "settings_url": absolute(reverse("deadlines:my_reminders")),
    }


def digest_context(message: OutboxMessage) -> dict | None:
    """What is due or late now (not when the week's digest was claimed); None if nothing is, or the
    person no longer coordinates the coalition."""
    claim = _claim_of(message)
    if claim is None:
        return None
    if not Membership.objects.filter(
        coalition_id=claim.coalition_id, user_id=claim.user_id, is_active=True, role=Role.COORDINATOR
    ).exists():
        return None
    # As of the day of the scan that claimed it (not the sending day), with the dates as they are now.
    today = claim.as_of
    deadlines = selectors.deadlines_for_coalition(
        coalition=claim.coalition,
        start=today - datetime.timedelta(days=selectors.OVERDUE_HORIZON_DAYS),
        end=today + datetime.timedelta(days=selectors.DIGEST_AHEAD_DAYS),
    )
    items = selectors.digest_items(deadlines=deadlines, today=today)
    if not items:
        return None
    return {
        "claim": claim,
        "user": claim.user,
        "coalition": claim.coalition,
        "late": [(d, absolute(d.url), (today - d.day).days) for d in items if d.day < today],
        "coming": [(d, absolute(d.url), (d.day - today).days) for d in items if d.day >= today],
        "timeline_url": _timeline_url(claim.coalition),
        "settings_url": absolute(reverse("deadlines:coalition_reminders", args=[claim.coalition_id])),
    }


def review_moved_context(message: OutboxMessage) -> dict | None:
    """The review where it is now; None (cancelled) when it moved again since (that move's email tells)
    or the person no longer works on it."""
    ids = message.context
    review = Review.objects.select_related("state", "session").filter(pk=ids.get("review")).first()
    if review is None or review.session_id != ids.get("to_session") or message.recipient is None:
        return None
    if not Membership.objects.filter(coalition__reviews=review, user=message.recipient, is_active=True).exists():
        return None
    old_session = Session.objects.filter(pk=ids.get("from_session")).first()
    coalition = Coalition.objects.filter(pk=ids.get("coalition")).first()
    if old_session is None or coalition is None:
        return None
    return {
        "user": message.recipient,
        "review": review,
        "old_session": old_session,
        "session": review.session,
        "coalition": coalition,
        "deadline": timezone.localtime(review.stakeholder_deadline, GENEVA) if review.stakeholder_deadline else None,
        "timeline_url": _timeline_url(coalition),
    }


# A reminder or digest that cannot be delivered is told to the coalition's coordinators.
REMINDER = EmailKind(
    name=REMINDER_EMAIL,
    build_context=reminder_context,
    action=True,
    on_failure=coordinators_tell_mail_failure,
    label=gettext_lazy("Deadline reminder"),
)
DIGEST = EmailKind(
    name=DIGEST_EMAIL,
    build_context=digest_context,
    on_failure=coordinators_tell_mail_failure,
    label=gettext_lazy("Weekly digest of deadlines"),
)
MOVED = EmailKind(
    name=REVIEW_MOVED,
    build_context=review_moved_context,
    on_failure=coordinators_tell_mail_failure,
    label=gettext_lazy("A review moved to another session"),
)


def register_kinds() -> None:
    register(REMINDER)
    register(DIGEST)
    register(MOVED)
