"""Which mail failures are worth retrying: the server or network failed, or asked us to try later.

A permanent refusal (a 5xx answer, a refused recipient) will fail the same way every time, so it is
reported instead of retried.
"""

import smtplib


def is_transient(error: BaseException) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return False
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, smtplib.SMTPServerDisconnected | ConnectionError | TimeoutError | OSError)


def describe(error: BaseException) -> str:
    """The failure in words a coordinator can act on, with the server's own answer for the record."""
    from django.utils.translation import gettext as _

    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = "; ".join(
            f"{code} {message.decode(errors='replace') if isinstance(message, bytes) else message}"
            for code, message in error.recipients.values()
        )
        return _("The mail server refused the address. Check it for typing mistakes (server: %(answer)s).") % {
            "answer": answers
        }
    if isinstance(error, smtplib.SMTPResponseException):
        message = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        return _("The mail server refused the message (server: %(code)s %(message)s).") % {
            "code": error.smtp_code,
            "message": message,
        }
    return _("The mail server could not be reached (%(error)s).") % {"error": error}
