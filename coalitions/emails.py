"""The emails of coalitions, sent through the outbox, and how a failed one reaches the coordinators.

``coordinators_tell_mail_failure`` is the ``on_failure`` of every kind sent on a coalition's behalf
(invitations here; reminders and digests in deadlines): the coalition's coordinators are the people
who can correct an address or reach the person another way.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from coalitions.models import Invitation, Role
from coalitions.services.invitations import (
    INVITATION_EMAIL,
    invitation_mark_sent,
    invitation_record_delivery_failure,
    invitation_url,
    max_age_seconds,
)
from notifications import registry
from notifications.models import Notification, OutboxMessage
from notifications.registry import EmailKind
from notifications.services import notification_create

MAIL_FAILURE = "coalitions.mail_failure"


def coalition_coordinators(coalition_id: int):
    return User.objects.filter(
        is_active=True,
        coalition_memberships__coalition_id=coalition_id,
        coalition_memberships__role=Role.COORDINATOR,
        coalition_memberships__is_active=True,
    ).order_by("pk")


def coordinators_tell_mail_failure(message: OutboxMessage, *, url: str = "") -> list[Notification]:
    """Tells each active coordinator of the message's coalition, in their own language, that an email
    could not be delivered and why, with a link to the page that shows it (the coalition's sent mail
    unless ``url`` says otherwise). Nothing happens for a message sent on no coalition's behalf."""
    if message.coalition_id is None:
        return []
    url = url or reverse("coalitions:mail", args=[message.coalition_id])
    notifications = []
    for coordinator in coalition_coordinators(message.coalition_id):
        with translation.override(coordinator.language or settings.LANGUAGE_CODE):
            title = _("An email to %(email)s could not be delivered") % {"email": message.to_email}
            what = message.subject or message.kind_label
            body = _("%(what)s: %(error)s") % {"what": what, "error": message.last_error}
            notifications.append(
                notification_create(
                    user=coordinator,
                    kind=MAIL_FAILURE,
                    title=title,
                    body=body,
                    url=url,
                    coalition_id=message.coalition_id,
                )
            )
    return notifications


def invitation_context(message: OutboxMessage) -> dict | None:
    """The invitation and its link, made now; None when the invitation ended or was sent again since."""
    invitation = (
        Invitation.objects.select_related("coalition", "organisation", "invited_by")
        .filter(pk=message.context.get("invitation"), key=message.context.get("key"), status=Invitation.Status.PENDING)
        .first()
    )
    if invitation is None:
        return None
    return {"invitation": invitation, "url": invitation_url(invitation), "days": max_age_seconds() // 86400}


def invitation_sent(message: OutboxMessage) -> None:
    invitation_mark_sent(invitation_id=message.context["invitation"], key=message.context["key"])


def invitation_failed(message: OutboxMessage) -> None:
    """The reason beside the invitation, and the coordinators told, unless the link was replaced since."""
    if invitation_record_delivery_failure(
        invitation_id=message.context["invitation"], key=message.context["key"], error=message.last_error
    ):
        coordinators_tell_mail_failure(message, url=reverse("coalitions:invitations", args=[message.coalition_id]))


INVITATION = EmailKind(
    name=INVITATION_EMAIL,
    build_context=invitation_context,
    action=True,
    on_failure=invitation_failed,
    on_sent=invitation_sent,
    label=gettext_lazy("Invitation"),
)


def register_email_kinds() -> None:
    registry.register(INVITATION)
