"""Fixtures shared by every test package."""

from dataclasses import dataclass

import pytest
from celery import Celery

from tests.shared_data import shared_rows_last


def pytest_collection_modifyitems(items):
    # Rows shared by a module stay in an open transaction until its last test (tests/shared_data.py).
    shared_rows_last(items)


@pytest.fixture(autouse=True)
def _rate_limits_forgotten():
    """Every test starts with no request counted against any rate limit (accounts/throttles.py)."""
    from django.conf import settings
    from django.core.cache import caches

    caches[settings.RATE_LIMIT_CACHE].clear()


@pytest.fixture(autouse=True)
def _result_get_allowed_outside_a_worker():
    """A test calls ``.get()`` on a result as a client of Celery, never inside a task.

    Celery keeps one process-wide flag, "a join would block", which a worker sets when it builds its
    pool; a worker started in this process by an earlier test (the in-process worker fixtures) can leave
    it set, and every later ``.get()`` in that xdist process then raises "Never call result.get() within
    a task!" (seen with three processes: which tests share a process changes with the split).
    """
    from celery._state import _set_task_join_will_block

    _set_task_join_will_block(False)


@dataclass(frozen=True)
class CeleryRunner:
    """Where the tasks of a test run: ``redis-worker`` (a real worker thread) or ``in-process``."""

    mode: str
    app: Celery


def celery_mode() -> str:
    from django.conf import settings

    return "redis-worker" if settings.REDIS_URL else "in-process"


@pytest.fixture
def celery_worker():
    """A real Celery worker consuming from REDIS_URL when it is set (CI), else Celery's eager mode.

    The worker runs in a thread of the test process with the solo pool and the portal's own app and
    settings, so tasks travel through the real broker and result backend. It consumes only this
    process's queue (CELERY_TASK_DEFAULT_QUEUE, one per pytest-xdist worker: tests/settings.py), whose
    test database it shares. Tasks that touch the database need transactional tests: the worker
    thread does not see a test's open transaction.
    """
    from upr_portal.celery import app

    if celery_mode() == "in-process":
        assert app.conf.task_always_eager is True
        yield CeleryRunner(mode="in-process", app=app)
        return
    # Only for this test: every other test runs its tasks in-process (tests/settings.py).

    import celery.contrib.testing.tasks  # noqa: F401 - registers celery.ping for the start-up ping check
    from celery.contrib.testing.worker import start_worker

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    # Earlier tests without a worker may have left messages on the broker; a worker started now would
    # run them outside their tests (and their database transactions). Only this process's queue.
    app.control.purge()
    try:
        with start_worker(app, pool="solo", perform_ping_check=True, shutdown_timeout=10, loglevel="WARNING"):
            yield CeleryRunner(mode="redis-worker", app=app)
    finally:
        app.conf.task_always_eager = eager
