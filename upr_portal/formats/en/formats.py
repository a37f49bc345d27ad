"""English: the portal's day-first formats (upr_portal/formats/__init__.py) instead of Django's
month-first ones, for input (%m/%d/%Y is not accepted) and display."""

from upr_portal.formats import *  # noqa: F403
