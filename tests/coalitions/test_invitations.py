"""Invitations end to end: the email, the link, the account, and every way a link can be misused."""

import re
import time

import pytest
from django.conf import settings
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.models import User
from coalitions import services
from coalitions.models import AuditEvent, CoalitionOrganisation, Invitation, Membership, Organisation, Role
from coalitions.services.errors import CoalitionError
from coalitions.services.invitations import SALT
from notifications.models import Notification, OutboxMessage
from notifications.services import MAX_ATTEMPTS, outbox_message_send
from tests.coalitions.conftest import World
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD
from tests.notifications.backends import RecipientRefusingEmailBackend, use_mailer

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long and unusual passphrase"
CLOSED_SMTP_PORT = 1  # nothing listens there: connecting fails at once with a real ConnectionRefusedError


def link_in(message) -> str:
    """The path of the invitation link in an email."""
    match = re.search(re.escape(settings.SITE_URL) + r"(/invitations/[^/\s]+/)", message.body)
    assert match is not None, message.body
    return match.group(1)


def invite(world: World, capture, *, email: str = "invitee.two@example.org", role: str = Role.DRAFTER):
    """Invites through the service, runs the mail task as a commit would, and returns the link's path."""
    with capture(execute=True):
        invitation = services.invitation_create(
            coalition=world.coalition,
            actor=world.people["coordinator"],
            email=email,
            organisation=world.org_a,
            role=role,
        )
    return invitation, link_in(mail.outbox[-1])


class SignerAt(signing.TimestampSigner):
    """Django's signer with the clock set to ``when``: a link as it was sent then."""

    def __init__(self, *, when: float, **kwargs):
        super().__init__(**kwargs)
        self.when = when

    def timestamp(self):
        return signing.b62_encode(int(self.when))


def link_signed_at(invitation: Invitation, when: float) -> str:
    token = SignerAt(when=when, salt=SALT).sign_object({"i": invitation.pk, "k": invitation.key}, compress=True)
    return reverse("coalitions:invitation_accept", args=[token])


def problem_of(response) -> str:
    assert response.status_code == 400
    return response.context["problem"]


def create_account(client: Client, link: str, full_name: str = "Nadia Newcomer"):
    return client.post(link, {"full_name": full_name, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})


def signed_in_user_id(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


# The way it is meant to go.


def test_invitation_of_a_new_person_with_a_new_organisation_ends_with_a_member(
    world, client, django_capture_on_commit_callbacks
):
    started = timezone.now()
    coordinator = world.people["coordinator"]
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("coalitions:invitation_create", args=[world.coalition.pk]),
            {
                "email": "Nadia@Example.ORG",
                "full_name": "Nadia Newcomer",
                "role": Role.REVIEWER,
                "org_name": "Gamma Women Lawyers",
                "org_acronym": "GWL",
                "org_kind": Organisation.Kind.NGO,
                "org_city": "Dakar",
                "org_country": world.org_a.country_id,
                "message": "Welcome aboard.",
            },
        )

    assertRedirects(
        response, reverse("coalitions:invitations", args=[world.coalition.pk]), fetch_redirect_response=False
    )
    gamma = Organisation.objects.get(name="Gamma Women Lawyers")
    member = CoalitionOrganisation.objects.get(coalition=world.coalition, organisation=gamma)
    assert member.status == CoalitionOrganisation.Status.INVITED
    invitation = Invitation.objects.get(coalition=world.coalition, email="nadia@example.org")
    assert invitation.send_count == 1
    [message] = mail.outbox
    assert message.to == ["nadia@example.org"]
    assert message.subject == f"Action needed: You are invited to join {world.coalition.name}"
    assert f"invites you to join {world.coalition.name} on the UPR Coalition Portal, for Gamma Women Lawyers" in (
        message.body
    )
    assert "Welcome aboard." in message.body
    link = link_in(message)

    newcomer = Client()
    page = newcomer.get(link)
    assertContains(page, f"Join {escape(world.coalition.name)}")
    assertContains(page, 'value="Create my account and join"')

    response = create_account(newcomer, link)

    assertRedirects(response, reverse("coalitions:home", args=[world.coalition.pk]), fetch_redirect_response=False)
    user = User.objects.get(email="nadia@example.org")
    assert signed_in_user_id(newcomer) == user.pk
    assert user.full_name == "Nadia Newcomer"
    assert user.check_password(NEW_PASSWORD)
    membership = Membership.objects.get(coalition=world.coalition, user=user)
    assert (membership.organisation, membership.role, membership.is_active) == (gamma, Role.REVIEWER, True)
    member.refresh_from_db()
    assert (member.status, member.joined_on) == (CoalitionOrganisation.Status.ACTIVE, timezone.localdate())
    invitation.refresh_from_db()
    assert (invitation.status, invitation.accepted_by) == (Invitation.Status.ACCEPTED, user)
    assert started <= invitation.accepted_at <= timezone.now()
    events = AuditEvent.objects.filter(coalition=world.coalition, subject="nadia@example.org").order_by("pk")
    assert [(e.action, e.actor, e.details) for e in events] == [
        (AuditEvent.Action.INVITED, coordinator, {"role": Role.REVIEWER, "organisation": "Gamma Women Lawyers (GWL)"}),
        (AuditEvent.Action.INVITATION_ACCEPTED, user, {"role": Role.REVIEWER}),
    ]
    assert all(started <= e.created_at <= timezone.now() for e in events)
    home = newcomer.get(reverse("coalitions:home", args=[world.coalition.pk]))
    assertContains(home, f"Welcome to {escape(world.coalition.name)}.")


