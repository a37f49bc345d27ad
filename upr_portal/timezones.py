"""Geneva time: OHCHR sets every UPR deadline in it, whatever the portal's or the user's time zone.

"Today" in the portal is always the Geneva day, so a deadline stays open for the whole of its last
day in Geneva, wherever the person reading it is.
"""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

GENEVA = ZoneInfo("Europe/Zurich")


def geneva_day(moment: datetime.datetime) -> datetime.date:
    """The Geneva calendar day of an aware moment."""
    return timezone.localdate(moment, GENEVA)


def geneva_today(now: datetime.datetime | None = None) -> datetime.date:
    """Today in Geneva (or the Geneva day of `now`, for callers that pass their clock in)."""
    return geneva_day(now or timezone.now())
