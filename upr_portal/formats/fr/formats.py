"""French: the portal's formats (upr_portal/formats/__init__.py: "4 janvier 2027", ISO first among the
input formats) over Django's own. Thousands take the narrow no-break space of French typography
(4 712, "espace fine insécable"), not Django's full one."""

from upr_portal.formats import *  # noqa: F403

THOUSAND_SEPARATOR = "\u202f"
