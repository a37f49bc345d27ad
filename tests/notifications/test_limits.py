"""Outgoing mail limits, counted on the outbox rows: per sender, per coalition, per recipient address."""

import datetime

import pytest

from notifications.limits import MailLimit, MailLimitReached, Scope, outbox_limit_reached
from notifications.models import OutboxMessage
from tests.factories import UserFactory
from tests.factories.notifications import OutboxMessageFactory

pytestmark = pytest.mark.django_db

INVITATION = "coalitions.invitation"
RESET = "accounts.password_reset"
NOW = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)  # 13:00 in Geneva


def queued(ago: datetime.timedelta, *, kind: str = INVITATION, **fields) -> OutboxMessage:
    """A message queued ``ago`` before NOW (created_at is set on insert, so it is moved after)."""
    message = OutboxMessageFactory(kind=kind, **fields)
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=NOW - ago)
    return message


def hours(n: float) -> datetime.timedelta:
    return datetime.timedelta(hours=n)


def test_outbox_limit_per_recipient_holds_until_the_limit_th_newest_leaves_the_day(settings):
    settings.MAIL_LIMIT_PER_RECIPIENT_PER_DAY = 2
    for ago in (hours(30), hours(20), hours(3), hours(1)):
        queued(ago, to_email="amina@example.org")

    reached = outbox_limit_reached(kind=INVITATION, to_email="amina@example.org", now=NOW)
    room_elsewhere = outbox_limit_reached(kind=INVITATION, to_email="nadia@example.org", now=NOW)

    assert reached == MailLimitReached(
        limit=MailLimit(Scope.RECIPIENT, 2, datetime.timedelta(days=1)), until=NOW - hours(3) + hours(24)
    )
    assert room_elsewhere is None


def test_outbox_limit_has_room_below_the_limit_and_once_messages_leave_the_period(settings):
    settings.MAIL_LIMIT_PER_RECIPIENT_PER_DAY = 2
    queued(hours(25), to_email="amina@example.org")
    queued(hours(2), to_email="amina@example.org")

    assert outbox_limit_reached(kind=INVITATION, to_email="amina@example.org", now=NOW) is None


def test_outbox_limit_counts_every_outcome_and_only_the_kind_asked(settings):
    settings.MAIL_LIMIT_PER_RECIPIENT_PER_DAY = 2
    queued(hours(1), to_email="amina@example.org", status=OutboxMessage.Status.CANCELLED)
    queued(hours(2), to_email="amina@example.org", status=OutboxMessage.Status.FAILED, failed_at=NOW)
    queued(hours(3), kind=RESET, to_email="amina@example.org")

    invitations = outbox_limit_reached(kind=INVITATION, to_email="amina@example.org", now=NOW)
    resets = outbox_limit_reached(kind=RESET, to_email="amina@example.org", now=NOW)

    assert (invitations.scope, invitations.until) == (Scope.RECIPIENT, NOW - hours(2) + hours(24))
    assert resets is None


def test_outbox_limit_per_sender_is_hourly_and_checked_only_when_a_sender_is_named(settings):
    settings.MAIL_LIMIT_PER_SENDER_PER_HOUR = 2
    coordinator = UserFactory()
    for minutes in (70, 40, 10):
        queued(datetime.timedelta(minutes=minutes), sender=coordinator)

    reached = outbox_limit_reached(kind=INVITATION, sender=coordinator, now=NOW)
    unnamed = outbox_limit_reached(kind=INVITATION, now=NOW)
    someone_else = outbox_limit_reached(kind=INVITATION, sender=UserFactory(), now=NOW)

    assert (reached.scope, reached.until) == (Scope.SENDER, NOW + datetime.timedelta(minutes=20))
    assert (unnamed, someone_else) == (None, None)


def test_outbox_limit_per_coalition_is_daily(settings):
    settings.MAIL_LIMIT_PER_COALITION_PER_DAY = 3
    for ago in (hours(23), hours(5), hours(4)):
        queued(ago, coalition_id=41)
    queued(hours(1), coalition_id=42)

    reached = outbox_limit_reached(kind=INVITATION, coalition_id=41, now=NOW)

    assert (reached.scope, reached.until) == (Scope.COALITION, NOW + hours(1))
    assert outbox_limit_reached(kind=INVITATION, coalition_id=42, now=NOW) is None


@pytest.mark.parametrize(
    ("until", "words"),
    [
        (NOW + datetime.timedelta(seconds=20), "in 1 minute"),
        (NOW + datetime.timedelta(minutes=11, seconds=30), "in 12 minutes"),
        (NOW + datetime.timedelta(hours=1, minutes=32), "after 14:32 Geneva time"),
        (NOW + datetime.timedelta(hours=20, minutes=5), "after 09:05 Geneva time on 11 March"),
    ],
    ids=["seconds", "minutes", "later-today", "tomorrow"],
)
def test_mail_limit_says_when_to_try_again_in_words(until, words):
    reached = MailLimitReached(limit=MailLimit(Scope.SENDER, 1, hours(1)), until=until)

    assert reached.when_in_words(now=NOW) == words
