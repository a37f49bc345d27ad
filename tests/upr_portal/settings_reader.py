"""Reads upr_portal/settings.py afresh, in this process, with exactly the environment a test names."""

import os
import re
import runpy
from unittest import mock

from tests.upr_portal.processes import BASE_DIR

SETTINGS_FILE = BASE_DIR / "upr_portal" / "settings.py"


def settings_with(**variables: str) -> dict:
    """Every name the real settings module (not the test overlay) defines with these variables set.

    Only ``variables``, PATH and HOME are in the environment meanwhile. The module runs in a namespace
    of its own, so Django's configured settings stay as they are. Far cheaper than a subprocess.
    """
    environ = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", str(BASE_DIR)), **variables}
    with mock.patch.dict(os.environ, environ, clear=True):
        return runpy.run_path(str(SETTINGS_FILE), run_name="upr_portal.settings_under_test")


SETTINGS_VARIABLE = re.compile(r"env\.(?:string|boolean|integer|strings|url)\(\s*\"([A-Z0-9_]+)\"")


def variables_read_by_settings() -> set[str]:
    """The environment variables settings.py reads, each through the EnvReader ``env``."""
    return set(SETTINGS_VARIABLE.findall(SETTINGS_FILE.read_text()))
