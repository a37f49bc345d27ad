"""The emails of accounts, sent through the outbox (notifications.services.email_queue).

The reset link holds a token that works as a password: it is made when the message is sent, from the
user's id in the message, so neither the outbox row nor the broker ever holds it.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from notifications import registry
from notifications.models import OutboxMessage
from notifications.registry import EmailKind


def password_reset_context(message: OutboxMessage) -> dict | None:
    """The link, made now; None when the account can no longer reset its password by this address."""
    user = User.objects.filter(pk=message.context.get("user"), is_active=True).first()
    # The same people Django's reset form writes to; an address changed since the request gets nothing.
    if user is None or not user.has_usable_password() or user.email.lower() != message.to_email.lower():
        return None
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return {
        "user": user,
        "email": user.email,
        "url": settings.SITE_URL + reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token}),
        "days": max(settings.PASSWORD_RESET_TIMEOUT // (24 * 3600), 1),
    }


PASSWORD_RESET = EmailKind(
    name="accounts.password_reset",
    build_context=password_reset_context,
    action=True,
    label=_("Password reset"),
)


def register_email_kinds() -> None:
    registry.register(PASSWORD_RESET)
