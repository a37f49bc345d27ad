"""French: the portal's formats (upr_portal/formats/__init__.py: "4 janvier 2027", ISO first among the
input formats) over Django's own. Thousands take the narrow no-break space of French typography
(4 712, "espace fine insécable"), not Django's full one."""

from upr_portal.formats import *  # noqa: F403

THOUSAND_SEPARATOR = "\u202f"
# Months abbreviated as French does, in lower case ("30 nov. 2026", "3 juil. 2026"): Django's three
# letters ("M", "b") would give "Nov" and "jui" for both juin and juillet.
SHORT_DATE_FORMAT = "j N Y"
SHORT_DATETIME_FORMAT = "j N Y, H:i"
