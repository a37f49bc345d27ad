"""The pre-session statement's live estimate: typing asks the server to count, the status region says it."""

import re

import pytest
from playwright.sync_api import Page, expect

from coalitions.models import Role
from tests.factories import MembershipFactory, SubmissionFactory
from tests.factories.accounts import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typing_updates_the_spoken_length_estimate(live_server, page: Page):
    membership = MembershipFactory(role=Role.COORDINATOR)
    submission = SubmissionFactory(coalition=membership.coalition, title="Joint submission on detention")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill(membership.user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/$"))

    page.goto(
        f"{live_server.url}/coalitions/{membership.coalition.pk}/after-review/submissions/{submission.pk}/statement/"
    )
    status = page.locator("#statement-estimate")
    expect(status).to_contain_text("About 0 min 0 s spoken, of the pre-session's 5 minutes.")
    page.get_by_label("Statement").fill(" ".join(["word"] * 700))

    expect(status).to_contain_text("About 5 min 23 s spoken, of the pre-session's 5 minutes.")
    expect(status).to_contain_text("Longer than the pre-session's 5 minutes: cut about 50 words.")
    expect(status).to_have_class(re.compile("alert-warning"))
