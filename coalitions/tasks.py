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
from upr_portal.mail import describe, is_transient

logger = logging.getLogger(__name__)


MAX_RETRIES = 8


class InvitationDeliveryTask(DjangoTask):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """Called once retries are exhausted: the coordinator sees the problem beside the invitation."""
        _record_failure(kwargs.get("invitation_id"), exc)


def _record_failure(invitation_id, exc) -> None:
    Invitation.objects.filter(pk=invitation_id).update(delivery_error=describe(exc)[:500])


def _backoff(retries: int) -> int:
    return min(30 * 2**retries, 3600)


@shared_task(bind=True, base=InvitationDeliveryTask, name="coalitions.send_invitation", max_retries=MAX_RETRIES)
def send_invitation(self, *, invitation_id: int, key: str) -> bool:
    invitation = (
        Invitation.objects.select_related("coalition", "organisation", "invited_by")
        .filter(pk=invitation_id, key=key, status=Invitation.Status.PENDING)
        .first()
    )
    if invitation is None:
        # Revoked, accepted or resent since it was queued: that newer state wins.
        logger.info("Invitation %s changed before its mail went out; not sending", invitation_id)
        return False
    context = {"invitation": invitation, "url": invitation_url(invitation), "days": max_age_seconds() // 86400}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("emails/invitation_subject.txt", context).strip()
        body = render_to_string("emails/invitation_body.txt", context)
    try:
        send_mail(subject, body, None, [invitation.email])
    except (smtplib.SMTPException, OSError) as error:
        if is_transient(error):
            raise self.retry(exc=error, countdown=_backoff(self.request.retries)) from error
        # A permanent refusal: retrying cannot help, so the coordinator is told at once.
        _record_failure(invitation_id, error)
        return False
    invitation_mark_sent(invitation_id=invitation_id, key=key)
    return True
