"""Celery round trips: through Redis and a real worker when REDIS_URL is set, in-process otherwise.

The mode shows in each test's id (``[redis-worker]`` or ``[in-process]``); neither is ever skipped.
"""

import json
import os
import time
from datetime import datetime

import pytest
from celery.result import AsyncResult, EagerResult
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from tests.conftest import celery_mode
from tests.upr_portal.processes import run_python
from upr_portal import health
from upr_portal.celery import app
from upr_portal.tasks import heartbeat, ping

MODE = celery_mode()


@pytest.mark.worker
@pytest.mark.parametrize("mode", [MODE])
def test_ping_round_trip(mode, celery_worker):
    assert celery_worker.mode == mode

    result = ping.apply_async(kwargs={"value": 5630})

    assert result.get(timeout=20) == 5630
    assert result.state == "SUCCESS"
    if mode == "redis-worker":
        assert not isinstance(result, EagerResult)
        assert celery_worker.app.conf.broker_url == settings.REDIS_URL
        # The result came back through the result backend, readable by id from anywhere.
        assert AsyncResult(result.id, app=celery_worker.app).get(timeout=5) == 5630
    else:
        assert isinstance(result, EagerResult)


@pytest.mark.worker
@pytest.mark.parametrize("mode", [MODE])
def test_heartbeat_task_updates_the_shared_cache(mode, celery_worker):
    assert celery_worker.mode == mode
    cache.delete(health.HEARTBEAT_KEY)
    assert health.last_heartbeat() is None
    sent_at = timezone.now()

    heartbeat.apply_async()

    # heartbeat keeps no result, so the proof is the value it leaves in the cache /healthz reads.
    deadline = time.monotonic() + 20
    while (recorded := health.last_heartbeat()) is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert recorded is not None
    assert sent_at <= datetime.fromisoformat(recorded) <= timezone.now()


def test_each_test_process_sends_to_and_consumes_from_a_queue_of_its_own():
    """Under pytest-xdist a worker thread must take only its own process's tasks (tests/settings.py)."""
    own_queue = f"upr-tests-{os.environ.get('PYTEST_XDIST_WORKER') or 'main'}"

    assert list(app.amqp.queues.consume_from) == [own_queue]
    assert app.amqp.router.route({}, "upr_portal.ping")["queue"].name == own_queue


def test_worker_process_registers_the_portal_tasks():
    """A fresh process loads tasks as `celery -A upr_portal worker` does, with no test imports."""
    code = (
        "import json\n"
        "from upr_portal.celery import app\n"
        "app.loader.import_default_modules()\n"
        "print(json.dumps({'tasks': sorted(app.tasks),"
        " 'beat': sorted(entry['task'] for entry in app.conf.beat_schedule.values())}))\n"
    )
    result = run_python(["-c", code], DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])

    assert {"upr_portal.heartbeat", "upr_portal.ping"} <= set(loaded["tasks"])
    # Beat must never send a task that no worker knows.
    assert sorted(set(loaded["beat"]) - set(loaded["tasks"])) == []
