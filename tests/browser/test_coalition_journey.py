"""The coalition journey end to end: create a coalition, invite a drafter, and the drafter joins.

Everything goes through the browser with accessible locators (roles and labels); only the invitation
email is read from Django's locmem outbox, and the final state is checked in the database.
"""

import re
import time
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from coalitions.models import CoalitionOrganisation, Membership, Organisation, Role
from tests.factories import ReviewFactory, StateFactory, UserFactory
from tests.factories.accounts import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COALITION = "Kenya UPR Stakeholders Coalition"
SECRETARIAT = "Kenya Human Rights Forum"
MEMBER_ORG = "Coast Women's Rights Network"
INVITEE_EMAIL = "joseph.mwangi@example.org"
INVITEE_NAME = "Joseph Mwangi"
INVITEE_PASSWORD = "lantern-savanna-quietly-1987"
INVITATION_LINK = re.compile(r"https?://\S+/invitations/[^/\s]+/")


def sign_in(page: Page, live_server, email: str) -> None:
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Sign in").click()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name=re.compile(r"^Sign out"))).to_be_visible()


def wait_for_mail(count: int = 1, timeout: float = 10.0) -> list:
    """The mail is sent on commit (eagerly in-process, or by a Celery worker thread on Redis)."""
    deadline = time.monotonic() + timeout
    while len(mail.outbox) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(mail.outbox) == count, f"expected {count} email(s), got {len(mail.outbox)}"
    return mail.outbox


def test_coordinator_creates_a_coalition_and_an_invited_drafter_joins(
    live_server, page: Page, browser: Browser, celery_worker
):
    creator = UserFactory(full_name="Amina Diallo")
    kenya = StateFactory(name="Kenya", code="KEN")
    review = ReviewFactory(state=kenya)
    review_label = f"Kenya, session {review.session.number}"

    # The coordinator creates the coalition, with a new secretariat organisation.
    sign_in(page, live_server, creator.email)
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="My coalitions").click()
    expect(page.get_by_role("heading", name="My coalitions", level=1)).to_be_visible()
    page.get_by_role("link", name="Create a coalition").click()
    expect(page.get_by_role("heading", name="Create a coalition", level=1)).to_be_visible()

    coalition_group = page.get_by_role("group", name="The coalition")
    # crispy-forms puts the required-field asterisk inside the label, so the accessible name is "Name*".
    coalition_group.get_by_label(re.compile(r"^\s*Name\s*\*?\s*$")).fill(COALITION)
    coalition_group.get_by_label("Reviews the coalition works on").select_option(label=review_label)
    secretariat_group = page.get_by_role("group", name="Its secretariat")
    secretariat_group.get_by_label("Organisation name").fill(SECRETARIAT)
    secretariat_group.get_by_label("Kind").select_option(label="NGO")
    secretariat_group.get_by_label("City").fill("Nairobi")
    secretariat_group.get_by_label("Country").select_option(label="Kenya")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", name=COALITION, level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(f"The coalition {COALITION} is created.")
    expect(page.get_by_role("region", name="Reviews")).to_contain_text(f"Kenya, session {review.session.number}")

    # The coordinator invites a drafter from an organisation that is new to the portal.
    coalition_nav = page.get_by_role("navigation", name="Coalition")
    coalition_nav.get_by_role("link", name="Invitations").click()
    page.get_by_role("link", name="Invite someone").click()
    expect(page.get_by_role("heading", name="Invite someone")).to_be_visible()

    who = page.get_by_role("group", name="Who")
    who.get_by_label("Email address").fill(INVITEE_EMAIL)
    who.get_by_label("Name", exact=True).fill(INVITEE_NAME)
    who.get_by_label("Role").select_option(label="Drafter")
    organisation_group = page.get_by_role("group", name="For which organisation")
    organisation_group.get_by_label("Organisation name").fill(MEMBER_ORG)
    organisation_group.get_by_label("City").fill("Mombasa")
    organisation_group.get_by_label("Country").select_option(label="Kenya")
    page.get_by_role("button", name="Send the invitation").click()

    expect(page.get_by_role("status")).to_contain_text(f"The invitation to {INVITEE_EMAIL} is on its way.")
    invitations = page.get_by_role("table", name="Invitations sent, pending first.")
    row = invitations.get_by_role("row").filter(has_text=INVITEE_EMAIL)
    expect(row).to_contain_text(INVITEE_NAME)
    expect(row).to_contain_text(MEMBER_ORG)
    expect(row).to_contain_text("Drafter")
    expect(row).to_contain_text("Pending")

    # The invitation email names the coalition and carries the link.
    (message,) = wait_for_mail(1)
    assert message.to == [INVITEE_EMAIL]
    assert COALITION in message.subject
    link = INVITATION_LINK.search(message.body)
    assert link, message.body
    # The link is built on SITE_URL; the path is what matters against the live server.
    accept_url = live_server.url + urlsplit(link.group(0)).path

    # The invitee, who has no account and is not signed in, joins from the link.
    context = browser.new_context()
    try:
        invitee = context.new_page()
        invitee.goto(accept_url)
        expect(invitee.get_by_role("heading", name=f"Join {COALITION}", level=1)).to_be_visible()
        expect(invitee.get_by_label("Your name")).to_have_value(INVITEE_NAME)
        invitee.get_by_label("Choose a password").fill(INVITEE_PASSWORD)
        invitee.get_by_label("The same password again").fill(INVITEE_PASSWORD)
        invitee.get_by_role("button", name="Create my account and join").click()

        expect(invitee.get_by_role("heading", name=COALITION, level=1)).to_be_visible()
        expect(invitee.get_by_role("status")).to_contain_text(f"Welcome to {COALITION}.")
        invitee.get_by_role("navigation", name="Coalition").get_by_role("link", name="Members").click()
        people = invitee.get_by_role("table", name="People of the coalition, by name.")
        expect(people.get_by_role("row").filter(has_text="Amina Diallo")).to_contain_text(SECRETARIAT)
        expect(people.get_by_role("row").filter(has_text=INVITEE_NAME)).to_contain_text(MEMBER_ORG)
    finally:
        context.close()

    membership = Membership.objects.select_related("organisation").get(
        coalition__name=COALITION, user__email=INVITEE_EMAIL
    )
    assert membership.role == Role.DRAFTER
    assert membership.is_active
    assert membership.user.full_name == INVITEE_NAME
    assert membership.organisation.name == MEMBER_ORG
    organisation = Organisation.objects.get(name=MEMBER_ORG)
    assert (organisation.city, organisation.country) == ("Mombasa", kenya)
    assert (
        CoalitionOrganisation.objects.get(coalition=membership.coalition, organisation=organisation).status
        == CoalitionOrganisation.Status.ACTIVE
    )


def is_focused(page: Page, locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def test_sign_in_form_and_skip_link_work_from_the_keyboard(live_server, page: Page):
    page.goto(live_server.url + reverse("login"))
    email = page.get_by_label("Email address")
    password = page.get_by_label("Password")
    sign_in_button = page.get_by_role("button", name="Sign in")

    # From the top of the page (whatever has autofocus), Tab walks the header, then the form in order.
    page.get_by_role("link", name="Skip to main content").focus()
    for _ in range(15):
        if is_focused(page, email):
            break
        page.keyboard.press("Tab")
    expect(email).to_be_focused()
    page.keyboard.press("Tab")
    expect(password).to_be_focused()
    page.keyboard.press("Tab")
    expect(sign_in_button).to_be_focused()

    # On the home page the skip link is the first stop, becomes visible, and moves focus to the content.
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
