"""The portal's input formats for dates (upr_portal/formats/__init__.py) once this language is enabled.

Django's own formats for this language are day-first already; these add ISO first, like English.
"""

from upr_portal.formats import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS

__all__ = ["DATETIME_INPUT_FORMATS", "DATE_INPUT_FORMATS"]
