"""The outbox: one row per email, sent once, after commit, retried only when the failure is transient."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from notifications import registry, services
from notifications.models import OutboxMessage
from notifications.services import MAX_ATTEMPTS, OutboxInTransactionError, email_queue, outbox_message_send
from notifications.tasks import outbox_sweep
from tests.factories import UserFactory
from tests.factories.notifications import OutboxMessageFactory
from tests.notifications.backends import FlakyEmailBackend, RecipientRefusingEmailBackend, use_mailer

pytestmark = pytest.mark.django_db

Status = OutboxMessage.Status
UNREACHABLE = "The mail server could not be reached (Connection unexpectedly closed)."
REFUSED = "The mail server refused the address. Check it for typing mistakes (server: 550 No such user)."


def row(message: OutboxMessage) -> OutboxMessage:
    return OutboxMessage.objects.get(pk=message.pk)


def html_of(email) -> str:
    [(html, mimetype)] = email.alternatives
    assert mimetype == "text/html"
    return html


# Sent once, after commit.


def test_message_sent_once_refuses_a_second_send():
    message = OutboxMessageFactory()

    first = outbox_message_send(message_id=message.pk)
    second = outbox_message_send(message_id=message.pk)

    assert (first.outcome, second.outcome) == ("sent", "skipped")
    assert [m.to for m in mail.outbox] == [[message.to_email]]
    sent = row(message)
    assert (sent.status, sent.attempts, sent.last_error) == (Status.SENT, 1, "")
    assert sent.sent_at is not None
    assert sent.subject == "Action needed: Reset your UPR Coalition Portal password"


def test_email_queue_sends_once_the_business_transaction_commits(django_capture_on_commit_callbacks):
    person = UserFactory(email="amina@example.org")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        message = email_queue(
            kind="accounts.password_reset", to_email=person.email, recipient=person, context={"user": person.pk}
        )
        assert (row(message).status, mail.outbox) == (Status.QUEUED, [])

    assert len(callbacks) == 1
    assert [m.to for m in mail.outbox] == [["amina@example.org"]]
    assert row(message).status == Status.SENT


def test_email_queue_in_a_rolled_back_transaction_leaves_no_row_and_sends_nothing(django_capture_on_commit_callbacks):
    person = UserFactory()

    def queue_then_fail():
        with transaction.atomic():
            email_queue(
                kind="accounts.password_reset", to_email=person.email, recipient=person, context={"user": person.pk}
            )
            raise RuntimeError("the business step failed and is undone")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError, match="undone"):
        queue_then_fail()

    assert (callbacks, OutboxMessage.objects.count(), mail.outbox) == ([], 0, [])


def test_outbox_message_send_inside_a_transaction_raises_and_sends_nothing():
    message = OutboxMessageFactory()

    with transaction.atomic(), pytest.raises(OutboxInTransactionError):
        outbox_message_send(message_id=message.pk)

    queued = row(message)
    assert (queued.status, queued.attempts, queued.claimed_at, mail.outbox) == (Status.QUEUED, 0, None, [])


def test_email_queue_refuses_an_unknown_kind():
    with pytest.raises(LookupError, match=r"No email kind 'accounts\.nothing' is registered"):
        email_queue(kind="accounts.nothing", to_email="someone@example.org")

    assert OutboxMessage.objects.count() == 0


def test_email_queue_refuses_objects_in_the_context():
    person = UserFactory()

    with pytest.raises(TypeError, match="object ids and short keys only"):
        email_queue(kind="accounts.password_reset", to_email=person.email, context={"user": person})

    assert OutboxMessage.objects.count() == 0


def test_registered_kinds_are_those_of_accounts_and_coalitions():
    assert {"accounts.password_reset", "coalitions.invitation"} <= set(registry.names())
    assert (registry.get("accounts.password_reset").action, registry.get("coalitions.invitation").action) == (
        True,
        True,
    )


# Transient failures: retried with backoff, up to a cap.


def test_backoff_doubles_from_a_minute_up_to_an_hour():
    assert [services.backoff_seconds(attempts) for attempts in range(1, MAX_ATTEMPTS + 1)] == [
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
        3600,
    ]


def test_transient_failure_is_retried_after_its_backoff_then_sent(settings):
    use_mailer(settings, FlakyEmailBackend, failures=2)
    message = OutboxMessageFactory()
    start = timezone.now()

    first = outbox_message_send(message_id=message.pk, now=start)
    waiting = row(message)
    too_early = outbox_message_send(message_id=message.pk, now=start + datetime.timedelta(seconds=59))
    second = outbox_message_send(message_id=message.pk, now=waiting.next_attempt_at)
    waiting_again = row(message)
    third = outbox_message_send(message_id=message.pk, now=waiting_again.next_attempt_at)

    assert [r.outcome for r in (first, too_early, second, third)] == ["retry", "skipped", "retry", "sent"]
    assert (first.retry_in, second.retry_in) == (60, 120)
    assert (waiting.status, waiting.attempts, waiting.last_error) == (Status.QUEUED, 1, UNREACHABLE)
    assert waiting.next_attempt_at == start + datetime.timedelta(seconds=60)
    assert waiting_again.next_attempt_at == start + datetime.timedelta(seconds=60 + 120)
    sent = row(message)
    assert (sent.status, sent.attempts, sent.last_error) == (Status.SENT, 3, "")
    assert FlakyEmailBackend.attempts == 3
    assert [m.to for m in mail.outbox] == [[message.to_email]]


def test_transient_failures_up_to_the_attempts_cap_fail_the_message(settings):
    use_mailer(settings, FlakyEmailBackend, failures=1000)
    message = OutboxMessageFactory()
    now = timezone.now()

    outcomes = []
    for _ in range(MAX_ATTEMPTS):
        outcomes.append(outbox_message_send(message_id=message.pk, now=now).outcome)
        now = row(message).next_attempt_at or now
    after_the_cap = outbox_message_send(message_id=message.pk, now=now + datetime.timedelta(days=1))

    assert outcomes == ["retry"] * (MAX_ATTEMPTS - 1) + ["failed"]
    assert after_the_cap.outcome == "skipped"
    failed = row(message)
    assert (failed.status, failed.attempts, failed.last_error) == (Status.FAILED, MAX_ATTEMPTS, UNREACHABLE)
    assert failed.failed_at is not None
    assert (FlakyEmailBackend.attempts, mail.outbox) == (MAX_ATTEMPTS, [])


def test_permanent_refusal_fails_the_message_at_once(settings):
    use_mailer(settings, RecipientRefusingEmailBackend)
    message = OutboxMessageFactory()

    result = outbox_message_send(message_id=message.pk)

    assert (result.outcome, result.retry_in) == ("failed", None)
    failed = row(message)
    assert (failed.status, failed.attempts, failed.next_attempt_at, failed.last_error) == (
        Status.FAILED,
        1,
        None,
        REFUSED,
    )
    assert RecipientRefusingEmailBackend.attempts == 1


# The sweep: what no task is going to send.


def test_sweep_sends_again_a_message_left_sending_by_a_dead_worker():
    long_ago = timezone.now() - services.SENDING_TIMEOUT - datetime.timedelta(minutes=1)
    stranded = OutboxMessageFactory(status=Status.SENDING, attempts=1, claimed_at=long_ago)
    in_progress = OutboxMessageFactory(status=Status.SENDING, attempts=1, claimed_at=timezone.now())
    OutboxMessage.objects.update(created_at=long_ago)

    swept = outbox_sweep()

    assert swept == 1
    assert [m.to for m in mail.outbox] == [[stranded.to_email]]
    sent = row(stranded)
    assert (sent.status, sent.attempts) == (Status.SENT, 2)
    assert row(in_progress).status == Status.SENDING


def test_sweep_fails_a_message_that_stopped_its_worker_at_every_attempt():
    long_ago = timezone.now() - services.SENDING_TIMEOUT - datetime.timedelta(minutes=1)
    stranded = OutboxMessageFactory(status=Status.SENDING, attempts=MAX_ATTEMPTS, claimed_at=long_ago)

    report = services.outbox_sweep()

    assert (report.failed, report.released, report.due, mail.outbox) == (1, 0, [], [])
    failed = row(stranded)
    assert (failed.status, failed.last_error) == (
        Status.FAILED,
        f"The portal stopped while sending this message, {MAX_ATTEMPTS} times; it is not tried again.",
    )


def test_sweep_sends_a_queued_message_whose_task_was_lost():
    lost = OutboxMessageFactory()
    fresh = OutboxMessageFactory()
    OutboxMessage.objects.filter(pk=lost.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=5))

    swept = outbox_sweep()

    assert swept == 1
    assert [m.to for m in mail.outbox] == [[lost.to_email]]
    assert (row(lost).status, row(fresh).status) == (Status.SENT, Status.QUEUED)


def test_sweep_sends_a_retry_once_it_is_due_and_not_before():
    start = timezone.now()
    waiting = OutboxMessageFactory(attempts=1, next_attempt_at=start + datetime.timedelta(minutes=1))
    OutboxMessage.objects.update(created_at=start - datetime.timedelta(minutes=5))

    before = services.outbox_sweep(now=start)
    due = services.outbox_sweep(now=start + datetime.timedelta(minutes=1))

    assert (before.due, due.due) == ([], [waiting.pk])


# What is sent: in the recipient's language, only while it is still wanted.


def test_message_is_rendered_in_the_recipients_language():
    person = UserFactory(email="amelie@example.org", language="fr")
    message = OutboxMessageFactory(recipient=person)

    email = services.render(row(message))

    assert message.language == "fr"
    assert '<html lang="fr">' in html_of(email)
    assert email.to == ["amelie@example.org"]


def test_message_language_defaults_to_the_recipients():
    person = UserFactory(language="es")

    message = email_queue(
        kind="accounts.password_reset", to_email=person.email, recipient=person, context={"user": person.pk}
    )

    assert row(message).language == "es"


def test_message_no_longer_needed_is_cancelled_not_sent():
    message = OutboxMessageFactory()
    message.recipient.is_active = False
    message.recipient.save()

    result = outbox_message_send(message_id=message.pk)

    assert result.outcome == "cancelled"
    cancelled = row(message)
    assert (cancelled.status, cancelled.sent_at, mail.outbox) == (Status.CANCELLED, None, [])
