"""The portal's own formats for dates, read by Django through FORMAT_MODULE_PATH: each language's
module (upr_portal/formats/<language>/formats.py) takes these and changes what its language writes
otherwise.

Shown: day first in every language, "4 January 2027" long and "4 Jan 2027" short, as at the UN (not
Django's English "Jan. 4, 2027"). Templates and code name the formats (date:"DATE_FORMAT") rather than
writing "j F Y", so each language writes them its own way.

Dates are typed as ISO (2027-04-01) or day-first (01/04/2027, 1.4.2027), as in Geneva, in every
language: Django's English formats would read 01/04/2027 month-first as 4 January. Month-first
input is not accepted at all, so "04/31/2027" is refused rather than guessed. The first format is
the one the admin's date widgets write, so ISO comes first.
"""

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2027-04-01
    "%d/%m/%Y",  # 01/04/2027
    "%d.%m.%Y",  # 1.4.2027
    "%d-%m-%Y",  # 01-04-2027
]

DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
]

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
