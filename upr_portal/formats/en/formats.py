"""English: the portal's day-first input formats instead of Django's month-first ones (%m/%d/%Y).

Display formats stay Django's English ones.
"""

from upr_portal.formats import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS

__all__ = ["DATETIME_INPUT_FORMATS", "DATE_INPUT_FORMATS"]
