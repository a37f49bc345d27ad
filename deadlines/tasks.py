import logging

from celery import shared_task

from deadlines import services

logger = logging.getLogger(__name__)


@shared_task(name="deadlines.send_reminders", ignore_result=True)
def send_reminders() -> int:
    """Hourly (upr_portal/celery.py): claims and queues the reminders and digests due now.

    Run twice, retried, or redelivered after a worker died, it queues nothing twice: each reminder
    is claimed by a unique row first. The outbox sends the messages once their claims commit.
    """
    report = services.reminders_scan()
    logger.info("Reminders queued: %s, already claimed: %s", report.queued, report.already_claimed)
    return report.queued
