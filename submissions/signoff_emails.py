"""The sign-off emails: asked, reminded, and told that an endorsement no longer stands.

The outbox stores the sign-off's id only; the context is read when the message is sent, so a message
whose question was answered (or moved to someone else) in the meantime is cancelled rather than sent.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy

from coalitions.emails import coordinators_tell_mail_failure
from notifications.models import OutboxMessage
from notifications.registry import EmailKind, register
from submissions.models import Section, SignOff, Submission
from submissions.services.signoff import SIGN_OFF_INVALIDATED, SIGN_OFF_REMINDER, SIGN_OFF_REQUESTED, sign_off_url


def _sign_off(message: OutboxMessage) -> SignOff | None:
    return (
        SignOff.objects.select_related("submission__coalition", "organisation")
        .filter(pk=message.context.get("sign_off"))
        .first()
    )


def _context(sign_off: SignOff, message: OutboxMessage) -> dict:
    submission = sign_off.submission
    sections = Section.objects.filter(submission=submission)
    return {
        "user": message.recipient,
        "sign_off": sign_off,
        "submission": submission,
        "coalition": submission.coalition,
        "organisation": sign_off.organisation,
        "sections": sections.count(),
        "url": settings.SITE_URL + sign_off_url(submission.pk),
    }


def question_context(message: OutboxMessage) -> dict | None:
    """None (cancelled) once the organisation answered, sign-off closed or someone else was designated."""
    sign_off = _sign_off(message)
    if (
        sign_off is None
        or message.recipient is None
        or sign_off.person_id != message.recipient_id
        or sign_off.status != SignOff.Status.PENDING
        or sign_off.submission.status != Submission.Status.SIGN_OFF
    ):
        return None
    return _context(sign_off, message)


def invalidated_context(message: OutboxMessage) -> dict | None:
    """None (cancelled) when the sign-off is gone or the organisation endorsed the new text already."""
    sign_off = _sign_off(message)
    if sign_off is None or message.recipient is None or sign_off.status == SignOff.Status.ENDORSED:
        return None
    return _context(sign_off, message)


REQUESTED = EmailKind(
    name=SIGN_OFF_REQUESTED,
    build_context=question_context,
    action=True,
    on_failure=coordinators_tell_mail_failure,
    label=gettext_lazy("Sign-off asked of an organisation"),
)
REMINDER = EmailKind(
    name=SIGN_OFF_REMINDER,
    build_context=question_context,
    action=True,
    on_failure=coordinators_tell_mail_failure,
    label=gettext_lazy("Sign-off reminder"),
)
INVALIDATED = EmailKind(
    name=SIGN_OFF_INVALIDATED,
    build_context=invalidated_context,
    action=True,
    on_failure=coordinators_tell_mail_failure,
    label=gettext_lazy("An endorsed text changed"),
)


def register_kinds() -> None:
    register(REQUESTED)
    register(REMINDER)
    register(INVALIDATED)
