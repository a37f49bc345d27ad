"""The outbox's tasks on the broker: what they carry, when a retry is due, and a real worker's run.

The broker tests publish with eager mode off: to the memory transport without REDIS_URL, to Redis
with it. What they publish is purged afterwards, so no later worker runs it outside its test.
"""

import datetime
import json
import time

import pytest
from celery.signals import before_task_publish
from django.core import mail
from django.db import transaction
from django.utils import timezone

from notifications import services
from notifications.models import OutboxMessage
from notifications.tasks import send_email
from tests.conftest import celery_mode
from tests.factories import UserFactory
from tests.factories.notifications import OutboxMessageFactory
from tests.notifications.backends import FlakyEmailBackend, use_mailer
from upr_portal.celery import app as celery_app
from upr_portal.tasks import ping

MODE = celery_mode()


@pytest.fixture
def published(monkeypatch):
    """Publishes tasks to the broker instead of running them, and lists what each publish carried."""
    seen = []

    def record(sender=None, body=None, headers=None, **kwargs):
        args, task_kwargs, _embed = body
        seen.append({"task": sender, "args": list(args), "kwargs": task_kwargs, "headers": headers, "body": body})

    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    before_task_publish.connect(record, weak=False)
    try:
        yield seen
    finally:
        before_task_publish.disconnect(record)
        celery_app.control.purge()


@pytest.mark.django_db
def test_send_email_is_published_with_the_message_id_only(published, django_capture_on_commit_callbacks):
    person = UserFactory(email="amina@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        message = services.email_queue(
            kind="accounts.password_reset", to_email=person.email, recipient=person, context={"user": person.pk}
        )

    assert [(p["task"], p["args"], p["kwargs"]) for p in published] == [
        ("notifications.send_email", [], {"message_id": message.pk})
    ]
    on_the_wire = json.dumps(published[0]["body"]) + json.dumps(published[0]["headers"], default=str)
    assert published[0]["headers"]["kwargsrepr"] == repr({"message_id": message.pk})
    assert "amina@example.org" not in on_the_wire
    assert "/accounts/reset/" not in on_the_wire
    assert (OutboxMessage.objects.get(pk=message.pk).status, mail.outbox) == (OutboxMessage.Status.QUEUED, [])


@pytest.mark.django_db
def test_send_email_after_a_transient_failure_publishes_its_retry_after_the_backoff(published, settings):
    use_mailer(settings, FlakyEmailBackend, failures=1)
    message = OutboxMessageFactory()
    before = timezone.now()

    # Run here, as a worker would run it; its retry goes to the broker.
    outcome = send_email.apply(kwargs={"message_id": message.pk}).get()

    assert outcome == "retry"
    [retry] = published
    assert (retry["task"], retry["kwargs"]) == ("notifications.send_email", {"message_id": message.pk})
    eta = datetime.datetime.fromisoformat(retry["headers"]["eta"])
    queued = OutboxMessage.objects.get(pk=message.pk)
    assert queued.next_attempt_at <= eta <= timezone.now() + datetime.timedelta(seconds=60)
    assert before + datetime.timedelta(seconds=60) <= queued.next_attempt_at
    assert mail.outbox == []


@pytest.mark.django_db
def test_outbox_sweep_task_publishes_each_due_message(published):
    lost = OutboxMessageFactory()
    OutboxMessage.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=5))

    swept = celery_app.tasks["notifications.outbox_sweep"].apply().get()

    assert swept == 1
    assert [(p["task"], p["kwargs"]) for p in published] == [("notifications.send_email", {"message_id": lost.pk})]


def wait_for_status(message: OutboxMessage, status: str, timeout: float = 20) -> OutboxMessage:
    deadline = time.monotonic() + timeout
    while (current := OutboxMessage.objects.get(pk=message.pk)).status != status and time.monotonic() < deadline:
        time.sleep(0.1)
    return current


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("mode", [MODE])
def test_worker_sends_a_queued_message_exactly_once(mode, celery_worker):
    assert celery_worker.mode == mode
    person = UserFactory(email="amina@example.org")

    with transaction.atomic():
        message = services.email_queue(
            kind="accounts.password_reset", to_email=person.email, recipient=person, context={"user": person.pk}
        )
    sent = wait_for_status(message, OutboxMessage.Status.SENT)
    # The same id again, as a redelivered or duplicated task would bring it: refused by the claim.
    services.send_task_publish(message.pk)
    # The solo worker runs tasks in order: once this answers, the duplicate has been handled too.
    assert ping.apply_async(kwargs={"value": 7}).get(timeout=20) == 7

    assert (sent.status, sent.attempts) == (OutboxMessage.Status.SENT, 1)
    assert OutboxMessage.objects.get(pk=message.pk).attempts == 1
    assert [m.to for m in mail.outbox] == [["amina@example.org"]]
    assert mail.outbox[0].subject == "Action needed: Reset your UPR Coalition Portal password"
