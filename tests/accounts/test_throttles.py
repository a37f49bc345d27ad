"""The client's address, the name tried at sign-in, the cache counters, and the settings behind them."""

import uuid

import pytest
from django.test import RequestFactory

from accounts.throttles import RateLimit, client_ip, sign_in_name, try_again_in
from tests.upr_portal.settings_reader import settings_with


@pytest.mark.parametrize(
    ("remote", "forwarded", "behind_proxy", "expected"),
    [
        ("203.0.113.7", "", False, "203.0.113.7"),
        # Without the proxy setting a client could name any address it likes: the header is ignored.
        ("203.0.113.7", "198.51.100.1", False, "203.0.113.7"),
        # Behind the proxy, the entry it appended; what the client put before it is not believed.
        ("172.18.0.2", "10.0.0.1, 198.51.100.1", True, "198.51.100.1"),
        ("172.18.0.2", "", True, "172.18.0.2"),
        ("2001:db8:1:2:3:4:5:6", "", False, "2001:db8:1:2::"),
        ("::ffff:192.0.2.1", "", False, "192.0.2.1"),
        ("not an address", "", False, None),
    ],
    ids=["remote", "header-ignored", "proxy-last-entry", "proxy-no-header", "ipv6-network", "ipv4-mapped", "bad"],
)
def test_client_ip_reads_the_address_the_limits_count(settings, remote, forwarded, behind_proxy, expected):
    settings.CLIENT_IP_FROM_X_FORWARDED_FOR = behind_proxy
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected


def test_sign_in_name_is_trimmed_lower_case_and_none_when_missing():
    request = RequestFactory().post("/", {"username": "  Amina@Example.ORG "})

    assert sign_in_name(request) == "amina@example.org"
    assert sign_in_name(request, {"username": "NADIA@example.org", "password": "x"}) == "nadia@example.org"
    assert sign_in_name(RequestFactory().post("/", {"password": "x"})) is None


def test_rate_limit_refuses_a_key_at_its_limit_and_no_other(settings):
    # On the shared cache itself (Redis in CI), under names no other test uses.
    settings.RATE_LIMIT_CACHE = "default"
    limit = RateLimit(name=f"test-{uuid.uuid4()}", limit=3, window=600)

    waits = []
    for _ in range(3):
        waits.append(limit.wait("198.51.100.1"))
        limit.hit("198.51.100.1")
    refused = limit.wait("198.51.100.1")
    other = limit.wait("198.51.100.2")
    limit.clear("198.51.100.1")

    assert waits == [0, 0, 0]
    assert 590 < refused <= 600, "the seconds left in the window that began with the first hit"
    assert (other, limit.wait("198.51.100.1")) == (0, 0)


def test_try_again_in_rounds_up_to_whole_minutes():
    assert [try_again_in(seconds) for seconds in (1, 60, 61, 900)] == [
        "Try again in 1 minute.",
        "Try again in 1 minute.",
        "Try again in 2 minutes.",
        "Try again in 15 minutes.",
    ]


def test_settings_sign_in_and_mail_limits_default_and_read_the_environment():
    names = [
        "AXES_FAILURE_LIMIT",
        "AXES_COOLOFF_TIME",
        "PASSWORD_RESET_REQUESTS_PER_IP_PER_HOUR",
        "MAIL_LIMIT_PER_SENDER_PER_HOUR",
        "MAIL_LIMIT_PER_COALITION_PER_DAY",
        "MAIL_LIMIT_PER_RECIPIENT_PER_DAY",
        "CLIENT_IP_FROM_X_FORWARDED_FOR",
    ]
    defaults = settings_with(DJANGO_DEBUG="1")
    custom = settings_with(
        DJANGO_DEBUG="1",
        AXES_FAILURE_LIMIT="5",
        AXES_COOLOFF_MINUTES="30",
        PASSWORD_RESET_REQUESTS_PER_IP_PER_HOUR="7",
        MAIL_LIMIT_PER_SENDER_PER_HOUR="8",
        MAIL_LIMIT_PER_COALITION_PER_DAY="9",
        MAIL_LIMIT_PER_RECIPIENT_PER_DAY="2",
        DJANGO_BEHIND_TLS_PROXY="1",
    )

    assert [str(defaults[name]) for name in names] == ["10", "0:15:00", "20", "40", "300", "5", "False"]
    assert [str(custom[name]) for name in names] == ["5", "0:30:00", "7", "8", "9", "2", "True"]
    # A locked-out attempt is refused by axes' backend before Django's own checks any password.
    assert defaults["AUTHENTICATION_BACKENDS"] == [
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
