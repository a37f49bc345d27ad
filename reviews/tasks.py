import logging
import smtplib

from celery import shared_task

from reviews import services

logger = logging.getLogger(__name__)


@shared_task(
    name="reviews.send_deadline_reminders",
    # The service raises only transient failures (upr_portal/mail.py); permanent ones are counted.
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=True,
    max_retries=5,
)
def send_deadline_reminders() -> int:
    """Daily (see upr_portal/celery.py). A retry resends only what failed: sent ones are claimed."""
    report = services.deadline_reminders_send()
    logger.info(
        "Sent %s deadline reminders (%s already sent, %s refused by the mail server).",
        report.sent,
        report.already_sent,
        report.refused,
    )
    return report.sent
