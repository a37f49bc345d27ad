"""The email that tells a person of a comment on a section (submissions/services/comments.py)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy

from coalitions.emails import coordinators_tell_mail_failure
from coalitions.models import Membership
from notifications.models import OutboxMessage
from notifications.registry import EmailKind, register
from submissions.models import Comment
from submissions.services.comments import COMMENT_NOTIFICATION, comment_url


def comment_context(message: OutboxMessage) -> dict | None:
    """None (the message is cancelled) when the comment is gone, the person left the coalition or
    turned these emails off since it was queued."""
    comment = (
        Comment.objects.select_related("author", "parent", "section__submission__coalition")
        .filter(pk=message.context.get("comment"))
        .first()
    )
    recipient = message.recipient
    if comment is None or recipient is None or not recipient.email_notifications:
        return None
    coalition = comment.section.submission.coalition
    if not Membership.objects.filter(coalition=coalition, user=recipient, is_active=True).exists():
        return None
    return {
        "comment": comment,
        "user": recipient,
        "author": str(comment.author) if comment.author else "",
        "section": comment.section,
        "submission": comment.section.submission,
        "coalition": coalition,
        "mentioned": bool(message.context.get("mentioned")),
        "comment_url": settings.SITE_URL + comment_url(comment),
    }


COMMENT_EMAIL = EmailKind(
    name=COMMENT_NOTIFICATION,
    build_context=comment_context,
    on_failure=coordinators_tell_mail_failure,
    label=gettext_lazy("Comment on a section"),
)


def register_email_kinds() -> None:
    register(COMMENT_EMAIL)
