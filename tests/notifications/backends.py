"""Email backends whose server fails on purpose, configured through settings.MAILERS in the tests.

Django builds a new backend for every message, so the count of attempts lives on the class;
``use_mailer`` resets it.
"""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemEmailBackend


class FlakyEmailBackend(LocmemEmailBackend):
    """Drops the connection the first ``failures`` times (a transient failure), then delivers to
    django.core.mail.outbox like the tests' usual backend."""

    attempts = 0

    def __init__(self, *args, failures: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.failures = failures

    def send_messages(self, email_messages):
        type(self).attempts += 1
        if type(self).attempts <= self.failures:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(email_messages)


class RecipientRefusingEmailBackend(BaseEmailBackend):
    """A server that refuses the address for good (550), which no retry can fix."""

    attempts = 0

    def send_messages(self, email_messages):
        type(self).attempts += 1
        raise smtplib.SMTPRecipientsRefused({m.to[0]: (550, b"No such user") for m in email_messages})


def use_mailer(settings, backend: type[BaseEmailBackend], **options) -> None:
    """Points the default mailer at ``backend`` for this test (``settings`` is pytest-django's fixture)."""
    backend.attempts = 0
    settings.MAILERS = {"default": {"BACKEND": f"{backend.__module__}.{backend.__qualname__}", "OPTIONS": options}}
