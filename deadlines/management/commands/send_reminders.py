"""Runs one reminder scan in the foreground and sends what it queued, without a worker."""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from deadlines.services import reminders_scan
from notifications.models import OutboxMessage
from notifications.services import outbox_send_pending
from upr_portal.timezones import GENEVA

# A worker may be sending some of the messages at the same time (they were also queued for it when
# their claims committed): wait this long for those before counting what was sent.
IN_FLIGHT_WAIT_SECONDS = 30


def parse_now(value: str) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--now {value!r} is not a date and time: write it in ISO 8601, for example 2027-03-24T07:30 "
            "(Geneva time) or 2027-03-24T06:30+00:00."
        ) from None
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=GENEVA)
    return moment


class Command(BaseCommand):
    help = (
        "Queue the deadline reminders and weekly digests due now, and send them in this process. "
        "Safe to run while the beat task or another run is at work: each reminder is sent once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            help="Scan as if it were this moment (ISO 8601; without an offset it is Geneva time).",
        )

    def handle(self, *args, now=None, **options):
        # Parsed here, not by argparse: a CommandError raised while parsing would end in a traceback.
        report = reminders_scan(now=parse_now(now) if now else None)
        ids = report.queued_message_ids
        # The outbox's conditional claim lets only one sender have each message: this process or a worker.
        outbox_send_pending(message_ids=ids)
        waited_until = time.monotonic() + IN_FLIGHT_WAIT_SECONDS
        while OutboxMessage.objects.filter(pk__in=ids, status=OutboxMessage.Status.SENDING).exists():
            if time.monotonic() > waited_until:
                break
            time.sleep(0.5)
        sent = OutboxMessage.objects.filter(pk__in=ids, status=OutboxMessage.Status.SENT).count()
        self.stdout.write(f"Reminders queued: {report.queued}, already claimed: {report.already_claimed}, sent: {sent}")
