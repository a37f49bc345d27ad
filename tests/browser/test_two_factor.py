"""Two-factor sign-in in the browser: set it up by typing the secret the page shows into an
"authenticator app" (django_otp.oath.totp here), sign out, and sign in again with password and code.
"""

import re
import time
from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def app_code(key: bytes) -> str:
    """The code an authenticator app shows now."""
    return f"{totp(key):06d}"


def next_code(device: TOTPDevice) -> str:
    """A code the portal accepts now for ``device``, which has already taken one.

    A code is accepted once, so the sign-in needs a later period's code than the set-up's. django-otp
    allows one period of clock difference and learns the app's clock from the codes it takes: a set-up
    code typed just before a period ended and checked just after teaches it that the app is one period
    behind. The code is therefore for the period after the last one taken, or the device's "now" if
    later; either is within the period of difference allowed while this test runs.
    """
    now = time.time()
    period = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    period.time = now
    current = period.t()
    period.drift = max(device.last_t + 1, current + device.drift) - current
    return f"{period.token():0{device.digits}d}"


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
    page.get_by_label("Code").fill(next_code(TOTPDevice.objects.get(user=user)))
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="My coalitions", level=1)).to_be_visible()
    assert page.url == live_server.url + reverse("coalitions:mine")


@pytest.mark.parametrize("drift", [-1, 0, 1])
def test_next_code_is_taken_whatever_clock_difference_the_set_up_taught(drift):
    device = TOTPDevice.objects.create(user=UserFactory(), name="Authenticator app", confirmed=True)
    current = int(time.time() - device.t0) // device.step
    device.drift, device.last_t = drift, current + drift
    device.save()

    assert device.verify_token(next_code(device)) is True
