"""Runs Python in a fresh process with exactly the environment a test names.

Settings are evaluated once per process, so start-up behaviour is only observable this way.
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
