from celery import shared_task

from upr_portal import health


@shared_task(name="upr_portal.heartbeat", ignore_result=True)
def heartbeat() -> None:
    health.record_heartbeat()


@shared_task(name="upr_portal.ping")
def ping(*, value: int) -> int:
    """Echoes back a value: the round trip that proves a worker consumes from the broker."""
    return value
