import logging
import smtplib

from celery import shared_task
from django.core.mail import EmailMultiAlternatives

logger = logging.getLogger(__name__)


@shared_task(
    name="accounts.send_email",
    autoretry_for=(smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
)
def send_email(*, subject: str, body: str, to: list[str], html: str | None = None) -> None:
    """Sends one already-rendered message, off the request; network failures are retried with backoff."""
    message = EmailMultiAlternatives(subject, body, None, to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
