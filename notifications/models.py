"""The one mail path (an outbox of messages) and the in-app notifications behind the bell.

This app sits below every domain app: it knows people (the user model, by setting) and nothing of
coalitions, reviews or submissions. A message names the objects it is about by id in ``context``; the
app that registered its kind (``notifications.registry``) turns those ids into a template context
when the message is sent, so no rendered link or secret is stored or put on the broker.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from notifications import registry
from upr_portal.db import TimeStampedModel


class OutboxMessage(TimeStampedModel):
    class Status(models.TextChoices):
        # In the words the coordinators' list of sent mail shows.
        QUEUED = "queued", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Could not be delivered")
        CANCELLED = "cancelled", _("Not sent: no longer needed")

    kind = models.CharField(_("kind"), max_length=60)
    to_email = models.EmailField(_("recipient address"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbox_messages",
        verbose_name=_("recipient"),
    )
    language = models.CharField(_("language"), max_length=10)
    context = models.JSONField(_("object ids"), default=dict, blank=True)
    # Not a foreign key: this app sits below coalitions. It scopes the coordinators' view of the mail.
    coalition_id = models.PositiveBigIntegerField(_("coalition"), null=True, blank=True, db_index=True)
    # The person whose action sent it (an invitation's coordinator); none for what the portal sends by
    # itself or for an anonymous request. The mail limits count by it (notifications/limits.py).
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbox_messages_sent",
        verbose_name=_("sent by"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    # Filled when the message is rendered, so the outbox list can say what went out.
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notif_outbox_due"),
            # The mail limits: recent messages of a kind per recipient, per coalition and per sender.
            models.Index(fields=["kind", "to_email", "created_at"], name="notif_outbox_per_recipient"),
            models.Index(fields=["kind", "coalition_id", "created_at"], name="notif_outbox_per_coalition"),
            models.Index(fields=["kind", "sender", "created_at"], name="notif_outbox_per_sender"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="notifications_outbox_sent_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.to_email} ({self.get_status_display()})"

    @property
    def is_retrying(self) -> bool:
        """Queued again after a temporary failure, waiting for its next attempt."""
        return self.status == self.Status.QUEUED and self.attempts > 0

    @property
    def kind_label(self) -> str:
        """The kind in words, from the app that registered it; its name when no app does any more."""
        kind = registry.find(self.kind)
        return str(kind.label) if kind is not None and kind.label else self.kind


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One line under the bell: what happened, in the recipient's language, and where to act."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("details"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    coalition_id = models.PositiveBigIntegerField(_("coalition"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notif_unread")]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
