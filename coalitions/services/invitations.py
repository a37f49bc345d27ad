"""Invitations: create, send, resend, revoke and accept, each recorded in the audit log.

A link is ``signing.dumps({"i": id, "k": key})``: signed (tampering fails), timestamped (expires
after INVITATION_MAX_AGE_DAYS), and tied to the invitation's current key (resending rotates it, so
an older link stops working). Accepting or revoking ends the invitation, so a link works once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from coalitions.models import AuditEvent, Coalition, CoalitionOrganisation, Invitation, Membership, Organisation
from coalitions.rules import forget_memberships
from coalitions.services.coalitions import audit
from coalitions.services.errors import CoalitionError
from notifications.limits import Scope, outbox_limit_reached
from notifications.services import email_queue
from upr_portal.timezones import geneva_today

SALT = "coalitions.invitation"


def _new_key() -> str:
    return secrets.token_urlsafe(24)


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "k": invitation.key}, salt=SALT, compress=True)


def invitation_url(invitation: Invitation) -> str:
    return settings.SITE_URL + reverse("coalitions:invitation_accept", args=[invitation_token(invitation)])


def max_age_seconds() -> int:
    return settings.INVITATION_MAX_AGE_DAYS * 24 * 3600


@dataclass(frozen=True)
class TokenCheck:
    invitation: Invitation | None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.invitation is not None and not self.problem


def invitation_from_token(token: str) -> TokenCheck:
    """Reads a link's token and says, in plain words, why it cannot be used if it cannot."""
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age_seconds())
    except signing.SignatureExpired:
        return TokenCheck(
            None,
            _(
                "This invitation link has expired (links are valid for %(days)d days). "
                "Ask the coalition's coordinator to send it again."
            )
            % {"days": settings.INVITATION_MAX_AGE_DAYS},
        )
    except signing.BadSignature:
        return TokenCheck(None, _("This invitation link is not valid. Check that you copied the whole link."))
    invitation = Invitation.objects.select_related("coalition", "organisation").filter(pk=data.get("i")).first()
    if invitation is None or invitation.status == Invitation.Status.REVOKED:
        return TokenCheck(None, _("This invitation was withdrawn. Ask the coalition's coordinator for a new one."))
    if invitation.status == Invitation.Status.ACCEPTED:
        return TokenCheck(None, _("This invitation has already been used. Sign in to reach the coalition."))
    if not secrets.compare_digest(str(data.get("k", "")), invitation.key):
        return TokenCheck(
            None, _("A newer invitation was sent to this address. Use the link in the most recent email.")
        )
    return TokenCheck(invitation)


INVITATION_EMAIL = "coalitions.invitation"


def _check_mail_limits(*, coalition_id: int, actor: User, email: str) -> None:
    """Refuses, saying when to try again, an invitation email that would go over a mail limit
    (MAIL_LIMIT_*: per sender, per coalition, per recipient address; notifications/limits.py)."""
    reached = outbox_limit_reached(kind=INVITATION_EMAIL, sender=actor, coalition_id=coalition_id, to_email=email)
    if reached is None:
        return
    count, when = reached.limit.count, reached.when_in_words()
    if reached.scope == Scope.SENDER:
        message = ngettext(
            "You have sent %(count)d invitation in the last hour, the most one person may send. "
            "You can send more invitations %(when)s.",
            "You have sent %(count)d invitations in the last hour, the most one person may send. "
            "You can send more invitations %(when)s.",
            count,
        )
    elif reached.scope == Scope.COALITION:
        message = ngettext(
            "%(count)d invitation went out for this coalition in the last 24 hours, the most the portal "
            "sends for one coalition. You can send more invitations %(when)s.",
            "%(count)d invitations went out for this coalition in the last 24 hours, the most the portal "
            "sends for one coalition. You can send more invitations %(when)s.",
            count,
        )
    else:
        # Counted over the whole portal, to protect the address; the words do not say who else wrote.
        message = _(
            "%(email)s has received as many invitations as the portal sends to one address in 24 hours. "
            "You can invite this address again %(when)s."
        )
    raise CoalitionError(message % {"count": count, "when": when, "email": email})


def _enqueue_send(invitation: Invitation, *, sender: User) -> None:
    """Queues the invitation's email in the caller's transaction; it goes out once that commits.

    The message holds the invitation's id and key, not the link: the link is made when it is sent
    (coalitions/emails.py), and a message whose key was rotated or whose invitation ended is dropped.
    It is written in the invited person's language when they have an account, else the inviter's.
    """
    recipient = User.objects.filter(email__iexact=invitation.email).first()
    speaker = recipient or invitation.invited_by
    email_queue(
        kind=INVITATION_EMAIL,
        to_email=invitation.email,
        recipient=recipient,
        context={"invitation": invitation.pk, "key": invitation.key},
        coalition_id=invitation.coalition_id,
        language=getattr(speaker, "language", "") or settings.LANGUAGE_CODE,
        sender=sender,
    )


