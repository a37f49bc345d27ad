from django.contrib.auth.signals import user_logged_in

from accounts.two_factor import selectors
from accounts.two_factor.policy import PENDING_SESSION_KEY


def hold_at_code_step(sender, request, user, **kwargs):
    """After the password (any sign-in form, the admin's included), a person with two-factor sign-in
    still owes a code: the session is marked so that the middleware reads a flag, not the database,
    on every request."""
    if request is not None and hasattr(request, "session") and selectors.has_two_factor(user=user):
        request.session[PENDING_SESSION_KEY] = True


def connect() -> None:
    user_logged_in.connect(hold_at_code_step, dispatch_uid="accounts.two_factor.hold_at_code_step")
