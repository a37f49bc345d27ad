"""Two-factor sign-in (accounts/two_factor/): setting it up, the code step of the sign-in, recovery
codes, turning it off, and the admin for site administrators.

Codes are computed as an authenticator app does (django_otp.oath.totp on the device's secret).
"""

import re
from base64 import b32decode
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils.html import escape
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.two_factor import services
from accounts.two_factor.policy import PENDING_SESSION_KEY
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD, TOTPDeviceFactory, recovery_codes_for, sign_in_with_two_factor

pytestmark = pytest.mark.django_db

RECOVERY_CODES = ["aaaa2222", "bbbb3333"]


def code_of(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


def with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def sign_in_with_password(client, user, next_url: str = ""):
    data = {"username": user.email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def verified_device_id(client) -> str | None:
    return client.session.get(DEVICE_ID_SESSION_KEY)


# Setting it up.


def test_setup_start_shows_the_qr_code_and_the_secret_of_a_new_app(client):
    user = UserFactory()
    client.force_login(user)

    started = client.post(reverse("two_factor_setup_start"))
    page = client.get(reverse("two_factor_setup"))

    assertRedirects(started, reverse("two_factor_setup"), fetch_redirect_response=False)
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed is False
    secret = re.search(r'<code class="fs-5" id="totp-secret">([A-Z2-7 ]+)</code>', page.content.decode()).group(1)
    assert b32decode(secret.replace(" ", "")) == device.bin_key
    assertContains(page, 'src="data:image/svg+xml;charset=utf-8,')
    assertContains(page, "QR code to add the portal to your authenticator app.")


def test_setup_start_again_replaces_the_unfinished_secret(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("two_factor_setup_start"))
    first = TOTPDevice.objects.get(user=user)

    client.post(reverse("two_factor_setup_start"))

    assert list(TOTPDevice.objects.filter(user=user).values_list("confirmed", flat=True)) == [False]
    assert TOTPDevice.objects.get(user=user).key != first.key


def test_setup_confirm_with_the_apps_code_turns_it_on_and_shows_ten_recovery_codes_once(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("two_factor_setup_start"))
    device = TOTPDevice.objects.get(user=user)

    response = client.post(reverse("two_factor_setup"), {"code": code_of(device)})

    device.refresh_from_db()
    assert device.confirmed is True
    codes = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(codes) == 10
    shown = re.findall(r"<li>([a-z2-7]{8})</li>", response.content.decode())
    assert sorted(shown) == sorted(codes)
    assert "no-store" in response["Cache-Control"]
    assert verified_device_id(client) == device.persistent_id
    assertContains(client.get(reverse("two_factor")), "Two-factor sign-in is on.")


def test_setup_confirm_with_a_wrong_code_says_so_and_leaves_it_off(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("two_factor_setup_start"))
    device = TOTPDevice.objects.get(user=user)
    wrong = f"{(totp(device.bin_key) + 1) % 1_000_000:06d}"

    response = client.post(reverse("two_factor_setup"), {"code": wrong})

    assertContains(response, "This code is not right.")
    device.refresh_from_db()
    assert (device.confirmed, device.throttling_failure_count) == (False, 1)
    assert StaticDevice.objects.filter(user=user).exists() is False


def test_setup_keeps_next_to_the_page_that_asked_for_it(client):
    user = UserFactory()
    client.force_login(user)
    next_url = "/coalitions/"

    started = client.post(reverse("two_factor_setup_start"), {"next": next_url})
    device = TOTPDevice.objects.get(user=user)
    done = client.post(with_next("two_factor_setup", next_url), {"code": code_of(device), "next": next_url})

    assertRedirects(started, with_next("two_factor_setup", next_url), fetch_redirect_response=False)
    assertContains(done, f'href="{next_url}"')


def test_setup_page_refuses_a_next_address_on_another_site(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(reverse("two_factor_setup_start"), {"next": "https://evil.example.com/"})

    assertRedirects(response, reverse("two_factor_setup"), fetch_redirect_response=False)


# The code step of the sign-in.


def test_sign_in_without_two_factor_goes_straight_to_next(client):
    user = UserFactory()

    response = sign_in_with_password(client, user, next_url="/coalitions/")

    assertRedirects(response, "/coalitions/", fetch_redirect_response=False)
    assert PENDING_SESSION_KEY not in client.session


def test_sign_in_with_two_factor_asks_for_the_code_and_keeps_next(client):
    device = TOTPDeviceFactory()

    password_step = sign_in_with_password(client, device.user, next_url="/coalitions/")
    code_page = client.get(password_step.url)
    code_step = client.post(password_step.url, {"code": code_of(device), "next": "/coalitions/"})

    assertRedirects(password_step, with_next("two_factor_verify", "/coalitions/"), fetch_redirect_response=False)
    assertContains(code_page, "Enter your code")
    assertContains(code_page, 'value="/coalitions/"')
    assertRedirects(code_step, "/coalitions/", fetch_redirect_response=False)
    assert verified_device_id(client) == device.persistent_id
    assert PENDING_SESSION_KEY not in client.session
    assertContains(client.get("/coalitions/"), "My coalitions")


def test_session_at_the_code_step_opens_nothing_else(client):
    device = TOTPDeviceFactory()
    sign_in_with_password(client, device.user)

    page = client.get(reverse("coalitions:mine"))
    script = client.post(reverse("two_factor_setup_start"), headers={"accept": "application/json"})
    catalogue = client.get(reverse("javascript-catalog"))

    assertRedirects(page, with_next("two_factor_verify", reverse("coalitions:mine")), fetch_redirect_response=False)
    assertContains(script, "Enter the code of your two-factor sign-in first.", status_code=403)
    assert (catalogue.status_code, catalogue["Content-Type"]) == (200, 'text/javascript; charset="utf-8"')
    assert verified_device_id(client) is None


def test_sign_in_with_a_wrong_code_stays_at_the_code_step(client):
    device = TOTPDeviceFactory()
    sign_in_with_password(client, device.user)
    wrong = f"{(totp(device.bin_key) + 1) % 1_000_000:06d}"

    response = client.post(reverse("two_factor_verify"), {"code": wrong})

    assertContains(response, "This code is not right.")
    assert verified_device_id(client) is None
    assert client.session[PENDING_SESSION_KEY] is True


def test_sign_in_code_is_refused_after_a_wrong_one_until_the_wait_is_over(client, settings):
    # One wrong code makes the next try wait OTP_TOTP_THROTTLE_FACTOR seconds (1 by default): an hour
    # here, so that the refusal does not depend on how fast the test runs.
    settings.OTP_TOTP_THROTTLE_FACTOR = 3600
    device = TOTPDeviceFactory()
    sign_in_with_password(client, device.user)
    wrong = f"{(totp(device.bin_key) + 1) % 1_000_000:06d}"
    client.post(reverse("two_factor_verify"), {"code": wrong})

    response = client.post(reverse("two_factor_verify"), {"code": code_of(device)})

    assertContains(response, "Too many wrong codes in a row. Wait 3600 seconds, then try again.")
    assert verified_device_id(client) is None


def test_sign_in_with_a_recovery_code_works_once(client):
    device = TOTPDeviceFactory()
    recovery = recovery_codes_for(device.user, RECOVERY_CODES)

    sign_in_with_password(client, device.user)
    first = client.post(reverse("two_factor_verify"), {"code": "AAAA 2222"}, follow=True)
    client.post(reverse("logout"))
    sign_in_with_password(client, device.user)
    second = client.post(reverse("two_factor_verify"), {"code": "aaaa2222"})

    assertContains(first, "You used a recovery code: it will not work again. 1 is left;")
    assertContains(second, "This code is not right. Check it and try again.")
    assert verified_device_id(client) is None
    assert list(recovery.token_set.values_list("token", flat=True)) == ["bbbb3333"]


def test_sign_in_on_the_admin_form_is_held_at_the_code_step_too(client):
    device = TOTPDeviceFactory(user=UserFactory(is_staff=True))

    client.post(reverse("admin:login"), {"username": device.user.email, "password": PASSWORD})
    response = client.get(reverse("coalitions:mine"))

    assertRedirects(response, with_next("two_factor_verify", reverse("coalitions:mine")), fetch_redirect_response=False)


# The two-factor page of the account.


def test_two_factor_page_without_it_offers_to_set_it_up(client):
    client.force_login(UserFactory())

    response = client.get(reverse("two_factor"))

    assertContains(response, "Two-factor sign-in is off.")
    assertContains(response, "Set up two-factor sign-in</button>")
    assertNotContains(response, "You need two-factor sign-in")


def test_two_factor_page_asks_for_the_code_in_a_session_signed_in_before_it_was_set_up(client):
    user = UserFactory()
    client.force_login(user)
    TOTPDeviceFactory(user=user)

    response = client.get(reverse("two_factor"))

    assertRedirects(response, with_next("two_factor_verify", reverse("two_factor")), fetch_redirect_response=False)


def test_new_recovery_codes_replace_the_old_ones(client):
    device = TOTPDeviceFactory()
    recovery = recovery_codes_for(device.user, RECOVERY_CODES)
    sign_in_with_two_factor(client, device.user)

    response = client.post(reverse("two_factor_recovery_codes"))

    codes = sorted(recovery.token_set.values_list("token", flat=True))
    assert len(codes) == 10
    assert set(codes) & set(RECOVERY_CODES) == set()
    assert sorted(re.findall(r"<li>([a-z2-7]{8})</li>", response.content.decode())) == codes
    assertContains(response, "You have new recovery codes. The old ones no longer work.")


def test_turn_off_with_the_password_removes_app_and_recovery_codes(client):
    device = TOTPDeviceFactory()
    recovery_codes_for(device.user, RECOVERY_CODES)
    sign_in_with_two_factor(client, device.user)

    response = client.post(reverse("two_factor_turn_off"), {"password": PASSWORD})

    assertRedirects(response, reverse("two_factor"), fetch_redirect_response=False)
    assert (
        TOTPDevice.objects.filter(user=device.user).count(),
        StaticDevice.objects.filter(user=device.user).count(),
    ) == (
        0,
        0,
    )
    assertContains(client.get(reverse("two_factor")), "Two-factor sign-in is off.")


def test_turn_off_with_a_code_from_the_app(client):
    device = TOTPDeviceFactory()
    sign_in_with_two_factor(client, device.user)

    response = client.post(reverse("two_factor_turn_off"), {"code": code_of(device)})

    assertRedirects(response, reverse("two_factor"), fetch_redirect_response=False)
    assert TOTPDevice.objects.filter(user=device.user).exists() is False


def test_turn_off_with_a_wrong_password_keeps_it_on(client):
    device = TOTPDeviceFactory()
    sign_in_with_two_factor(client, device.user)

    wrong = client.post(reverse("two_factor_turn_off"), {"password": "not my password"})
    empty = client.post(reverse("two_factor_turn_off"), {})

    assertContains(wrong, "This password is not right.")
    assertContains(empty, "Give your password or a code to turn two-factor sign-in off.")
    assert TOTPDevice.objects.filter(user=device.user).count() == 1


def test_service_normalises_codes_as_people_type_them():
    assert services.normalise_code(" 123 456 ") == "123456"
    assert services.normalise_code("ABCD-2345") == "abcd2345"


# Site administrators and the admin.


def test_admin_with_debug_off_sends_staff_without_two_factor_to_set_it_up(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    index = client.get(reverse("admin:index"))
    login = client.get(index.url)
    setup = client.get(login.url)

    assertRedirects(index, f"{reverse('admin:login')}?next={reverse('admin:index')}", fetch_redirect_response=False)
    assertRedirects(login, with_next("two_factor", reverse("admin:index")), fetch_redirect_response=False)
    assertContains(setup, "You are a site administrator: the administration pages open only after two-factor sign-in.")


def test_admin_with_debug_off_asks_staff_with_two_factor_for_the_code(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    TOTPDeviceFactory(user=user)

    login = client.get(f"{reverse('admin:login')}?next={reverse('admin:index')}")

    assertRedirects(login, with_next("two_factor_verify", reverse("admin:index")), fetch_redirect_response=False)


def test_admin_with_debug_off_opens_after_two_factor_sign_in(client):
    sign_in_with_two_factor(client, UserFactory(is_staff=True, is_superuser=True))

    response = client.get(reverse("admin:index"))

    assertContains(response, "Calendar, coalitions and accounts")


def test_admin_with_debug_on_opens_without_two_factor(client, settings):
    # The rule reads settings.DEBUG at each request: `make run`'s demo has debug on.
    settings.DEBUG = True
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get(reverse("admin:index"))

    assertContains(response, "Calendar, coalitions and accounts")


def test_staff_cannot_turn_two_factor_off_with_debug_off(client):
    device = TOTPDeviceFactory(user=UserFactory(is_staff=True))
    sign_in_with_two_factor(client, device.user)

    page = client.get(reverse("two_factor_turn_off"))
    refused = client.post(reverse("two_factor_turn_off"), {"password": PASSWORD})

    reason = escape("You are a site administrator: the administration pages open only after two-factor sign-in.")
    assertContains(page, reason)
    assertContains(refused, reason)
    assert TOTPDevice.objects.filter(user=device.user).count() == 1


def test_admin_hides_the_secrets_of_devices(client):
    device = TOTPDeviceFactory()
    sign_in_with_two_factor(client, UserFactory(is_staff=True, is_superuser=True))

    response = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))

    assertContains(response, escape(str(device.user)))
    assertNotContains(response, device.key)
