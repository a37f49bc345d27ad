import smtplib

import pytest

from upr_portal.mail import describe, is_transient


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (ConnectionRefusedError(111, "Connection refused"), True),
        (TimeoutError("timed out"), True),
        (smtplib.SMTPServerDisconnected("gone"), True),
        (smtplib.SMTPResponseException(421, b"Service not available, try later"), True),
        (smtplib.SMTPConnectError(451, b"Local error"), True),
        (smtplib.SMTPResponseException(554, b"Transaction failed"), False),
        (smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"No such user")}), False),
        (smtplib.SMTPDataError(552, b"Message too big"), False),
    ],
    ids=["refused", "timeout", "disconnected", "421", "connect-451", "554", "recipient-550", "data-552"],
)
def test_is_transient_sorts_mail_failures(error, transient):
    assert is_transient(error) is transient


def test_describe_puts_a_refused_address_in_plain_words():
    error = smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"No such user")})

    assert describe(error) == (
        "The mail server refused the address. Check it for typing mistakes (server: 550 No such user)."
    )


def test_describe_puts_an_unreachable_server_in_plain_words():
    assert describe(ConnectionRefusedError(111, "Connection refused")) == (
        "The mail server could not be reached ([Errno 111] Connection refused)."
    )
