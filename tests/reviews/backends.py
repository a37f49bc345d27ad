"""An email backend whose server always refuses, to exercise the reminders' retry path without mocks."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class RefusingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
