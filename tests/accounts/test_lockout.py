"""Sign-in lockout (django-axes): per account and per address, on the portal's and the admin's sign-in,
refused before the password hasher, recorded, and lifted by the wait or by a password reset."""

import datetime
import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib import admin
from django.core import mail
from django.db.models import F
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from tests.accounts.hashers import CountingPasswordHasher
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.7"
NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = ["tests.accounts.hashers.CountingPasswordHasher"]
    CountingPasswordHasher.hashed = 0
    return CountingPasswordHasher


def sign_in(client: Client, email: str, password: str, *, address: str = ADDRESS, admin: bool = False):
    url = reverse("admin:login") if admin else reverse("login")
    return client.post(url, {"username": email, "password": password}, REMOTE_ADDR=address)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_sign_in_31st_wrong_password_is_refused_without_touching_the_hasher(client, counting_hasher, settings):
    UserFactory(email="amina@example.org")
    counting_hasher.hashed = 0
    limit = settings.AXES_FAILURE_LIMIT
    assert limit < 31, "the default limit stops a guesser well before 31 tries"

    statuses = [sign_in(client, "amina@example.org", f"guess number {n}").status_code for n in range(1, 31)]
    hashed_after_30 = counting_hasher.hashed
    thirty_first = sign_in(client, "amina@example.org", "guess number 31")
    right_password = sign_in(client, "amina@example.org", PASSWORD)

    # Wrong passwords are checked up to the limit; the one that reaches it already gets the lockout page.
    assert statuses == [200] * (limit - 1) + [429] * (30 - limit + 1)
    assert (hashed_after_30, counting_hasher.hashed) == (limit, limit)
    assert (thirty_first.status_code, right_password.status_code) == (429, 429)
    assert signed_in(client) is False


def test_sign_in_failures_from_one_address_lock_it_for_every_account(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    people = [UserFactory() for _ in range(4)]

    failures = [sign_in(client, person.email, "wrong").status_code for person in people[:3]]
    refused = sign_in(client, people[3].email, PASSWORD)
    elsewhere = Client()
    accepted = sign_in(elsewhere, people[3].email, PASSWORD, address="198.51.100.20")

    assert failures == [200, 200, 429]
    assert (refused.status_code, signed_in(client)) == (429, False)
    assert (accepted.status_code, accepted.url, signed_in(elsewhere)) == (302, reverse("home"), True)


def test_sign_in_failures_on_one_account_lock_it_from_every_address_whatever_the_case(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(email="amina@example.org")
    bystander = UserFactory()
    tries = [
        ("198.51.100.1", "amina@example.org"),
        ("198.51.100.2", "AMINA@example.org"),
        ("2001:db8::1", " Amina@Example.ORG "),
    ]

    failures = [sign_in(Client(), typed, "wrong", address=address).status_code for address, typed in tries]
    refused = sign_in(client, "amina@example.org", PASSWORD, address="192.0.2.50")
    other_account = sign_in(Client(), bystander.email, PASSWORD, address="192.0.2.50")

    assert failures == [200, 200, 429]
    assert (refused.status_code, signed_in(client)) == (429, False)
    assert other_account.status_code == 302


def test_sign_in_on_the_admin_is_locked_out_like_the_portals(client, counting_hasher, settings):
    settings.AXES_FAILURE_LIMIT = 2
    UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    counting_hasher.hashed = 0

    portal = sign_in(client, "root@example.org", "wrong")
    admin = sign_in(client, "root@example.org", "wrong again", admin=True)
    refused = sign_in(client, "root@example.org", PASSWORD, admin=True)

    assert (portal.status_code, admin.status_code) == (200, 429)
    assertContains(refused, "Signing in is paused", status_code=429)
    assert (counting_hasher.hashed, signed_in(client)) == (2, False)


def test_lockout_page_says_why_and_until_when_in_geneva_time(client, settings):
    settings.AXES_FAILURE_LIMIT = 1
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=20)
    UserFactory(email="amina@example.org")

    before = timezone.now()
    response = sign_in(client, "amina@example.org", "wrong")
    after = timezone.now()

    alert = re.search(r'<div class="alert alert-warning" role="alert">(.*?)</div>', response.content.decode(), re.S)
    text = " ".join(alert.group(1).split())
    until = re.search(r"until (\d\d:\d\d) Geneva time", text).group(1)
    assert text == (
        "There were too many unsuccessful attempts to sign in, to this account or from your network. To protect "
        f"the account, signing in is paused for 20 minutes, until {until} Geneva time."
    )
    geneva = [
        timezone.localtime(moment + datetime.timedelta(minutes=20)).strftime("%H:%M") for moment in (before, after)
    ]
    assert until in geneva, "the wait runs from this attempt, in Geneva time"
    assert (response.status_code, response["Retry-After"]) == (429, "1200")
    assertContains(response, f'href="{reverse("password_reset")}"', status_code=429)


def admin_list(model, user):
    request = RequestFactory().get("/")
    request.user = user
    response = admin.site.get_model_admin(model).changelist_view(request)
    return response.render()


def test_lockout_is_recorded_without_the_passwords_and_listed_in_the_admin(settings):
    settings.AXES_FAILURE_LIMIT = 2
    UserFactory(email="amina@example.org")
    admin_user = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)

    for _ in range(3):
        sign_in(Client(), "Amina@example.org", "my wrong secret")

    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == ("amina@example.org", ADDRESS, 3)
    assert "my wrong secret" not in attempt.post_data
    failures = AccessFailureLog.objects.order_by("pk").values_list("username", "ip_address", "locked_out")
    assert list(failures) == [("amina@example.org", ADDRESS, locked) for locked in (False, True, True)]
    # The admin's own lists, asked directly: the admin site's sign-in and two-factor step are not the point.
    attempts_page = admin_list(AccessAttempt, admin_user)
    failures_page = admin_list(AccessFailureLog, admin_user)
    assertContains(attempts_page, '<td class="field-username">amina@example.org</td>', count=1)
    assertContains(failures_page, '<td class="field-username">amina@example.org</td>', count=3)


def test_lockout_ends_once_the_wait_is_over(client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    UserFactory(email="amina@example.org")
    for _ in range(2):
        sign_in(Client(), "amina@example.org", "wrong")

    # The wait is measured from the last failure: move the failures back past it.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME)
    response = sign_in(client, "amina@example.org", PASSWORD)

    assert (response.status_code, signed_in(client)) == (302, True)


def test_lockout_is_lifted_by_a_password_reset(client, settings, django_capture_on_commit_callbacks):
    settings.AXES_FAILURE_LIMIT = 2
    UserFactory(email="amina@example.org")
    for _ in range(2):
        sign_in(Client(), "amina@example.org", "wrong")
    assert sign_in(Client(), "amina@example.org", PASSWORD).status_code == 429

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "amina@example.org"}, REMOTE_ADDR=ADDRESS)
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    response = sign_in(client, "amina@example.org", NEW_PASSWORD)

    assert (response.status_code, signed_in(client)) == (302, True)
    # The three failures stay listed in the admin; the count that locked the account is gone.
    assert (AccessAttempt.objects.count(), AccessFailureLog.objects.count()) == (0, 3)
