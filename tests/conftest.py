"""Fixtures shared by every test package."""

import os
from dataclasses import dataclass

import pytest
from celery import Celery

from tests.shared_data import shared_rows_last


class BrowserTestsFirst:
    """The browser tests first, in the order pytest-django left them otherwise.

    pytest-django puts every transactional test last (as Django does), which put the browser tests,
    the slowest files of the suite (the accessibility audits take 30-40 s each), at the very end;
    pytest-xdist's ``--dist loadfile`` hands files out in this order, so the run ended with one worker
    on the last audit while the other sat idle. Each transactional test empties the database after
    itself, so the tests after them start from the same empty database as before. Measured on
    PostgreSQL with 2 workers: 362 s against 400 s; putting every file with a transactional test first
    gave 387 s, and ``--dist worksteal`` 395 s.
    """

    @pytest.hookimpl(trylast=True)  # after pytest-django's ordering
    def pytest_collection_modifyitems(self, items):
        items.sort(key=lambda item: "browser" not in item.path.parts)


def pytest_configure(config):
    # The test databases are thrown away: a commit need not wait for PostgreSQL to write its WAL to
    # disk (what other connections see is unchanged; only a crash of the server could lose the last
    # commits). libpq reads PGOPTIONS in every connection of this process, its pytest-xdist processes and
    # the Celery worker processes the tests start (tests/deadlines/test_tasks.py passes it on).
    os.environ.setdefault("PGOPTIONS", "-c synchronous_commit=off")
    _catalogues_compiled()
    _flush_postgresql_by_delete()
    config.pluginmanager.register(BrowserTestsFirst(), "browser-tests-first")


def _catalogues_compiled() -> None:
    """The French and Spanish catalogues compiled as `make test` leaves them, for a bare `pytest` after a
    change to a .po file (scripts/messages.py; 0.2 s)."""
    from scripts import messages

    if any(
        not po.with_suffix(".mo").exists() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
        for po in messages.catalogue_paths()
    ):
        messages.compile_catalogues()


def _flush_postgresql_by_delete() -> None:
    """Empties the tables after a ``transaction=True`` test with DELETE rather than TRUNCATE, on PostgreSQL.

    Django's flush truncates every table (71) after each transactional test; PostgreSQL gives each
    truncated table a new file, which took 1.9 to 5.5 s a flush on a loaded 2-core machine against 0.1 to
    0.4 s for DELETE FROM each table (tables hold a few rows in tests). The result is the same: every
    table empty, sequences left as they are (TRUNCATE without RESTART IDENTITY keeps them too). The
    DELETEs run in the one transaction of ``execute_sql_flush`` and Django's foreign keys on PostgreSQL
    are DEFERRABLE INITIALLY DEFERRED, so the order of the tables does not matter. A flush asked to reset
    sequences or to cascade keeps Django's own TRUNCATE.
    """
    try:
        from django.db.backends.postgresql.operations import DatabaseOperations
    except ImportError:  # no psycopg: the suite runs on SQLite
        return
    if getattr(DatabaseOperations.sql_flush, "by_delete", False):
        return
    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return [f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};" for table in tables]

    sql_flush.by_delete = True
    DatabaseOperations.sql_flush = sql_flush


def pytest_collection_modifyitems(items):
    # Rows shared by a module stay in an open transaction until its last test (tests/shared_data.py).
    shared_rows_last(items)


@pytest.fixture(autouse=True)
def _language_of_the_site():
    """Every test starts in the site's language. A request leaves its language active in the thread (Django's
    LocaleMiddleware and accounts.middleware.UserLanguageMiddleware activate it and the next request
    activates its own), so a test after one in French would otherwise read French."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _rate_limits_forgotten():
    """Every test starts with no request counted against any rate limit (accounts/throttles.py)."""
    from django.conf import settings
    from django.core.cache import caches

    caches[settings.RATE_LIMIT_CACHE].clear()


@pytest.fixture(autouse=True)
def _data_generation_moved_on():
    """Every test starts from a new data generation (upr_portal/freshness.py): the rollback after the
    test before undid writes without committing, so values it remembered must not be read again."""
    from upr_portal import freshness

    freshness.mark_stale()


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
