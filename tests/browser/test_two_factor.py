"""Two-factor sign-in in the browser: set it up by typing the secret the page shows into an
"authenticator app" (django_otp.oath.totp here), sign out, and sign in again with password and code.
"""

import re
from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def app_code(key: bytes, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows, ``steps_ahead`` periods of 30 seconds from now.

    A code is accepted once: the sign-in uses the next period's code, which the portal accepts (it
    allows one period of clock difference) whether or not the period of the set-up code is over.
    """
    return f"{totp(key, t0=-30 * steps_ahead):06d}"


def test_set_up_two_factor_then_sign_in_with_password_and_code(live_server, page: Page):
    user = UserFactory(full_name="Amina Diallo", email="amina@example.org")
    navigation = page.get_by_role("navigation", name="Main navigation")

    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    navigation.get_by_role("link", name="Two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Two-factor sign-in", level=1)).to_be_visible()
    expect(page.get_by_text("Two-factor sign-in is off.")).to_be_visible()

    # Set up: the app is given the secret typed from the page (the QR code holds the same).
    page.get_by_role("button", name="Set up two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Set up two-factor sign-in", level=1)).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("^QR code to add the portal"))).to_be_visible()
    secret = page.locator("#totp-secret").inner_text()
    key = b32decode(secret.replace(" ", ""))
    page.get_by_label("Code from your app").fill(app_code(key))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()

    expect(page.get_by_role("heading", name="Your recovery codes", level=1)).to_be_visible()
    expect(page.get_by_role("list", name="Recovery codes").get_by_role("listitem")).to_have_count(10)
    page.get_by_role("link", name="I have kept my recovery codes: continue").click()
    expect(page.get_by_text("Two-factor sign-in is on.")).to_be_visible()
    assert TOTPDevice.objects.get(user=user).bin_key == key

    # Sign out, then open a page that needs signing in: password, then code, then that page.
    navigation.get_by_role("button", name=re.compile(r"^Sign out")).click()
    page.goto(live_server.url + reverse("coalitions:mine"))
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Enter your code", level=1)).to_be_visible()
    page.get_by_label("Code").fill(app_code(key, steps_ahead=1))
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="My coalitions", level=1)).to_be_visible()
    assert page.url == live_server.url + reverse("coalitions:mine")
