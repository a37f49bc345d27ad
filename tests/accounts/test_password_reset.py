"""Password-reset requests: the same work whether the address has an account or not, the mail only
through the outbox, and the limits per client address (visible) and per address asked about (silent)."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from notifications.models import OutboxMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STATEMENT = re.compile(r'^\s*(SELECT|INSERT|UPDATE|DELETE)\b.*?\b(?:FROM|INTO|UPDATE)\s+"(\w+)"', re.S | re.I)


def statements(queries) -> list[tuple[str, str]]:
    """Each query as (verb, first table): the shape of the work, without the values."""
    shapes = []
    for query in queries:
        match = STATEMENT.match(query["sql"])
        shapes.append((match.group(1).upper(), match.group(2)) if match else (query["sql"].split()[0].upper(), ""))
    return shapes


def ask_reset(client: Client, email: str, *, address: str = "203.0.113.7"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_password_reset_does_the_same_database_work_whether_the_address_has_an_account_or_not(client):
    UserFactory(email="amina@example.org")

    with CaptureQueriesContext(connection) as known:
        known_response = ask_reset(client, "amina@example.org")
    with CaptureQueriesContext(connection) as unknown:
        unknown_response = ask_reset(client, "nobody@example.org")

    assert statements(known.captured_queries) == statements(unknown.captured_queries)
    assert statements(known.captured_queries) == [
        ("SELECT", "accounts_user"),
        ("SELECT", "notifications_outboxmessage"),
        ("INSERT", "notifications_outboxmessage"),
    ]
    assert (known_response.status_code, known_response.url) == (302, reverse("password_reset_done"))
    assert (unknown_response.status_code, unknown_response.url) == (302, reverse("password_reset_done"))


def test_password_reset_queues_in_the_persons_language_or_else_the_pages(client):
    person = UserFactory(email="amina@example.org", language="fr")

    ask_reset(client, "amina@example.org")
    ask_reset(client, "nobody@example.org", address="198.51.100.3")

    queued = OutboxMessage.objects.order_by("pk").values_list("to_email", "recipient", "language", "context")
    assert list(queued) == [
        ("amina@example.org", person.pk, "fr", {"user": person.pk}),
        ("nobody@example.org", None, "en", {}),
    ]


def test_password_reset_for_an_account_without_a_usable_password_is_as_for_an_unknown_address(client):
    person = UserFactory(email="amina@example.org")
    person.set_unusable_password()
    person.save()

    response = ask_reset(client, "amina@example.org")

    queued = OutboxMessage.objects.values_list("to_email", "recipient", "context")
    assert list(queued) == [("amina@example.org", None, {})]
    assert response.url == reverse("password_reset_done")


def test_password_reset_beyond_the_limit_per_address_is_dropped_silently(client, settings):
    settings.MAIL_LIMIT_PER_RECIPIENT_PER_DAY = 2
    UserFactory(email="amina@example.org")

    answers = []
    for n, email in enumerate(["amina@example.org", "nobody@example.org"] * 3):
        response = ask_reset(Client(), email, address=f"198.51.100.{n + 1}")
        answers.append((response.status_code, response.url))

    assert answers == [(302, reverse("password_reset_done"))] * 6
    queued = OutboxMessage.objects.order_by("pk").values_list("to_email", flat=True)
    assert list(queued) == ["amina@example.org", "nobody@example.org"] * 2


def test_password_reset_requests_are_limited_per_client_address(client, settings):
    settings.PASSWORD_RESET_REQUESTS_PER_IP_PER_HOUR = 3
    UserFactory(email="amina@example.org")

    accepted = [ask_reset(client, f"person{n}@example.org").status_code for n in range(3)]
    refused = ask_reset(client, "amina@example.org")
    elsewhere = ask_reset(Client(), "amina@example.org", address="198.51.100.99")

    assert accepted == [302, 302, 302]
    assertContains(
        refused, "Too many password reset requests came from your network. Try again in 60 minutes.", status_code=429
    )
    assertContains(refused, 'value="amina@example.org"', status_code=429)
    # Seconds left in the hour that began with the first request, a moment ago.
    assert 3500 < int(refused["Retry-After"]) <= 3600
    assertRedirects(elsewhere, reverse("password_reset_done"), fetch_redirect_response=False)
    assert OutboxMessage.objects.filter(to_email="amina@example.org").count() == 1
