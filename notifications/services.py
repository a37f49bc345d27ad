"""Writes of the outbox and of the notifications.

The one mail path: ``email_queue`` writes a row inside the caller's business transaction and asks a
worker to send it once that transaction commits; ``outbox_message_send`` claims the row with a
conditional UPDATE, renders it in the recipient's language and sends it, never inside a transaction.
Only transient SMTP failures are retried (with capped backoff); a permanent refusal fails the row at
once and the kind's ``on_failure`` tells the people who can act on it.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from notifications import registry
from notifications.models import Notification, OutboxMessage
from upr_portal.db import in_business_transaction
from upr_portal.mail import describe, is_transient

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_BASE_SECONDS = 60
BACKOFF_CAP_SECONDS = 3600
# A row still "sending" after this long belongs to a worker that died mid-send: it is sent again.
SENDING_TIMEOUT = datetime.timedelta(minutes=10)
# The sweep leaves fresh rows to the task queued on commit.
SWEEP_GRACE = datetime.timedelta(seconds=30)
SWEEP_BATCH = 500

Status = OutboxMessage.Status


class OutboxInTransactionError(RuntimeError):
    """Sending mail inside a database transaction would hold its locks for the length of an SMTP call,
    and a rollback could not take the email back."""


def backoff_seconds(attempts: int) -> int:
    """Seconds before attempt ``attempts + 1``: 1, 2, 4, ... minutes, at most an hour."""
    return min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_CAP_SECONDS)


def _check_context(context: dict) -> dict:
    for key, value in context.items():
        if not isinstance(key, str) or not (isinstance(value, int) or (isinstance(value, str) and len(value) <= 100)):
            raise TypeError(
                f"An outbox context holds object ids and short keys only, not {key!r}: {type(value).__name__}."
            )
    return context


def email_queue(
    *,
    kind: str,
    to_email: str,
    recipient=None,
    context: dict | None = None,
    language: str | None = None,
    coalition_id: int | None = None,
    sender=None,
) -> OutboxMessage:
    """Queues one email, to be sent once the caller's transaction commits (at once outside one).

    A rollback of the caller's transaction takes the row with it, so nothing is sent for work that
    did not happen. The language is the recipient's own unless given. ``sender`` is the person whose
    action sends it, for the mail limits (``notifications.limits``, which the caller checks first).
    """
    registry.get(kind)  # an unknown kind is a programming error, found here rather than in a worker
    if language is None:
        language = getattr(recipient, "language", "") or settings.LANGUAGE_CODE
    message = OutboxMessage.objects.create(
        kind=kind,
        to_email=to_email,
        recipient=recipient,
        language=language,
        context=_check_context(dict(context or {})),
        coalition_id=coalition_id,
        sender=sender,
    )
    _enqueue(message.pk)
    return message


def _enqueue(message_id: int) -> None:
    # Only the id travels on the broker; a broker that is down leaves the row queued for the sweep.
    transaction.on_commit(lambda: send_task_publish(message_id))


def send_task_publish(message_id: int, *, countdown: int | None = None) -> None:
    """Asks a worker to send the message; a failure to reach the broker is logged, the sweep retries.

    Only the broker's failure is caught: in eager mode the task runs right here, and an error of our
    own must reach the caller (and the tests) rather than pass for a broker that is down.
    """
    from notifications.tasks import send_email

    try:
        send_email.apply_async(kwargs={"message_id": message_id}, countdown=countdown)
    except BrokerError:
        logger.exception("Could not queue outbox message %s; the sweep will send it", message_id)


@dataclass
class SendResult:
    outcome: str  # sent, retry, failed, cancelled, skipped
    retry_in: int | None = None


def render_plain_text(template_name: str, context: dict) -> str:
    """A .txt template rendered without HTML escaping: a subject or a text body is not HTML, so
    "O'Brien & Partners" must not arrive as "O&#x27;Brien &amp; Partners"."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def render(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """The email for a message, in its language; None when its kind says it is no longer needed."""
    kind = registry.get(message.kind)
    with translation.override(message.language or settings.LANGUAGE_CODE):
        context = kind.build_context(message)
        if context is None:
            return None
        context = {"site_url": settings.SITE_URL, "message": message, **context}
        subject = " ".join(render_plain_text(f"{kind.template_dir}/subject.txt", context).split())
        if kind.action:
            subject = _("Action needed: %(subject)s") % {"subject": subject}
        text = render_plain_text(f"{kind.template_dir}/body.txt", context)
        html = render_to_string(f"{kind.template_dir}/body.html", context)
    email = EmailMultiAlternatives(
        subject=subject[:300],
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_email],
        headers={"Auto-Submitted": "auto-generated", "X-UPR-Message": f"{message.kind}/{message.pk}"},
    )
    email.attach_alternative(html, "text/html")
    return email


def _claim(message_id: int, now: datetime.datetime) -> bool:
    """Takes the row for this worker; False when another has it, or it is sent, failed or not yet due."""
    claimed = (
        OutboxMessage.objects.filter(pk=message_id, status=Status.QUEUED)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1, updated_at=now)
    )
    return claimed == 1


def _finish(message: OutboxMessage, **fields) -> bool:
    """Writes the outcome; False when the row is no longer this worker's to write."""
    # Only the claimant writes the outcome: a sweep that re-queued a slow send wins over it.
    updated = OutboxMessage.objects.filter(pk=message.pk, status=Status.SENDING).update(
        updated_at=timezone.now(), **fields
    )
    for name, value in fields.items():
        setattr(message, name, value)
    return updated == 1