def test_invitation_to_an_existing_account_asks_to_sign_in_then_accepts(
    world, client, django_capture_on_commit_callbacks
):
    person = UserFactory(email="existing@example.org")
    invitation, link = invite(world, django_capture_on_commit_callbacks, email="existing@example.org")

    response = client.get(link)

    login = reverse("login")
    assertRedirects(response, f"{login}?next={link}", fetch_redirect_response=False)
    signed_in = client.post(f"{login}?next={link}", {"username": "existing@example.org", "password": PASSWORD})
    assertRedirects(signed_in, link, fetch_redirect_response=False)
    page = client.get(link)
    assertContains(page, ">Accept and join</button>")

    accepted = client.post(link)

    assertRedirects(accepted, reverse("coalitions:home", args=[world.coalition.pk]), fetch_redirect_response=False)
    membership = Membership.objects.get(coalition=world.coalition, user=person)
    assert (membership.organisation, membership.role, membership.is_active) == (world.org_a, Role.DRAFTER, True)
    invitation.refresh_from_db()
    assert (invitation.status, invitation.accepted_by) == (Invitation.Status.ACCEPTED, person)
    assert User.objects.filter(email="existing@example.org").count() == 1


def test_invitation_to_a_former_member_makes_them_active_again(world, client, django_capture_on_commit_callbacks):
    former = world.target
    services.membership_remove(membership=former, actor=world.people["coordinator"])
    _invitation, link = invite(world, django_capture_on_commit_callbacks, email=former.user.email, role=Role.OBSERVER)
    client.force_login(former.user)

    response = client.post(link)

    assertRedirects(response, reverse("coalitions:home", args=[world.coalition.pk]), fetch_redirect_response=False)
    former.refresh_from_db()
    assert (former.organisation, former.role, former.is_active) == (world.org_a, Role.OBSERVER, True)
    assert Membership.objects.filter(coalition=world.coalition, user=former.user).count() == 1


# Links that must not work.


def test_invitation_link_older_than_the_limit_has_expired(world, client):
    link = link_signed_at(world.invitation, time.time() - 15 * 24 * 3600)

    response = client.get(link)

    assert problem_of(response) == (
        "This invitation link has expired (links are valid for 14 days). "
        "Ask the coalition's coordinator to send it again."
    )
    assert User.objects.filter(email=world.invitation.email).exists() is False


def test_invitation_link_follows_the_configured_limit(world, client, settings):
    settings.INVITATION_MAX_AGE_DAYS = 2
    fresh = link_signed_at(world.invitation, time.time() - 1 * 24 * 3600)
    stale = link_signed_at(world.invitation, time.time() - 3 * 24 * 3600)

    assertContains(client.get(fresh), 'value="Create my account and join"')
    assert problem_of(client.get(stale)) == (
        "This invitation link has expired (links are valid for 2 days). "
        "Ask the coalition's coordinator to send it again."
    )


def test_expired_link_cannot_be_accepted_by_post(world, client):
    link = link_signed_at(world.invitation, time.time() - 15 * 24 * 3600)

    response = create_account(client, link)

    assert problem_of(response).startswith("This invitation link has expired")
    assert User.objects.filter(email=world.invitation.email).exists() is False
    world.invitation.refresh_from_db()
    assert world.invitation.status == Invitation.Status.PENDING


def test_invitation_link_used_once_is_refused_after(world, client, django_capture_on_commit_callbacks):
    _invitation, link = invite(world, django_capture_on_commit_callbacks)
    create_account(client, link)

    response = Client().get(link)

    assert problem_of(response) == "This invitation has already been used. Sign in to reach the coalition."


