"""Without REDIS_URL a real worker takes the portal's tasks from files: kombu's filesystem transport.

The Celery configuration is the one settings.py gives a site without Redis, its folders moved from
var/celery into the test's tmp_path (a development worker of this checkout must not take the test's
messages), and the worker has the solo pool, as the one `make run` starts. It runs in every mode,
with or without Redis in the environment, and never in eager mode.
"""

from collections.abc import Iterator
from pathlib import Path

import celery.contrib.testing.tasks  # noqa: F401 - registers celery.ping for the start-up ping check
import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from celery.result import AsyncResult, EagerResult

import upr_portal.tasks  # noqa: F401 - registers upr_portal.ping with every Celery app
from tests.upr_portal.processes import BASE_DIR
from tests.upr_portal.settings_reader import settings_with


def moved(value, old: str, new: str):
    """``value`` with every string (also inside dicts) naming a path under ``old`` moved under ``new``."""
    if isinstance(value, dict):
        return {key: moved(item, old, new) for key, item in value.items()}
    if isinstance(value, str):
        return value.replace(old, new)
    return value


@pytest.fixture
def files_app(tmp_path) -> Iterator[Celery]:
    """A Celery app with the portal's settings for a site without Redis, on folders in ``tmp_path``."""
    values = settings_with(DJANGO_DEBUG="1")
    var_celery = str(BASE_DIR / "var" / "celery")
    config = {
        name.removeprefix("CELERY_").lower(): moved(value, var_celery, str(tmp_path))
        for name, value in values.items()
        if name.startswith("CELERY_")
    }
    assert (config["broker_url"], config["broker_transport"], config["task_always_eager"]) == (
        "filesystem://localhost/",
        "upr_portal.celery_files:Transport",
        False,
    )
    # The worker looks into the folder every second by default; only to keep the test short.
    config["broker_transport_options"]["polling_interval"] = 0.1
    for folder in ("queue", "control", "results"):
        (tmp_path / folder).mkdir()
    app = Celery("upr_portal_files", set_as_current=False)
    app.conf.update(config)
    yield app
    # start_worker makes its app the current one, which every @shared_task then sends to: later tests
    # in this process would queue their tasks on this test's folders instead of running them eagerly.
    from upr_portal.celery import app as portal_app

    portal_app.set_current()
    portal_app.set_default()


def messages(queue: Path) -> list[str]:
    return sorted(path.name for path in queue.iterdir())


# The worker runs Django's system checks as it starts, and some of them open the database.
@pytest.mark.django_db
def test_worker_consumes_a_task_from_the_filesystem_queue(files_app, tmp_path):
    queue, results = tmp_path / "queue", tmp_path / "results"

    # Sent before any worker runs: the message waits in the queue folder as a file.
    result = files_app.tasks["upr_portal.ping"].apply_async(kwargs={"value": 5630})
    waiting = messages(queue)
    with start_worker(files_app, pool="solo", perform_ping_check=True, shutdown_timeout=10, loglevel="WARNING"):
        value = result.get(timeout=20)

    assert not isinstance(result, EagerResult)
    assert (len(waiting), waiting[0].endswith(".celery.msg")) == (1, True)
    assert value == 5630
    # The worker took the message from the folder, and the result is a file any process can read.
    assert messages(queue) == []
    assert (results / f"celery-task-meta-{result.id}").is_file()
    assert AsyncResult(result.id, app=files_app).get(timeout=5) == 5630
