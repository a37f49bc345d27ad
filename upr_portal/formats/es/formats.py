"""The portal's formats for Spanish, over Django's own (upr_portal/formats/__init__.py).

"4 de enero de 2027" (short "4 ene 2027"), with ISO first among the input formats; thousands grouped
with a point and decimals after a comma (4.712; 2,5), as the browser's Intl.NumberFormat writes them
in the editor's live counts, so the page reads one way.
"""

from upr_portal.formats import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS

DATE_FORMAT = r"j \d\e F \d\e Y"
DATETIME_FORMAT = r"j \d\e F \d\e Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
YEAR_MONTH_FORMAT = r"F \d\e Y"
THOUSAND_SEPARATOR = "."

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
