"""/healthz against the real database and broker: up, broker down, database down; beat's heartbeat."""

import datetime
import logging
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from django.utils.cache import get_max_age

from upr_portal import health

pytestmark = pytest.mark.django_db

CLOSED_PORT_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def no_heartbeat():
    cache.delete(health.HEARTBEAT_KEY)
    yield
    cache.delete(health.HEARTBEAT_KEY)


def expected_broker(redis_url: str | None) -> str:
    return "ok" if redis_url else "filesystem"


def health_log(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "upr_portal.health"]


def heartbeat_at(moment: datetime.datetime) -> str:
    """Records a heartbeat as the heartbeat task does, at ``moment``."""
    value = moment.isoformat()
    cache.set(health.HEARTBEAT_KEY, value, timeout=24 * 3600)
    return value


def test_healthz_all_up_with_a_fresh_heartbeat_answers_ok(client, settings, no_heartbeat):
    health.record_heartbeat()
    recorded = health.last_heartbeat()

    response = client.get("/healthz")

    assert (response.status_code, response["Content-Type"]) == (200, "application/json")
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": expected_broker(settings.REDIS_URL),
        "beat": "ok",
        "beat_heartbeat": recorded,
    }
    age = timezone.now() - datetime.datetime.fromisoformat(recorded)
    assert 0 <= age.total_seconds() < 60


def test_healthz_without_any_heartbeat_answers_degraded_with_200(client, settings, no_heartbeat):
    response = client.get("/healthz")

    assert (response.status_code, response.json()) == (
        200,
        {
            "status": "degraded",
            "database": "ok",
            "broker": expected_broker(settings.REDIS_URL),
            "beat": "missing",
            "beat_heartbeat": None,
        },
    )


def test_healthz_with_a_stale_heartbeat_answers_degraded_with_200(client, no_heartbeat):
    # Beat or every worker stopped six minutes ago: pages still work, so no 503 (a load balancer would
    # take the web out for nothing, and compose's worker and beat wait for a healthy web).
    recorded = heartbeat_at(timezone.now() - datetime.timedelta(minutes=6))

    response = client.get("/healthz")

    body = response.json()
    assert (response.status_code, body["status"], body["beat"], body["beat_heartbeat"]) == (
        200,
        "degraded",
        "stale",
        recorded,
    )


def test_beat_status_turns_stale_after_five_minutes():
    now = timezone.now()

    assert [
        health.beat_status((now - datetime.timedelta(seconds=seconds)).isoformat(), now=now)
        for seconds in (0, 299, 300, 301)
    ] == ["ok", "ok", "ok", "stale"]
    assert [health.beat_status(None, now=now), health.beat_status("not a time", now=now)] == ["missing", "missing"]


def test_check_heartbeat_command_passes_on_a_fresh_heartbeat(no_heartbeat, capsys):
    recorded = heartbeat_at(timezone.now() - datetime.timedelta(minutes=1))

    call_command("check_heartbeat")

    assert capsys.readouterr().out == f"Beat heartbeat: ok ({recorded}).\n"


def test_check_heartbeat_command_fails_on_a_stale_or_missing_heartbeat(no_heartbeat):
    with pytest.raises(CommandError) as missing:
        call_command("check_heartbeat")
    recorded = heartbeat_at(timezone.now() - datetime.timedelta(minutes=10))
    with pytest.raises(CommandError) as stale:
        call_command("check_heartbeat")

    assert [str(missing.value), str(stale.value)] == [
        "Beat heartbeat: missing, never recorded. Is beat running, and at least one worker?",
        f"Beat heartbeat: stale, last recorded {recorded}, more than 5 minutes ago. "
        "Is beat running, and at least one worker?",
    ]


def test_healthz_is_never_cached(client):
    response = client.get("/healthz")

    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert directives == {"max-age=0", "no-cache", "no-store", "must-revalidate", "private"}
    assert get_max_age(response) == 0


def test_healthz_broker_down_answers_503(client, settings, caplog):
    settings.REDIS_URL = CLOSED_PORT_REDIS

    with caplog.at_level(logging.ERROR, logger="upr_portal.health"):
        response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["database"], body["broker"]) == ("down", "ok", "down")
    assert health_log(caplog) == ["Health check: the broker does not answer"]


def filesystem_broker(settings, queue) -> None:
    """The broker of a site without REDIS_URL (settings.py), with its queue in ``queue``."""
    settings.REDIS_URL = None
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "control_folder": str(queue.parent / "control"),
    }


def test_healthz_filesystem_broker_answers_ok(client, settings, tmp_path, no_heartbeat):
    queue = tmp_path / "queue"
    queue.mkdir()
    filesystem_broker(settings, queue)
    health.record_heartbeat()

    response = client.get("/healthz")

    body = response.json()
    assert (response.status_code, body["status"], body["database"], body["broker"]) == (200, "ok", "ok", "filesystem")


def test_healthz_filesystem_broker_without_its_folder_answers_503(client, settings, tmp_path, caplog):
    filesystem_broker(settings, tmp_path / "missing" / "queue")

    with caplog.at_level(logging.ERROR, logger="upr_portal.health"):
        response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["database"], body["broker"]) == ("down", "ok", "down")
    assert health_log(caplog) == [
        f"Health check: the broker's queue folder {tmp_path / 'missing' / 'queue'} is missing or not writable"
    ]


@contextmanager
def unreachable_database(tmp_path):
    """Swaps the default connection for one whose server (or file) cannot be reached, then restores it.

    The test's own connection and transaction stay untouched; the view simply finds the new one.
    """
    original = connections[DEFAULT_DB_ALIAS]
    broken = connections.create_connection(DEFAULT_DB_ALIAS)
    if broken.vendor == "sqlite":
        # A file inside a directory that does not exist cannot be opened or created.
        broken.settings_dict = {**broken.settings_dict, "NAME": str(tmp_path / "missing" / "db.sqlite3")}
    else:
        # Nothing listens on port 1: the connection is refused at once.
        broken.settings_dict = {**broken.settings_dict, "HOST": "127.0.0.1", "PORT": "1"}
    connections[DEFAULT_DB_ALIAS] = broken
    try:
        yield
    finally:
        connections[DEFAULT_DB_ALIAS] = original
        broken.close()


def test_healthz_database_down_answers_503(client, settings, tmp_path, caplog):
    with unreachable_database(tmp_path), caplog.at_level(logging.ERROR, logger="upr_portal.health"):
        response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["database"], body["broker"]) == ("down", "down", expected_broker(settings.REDIS_URL))
    assert health_log(caplog) == ["Health check: the database does not answer"]
    # The real connection was never touched and answers as soon as it is back.
    assert client.get("/healthz").json()["database"] == "ok"


def test_healthz_is_exempt_from_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    home = client.get("/")
    healthz = client.get("/healthz")

    assert (home.status_code, home["Location"]) == (301, "https://testserver/")
    assert (healthz.status_code, healthz.json()["database"]) == (200, "ok")