@transaction.atomic
def invitation_create(
    *,
    coalition: Coalition,
    actor: User,
    email: str,
    organisation: Organisation,
    role: str,
    full_name: str = "",
    message: str = "",
) -> Invitation:
    """Invites a person into ``organisation`` of the coalition and emails the link after commit. Atomic."""
    email = User.objects.normalize_email(email).lower()
    if Membership.objects.filter(coalition=coalition, user__email__iexact=email, is_active=True).exists():
        raise CoalitionError(_("%(email)s is already a member of this coalition.") % {"email": email})
    if Invitation.objects.filter(coalition=coalition, email__iexact=email, status=Invitation.Status.PENDING).exists():
        raise CoalitionError(
            _("%(email)s already has a pending invitation: resend it from the list instead.") % {"email": email}
        )
    _check_mail_limits(coalition_id=coalition.pk, actor=actor, email=email)
    CoalitionOrganisation.objects.get_or_create(
        coalition=coalition,
        organisation=organisation,
        defaults={"status": CoalitionOrganisation.Status.INVITED},
    )
    CoalitionOrganisation.objects.filter(
        coalition=coalition, organisation=organisation, status=CoalitionOrganisation.Status.LEFT
    ).update(status=CoalitionOrganisation.Status.INVITED, left_on=None)
    invitation = Invitation.objects.create(
        coalition=coalition,
        organisation=organisation,
        email=email,
        full_name=full_name,
        role=role,
        message=message,
        key=_new_key(),
        invited_by=actor,
    )
    audit(
        coalition=coalition,
        actor=actor,
        action=AuditEvent.Action.INVITED,
        subject=email,
        role=role,
        organisation=str(organisation),
    )
    _enqueue_send(invitation, sender=actor)
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, actor: User) -> Invitation:
    """Sends a fresh link; the previous link stops working. Atomic."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise CoalitionError(_("Only a pending invitation can be sent again."))
    _check_mail_limits(coalition_id=invitation.coalition_id, actor=actor, email=invitation.email)
    invitation.key = _new_key()
    # Until the new link is delivered the page says it is being sent, not when the old one went out.
    invitation.sent_at = None
    invitation.delivery_error = ""
    invitation.save(update_fields=["key", "sent_at", "delivery_error", "updated_at"])
    audit(
        coalition=invitation.coalition,
        actor=actor,
        action=AuditEvent.Action.INVITATION_RESENT,
        subject=invitation.email,
    )
    _enqueue_send(invitation, sender=actor)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise CoalitionError(_("Only a pending invitation can be withdrawn."))
    invitation.status = Invitation.Status.REVOKED
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["status", "revoked_at", "updated_at"])
    audit(
        coalition=invitation.coalition,
        actor=actor,
        action=AuditEvent.Action.INVITATION_REVOKED,
        subject=invitation.email,
    )
    return invitation


def invitation_mark_sent(*, invitation_id: int, key: str) -> bool:
    """Records a delivery; False when the invitation changed since the mail was queued."""
    updated = Invitation.objects.filter(pk=invitation_id, key=key, status=Invitation.Status.PENDING).update(
        sent_at=timezone.now(), send_count=F("send_count") + 1, delivery_error="", updated_at=timezone.now()
    )
    return updated == 1


def invitation_record_delivery_failure(*, invitation_id: int, key: str, error: str) -> bool:
    """Shows why the email could not be delivered beside the invitation; False when the failure is of an
    older link (resent, accepted or withdrawn since), which no coordinator needs to act on."""
    updated = Invitation.objects.filter(pk=invitation_id, key=key, status=Invitation.Status.PENDING).update(
        delivery_error=error[:500], updated_at=timezone.now()
    )
    return updated == 1


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Makes ``user`` a member with the invited role and organisation. Atomic.

    The invitation row is locked, so two clicks on the same link cannot both succeed.
    """
    invitation = (
        Invitation.objects.select_for_update().select_related("coalition", "organisation").get(pk=invitation.pk)
    )
    if invitation.status != Invitation.Status.PENDING:
        raise CoalitionError(_("This invitation has already been used or withdrawn."))
    if user.email.lower() != invitation.email.lower():
        raise CoalitionError(
            _(
                "This invitation was sent to %(invited)s, but you are signed in as %(current)s. "
                "Sign out and open the link again, or ask for an invitation to your own address."
            )
            % {"invited": invitation.email, "current": user.email}
        )
    membership, created = Membership.objects.get_or_create(
        coalition=invitation.coalition,
        user=user,
        defaults={"organisation": invitation.organisation, "role": invitation.role},
    )
    if not created:
        if membership.is_active:
            raise CoalitionError(_("You are already a member of this coalition."))
        membership.organisation = invitation.organisation
        membership.role = invitation.role
        membership.is_active = True
        membership.save(update_fields=["organisation", "role", "is_active", "updated_at"])
    CoalitionOrganisation.objects.filter(coalition=invitation.coalition, organisation=invitation.organisation).exclude(
        status=CoalitionOrganisation.Status.ACTIVE
    ).update(status=CoalitionOrganisation.Status.ACTIVE, joined_on=geneva_today(), left_on=None)
    invitation.status = Invitation.Status.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["status", "accepted_at", "accepted_by", "updated_at"])
    forget_memberships(user)
    audit(
        coalition=invitation.coalition,
        actor=user,
        action=AuditEvent.Action.INVITATION_ACCEPTED,
        subject=invitation.email,
        role=invitation.role,
    )
    return membership


@transaction.atomic
def invitation_accept_as_new_user(
    *, invitation: Invitation, full_name: str, password: str, language: str = ""
) -> tuple[User, Membership]:
    """Creates the account for the invited address, speaking ``language`` (one the portal offers, or
    its default), then accepts. Atomic."""
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise CoalitionError(_("An account already uses this address: sign in to accept the invitation."))
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    user = User.objects.create_user(invitation.email, password, full_name=full_name, language=language)
    return user, invitation_accept(invitation=invitation, user=user)
