"""Who needs two-factor sign-in, and whether the current session has passed it.

A session is *verified* (django-otp's ``request.user.is_verified()``, set by its OTPMiddleware) once its
person entered a code from their authenticator app or a recovery code. A password alone signs a
person in but leaves the session unverified: for someone with two-factor sign-in, the session is then
held at the second step (middleware.py) until the code is entered.

Two-factor sign-in is optional, except where something asks for it:

- site administrators need it to open the admin when debug is off (admin_site.py). The rule reads
  ``settings.DEBUG`` when asked, not at import, so that ``make run``'s demo (debug on) lets them in
  without it and tests can switch it;
- apps higher up register their own requirements here (a coalition that asks it of its members:
  coalitions/apps.py), so that accounts, below them, can say why without importing them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

# Set at sign-in for a person with two-factor sign-in; removed when the session is verified.
PENDING_SESSION_KEY = "two_factor_pending"

Requirement = Callable[[object], list[str]]
_requirements: list[Requirement] = []


class TwoFactorRequired(PermissionDenied):
    """A page asks for two-factor sign-in and this session has not passed it.

    middleware.py sends a browser to set it up or to enter a code; anything else (the editor's
    autosave, a status poll) gets the 403 page with ``reason``.
    """

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def register_requirement(requirement: Requirement) -> None:
    """Adds a function that gives, for a user, the plain-words reasons they must keep two-factor sign-in."""
    if requirement not in _requirements:
        _requirements.append(requirement)


def staff_needs_two_factor(user) -> bool:
    return not settings.DEBUG and bool(user.is_staff or user.is_superuser)


def session_is_verified(user) -> bool:
    """Whether this request's session passed two-factor sign-in (False without django-otp's middleware)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def staff_must_verify(user) -> bool:
    return user.is_authenticated and staff_needs_two_factor(user) and not session_is_verified(user)


def requirement_reasons(user) -> list[str]:
    """Why this person must use two-factor sign-in, in plain words; empty when it is their choice."""
    reasons = []
    if staff_needs_two_factor(user):
        reasons.append(_("You are a site administrator: the administration pages open only after two-factor sign-in."))
    for requirement in _requirements:
        reasons.extend(requirement(user))
    return reasons
