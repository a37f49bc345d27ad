"""The invitation email through the outbox, and how a failed email reaches the coordinators."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.urls import reverse

from coalitions import services
from coalitions.emails import coordinators_tell_mail_failure, invitation_failed
from coalitions.models import Invitation, Role
from notifications.models import Notification, OutboxMessage
from notifications.services import outbox_send_pending
from tests.coalitions.conftest import World
from tests.factories import MembershipFactory, UserFactory
from tests.factories.notifications import OutboxMessageFactory

pytestmark = pytest.mark.django_db

Status = OutboxMessage.Status


def invite(world: World, *, email: str = "nadia@example.org", actor=None) -> Invitation:
    return services.invitation_create(
        coalition=world.coalition,
        actor=actor or world.people["coordinator"],
        email=email,
        organisation=world.org_a,
        role=Role.DRAFTER,
    )


def message_to(email: str) -> OutboxMessage:
    return OutboxMessage.objects.get(to_email=email)


def test_invitation_email_gives_the_link_in_text_and_html(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(world)

    [email] = mail.outbox
    link = re.search(re.escape(settings.SITE_URL) + r"/invitations/[^/\s]+/", email.body).group(0)
    [(html, mimetype)] = email.alternatives
    assert mimetype == "text/html"
    assert '<html lang="en">' in html
    assert f'href="{link}"' in html
    assert email.subject == f"Action needed: You are invited to join {world.coalition.name}"
    message = message_to("nadia@example.org")
    assert (message.status, message.subject, message.coalition_id, message.context) == (
        Status.SENT,
        email.subject,
        world.coalition.pk,
        {"invitation": invitation.pk, "key": invitation.key},
    )
    invitation.refresh_from_db()
    assert (invitation.send_count, invitation.delivery_error) == (1, "")
    assert message.sent_at <= invitation.sent_at


def test_invitation_email_to_an_existing_account_is_in_their_language(world, django_capture_on_commit_callbacks):
    person = UserFactory(email="amelie@example.org", language="fr")

    with django_capture_on_commit_callbacks(execute=True):
        invite(world, email="amelie@example.org")

    message = message_to("amelie@example.org")
    assert (message.recipient, message.language) == (person, "fr")
    [(html, _mimetype)] = mail.outbox[0].alternatives
    assert '<html lang="fr">' in html


def test_invitation_email_to_a_new_address_is_in_the_inviters_language(world):
    inviter = world.people["coordinator"]
    inviter.language = "es"
    inviter.save()

    invite(world, email="nobody.yet@example.org", actor=inviter)

    message = message_to("nobody.yet@example.org")
    assert (message.recipient, message.language, message.status) == (None, "es", Status.QUEUED)


def test_withdrawn_invitations_queued_email_is_cancelled_not_sent(world):
    invitation = invite(world)
    services.invitation_revoke(invitation=invitation, actor=world.people["coordinator"])

    counts = outbox_send_pending(message_ids=[message_to("nadia@example.org").pk])

    assert counts == {"cancelled": 1}
    assert (message_to("nadia@example.org").status, mail.outbox) == (Status.CANCELLED, [])
    invitation.refresh_from_db()
    assert (invitation.sent_at, invitation.send_count) == (None, 0)


def test_resent_invitations_older_email_is_cancelled_and_the_new_one_sent(world):
    invitation = invite(world)
    services.invitation_resend(invitation=invitation, actor=world.people["coordinator"])
    older, newer = OutboxMessage.objects.filter(to_email="nadia@example.org").order_by("pk")

    counts = outbox_send_pending(message_ids=[older.pk, newer.pk])

    assert counts == {"cancelled": 1, "sent": 1}
    assert [m.to for m in mail.outbox] == [["nadia@example.org"]]
    invitation.refresh_from_db()
    assert newer.context == {"invitation": invitation.pk, "key": invitation.key}
    assert invitation.send_count == 1


def test_rolled_back_invitation_queues_and_sends_nothing(world, django_capture_on_commit_callbacks):
    before = OutboxMessage.objects.count()

    def invite_then_fail():
        with transaction.atomic():
            invite(world)
            raise RuntimeError("the rest of the request failed and is undone")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError, match="undone"):
        invite_then_fail()

    assert OutboxMessage.objects.count() == before
    assert (Invitation.objects.filter(email="nadia@example.org").exists(), mail.outbox) == (False, [])


# Telling the coordinators.


def test_mail_failure_is_told_to_every_active_coordinator_and_no_one_else(world):
    second = MembershipFactory(
        coalition=world.coalition, organisation=world.secretariat, role=Role.COORDINATOR, user__language="fr"
    ).user
    MembershipFactory(coalition=world.coalition, organisation=world.secretariat, role=Role.COORDINATOR, is_active=False)
    MembershipFactory(
        coalition=world.coalition, organisation=world.secretariat, role=Role.COORDINATOR, user__is_active=False
    )
    message = OutboxMessageFactory(
        coalition_id=world.coalition.pk, status=Status.FAILED, subject="Reminder", last_error="The address is wrong."
    )

    told = coordinators_tell_mail_failure(message)

    mail_url = reverse("coalitions:mail", args=[world.coalition.pk])
    english = (f"An email to {message.to_email} could not be delivered", "Reminder: The address is wrong.")
    # Each in their own language: the second coordinator reads French.
    french = (
        f"Un courriel adressé à {message.to_email} n'a pas pu être distribué",
        "Reminder\u00a0: The address is wrong.",
    )
    assert sorted((n.user_id, n.title, n.body, n.url) for n in told) == sorted(
        [(world.people["coordinator"].pk, *english, mail_url), (second.pk, *french, mail_url)]
    )
    assert Notification.objects.count() == 2


def test_mail_failure_of_no_coalition_is_told_to_no_one(world):
    message = OutboxMessageFactory(status=Status.FAILED, last_error="The address is wrong.")

    assert coordinators_tell_mail_failure(message) == []
    assert Notification.objects.count() == 0


def test_failure_of_a_replaced_invitation_link_is_neither_shown_nor_told(world):
    invitation = invite(world)
    older = message_to("nadia@example.org")
    services.invitation_resend(invitation=invitation, actor=world.people["coordinator"])
    older.status, older.last_error = Status.FAILED, "The address is wrong."

    invitation_failed(older)

    invitation.refresh_from_db()
    assert (invitation.delivery_error, Notification.objects.count()) == ("", 0)


def test_invitation_subject_and_text_are_plain_text_not_html_escaped(world, django_capture_on_commit_callbacks):
    world.coalition.name = "Women's Rights & Justice Coalition"
    world.coalition.save()
    inviter = UserFactory(full_name="Siobhán O'Brien")
    MembershipFactory(coalition=world.coalition, user=inviter, organisation=world.secretariat, role=Role.COORDINATOR)

    with django_capture_on_commit_callbacks(execute=True):
        invite(world, email="plain.text@example.org", actor=inviter)

    [email] = mail.outbox
    [(html, _mimetype)] = email.alternatives
    assert email.subject == "Action needed: You are invited to join Women's Rights & Justice Coalition"
    assert message_to("plain.text@example.org").subject == email.subject
    assert "Siobhán O'Brien invites you to join Women's Rights & Justice Coalition on the UPR" in email.body
    # The HTML part stays escaped, as HTML must be.
    assert "Women&#x27;s Rights &amp; Justice Coalition" in html
