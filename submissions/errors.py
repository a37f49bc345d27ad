from django.core.exceptions import ValidationError


class SubmissionError(ValidationError):
    """A change the submission's rules refuse; the message is shown to the user as it is."""


class SectionConflict(Exception):
    """A save was based on an older version than the one stored: someone else saved in between."""

    def __init__(self, section):
        super().__init__(f"Section {section.pk} is at version {section.version}")
        self.section = section
