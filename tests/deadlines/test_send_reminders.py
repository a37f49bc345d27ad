"""`manage.py send_reminders`: one scan in the foreground, its reminders sent in the same process."""

import io
import threading

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection, connections

from deadlines.models import ReminderClaim
from notifications.models import OutboxMessage
from tests.deadlines.conftest import coalition_on, geneva, review_due


def send_reminders(*args: str) -> str:
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_send_reminders_prints_queued_claimed_and_sent():
    coalition_on(review_due(geneva(2027, 3, 31, 23, 59)), "a@example.org", "b@example.org", "c@example.org")

    first = send_reminders("--now", "2027-03-24T07:30")
    second = send_reminders("--now", "2027-03-24T08:30")

    assert first == "Reminders queued: 3, already claimed: 0, sent: 3\n"
    assert second == "Reminders queued: 0, already claimed: 3, sent: 0\n"
    assert sorted(email.to[0] for email in mail.outbox) == ["a@example.org", "b@example.org", "c@example.org"]
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxMessage.Status.SENT}


@pytest.mark.django_db
def test_send_reminders_reads_a_naive_now_as_geneva_time():
    coalition_on(review_due(geneva(2027, 3, 31, 23, 59)), "a@example.org")

    # 00:30 on 24 March in Geneva is 23:30 on the 23rd in UTC: 7 days before, not 8.
    output = send_reminders("--now", "2027-03-24T00:30")

    assert output == "Reminders queued: 1, already claimed: 0, sent: 1\n"
    assert list(ReminderClaim.objects.values_list("occurrence", flat=True)) == ["2027-03-31/7"]


@pytest.mark.django_db
def test_send_reminders_accepts_a_now_with_an_offset():
    coalition_on(review_due(geneva(2027, 3, 31, 23, 59)), "a@example.org")

    send_reminders("--now", "2027-03-23T22:30+00:00")

    assert list(ReminderClaim.objects.values_list("occurrence", flat=True)) == ["2027-03-31/14"]


@pytest.mark.parametrize("value", ["yesterday", "2027-13-01", "24/03/2027"])
def test_send_reminders_refuses_a_bad_now_in_plain_words(value):
    with pytest.raises(CommandError, match="is not a date and time: write it in ISO 8601"):
        send_reminders("--now", value)


@pytest.mark.django_db(transaction=True)
def test_send_reminders_run_twice_at_once_sends_each_reminder_once():
    emails = [f"member{number}@example.org" for number in range(30)]
    coalition_on(review_due(geneva(2027, 3, 31, 23, 59)), *emails)
    outputs = []

    def run(start: threading.Barrier | None = None):
        try:
            if start is not None:
                start.wait(timeout=10)
            outputs.append(send_reminders("--now", "2027-03-24T07:30"))
        finally:
            connections.close_all()

    if connection.vendor == "postgresql":
        start = threading.Barrier(2)
        threads = [threading.Thread(target=run, args=(start,)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    else:
        # SQLite takes one writer at a time: the runs follow each other.
        run()
        run()

    counts = [[int(part.rsplit(" ", 1)[1]) for part in line.strip().split(", ")] for line in outputs]
    assert len(counts) == 2
    assert sum(queued for queued, _claimed, _sent in counts) == 30
    assert [queued + claimed for queued, claimed, _sent in counts] == [30, 30]
    assert sorted(email.to[0] for email in mail.outbox) == sorted(emails)
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT).count() == 30
