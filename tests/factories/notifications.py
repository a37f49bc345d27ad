import factory

from notifications.models import Notification, OutboxMessage
from tests.factories.accounts import UserFactory


class OutboxMessageFactory(factory.django.DjangoModelFactory):
    """A queued password reset for a person: the simplest kind, with one id in its context.

    Made directly, not through ``email_queue``, so no task is asked to send it: tests send it.
    """

    class Meta:
        model = OutboxMessage

    kind = "accounts.password_reset"
    recipient = factory.SubFactory(UserFactory)
    to_email = factory.LazyAttribute(lambda o: o.recipient.email)
    language = factory.LazyAttribute(lambda o: o.recipient.language)
    context = factory.LazyAttribute(lambda o: {"user": o.recipient.pk})


class NotificationFactory(factory.django.DjangoModelFactory):
    """An unread notification under a person's bell; give ``read_at`` for a read one."""

    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    kind = "coalitions.invitation"
    title = factory.Sequence(lambda n: f"Notification {n}")
    url = "/coalitions/"
