"""The email that tells a person of a step of a section they work on (submissions/services/workflow.py)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy

from coalitions.emails import coordinators_tell_mail_failure
from coalitions.models import Membership
from notifications.models import OutboxMessage
from notifications.registry import EmailKind, register
from submissions.models import SectionTransition
from submissions.services.workflow import SECTION_STEP, section_step_headline


def section_step_context(message: OutboxMessage) -> dict | None:
    """None (the message is cancelled) when the step is gone, or the person left the coalition or
    turned these emails off since it was queued."""
    transition = (
        SectionTransition.objects.select_related("actor", "section__submission__coalition")
        .filter(pk=message.context.get("transition"))
        .first()
    )
    recipient = message.recipient
    if transition is None or recipient is None or not recipient.email_notifications:
        return None
    section = transition.section
    coalition = section.submission.coalition
    if not Membership.objects.filter(coalition=coalition, user=recipient, is_active=True).exists():
        return None
    headline, _body = section_step_headline(transition)
    return {
        "user": recipient,
        "transition": transition,
        "headline": headline,
        "actor": str(transition.actor or ""),
        "section": section,
        "submission": section.submission,
        "coalition": coalition,
        "section_url": settings.SITE_URL + reverse("submissions:section", args=[section.submission_id, section.pk]),
    }


SECTION_STEP_EMAIL = EmailKind(
    name=SECTION_STEP,
    build_context=section_step_context,
    on_failure=coordinators_tell_mail_failure,
    label=gettext_lazy("A step of a section's review"),
)


def register_email_kinds() -> None:
    register(SECTION_STEP_EMAIL)
