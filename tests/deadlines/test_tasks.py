"""The hourly beat task: through a real worker on Redis when REDIS_URL is set (in-process otherwise),
run twice, and killed in the middle of a scan. Each reminder is claimed and queued exactly once."""

import datetime
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.db import connection
from django.db.models.signals import post_save

from accounts.models import User
from coalitions.models import Membership, Role
from deadlines.models import ReminderClaim
from deadlines.services import reminders_scan
from deadlines.tasks import send_reminders
from notifications.models import OutboxMessage
from notifications.services import outbox_send_pending
from tests.conftest import celery_mode
from tests.deadlines.conftest import coalition_on, review_due
from tests.upr_portal.processes import BASE_DIR
from upr_portal.celery import app
from upr_portal.timezones import GENEVA, geneva_today

MODE = celery_mode()


def deadline_in(days: int) -> datetime.datetime:
    """23:59 Geneva time, ``days`` Geneva days from today."""
    return datetime.datetime.combine(geneva_today() + datetime.timedelta(days=days), datetime.time(23, 59), GENEVA)


def per_person() -> tuple[Counter, Counter]:
    """How many claims each (deadline, person, kind, occurrence) has, and how many outbox messages
    each (person, claim)."""
    claims = Counter(ReminderClaim.objects.values_list("deadline_key", "user__email", "kind", "occurrence"))
    rows = OutboxMessage.objects.values_list("to_email", "context")
    messages = Counter((to, context["claim"]) for to, context in rows)
    return claims, messages


def test_send_reminders_task_is_in_the_beat_schedule_every_hour():
    entry = app.conf.beat_schedule["deadline-reminders"]

    assert (entry["task"], send_reminders.name) == ("deadlines.send_reminders", "deadlines.send_reminders")
    assert (entry["schedule"].minute, entry["schedule"].hour) == ({15}, set(range(24)))


@pytest.mark.django_db
def test_send_reminders_task_run_twice_queues_each_reminder_once():
    coalition_on(review_due(deadline_in(7)), "a@example.org", "b@example.org")

    first = send_reminders.apply()
    retried = send_reminders.apply()

    # .result, not .get(): a worker started earlier in this process forbids get() (blocking calls).
    assert [(run.state, run.result) for run in (first, retried)] == [("SUCCESS", 2), ("SUCCESS", 0)]
    assert sorted(ReminderClaim.objects.values_list("user__email", "occurrence")) == [
        ("a@example.org", f"{geneva_today() + datetime.timedelta(days=7)}/7"),
        ("b@example.org", f"{geneva_today() + datetime.timedelta(days=7)}/7"),
    ]
    assert OutboxMessage.objects.count() == 2


@pytest.mark.worker
@pytest.mark.parametrize("mode", [MODE])
@pytest.mark.django_db(transaction=True)
def test_send_reminders_task_through_the_worker_sends_each_reminder(mode, celery_worker):
    assert celery_worker.mode == mode
    coalition_on(review_due(deadline_in(3)), "a@example.org", "b@example.org")

    send_reminders.apply_async()
    # The scan queues the emails; the worker sends them once their claims commit.
    deadline = time.monotonic() + 30
    while OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT).count() < 2 and time.monotonic() < deadline:
        time.sleep(0.1)

    assert sorted(email.to[0] for email in mail.outbox) == ["a@example.org", "b@example.org"]
    assert [email.subject.rsplit(": ", 1)[1] for email in mail.outbox] == ["stakeholder deadline in 3 days"] * 2
    assert set(ReminderClaim.objects.values_list("occurrence", flat=True)) == {
        f"{geneva_today() + datetime.timedelta(days=3)}/3"
    }
    send_reminders.apply_async()
    time.sleep(1 if mode == "redis-worker" else 0)
    assert (ReminderClaim.objects.count(), OutboxMessage.objects.count(), len(mail.outbox)) == (2, 2, 2)


# A worker killed in the middle of a scan.