def test_tampered_invitation_link_is_not_valid(world, client, django_capture_on_commit_callbacks):
    invitation, link = invite(world, django_capture_on_commit_callbacks)
    token = link.split("/")[-2]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")

    response = create_account(client, reverse("coalitions:invitation_accept", args=[tampered]))

    assert problem_of(response) == "This invitation link is not valid. Check that you copied the whole link."
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
    assert User.objects.filter(email=invitation.email).exists() is False


def test_invitation_link_opened_by_another_signed_in_account_is_refused(
    world, client, django_capture_on_commit_callbacks
):
    invitation, link = invite(world, django_capture_on_commit_callbacks)
    someone_else = world.people["drafter"]
    client.force_login(someone_else)

    page = client.get(link)
    response = client.post(link)

    assertContains(page, f"You are signed in as {someone_else.email}, but this invitation is for {invitation.email}.")
    assertNotContains(page, "Accept and join")
    assert problem_of(response) == (
        f"This invitation was sent to {invitation.email}, but you are signed in as {someone_else.email}. "
        "Sign out and open the link again, or ask for an invitation to your own address."
    )
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
    membership = world.memberships["drafter"]
    membership.refresh_from_db()
    assert (membership.organisation, membership.role) == (world.org_b, Role.DRAFTER)
    assert Membership.objects.filter(coalition=world.coalition).count() == 6


def test_withdrawn_invitation_link_says_so(world, client, django_capture_on_commit_callbacks):
    invitation, link = invite(world, django_capture_on_commit_callbacks)
    services.invitation_revoke(invitation=invitation, actor=world.people["coordinator"])

    response = create_account(client, link)

    assert problem_of(response) == "This invitation was withdrawn. Ask the coalition's coordinator for a new one."
    assert User.objects.filter(email=invitation.email).exists() is False


def test_resent_invitation_replaces_the_old_link(world, client, django_capture_on_commit_callbacks):
    invitation, old_link = invite(world, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(invitation=invitation, actor=world.people["coordinator"])
    new_link = link_in(mail.outbox[-1])

    old = client.get(old_link)
    new = client.get(new_link)

    assert [m.to for m in mail.outbox] == [[invitation.email], [invitation.email]]
    assert new_link != old_link
    assert problem_of(old) == "A newer invitation was sent to this address. Use the link in the most recent email."
    assertContains(new, 'value="Create my account and join"')
    invitation.refresh_from_db()
    assert invitation.send_count == 2


def test_accepting_twice_makes_one_membership(world, client, django_capture_on_commit_callbacks):
    invitation, link = invite(world, django_capture_on_commit_callbacks)

    first = create_account(client, link)
    second = create_account(client, link)

    assert first.status_code == 302
    assert problem_of(second) == "This invitation has already been used. Sign in to reach the coalition."
    assert User.objects.filter(email=invitation.email).count() == 1
    assert Membership.objects.filter(coalition=world.coalition, user__email=invitation.email).count() == 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.INVITATION_ACCEPTED).count() == 1


def test_accepting_twice_when_signed_in_makes_one_membership(world, client, django_capture_on_commit_callbacks):
    person = UserFactory(email="existing@example.org")
    _invitation, link = invite(world, django_capture_on_commit_callbacks, email=person.email)
    client.force_login(person)

    first = client.post(link)
    second = client.post(link)

    assert first.status_code == 302
    assert problem_of(second) == "This invitation has already been used. Sign in to reach the coalition."
    assert Membership.objects.filter(coalition=world.coalition, user=person).count() == 1


def test_service_refuses_to_accept_an_invitation_twice(world):
    person = UserFactory(email=world.invitation.email)
    services.invitation_accept(invitation=world.invitation, user=person)

    with pytest.raises(CoalitionError) as refused:
        services.invitation_accept(invitation=world.invitation, user=person)

    assert refused.value.messages == ["This invitation has already been used or withdrawn."]
    assert Membership.objects.filter(coalition=world.coalition, user=person).count() == 1


# What the coordinator's form refuses.


def invitation_form_data(world: World, email: str, **extra) -> dict:
    return {
        "email": email,
        "full_name": "",
        "role": Role.DRAFTER,
        "organisation": world.org_a.pk,
        "org_kind": Organisation.Kind.NGO,
        "message": "",
        **extra,
    }


