import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import MembershipFactory, ReviewFactory
from tests.factories.accounts import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_shows_whats_due_on_the_home_page(live_server, page: Page):
    membership = MembershipFactory(user__full_name="Amina Diallo")
    review = ReviewFactory(state__name="Testland Republic")
    membership.coalition.reviews.add(review)
    review.pre_session = review.session.wg_start.replace(day=1)
    review.save()

    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="Upcoming reviews")).to_be_visible()
    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_label("Email address").fill(membership.user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", name="Welcome, Amina")).to_be_visible()
    due = page.get_by_role("region", name="Due next").get_by_role("table")
    expect(due).to_contain_text("Testland Republic")
    expect(due).to_contain_text(membership.coalition.name)
    expect(due).to_contain_text("Pre-session")
    # The public calendar stays on the page once signed in.
    expect(page.get_by_role("region", name="Upcoming reviews").get_by_role("table")).to_contain_text(
        "Testland Republic"
    )


def test_permissions_policy_names_only_features_chromium_knows(live_server, page: Page):
    # Chromium warns in the console of each feature of the header it does not recognise.
    problems = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text) if message.type == "error" or "Permissions-Policy" in message.text else None
        ),
    )

    response = page.goto(live_server.url + "/accounts/login/")

    assert response.headers["permissions-policy"].startswith("accelerometer=(), autoplay=()")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert problems == []
