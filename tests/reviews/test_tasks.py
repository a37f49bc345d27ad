import datetime
import smtplib

import pytest
from django.core import mail
from django.utils import timezone

from reviews.models import GENEVA, DeadlineReminder
from reviews.services import deadline_reminders_send, geneva_deadline
from reviews.tasks import send_deadline_reminders
from tests.factories import CoalitionFactory, MembershipFactory, ReviewFactory, StateFactory, UserFactory

NOW = datetime.datetime(2026, 3, 2, 7, 30, tzinfo=GENEVA)
TODAY = NOW.date()


def _review_due_in(days: int, *, name: str = "Atlantis", today: datetime.date = TODAY):
    return ReviewFactory(
        state=StateFactory(name=name), stakeholder_deadline=geneva_deadline(today + datetime.timedelta(days=days))
    )


def _coalition_on(review, *emails: str):
    coalition = CoalitionFactory()
    coalition.reviews.add(review)
    for email in emails:
        MembershipFactory(coalition=coalition, user=UserFactory(email=email))
    return coalition


@pytest.mark.django_db
def test_deadline_reminders_go_to_active_members_of_coalitions_on_the_review():
    review = _review_due_in(7)
    coalition = _coalition_on(review, "a@example.org", "b@example.org")
    MembershipFactory(coalition=coalition, user=UserFactory(email="left@example.org"), is_active=False)
    _coalition_on(_review_due_in(30, name="Elsewhere"), "other@example.org")
    CoalitionFactory().memberships.create(
        user=UserFactory(email="unrelated@example.org"), organisation=coalition.secretariat
    )

    report = deadline_reminders_send(now=NOW)

    assert (report.sent, report.already_sent) == (2, 0)
    assert sorted(message.to[0] for message in mail.outbox) == ["a@example.org", "b@example.org"]
    assert [message.subject for message in mail.outbox] == [
        "UPR review of Atlantis: stakeholder deadline in 7 days"
    ] * 2
    assert "9 March 2026, 23:59, Geneva time" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("days", "subject"),
    [
        (14, "UPR review of Atlantis: stakeholder deadline in 14 days"),
        (1, "UPR review of Atlantis: stakeholder deadline tomorrow"),
    ],
)
@pytest.mark.django_db
def test_deadline_reminders_sent_14_and_1_days_before(days, subject):
    _coalition_on(_review_due_in(days), "a@example.org")

    deadline_reminders_send(now=NOW)

    assert [(m.to, m.subject) for m in mail.outbox] == [(["a@example.org"], subject)]
    assert list(DeadlineReminder.objects.values_list("days_before", flat=True)) == [days]


@pytest.mark.parametrize("days", [-1, 0, 2, 6, 8, 13, 15])
@pytest.mark.django_db
def test_deadline_reminders_not_sent_on_other_days_or_past_deadlines(days):
    _coalition_on(_review_due_in(days), "a@example.org")

    report = deadline_reminders_send(now=NOW)

    assert (report.sent, mail.outbox) == (0, [])


@pytest.mark.django_db
def test_deadline_reminders_not_sent_twice():
    _coalition_on(_review_due_in(7), "a@example.org")
    deadline_reminders_send(now=NOW)

    second = deadline_reminders_send(now=NOW + datetime.timedelta(hours=2))

    assert (second.sent, second.already_sent, len(mail.outbox)) == (0, 1, 1)
    assert DeadlineReminder.objects.count() == 1


@pytest.mark.django_db
def test_deadline_reminders_one_mail_for_member_of_two_coalitions_on_the_review():
    review = _review_due_in(7)
    user = UserFactory(email="both@example.org")
    for _ in range(2):
        MembershipFactory(coalition=_coalition_on(review), user=user)

    deadline_reminders_send(now=NOW)

    assert [m.to for m in mail.outbox] == [["both@example.org"]]


@pytest.mark.django_db
def test_deadline_reminders_counts_days_in_geneva_time():
    # 23:30 on 1 March in London is already 2 March in Geneva: 7 days before 9 March.
    late_evening_utc = datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC)
    _coalition_on(_review_due_in(7), "a@example.org")

    deadline_reminders_send(now=late_evening_utc)

    assert [m.to for m in mail.outbox] == [["a@example.org"]]


@pytest.mark.django_db
def test_deadline_reminders_keep_no_claim_when_smtp_fails(settings):
    _coalition_on(_review_due_in(7), "a@example.org")
    working = settings.MAILERS
    settings.MAILERS = {"default": {"BACKEND": "tests.reviews.backends.RefusingEmailBackend"}}

    with pytest.raises(smtplib.SMTPServerDisconnected):
        deadline_reminders_send(now=NOW)

    assert DeadlineReminder.objects.count() == 0
    settings.MAILERS = working
    retried = deadline_reminders_send(now=NOW)
    assert (retried.sent, [m.to for m in mail.outbox]) == (1, [["a@example.org"]])


@pytest.mark.django_db
def test_deadline_reminders_count_a_permanent_refusal_without_raising(settings):
    _coalition_on(_review_due_in(7), "a@example.org")
    settings.MAILERS = {"default": {"BACKEND": "tests.reviews.backends.RecipientRefusingEmailBackend"}}

    report = deadline_reminders_send(now=NOW)

    assert (report.sent, report.refused, DeadlineReminder.objects.count()) == (0, 1, 0)


@pytest.mark.django_db
def test_send_deadline_reminders_task_sends_and_returns_count():
    today = timezone.localdate(timezone.now(), GENEVA)
    _coalition_on(_review_due_in(14, today=today), "a@example.org", "b@example.org")

    sent = send_deadline_reminders.apply().get()
    again = send_deadline_reminders.apply().get()

    assert (sent, again, len(mail.outbox)) == (2, 0, 2)


def test_send_deadline_reminders_task_is_named_for_beat_and_retries_smtp_errors():
    assert send_deadline_reminders.name == "reviews.send_deadline_reminders"
    assert send_deadline_reminders.autoretry_for == (smtplib.SMTPException, OSError)
    assert (send_deadline_reminders.max_retries, send_deadline_reminders.retry_backoff) == (5, True)