MEMBERS = 300


def coalition_of_members(review, emails: list[str]) -> None:
    """``coalition_on(review, *emails)`` in three INSERTs rather than three queries a member: in the
    transactional tests below each row was a commit of its own (900 for 300 members)."""
    coalition = coalition_on(review)
    users = User.objects.bulk_create(
        User(email=email, full_name=f"Member {number}", password=make_password(None))
        for number, email in enumerate(emails)
    )
    Membership.objects.bulk_create(
        Membership(coalition=coalition, user=user, organisation=coalition.secretariat, role=Role.DRAFTER)
        for user in users
    )


class WorkerKilled(BaseException):
    """Stands for SIGKILL in the in-process variant: not an Exception, so nothing on the way catches it."""


def _database_url() -> str:
    """The test database, for a worker process of its own."""
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


SCAN_LINE = re.compile(r"Reminders queued: (\d+), already claimed: (\d+)")


def _start_worker(queue: str, log, *, name: str | None = None, loglevel: str = "WARNING") -> subprocess.Popen:
    environ = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(BASE_DIR)),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        # tests/settings.py names the default queue after it: what the worker queues stays on ``queue``.
        "PYTEST_XDIST_WORKER": queue.removeprefix("upr-tests-"),
    }
    if "PGOPTIONS" in os.environ:  # as this process's connections (tests/conftest.py)
        environ["PGOPTIONS"] = os.environ["PGOPTIONS"]
    command = [sys.executable, "-m", "celery", "-A", "upr_portal", "worker", "--pool=solo", "-Q", queue]
    command += ["-n", f"{name or queue}@%h", "--without-heartbeat", "--without-gossip", "--without-mingle"]
    command += ["--loglevel", loglevel]
    # S603: this interpreter running Celery with arguments written here. A session of its own, so the
    # kill reaches the whole process group and nothing else.
    return subprocess.Popen(  # noqa: S603
        command, cwd=BASE_DIR, env=environ, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def _kill_a_real_worker_mid_scan() -> int:
    """Runs the beat task in a real `celery worker` process and SIGKILLs it once it has claimed some."""
    queue = f"killed-{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryFile() as log:
        worker = _start_worker(queue, log)
        try:
            eager = app.conf.task_always_eager
            app.conf.task_always_eager = False
            try:
                app.send_task("deadlines.send_reminders", queue=queue)
            finally:
                app.conf.task_always_eager = eager
            give_up = time.monotonic() + 60
            while not ReminderClaim.objects.exists():
                if time.monotonic() > give_up or worker.poll() is not None:
                    log.seek(0)
                    pytest.fail(f"The worker claimed nothing:\n{log.read().decode()[-3000:]}")
                time.sleep(0.02)
        finally:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL
    # The broker keeps the killed task unacknowledged; it would come back hours later (the visibility
    # timeout), on this test's own queue, which no other worker consumes.
    return ReminderClaim.objects.count()


def _kill_an_in_process_scan_after(claims: int) -> int:
    """The same death in-process: the scan is stopped inside the transaction of claim ``claims + 1``."""
    made = []

    def die(sender, instance, created, **kwargs):
        made.append(instance.pk)
        if len(made) > claims:
            raise WorkerKilled

    post_save.connect(die, sender=ReminderClaim, dispatch_uid="worker-killed")
    try:
        with pytest.raises(WorkerKilled):
            reminders_scan()
    finally:
        post_save.disconnect(sender=ReminderClaim, dispatch_uid="worker-killed")
    return ReminderClaim.objects.count()


@pytest.mark.worker
@pytest.mark.parametrize("mode", [MODE])
@pytest.mark.django_db(transaction=True)
def test_killed_worker_scan_is_completed_by_the_next_scan_once(mode):
    emails = [f"member{number}@example.org" for number in range(MEMBERS)]
    review = review_due(deadline_in(7))
    coalition_of_members(review, emails)

    if mode == "redis-worker" and connection.vendor == "postgresql":
        claimed_before_death = _kill_a_real_worker_mid_scan()
    else:
        claimed_before_death = _kill_an_in_process_scan_after(25)

    assert 0 < claimed_before_death < MEMBERS
    # What the dead scan committed is whole: each claim has its one message, the one it died in has neither.
    assert OutboxMessage.objects.count() == claimed_before_death
    report = reminders_scan()

    assert (report.queued, report.already_claimed) == (MEMBERS - claimed_before_death, claimed_before_death)
    claims, messages = per_person()
    occurrence = f"{geneva_today() + datetime.timedelta(days=7)}/7"
    key = f"review-{review.pk}-stakeholder_deadline"
    assert sorted(claims) == sorted((key, email, "before", occurrence) for email in emails)
    assert set(claims.values()) == {1}
    assert sorted(to for to, _claim in messages) == sorted(emails)
    assert set(messages.values()) == {1}
    assert sorted(ReminderClaim.objects.values_list("message_id", flat=True)) == sorted(
        OutboxMessage.objects.values_list("pk", flat=True)
    )


def _two_real_workers_scan_at_once() -> None:
    """Two `celery worker` processes on one queue, each handed a scan at the same moment."""
    queue = f"upr-tests-two-{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryFile() as log:
        workers = [_start_worker(queue, log, name=f"{queue}-{number}", loglevel="INFO") for number in (1, 2)]
        try:
            eager = app.conf.task_always_eager
            app.conf.task_always_eager = False
            try:
                for _worker in workers:
                    app.send_task("deadlines.send_reminders", queue=queue)
            finally:
                app.conf.task_always_eager = eager
            # The task stores no result: each scan's report line in the workers' log says it finished.
            give_up = time.monotonic() + 120
            while len(reports := SCAN_LINE.findall(_read(log))) < 2:
                if time.monotonic() > give_up or any(worker.poll() is not None for worker in workers):
                    pytest.fail(f"The workers did not finish:\n{_read(log)[-3000:]}")
                time.sleep(0.1)
            while OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).exists():
                if time.monotonic() > give_up:
                    pytest.fail(f"The workers did not send every message:\n{_read(log)[-3000:]}")
                time.sleep(0.1)
        finally:
            for worker in workers:
                os.killpg(worker.pid, signal.SIGTERM)
            for worker in workers:
                worker.wait(timeout=30)
    queued = [int(number) for number, _claimed in reports]
    # Both scans ran, and between them queued each reminder once.
    assert (len(queued), sum(queued)) == (2, MEMBERS)


