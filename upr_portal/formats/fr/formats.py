"""The portal's formats for French, over Django's own (upr_portal/formats/__init__.py).

Day-first as in English ("4 janvier 2027", short "4 janv. 2027"), with ISO first among the input
formats. Thousands take the narrow no-break space of French typography (4 712, "espace fine
insécable"), not Django's full one.
"""

from upr_portal.formats import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
THOUSAND_SEPARATOR = "\u202f"

__all__ = [
    "DATETIME_FORMAT",
    "DATETIME_INPUT_FORMATS",
    "DATE_FORMAT",
    "DATE_INPUT_FORMATS",
    "SHORT_DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "THOUSAND_SEPARATOR",
    "YEAR_MONTH_FORMAT",
]