def outbox_message_send(*, message_id: int, now: datetime.datetime | None = None) -> SendResult:
    """Sends one queued message if it is due and nobody else is sending it. Never inside a transaction.

    The message is rendered in its own language; what is recorded about it (the error in plain words)
    is in the portal's language whoever's request ran this (eager mode), so the record reads the same
    from a worker and from a request.
    """
    if in_business_transaction():
        raise OutboxInTransactionError("Outbox messages are sent after the business transaction commits.")
    with translation.override(settings.LANGUAGE_CODE):
        return _send(message_id, now or timezone.now())


def _send(message_id: int, now: datetime.datetime) -> SendResult:
    if not _claim(message_id, now):
        return SendResult("skipped")
    message = OutboxMessage.objects.select_related("recipient").get(pk=message_id)
    try:
        email = render(message)
    except Exception as error:
        # A template or a context builder that fails will fail again: recorded, not retried.
        logger.exception("Outbox message %s could not be rendered", message_id)
        return _fail(message, _("The message could not be prepared (%(error)s).") % {"error": error}, now)
    if email is None:
        _finish(message, status=Status.CANCELLED, subject="", last_error="")
        return SendResult("cancelled")
    _finish(message, subject=email.subject)
    try:
        email.send()
    except (smtplib.SMTPException, OSError) as error:
        if is_transient(error) and message.attempts < MAX_ATTEMPTS:
            delay = backoff_seconds(message.attempts)
            _finish(
                message,
                status=Status.QUEUED,
                next_attempt_at=now + datetime.timedelta(seconds=delay),
                last_error=describe(error),
            )
            logger.warning("Outbox message %s: transient failure, retry in %s s: %s", message_id, delay, error)
            return SendResult("retry", retry_in=delay)
        return _fail(message, describe(error), now)
    if _finish(message, status=Status.SENT, sent_at=timezone.now(), last_error=""):
        _call_hook(message, "on_sent")
    return SendResult("sent")


def _fail(message: OutboxMessage, error: str, now: datetime.datetime) -> SendResult:
    logger.warning("Outbox message %s failed for good: %s", message.pk, error)
    if _finish(message, status=Status.FAILED, failed_at=now, last_error=str(error)[:2000]):
        _call_hook(message, "on_failure")
    return SendResult("failed")


def _call_hook(message: OutboxMessage, name: str) -> None:
    """Runs the kind's hook in its own transaction. The message's outcome is already recorded, and the
    email already sent or refused: a failing hook is logged and cannot change either."""
    kind = registry.find(message.kind)
    hook = getattr(kind, name, None)
    if hook is None:
        return
    try:
        with transaction.atomic():
            hook(message)
    except Exception:
        logger.exception("The %s hook of outbox message %s failed", name, message.pk)


@dataclass
class SweepReport:
    released: int = 0
    failed: int = 0
    due: list[int] = field(default_factory=list)


def outbox_sweep(*, now: datetime.datetime | None = None) -> SweepReport:
    """Finds the messages no task is going to send: rows left "sending" by a worker that died, and
    queued rows whose task was lost (broker down when queued) or whose retry is due."""
    now = now or timezone.now()
    report = SweepReport()
    stranded = OutboxMessage.objects.filter(status=Status.SENDING, claimed_at__lt=now - SENDING_TIMEOUT)
    # A message that stopped its worker at every attempt (a crash while rendering or sending it) is
    # failed, and reported, rather than tried for ever.
    with translation.override(settings.LANGUAGE_CODE):
        for message in stranded.filter(attempts__gte=MAX_ATTEMPTS):
            error = _("The portal stopped while sending this message, %(count)d times; it is not tried again.")
            _fail(message, error % {"count": message.attempts}, now)
            report.failed += 1
    report.released = stranded.filter(attempts__lt=MAX_ATTEMPTS).update(
        status=Status.QUEUED, next_attempt_at=None, updated_at=now
    )
    report.due = list(
        OutboxMessage.objects.filter(status=Status.QUEUED, created_at__lte=now - SWEEP_GRACE)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("created_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    return report


def outbox_send_pending(*, message_ids: list[int] | None = None, now=None) -> dict[str, int]:
    """Sends, in this process, the given queued messages (or every due one). For commands and tests."""
    now = now or timezone.now()
    if message_ids is None:
        message_ids = list(
            OutboxMessage.objects.filter(status=Status.QUEUED)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .order_by("created_at")
            .values_list("pk", flat=True)
        )
    counts: dict[str, int] = {}
    for message_id in message_ids:
        outcome = outbox_message_send(message_id=message_id, now=now).outcome
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def notification_create(
    *, user, kind: str, title: str, url: str = "", body: str = "", coalition_id: int | None = None
) -> Notification:
    """One line under the person's bell. Give ``title`` and ``body`` already in the person's language
    (``translation.override(user.language)``)."""
    return Notification.objects.create(
        user=user, kind=kind, title=str(title)[:300], body=str(body), url=url, coalition_id=coalition_id
    )


def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    """Marks the person's notifications read: the given ones, or all. Others' are never touched."""
    unread = Notification.objects.unread().filter(user=user)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
