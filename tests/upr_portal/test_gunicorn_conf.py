"""gunicorn with the image's settings (upr_portal/gunicorn_conf.py), started for real on a free port."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.upr_portal.processes import BASE_DIR, run_python

GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn(**variables: str):
    """gunicorn with the portal's configuration and the echo application, on 127.0.0.1."""
    port = free_port()
    environ = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", str(BASE_DIR)), "WEB_CONCURRENCY": "1"}
    # S603: the virtualenv's own gunicorn with arguments written here.
    server = subprocess.Popen(  # noqa: S603
        [
            str(GUNICORN),
            "-c",
            "python:upr_portal.gunicorn_conf",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "tests.upr_portal.echo_wsgi",
        ],
        cwd=BASE_DIR,
        env={**environ, **variables},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _attempt in range(150):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            if server.poll() is not None:
                pytest.fail(f"gunicorn stopped: {server.stderr.read().decode()}")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=20)
        server.stderr.close()


def scheme_seen(url: str) -> str:
    # S310: the http:// address of the gunicorn started above.
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.read().decode()


def test_gunicorn_without_tls_proxy_ignores_x_forwarded_proto_even_from_localhost():
    # gunicorn's own default trusts 127.0.0.1: a client beside it could claim HTTPS.
    with gunicorn() as url:
        assert scheme_seen(url) == "http"


def test_gunicorn_behind_tls_proxy_takes_x_forwarded_proto_from_the_proxy():
    with gunicorn(DJANGO_BEHIND_TLS_PROXY="1") as url:
        assert scheme_seen(url) == "https"


def test_gunicorn_conf_refuses_a_malformed_worker_count():
    result = run_python(["-c", "import upr_portal.gunicorn_conf"], WEB_CONCURRENCY="many")

    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: The environment variable WEB_CONCURRENCY must be a whole "
        "number; got 'many'."
    )
