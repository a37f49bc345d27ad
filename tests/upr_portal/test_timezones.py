"""Today in Geneva: the day every deadline and "upcoming" is counted in, whatever the active time zone."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from upr_portal.timezones import geneva_day, geneva_today

UTC = datetime.UTC


def test_geneva_day_after_midnight_in_summer_is_the_next_day():
    # 22:30 UTC is 00:30 the next day in Geneva (CEST, UTC+2).
    assert geneva_day(datetime.datetime(2026, 7, 1, 22, 30, tzinfo=UTC)) == datetime.date(2026, 7, 2)


def test_geneva_day_in_winter_turns_at_2300_utc():
    before = geneva_day(datetime.datetime(2026, 1, 15, 22, 59, tzinfo=UTC))
    after = geneva_day(datetime.datetime(2026, 1, 15, 23, 0, tzinfo=UTC))

    assert (before, after) == (datetime.date(2026, 1, 15), datetime.date(2026, 1, 16))


def test_geneva_today_ignores_the_active_time_zone():
    now = datetime.datetime(2026, 3, 2, 7, 30, tzinfo=UTC)

    with timezone.override(ZoneInfo("Pacific/Kiritimati")):  # UTC+14: already 3 March there
        today = geneva_today(now)

    assert today == datetime.date(2026, 3, 2)
