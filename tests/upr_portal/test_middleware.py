"""The Permissions-Policy header on every response, and the portal's own error pages with debug on."""

import logging
import re

import pytest
from django.test import Client

from tests.factories import UserFactory
from upr_portal.middleware import permissions_policy

pytestmark = pytest.mark.django_db

EXPECTED_POLICY = (
    "accelerometer=(), autoplay=(), browsing-topics=(), camera=(), display-capture=(), "
    "encrypted-media=(), geolocation=(), gyroscope=(), hid=(), idle-detection=(), magnetometer=(), "
    "microphone=(), midi=(), payment=(), screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=()"
)


def headings(response) -> list[str]:
    return [
        " ".join(re.sub(r"<[^>]+>", " ", h).split()) for h in re.findall(r"<h1[^>]*>(.*?)</h1>", response.text, re.S)
    ]


def test_permissions_policy_joins_features_and_allowed_origins():
    assert permissions_policy({"camera": [], "fullscreen": ["self"], "usb": ["self", '"https://a.example"']}) == (
        'camera=(), fullscreen=(self), usb=(self "https://a.example")'
    )


@pytest.mark.parametrize(
    "path",
    ["/", "/healthz", "/accounts/login/", "/no-such-page/", "/static/favicon.svg"],
    ids=["home", "healthz", "sign-in", "not-found", "static-file"],
)
def test_every_response_carries_the_permissions_policy(client, path):
    response = client.get(path)

    assert response["Permissions-Policy"] == EXPECTED_POLICY


def test_a_signed_in_page_carries_the_permissions_policy(client):
    client.force_login(UserFactory())

    response = client.get("/coalitions/")

    assert (response.status_code, response["Permissions-Policy"]) == (200, EXPECTED_POLICY)


# --- Error pages ---------------------------------------------------------------------------------


def test_unknown_address_with_debug_on_shows_the_portals_404_page(client, settings):
    settings.DEBUG = True

    response = client.get("/no-such-page/")

    assert (response.status_code, headings(response)) == (404, ["Page not found"])
    # Django's technical page lists every URL pattern of the site.
    assert "URLconf" not in response.text
    # Rendered inside the security middleware, so it has their headers like any page.
    assert response["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in response.headers


def test_object_not_found_with_debug_on_shows_the_portals_404_page(client, settings):
    settings.DEBUG = True
    client.force_login(UserFactory())

    response = client.get("/coalitions/999999/")

    assert (response.status_code, headings(response)) == (404, ["Page not found"])
    assert "Http404" not in response.text


def test_not_found_with_debug_off_is_the_same_page(client):
    response = client.get("/no-such-page/")

    assert (response.status_code, headings(response)) == (404, ["Page not found"])


def test_unknown_address_with_debug_pages_shows_djangos_technical_page(client, settings):
    settings.DEBUG = True
    settings.DEBUG_PAGES = True

    response = client.get("/no-such-page/")

    assert (response.status_code, headings(response)) == (404, ["Page not found (404)"])
    assert "URLconf" in response.text


def test_missing_trailing_slash_still_redirects_with_debug_on(client, settings):
    settings.DEBUG = True

    response = client.get("/accounts/login")

    assert (response.status_code, response["Location"]) == (301, "/accounts/login/")


@pytest.fixture
def failing_client(settings):
    """A client that gets the error page instead of the view's exception, with the test URLs."""
    settings.ROOT_URLCONF = "tests.upr_portal.error_urls"
    return Client(raise_request_exception=False)


def test_server_error_with_debug_on_shows_the_portals_500_page_and_logs_the_traceback(failing_client, settings, caplog):
    settings.DEBUG = True

    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = failing_client.get("/test-errors/broken/")

    assert (response.status_code, headings(response)) == (500, ["Something went wrong on our side"])
    assert "Traceback" not in response.text
    assert "A bug in a view" not in response.text
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert (record.getMessage(), record.exc_info[0]) == (
        "Internal Server Error: /test-errors/broken/",
        RuntimeError,
    )


def test_server_error_for_a_client_without_html_with_debug_on_is_plain_words(failing_client, settings):
    settings.DEBUG = True

    response = failing_client.get("/test-errors/broken/", headers={"Accept": "application/json"})

    assert (response.status_code, response["Content-Type"], response.text) == (
        500,
        "text/plain; charset=utf-8",
        "Something went wrong on our side. Please try again in a minute.",
    )


def test_server_error_with_debug_off_is_the_same_page(failing_client):
    response = failing_client.get("/test-errors/broken/")

    assert (response.status_code, headings(response)) == (500, ["Something went wrong on our side"])


def test_server_error_with_debug_pages_shows_djangos_traceback(failing_client, settings):
    settings.DEBUG = True
    settings.DEBUG_PAGES = True

    response = failing_client.get("/test-errors/broken/")

    assert (response.status_code, headings(response)) == (500, ["RuntimeError at /test-errors/broken/"])
    assert "A bug in a view" in response.text


def test_bad_request_with_debug_on_answers_as_with_debug_off(failing_client, settings):
    settings.DEBUG = True
    on = failing_client.get("/test-errors/suspicious/")
    settings.DEBUG = False
    off = failing_client.get("/test-errors/suspicious/")

    assert (on.status_code, on.text) == (off.status_code, off.text)
    assert (on.status_code, headings(on)) == (400, ["Bad Request (400)"])