def test_second_pending_invitation_for_the_same_email_is_refused(world, client, django_capture_on_commit_callbacks):
    client.force_login(world.people["coordinator"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("coalitions:invitation_create", args=[world.coalition.pk]),
            invitation_form_data(world, "INVITEE@example.org"),
        )

    assert (response.status_code, response.context["form"].non_field_errors()) == (
        200,
        ["invitee@example.org already has a pending invitation: resend it from the list instead."],
    )
    assert Invitation.objects.filter(coalition=world.coalition, email__iexact="invitee@example.org").count() == 1
    assert mail.outbox == []


def test_invitation_of_an_active_member_is_refused(world, client, django_capture_on_commit_callbacks):
    client.force_login(world.people["coordinator"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("coalitions:invitation_create", args=[world.coalition.pk]),
            invitation_form_data(world, "Target@Example.org"),
        )

    assert (response.status_code, response.context["form"].non_field_errors()) == (
        200,
        ["target@example.org is already a member of this coalition."],
    )
    assert Invitation.objects.filter(email="target@example.org").exists() is False
    assert mail.outbox == []


def test_refused_invitation_with_a_new_organisation_leaves_no_organisation_behind(world, client):
    """The organisation is created before the invitation is refused, outside any transaction.

    Left behind, it is in no coalition (so not in the form's list) yet its name is taken (so the form
    refuses to create it again): the coordinator cannot invite anyone for it any more.
    """
    client.force_login(world.people["coordinator"])
    data = invitation_form_data(
        world,
        "target@example.org",
        organisation="",
        org_name="Delta Disability Forum",
        org_city="Accra",
        org_country=world.org_a.country_id,
    )

    url = reverse("coalitions:invitation_create", args=[world.coalition.pk])

    refused = client.post(url, data)

    assert refused.context["form"].non_field_errors() == ["target@example.org is already a member of this coalition."]
    assert Organisation.objects.filter(name="Delta Disability Forum").exists() is False
    corrected = client.post(url, {**data, "email": "delta.person@example.org"})
    assertRedirects(
        corrected, reverse("coalitions:invitations", args=[world.coalition.pk]), fetch_redirect_response=False
    )


# Delivery that fails.

UNREACHABLE = "The mail server could not be reached ([Errno 111] Connection refused)."
REFUSED = "The mail server refused the address. Check it for typing mistakes (server: 550 No such user)."


@pytest.fixture
def smtp_refusing_connections(settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": CLOSED_SMTP_PORT, "timeout": 2},
        }
    }


def invite_unreachable(world: World, capture, email: str = "unreachable@example.org") -> Invitation:
    with capture(execute=True):
        return services.invitation_create(
            coalition=world.coalition,
            actor=world.people["coordinator"],
            email=email,
            organisation=world.org_a,
            role=Role.DRAFTER,
        )


def invitations_page(client, world: World) -> str:
    client.force_login(world.people["coordinator"])
    return client.get(reverse("coalitions:invitations", args=[world.coalition.pk]))


@pytest.mark.usefixtures("smtp_refusing_connections")
def test_failed_delivery_in_eager_mode_leaves_the_invitation_waiting_for_a_retry(
    world, client, django_capture_on_commit_callbacks
):
    """An unreachable server is a transient failure: nothing is raised to whoever committed, the
    message waits for its next attempt, and the invitation is not marked as failed."""
    invitation = invite_unreachable(world, django_capture_on_commit_callbacks)

    [message] = OutboxMessage.objects.filter(to_email="unreachable@example.org")
    assert (message.status, message.attempts, message.last_error) == (OutboxMessage.Status.QUEUED, 1, UNREACHABLE)
    invitation.refresh_from_db()
    assert (invitation.status, invitation.sent_at, invitation.send_count, invitation.delivery_error) == (
        Invitation.Status.PENDING,
        None,
        0,
        "",
    )
    assert mail.outbox == []
    assertContains(invitations_page(client, world), "being sent")


@pytest.mark.usefixtures("smtp_refusing_connections")
def test_failed_delivery_after_the_last_attempt_is_shown_beside_the_invitation(
    world, client, django_capture_on_commit_callbacks
):
    invitation = invite_unreachable(world, django_capture_on_commit_callbacks)
    [message] = OutboxMessage.objects.filter(to_email="unreachable@example.org")

    outcomes = []
    while (message := OutboxMessage.objects.get(pk=message.pk)).status == OutboxMessage.Status.QUEUED:
        outcomes.append(outbox_message_send(message_id=message.pk, now=message.next_attempt_at).outcome)

    assert outcomes == ["retry"] * (MAX_ATTEMPTS - 2) + ["failed"]
    assert (message.status, message.attempts, message.last_error) == (
        OutboxMessage.Status.FAILED,
        MAX_ATTEMPTS,
        UNREACHABLE,
    )
    invitation.refresh_from_db()
    assert invitation.delivery_error == UNREACHABLE
    assert (invitation.status, invitation.sent_at, invitation.send_count) == (Invitation.Status.PENDING, None, 0)
    assert mail.outbox == []
    assertContains(invitations_page(client, world), f"Could not be delivered: {UNREACHABLE}")


def test_resending_clears_an_earlier_delivery_error(world, django_capture_on_commit_callbacks):
    Invitation.objects.filter(pk=world.invitation.pk).update(delivery_error="[Errno 111] Connection refused")

    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(invitation=world.invitation, actor=world.people["coordinator"])

    world.invitation.refresh_from_db()
    assert (world.invitation.delivery_error, world.invitation.send_count) == ("", 1)
    assert [m.to for m in mail.outbox] == [[world.invitation.email]]


def test_delivery_refused_for_good_is_shown_at_once_and_told_to_the_coordinators(
    world, client, settings, django_capture_on_commit_callbacks
):
    use_mailer(settings, RecipientRefusingEmailBackend)

    invitation = invite_unreachable(world, django_capture_on_commit_callbacks, email="nobody@example.org")

    [message] = OutboxMessage.objects.filter(to_email="nobody@example.org")
    assert (message.status, message.attempts, message.last_error) == (OutboxMessage.Status.FAILED, 1, REFUSED)
    assert RecipientRefusingEmailBackend.attempts == 1
    invitation.refresh_from_db()
    assert (invitation.status, invitation.sent_at, invitation.delivery_error) == (
        Invitation.Status.PENDING,
        None,
        REFUSED,
    )
    invitations_url = reverse("coalitions:invitations", args=[world.coalition.pk])
    assert list(Notification.objects.values_list("user", "kind", "title", "body", "url", "coalition_id")) == [
        (
            world.people["coordinator"].pk,
            "coalitions.mail_failure",
            "An email to nobody@example.org could not be delivered",
            f"Action needed: You are invited to join {world.coalition.name}: {REFUSED}",
            invitations_url,
            world.coalition.pk,
        )
    ]
    assertContains(invitations_page(client, world), f"Could not be delivered: {REFUSED}")


# A typed organisation name: matched only to an organisation the coordinator may already change.


def invite_through_typed_name(world: World, client, name: str):
    client.force_login(world.people["coordinator"])
    return client.post(
        reverse("coalitions:invitation_create", args=[world.coalition.pk]),
        {
            "email": "typed.name@example.org",
            "role": Role.DRAFTER,
            "org_name": name,
            "org_kind": Organisation.Kind.NGO,
            "org_city": "Accra",
            "org_country": world.org_a.country_id,
        },
    )


def test_invitation_through_the_typed_name_of_a_member_organisation_joins_it(world, client):
    before = Organisation.objects.count()

    response = invite_through_typed_name(world, client, world.org_a.name.lower())

    assertRedirects(
        response, reverse("coalitions:invitations", args=[world.coalition.pk]), fetch_redirect_response=False
    )
    invitation = Invitation.objects.get(email="typed.name@example.org")
    assert (invitation.organisation, Organisation.objects.count()) == (world.org_a, before)


def test_invitation_through_the_name_of_another_coalitions_organisation_reveals_nothing(world, client):
    outside = world.other_member.organisation

    response = invite_through_typed_name(world, client, outside.name)

    # The same answer as for a name nobody uses, and a new organisation of that name: the inviter does
    # not learn that the other one exists, nor gets to change its profile.
    assertRedirects(
        response, reverse("coalitions:invitations", args=[world.coalition.pk]), fetch_redirect_response=False
    )
    invitation = Invitation.objects.get(email="typed.name@example.org")
    assert invitation.organisation != outside
    assert (invitation.organisation.name, invitation.organisation.city) == (outside.name, "Accra")
    assert list(Organisation.objects.filter(name=outside.name).order_by("pk")) == [outside, invitation.organisation]


@pytest.mark.parametrize(
    ("accept_language", "expected"), [("fr-FR,fr;q=0.9", "fr"), ("es-CO,es;q=0.9", "es"), ("de", "en")]
)
def test_new_account_speaks_the_language_the_invitation_was_accepted_in(
    world, django_capture_on_commit_callbacks, accept_language, expected
):
    _invitation, link = invite(world, django_capture_on_commit_callbacks)
    client = Client(headers={"accept-language": accept_language})

    response = create_account(client, link)

    assert response.status_code == 302
    assert User.objects.get(email="invitee.two@example.org").language == expected
