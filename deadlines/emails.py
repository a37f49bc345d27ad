"""The reminder and digest emails: their context is built from the claim when the outbox sends them."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from coalitions.emails import coordinators_tell_mail_failure
from coalitions.models import Membership, Role
from deadlines import selectors
from deadlines.models import ReminderClaim
from deadlines.providers import ReviewCalendarProvider
from deadlines.services import DIGEST_EMAIL, REMINDER_EMAIL
from notifications.models import OutboxMessage
from notifications.registry import EmailKind, register
from upr_portal.timezones import GENEVA


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


def reminder_context(message: OutboxMessage) -> dict | None:
    """None (the message is cancelled) when the claim is gone or the person left the coalition."""
    claim = _claim_of(message)
    if claim is None:
        return None
    if not Membership.objects.filter(coalition_id=claim.coalition_id, user_id=claim.user_id, is_active=True).exists():
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


def register_kinds() -> None:
    register(REMINDER)
    register(DIGEST)
