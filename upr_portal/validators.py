"""Validators shared by every app: a shared piece of the project, so it imports no app."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Cc: the C0 controls (tab, line feed, carriage return ...), DEL and the C1 controls; Zl and Zp: the
# Unicode line and paragraph separators. None belongs in a name, and each breaks a line wherever the
# name is written into a single-line place: a mail subject or header, a CSV cell, a log line.
# Format characters (Cf: the right-to-left and zero-width marks) stay allowed, as names in Arabic,
# Hebrew or Persian need them.
_REFUSED_CATEGORIES = {"Cc", "Zl", "Zp"}


def has_control_characters(value: str) -> bool:
    return any(unicodedata.category(character) in _REFUSED_CATEGORIES for character in value)


def validate_no_control_characters(value) -> None:
    """Refuses line breaks, tabs and other invisible control characters in a name or a title."""
    if isinstance(value, str) and has_control_characters(value):
        raise ValidationError(
            _(
                "Write this on one line, without line breaks or tabs: it contains an invisible control "
                "character (often copied along with text from another program)."
            ),
            code="control_characters",
        )
