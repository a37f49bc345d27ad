"""Runs Python in a fresh process with exactly the environment a test names.

For what only a new interpreter shows, such as ``manage.py check`` starting up or the tasks a worker
process loads; settings alone are evaluated in-process (test_settings.py). About a second each.
"""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def run_python(args: list[str], **variables: str) -> subprocess.CompletedProcess:
    """``python *args`` in the checkout with PATH, HOME, the real settings module and ``variables``."""
    environ = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(BASE_DIR)),
        "DJANGO_SETTINGS_MODULE": "upr_portal.settings",
        **variables,
    }
    # S603: the command is this interpreter with arguments written in the tests themselves.
    return subprocess.run(  # noqa: S603
        [sys.executable, *args], cwd=BASE_DIR, env=environ, capture_output=True, text=True, timeout=120
    )
