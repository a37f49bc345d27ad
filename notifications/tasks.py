import logging

from celery import shared_task

from notifications import services

logger = logging.getLogger(__name__)


@shared_task(name="notifications.send_email", ignore_result=True)
def send_email(*, message_id: int) -> str:
    """Sends one outbox message; a transient failure schedules the next attempt after its backoff."""
    result = services.outbox_message_send(message_id=message_id)
    if result.retry_in is not None:
        # A lost retry is not lost mail: the sweep finds the queued row once it is due. In eager mode
        # the countdown cannot wait: the task runs at once, finds the row not yet due and leaves it
        # to the sweep.
        services.send_task_publish(message_id, countdown=result.retry_in)
    return result.outcome


@shared_task(name="notifications.outbox_sweep", ignore_result=True)
def outbox_sweep() -> int:
    """Every minute (upr_portal/celery.py): sends what no task is going to send."""
    report = services.outbox_sweep()
    if report.released:
        logger.warning("Outbox: %s message(s) were left sending by a stopped worker; sending again", report.released)
    if report.failed:
        logger.error("Outbox: %s message(s) stopped a worker at every attempt; failed", report.failed)
    for message_id in report.due:
        services.send_task_publish(message_id)
    return len(report.due)
