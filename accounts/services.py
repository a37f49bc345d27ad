"""Writes of accounts: password-reset requests, the end of a sign-in lockout, the failed sign-ins kept."""

from __future__ import annotations

import unicodedata

from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset as axes_reset

from accounts.emails import PASSWORD_RESET
from accounts.models import User
from accounts.throttles import sign_in_name
from notifications.limits import outbox_limit_reached
from notifications.services import email_queue


def _same_address(typed: str, stored: str) -> bool:
    # As Django's reset form: a database's case-insensitive match can pair distinct Unicode addresses.
    def fold(value: str) -> str:
        return unicodedata.normalize("NFKC", value).casefold()

    return fold(typed) == fold(stored)


def password_reset_request(*, email: str, language: str) -> None:
    """Queues a password-reset email to ``email``, the same way whether an account uses it or not.

    The request does the same database work in both cases (find the account, count the recent resets
    to the address, write one outbox row), so neither its answer nor its time tells whether the address
    has an account. The link is made, or the message dropped because no account can use it, by the
    worker that sends it (accounts/emails.py). Beyond MAIL_LIMIT_PER_RECIPIENT_PER_DAY nothing is
    queued, silently: the person asking sees the same answer as ever.
    """
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    # Django's reset form writes only to these accounts; an account without a usable password (signs
    # in some other way) gets nothing, as an unknown address.
    if user is not None and not (user.has_usable_password() and _same_address(email, user.email)):
        user = None
    # To the address as the account holds it, as Django's form does.
    to_email = user.email if user is not None else email
    if outbox_limit_reached(kind=PASSWORD_RESET.name, to_email=to_email) is not None:
        return
    email_queue(
        kind=PASSWORD_RESET.name,
        to_email=to_email,
        recipient=user,
        context={"user": user.pk} if user is not None else {},
        language=user.language if user is not None else language,
    )


def sign_in_lockout_lift(*, user: User) -> int:
    """Forgets the failed sign-ins on ``user``'s account (django-axes' records of them; the admin's list
    of failures keeps them), after the person proved they hold its address by resetting the password.
    Returns how many records went."""
    return axes_reset(username=sign_in_name(None, {"username": user.email}))


def sign_in_failures_prune(*, older_than_days: int) -> int:
    """Deletes the admin's records of failed sign-ins older than ``older_than_days``; returns how many.

    Each record holds an address and the name typed: kept only as long as they help an administrator
    look into an attack, since a list of where members sign in from is a risk to those facing reprisals.
    """
    return AxesProxyHandler.reset_failure_logs(age_days=older_than_days)


def language_update(*, user: User, language: str) -> None:
    """The language the person chose in the switcher: the portal, its emails and reminders speak it."""
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


def account_settings_update(
    *, user: User, email_notifications: bool, timezone: str | None = None, language: str | None = None
) -> User:
    """The person's own choices: whether comments and their sections' steps reach them by email too,
    the time zone pages show times in (empty: Geneva time) and the language of the portal, its emails
    and reminders."""
    user.email_notifications = email_notifications
    fields = ["email_notifications"]
    if language:
        user.language = language
        fields.append("language")
    if timezone is not None:
        user.timezone = timezone
        user.full_clean(validate_unique=False, validate_constraints=False)
        fields.append("timezone")
    user.save(update_fields=fields)
    return user