def _read(log) -> str:
    log.seek(0)
    return log.read().decode(errors="replace")


def _two_scans_at_once_in_process() -> None:
    """Without Redis: the same two scans, one after the other on this connection (SQLite serialises)."""
    assert reminders_scan().queued == MEMBERS
    assert reminders_scan().queued == 0


@pytest.mark.worker
@pytest.mark.parametrize("mode", [MODE])
@pytest.mark.django_db(transaction=True)
def test_two_workers_scanning_at_once_send_one_email_per_person(mode):
    emails = [f"member{number}@example.org" for number in range(MEMBERS)]
    review = review_due(deadline_in(3))
    coalition_of_members(review, emails)

    if mode == "redis-worker" and connection.vendor == "postgresql":
        _two_real_workers_scan_at_once()
    else:
        _two_scans_at_once_in_process()
        # The in-process variant sends as the workers' eager tasks do: each message once, however often asked.
        outbox_send_pending()
        outbox_send_pending(message_ids=list(OutboxMessage.objects.values_list("pk", flat=True)))

    claims, messages = per_person()
    assert sorted(email for _key, email, _kind, _occurrence in claims) == sorted(emails)
    assert set(claims.values()) == {1}
    assert set(messages.values()) == {1}
    # Each message sent, in one attempt: one email per (deadline, person, occurrence).
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {("sent", 1)}
