"""axe-core over every page a coordinator opens: see tests/browser/test_accessibility.py, which holds the
visits and the audit; this module only runs its part in a pytest-xdist process of its own."""

import pytest
from playwright.sync_api import Browser

from tests.browser.test_accessibility import COORDINATOR, audit_roles

pytestmark = pytest.mark.browser

ROLES_HERE = (COORDINATOR,)


@pytest.mark.django_db(transaction=True)
def test_no_page_has_a_serious_accessibility_violation_for_coordinator(live_server, browser: Browser):
    audit_roles(live_server, browser, ROLES_HERE)
