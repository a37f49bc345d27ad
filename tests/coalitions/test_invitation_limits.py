"""Limits on invitations: how many emails they send (per sender, coalition and recipient address, with a
refusal that says when to try again), and how often their links may be misused (per address and link)."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from accounts.models import User
from coalitions import services
from coalitions.models import Invitation, Organisation, Role
from coalitions.services.errors import CoalitionError
from coalitions.services.invitations import invitation_token
from notifications.models import OutboxMessage
from upr_portal.timezones import GENEVA

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long and unusual passphrase"


def until_in_words(until: datetime.datetime) -> str:
    """The refusal's words for a moment more than an hour away, written out here independently."""
    local = until.astimezone(GENEVA)
    words = f"after {local:%H:%M} Geneva time"
    if local.date() != timezone.now().astimezone(GENEVA).date():
        words += f" on {local.day} {local:%B}"
    return words


def invite_by_form(client: Client, world, email: str):
    return client.post(
        reverse("coalitions:invitation_create", args=[world.coalition.pk]),
        {
            "email": email,
            "full_name": "",
            "role": Role.DRAFTER,
            "organisation": world.org_a.pk,
            "org_kind": Organisation.Kind.NGO,
            "message": "",
        },
    )


def invite(world, email: str, *, actor=None, coalition=None, organisation=None):
    return services.invitation_create(
        coalition=coalition or world.coalition,
        actor=actor or world.people["coordinator"],
        email=email,
        organisation=organisation or world.org_a,
        role=Role.DRAFTER,
    )


def test_invitation_beyond_the_senders_hourly_limit_is_refused_saying_when_and_keeping_the_form(
    world, client, settings
):
    coordinator = world.people["coordinator"]
    already = OutboxMessage.objects.filter(sender=coordinator).count()
    settings.MAIL_LIMIT_PER_SENDER_PER_HOUR = already + 1
    client.force_login(coordinator)

    accepted = invite_by_form(client, world, "first.person@example.org")
    refused = invite_by_form(client, world, "second.person@example.org")

    assert accepted.status_code == 302
    assert refused.status_code == 200, "the form comes back with its answer"
    assert refused.context["form"].non_field_errors() == [
        f"You have sent {already + 1} invitations in the last hour, the most one person may send. "
        "You can send more invitations in 60 minutes."
    ]
    assertContains(refused, 'value="second.person@example.org"')
    assert Invitation.objects.filter(email="second.person@example.org").exists() is False
    assert OutboxMessage.objects.filter(to_email="second.person@example.org").count() == 0


def test_invitations_beyond_the_coalitions_daily_limit_are_refused(world, settings):
    already = OutboxMessage.objects.filter(coalition_id=world.coalition.pk).count()
    settings.MAIL_LIMIT_PER_COALITION_PER_DAY = already + 1
    invite(world, "first.person@example.org")
    oldest_counted = OutboxMessage.objects.filter(coalition_id=world.coalition.pk).earliest("created_at")

    with pytest.raises(CoalitionError) as refusal:
        invite(world, "second.person@example.org")

    until = oldest_counted.created_at + datetime.timedelta(days=1)
    assert refusal.value.message == (
        f"{already + 1} invitations went out for this coalition in the last 24 hours, the most the portal sends "
        f"for one coalition. You can send more invitations {until_in_words(until)}."
    )
    # Another coalition's coordinator is not held back by this one's count.
    invite(
        world,
        "third.person@example.org",
        actor=world.people["outsider"],
        coalition=world.other,
        organisation=world.other_member.organisation,
    )


def test_invitation_resend_beyond_the_recipient_limit_is_refused_and_the_link_keeps_working(
    world, client, settings, django_capture_on_commit_callbacks
):
    settings.MAIL_LIMIT_PER_RECIPIENT_PER_DAY = 2
    client.force_login(world.people["coordinator"])
    resend = reverse("coalitions:invitation_resend", args=[world.coalition.pk, world.invitation.pk])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(resend)
    key = Invitation.objects.get(pk=world.invitation.pk).key
    refused = client.post(resend, follow=True)

    first = OutboxMessage.objects.filter(to_email="invitee@example.org").earliest("created_at")
    until = first.created_at + datetime.timedelta(days=1)
    assertContains(
        refused,
        "invitee@example.org has received as many invitations as the portal sends to one address in 24 hours. "
        f"You can invite this address again {until_in_words(until)}.",
    )
    assert Invitation.objects.get(pk=world.invitation.pk).key == key, "the link sent last still works"
    assert OutboxMessage.objects.filter(to_email="invitee@example.org").count() == 2
    assert len(mail.outbox) == 1


def test_invitation_to_an_address_counts_what_other_coalitions_sent_it(world, settings):
    settings.MAIL_LIMIT_PER_RECIPIENT_PER_DAY = 1

    with pytest.raises(CoalitionError) as refusal:
        invite(world, "other.invitee@example.org")

    assert refusal.value.message.startswith(
        "other.invitee@example.org has received as many invitations as the portal sends to one address in 24 hours."
    )
    assert Invitation.objects.filter(coalition=world.coalition, email="other.invitee@example.org").exists() is False


# Misused links.


def accept_link(world) -> str:
    return reverse("coalitions:invitation_accept", args=[invitation_token(world.invitation)])


def test_invitation_link_failures_from_one_address_refuse_even_a_good_link_there(world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    guesser = Client(REMOTE_ADDR="203.0.113.7")

    bad = [guesser.get(reverse("coalitions:invitation_accept", args=[f"guess{n}"])).status_code for n in range(3)]
    refused = guesser.get(accept_link(world))
    elsewhere = Client(REMOTE_ADDR="198.51.100.1").get(accept_link(world))

    assert bad == [400, 400, 400]
    assertContains(
        refused,
        "There were too many unsuccessful attempts to use an invitation link. Try again in 15 minutes.",
        status_code=429,
    )
    assert refused["Retry-After"] == str(15 * 60)
    assertContains(elsewhere, 'value="Create my account and join"')


def test_invitation_link_failures_on_one_link_refuse_it_from_every_address(world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    link = accept_link(world)
    mismatched = {"full_name": "Nadia", "password1": NEW_PASSWORD, "password2": "something else entirely"}

    failures = [Client(REMOTE_ADDR=f"198.51.100.{n}").post(link, mismatched).status_code for n in range(1, 4)]
    refused = Client(REMOTE_ADDR="192.0.2.9").post(
        link, {"full_name": "Nadia", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert failures == [200, 200, 200]
    assert refused.status_code == 429
    assert User.objects.filter(email="invitee@example.org").exists() is False


def test_invitation_link_opened_again_and_again_is_not_a_failure(world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    visitor = Client(REMOTE_ADDR="203.0.113.7")

    statuses = [visitor.get(accept_link(world)).status_code for _ in range(5)]
    joined = visitor.post(
        accept_link(world), {"full_name": "Nadia", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert statuses == [200] * 5
    assert joined.url == reverse("coalitions:home", args=[world.coalition.pk])
