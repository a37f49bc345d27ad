import logging
import smtplib

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from coalitions.models import Invitation
from coalitions.services.invitations import invitation_mark_sent, invitation_url, max_age_seconds

logger = logging.getLogger(__name__)


class InvitationDeliveryTask(DjangoTask):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """Called once retries are exhausted: the coordinator sees the problem beside the invitation."""
        Invitation.objects.filter(pk=kwargs.get("invitation_id")).update(delivery_error=str(exc)[:500] or repr(exc))


@shared_task(
    base=InvitationDeliveryTask,
    name="coalitions.send_invitation",
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
)
def send_invitation(*, invitation_id: int, key: str) -> bool:
    invitation = (
        Invitation.objects.select_related("coalition", "organisation", "invited_by")
        .filter(pk=invitation_id, key=key, status=Invitation.Status.PENDING)
        .first()
    )
    if invitation is None:
        # Revoked, accepted or resent since it was queued: that newer state wins.
        logger.info("Invitation %s changed before its mail went out; not sending", invitation_id)
        return False
    context = {
        "invitation": invitation,
        "url": invitation_url(invitation),
        "days": max_age_seconds() // 86400,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("emails/invitation_subject.txt", context).strip()
        body = render_to_string("emails/invitation_body.txt", context)
    send_mail(subject, body, None, [invitation.email])
    invitation_mark_sent(invitation_id=invitation_id, key=key)
    return True
