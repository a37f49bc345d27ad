"""Spanish: the portal's formats (upr_portal/formats/__init__.py) with the dates Spanish writes,
"4 de enero de 2027", and thousands grouped with a point (4.712; decimals 2,5), as the browser's
Intl.NumberFormat writes them in the editor's live counts, so that a page reads one way."""

from upr_portal.formats import *  # noqa: F403

DATE_FORMAT = r"j \d\e F \d\e Y"
DATETIME_FORMAT = r"j \d\e F \d\e Y, H:i"
YEAR_MONTH_FORMAT = r"F \d\e Y"
THOUSAND_SEPARATOR = "."
# Months in lower case, as Spanish writes them ("30 nov 2026"); "M" would capitalise them.
SHORT_DATE_FORMAT = "j b Y"
SHORT_DATETIME_FORMAT = "j b Y, H:i"
