"""The coalition's sent mail: every message the portal sent or failed to send for it, in plain words."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains

from coalitions.views.mail import PAGE_SIZE
from notifications.models import OutboxMessage
from tests.factories import UserFactory
from tests.factories.notifications import OutboxMessageFactory

pytestmark = pytest.mark.django_db

Status = OutboxMessage.Status


def sent_mail(client, world, page: int | None = None):
    client.force_login(world.people["coordinator"])
    url = reverse("coalitions:mail", args=[world.coalition.pk])
    return client.get(url, {"page": page} if page else {})


def test_sent_mail_lists_each_message_newest_first_with_its_status_in_words(world, client):
    OutboxMessage.objects.all().delete()
    now = timezone.now()
    sent = OutboxMessageFactory(
        coalition_id=world.coalition.pk,
        recipient=UserFactory(full_name="Amina Sent", email="amina@example.org"),
        status=Status.SENT,
        subject="Action needed: You are invited to join the coalition",
        attempts=2,
        sent_at=now,
    )
    failed = OutboxMessageFactory(
        coalition_id=world.coalition.pk,
        status=Status.FAILED,
        attempts=1,
        subject="Deadline in 3 days",
        last_error="The mail server refused the address. Check it for typing mistakes (server: 550 No such user).",
    )
    retrying = OutboxMessageFactory(
        coalition_id=world.coalition.pk,
        kind="coalitions.invitation",
        attempts=1,
        next_attempt_at=now + datetime.timedelta(minutes=1),
        last_error="The mail server could not be reached (timed out).",
    )
    for age, message in enumerate([retrying, failed, sent]):
        OutboxMessage.objects.filter(pk=message.pk).update(created_at=now - datetime.timedelta(minutes=age))
    OutboxMessageFactory(coalition_id=world.other.pk, to_email="elsewhere@example.org")

    response = sent_mail(client, world)

    assert list(response.context["page"].object_list) == [retrying, failed, sent]
    rows = response.content.decode().split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert "<td>Invitation</td>" in rows[0]
    assert "Waiting to try again" in rows[0]
    assert "The mail server could not be reached (timed out)." in rows[0]
    assert "Could not be delivered" in rows[1]
    assert escape(failed.last_error) in rows[1]
    assert "<td>Deadline in 3 days</td>" in rows[1]
    assert 'amina@example.org<br><span class="small">Amina Sent</span>' in rows[2]
    assert "<td>2</td>" in rows[2]
    assertNotContains(response, "elsewhere@example.org")


def test_sent_mail_pages_by_fifty(world, client):
    OutboxMessage.objects.all().delete()
    OutboxMessageFactory.create_batch(PAGE_SIZE + 1, coalition_id=world.coalition.pk)

    first = sent_mail(client, world)
    second = sent_mail(client, world, page=2)

    assert (len(first.context["page"].object_list), len(second.context["page"].object_list)) == (PAGE_SIZE, 1)
    assertContains(first, "Page 1 of 2")
    assertContains(second, "Page 2 of 2")


def test_sent_mail_is_in_the_coordinators_navigation_only(world, client):
    url = reverse("coalitions:mail", args=[world.coalition.pk])
    home = reverse("coalitions:home", args=[world.coalition.pk])

    client.force_login(world.people["coordinator"])
    assertContains(client.get(home), f'href="{url}">Sent mail</a>')
    client.force_login(world.people["cluster lead"])
    assertNotContains(client.get(home), url)
