"""Liveness of the parts the portal depends on, for /healthz."""

import datetime
import logging
import os
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

logger = logging.getLogger(__name__)

HEARTBEAT_KEY = "upr_portal:beat-heartbeat"
# Beat queues the heartbeat task every minute (upr_portal/celery.py) and a worker records it: five
# minutes without one means beat, or every worker, has stopped (or the two cannot reach each other).
HEARTBEAT_STALE_AFTER = datetime.timedelta(minutes=5)


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("Health check: the database does not answer")
        return False


def broker_status() -> str:
    """'ok' or 'down' after a PING to Redis; without REDIS_URL, 'filesystem' or 'down'.

    The filesystem broker (settings.py, development on one machine) is up while its queue folder is a
    folder this process may write to: sending a task is writing a file there.
    """
    if not settings.REDIS_URL:
        queue = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_out"])
        if queue.is_dir() and os.access(queue, os.W_OK | os.X_OK):
            return "filesystem"
        logger.error("Health check: the broker's queue folder %s is missing or not writable", queue)
        return "down"
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        return "ok" if client.ping() else "down"
    except redis.RedisError:
        logger.exception("Health check: the broker does not answer")
        return "down"


def record_heartbeat() -> None:
    cache.set(HEARTBEAT_KEY, timezone.now().isoformat(), timeout=24 * 3600)


def last_heartbeat() -> str | None:
    try:
        return cache.get(HEARTBEAT_KEY)
    except Exception:
        return None


def beat_status(heartbeat: str | None, *, now: datetime.datetime | None = None) -> str:
    """'ok' while the last heartbeat is recent, 'stale' once it is older than HEARTBEAT_STALE_AFTER,
    'missing' when none was ever recorded (or it expired after a day)."""
    if heartbeat is None:
        return "missing"
    try:
        recorded = datetime.datetime.fromisoformat(heartbeat)
    except (TypeError, ValueError):
        return "missing"
    return "ok" if (now or timezone.now()) - recorded <= HEARTBEAT_STALE_AFTER else "stale"
