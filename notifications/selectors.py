"""Reads of the outbox and of the notifications."""

from django.db.models import QuerySet

from notifications.models import Notification, OutboxMessage


def notifications_for_user(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def unread_count(*, user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.unread().filter(user=user).count()


def outbox_for_coalition(*, coalition_id: int) -> QuerySet[OutboxMessage]:
    """Every message the portal sent, or failed to send, on behalf of one coalition, newest first."""
    return OutboxMessage.objects.filter(coalition_id=coalition_id).select_related("recipient")
