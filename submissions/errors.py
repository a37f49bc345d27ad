from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class SubmissionError(ValidationError):
    """A change the submission's rules refuse; the message is shown to the user as it is."""


class TextRefused(SubmissionError):
    """A section text over a limit of submissions/text_limits.py; ``code`` says which, the message why."""


class SectionConflict(Exception):
    """A save was based on an older version than the one stored: someone else saved in between.

    ``attempted`` is the cleaned text that was refused, for the writer to compare with the stored one.
    """

    def __init__(self, section, attempted: str = ""):
        super().__init__(f"Section {section.pk} is at version {section.version}")
        self.section = section
        self.attempted = attempted


def refuse_if_locked(submission) -> None:
    """Raises SubmissionError, saying why, when the submission is read-only (Submission.is_locked)."""
    if submission.is_locked:
        raise SubmissionError(locked_message(submission))


def locked_message(submission) -> str:
    if submission.status == submission.Status.SUBMITTED:
        return _("This submission was sent to OHCHR: it is read-only until a coordinator reopens it.")
    return _("This submission is marked final: it is read-only until a coordinator reopens it.")
