"""Calendar feeds: each person's secret feed address, and the iCalendar document behind it.

The writes here (``calendar_feed_get_or_create``, ``calendar_feed_regenerate``) follow the services
convention; they live in this module rather than in ``deadlines/services.py`` (the reminder scan) so
the feeds and the reminders change independently.

A subscribed calendar keeps an event by its UID: the UID is built on the deadline's key, which does
not change when the date moves, and SEQUENCE / LAST-MODIFIED grow with the review's ``updated_at``, so
a moved deadline updates the subscriber's event instead of adding a second one.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration

from deadlines.models import CalendarFeed, new_feed_token
from deadlines.providers import Deadline
from deadlines.selectors import deadlines_for_user, unique_by_key
from upr_portal.timezones import geneva_today

# How far back the feed reaches: a year of past deadlines stays in the subscriber's calendar.
FEED_HISTORY = datetime.timedelta(days=365)
# A deadline is a moment, but calendars show events with a length. One minute keeps a 23:59 deadline on
# its own day (it ends at midnight, which calendars treat as the end of that day).
DEADLINE_LENGTH = datetime.timedelta(minutes=1)
# SEQUENCE is an integer that must grow with each change: seconds since this moment fit it until 2088.
SEQUENCE_EPOCH = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
# A hint to subscribing clients; each chooses its own polling interval in the end.
REFRESH_INTERVAL = datetime.timedelta(hours=6)
CALENDAR_TIME_ZONE = "Europe/Zurich"


def calendar_feed_get_or_create(*, user) -> CalendarFeed:
    """The person's feed, given a new secret the first time it is asked for."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


def calendar_feed_regenerate(*, user) -> CalendarFeed:
    """A new secret for the person's feed: the old address answers 404 from now on."""
    feed = calendar_feed_get_or_create(user=user)
    feed.token = new_feed_token()
    feed.regenerated_at = timezone.now()
    feed.save(update_fields=["token", "regenerated_at"])
    return feed


def calendar_feed_by_token(*, token: str) -> CalendarFeed | None:
    """The feed a secret opens, or None (unknown, replaced, or its person deactivated)."""
    return CalendarFeed.objects.select_related("user").filter(token=token, user__is_active=True).first()


def feed_url(feed: CalendarFeed) -> str:
    """The feed's absolute address, on SITE_URL (https in production)."""
    return settings.SITE_URL + reverse("deadlines:feed", args=[feed.token])


def webcal_url(feed: CalendarFeed) -> str:
    """The same address with the webcal scheme, which opens the subscription dialog of a calendar app."""
    return "webcal://" + feed_url(feed).split("://", 1)[1]


def site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def event_uid(deadline: Deadline) -> str:
    return f"{deadline.key}@{site_host()}"


def feed_deadlines(*, user, today: datetime.date | None = None) -> list[Deadline]:
    """What the person's feed lists: every deadline that concerns them, from a year back on, once each."""
    start = (today or geneva_today()) - FEED_HISTORY
    return unique_by_key(deadlines_for_user(user=user, start=start))


def _event(deadline: Deadline, *, stamp: datetime.datetime) -> Event:
    event = Event()
    event.add("uid", event_uid(deadline))
    event.add("dtstamp", stamp)
    if deadline.is_all_day:
        # A milestone is a day: VALUE=DATE, ending (exclusively) the next day.
        event.add("dtstart", deadline.when)
        event.add("dtend", deadline.when + datetime.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    else:
        event.add("dtstart", deadline.when.astimezone(datetime.UTC))
        event.add("duration", DEADLINE_LENGTH)
    if deadline.provisional:
        # Calendars show a tentative event as such; the summary says it in words for the others.
        event.add("summary", _("%(title)s (provisional date)") % {"title": deadline.title})
        event.add("status", "TENTATIVE")
    else:
        event.add("summary", deadline.title)
    event.add("description", deadline.coalition.name)
    event.add("url", settings.SITE_URL + deadline.url)
    changed = deadline.changed_at or (deadline.review.updated_at if deadline.review is not None else None)
    if changed is not None:
        changed = changed.astimezone(datetime.UTC)
        event.add("last-modified", changed)
        event.add("sequence", max(int((changed - SEQUENCE_EPOCH).total_seconds()), 0))
    return event


def calendar_build(*, user, now: datetime.datetime | None = None) -> bytes:
    """The person's iCalendar feed, in their language."""
    now = now or timezone.now()
    stamp = now.astimezone(datetime.UTC).replace(microsecond=0)
    language = user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        calendar = Calendar()
        calendar.add("prodid", f"-//UPR Coalition Portal//Deadlines//{language.upper()}")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", _("UPR deadlines"))
        calendar.add("x-wr-caldesc", _("The UPR deadlines and milestones of your coalitions (UPR Coalition Portal)."))
        calendar.add("x-wr-timezone", CALENDAR_TIME_ZONE)
        calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
        for deadline in feed_deadlines(user=user, today=geneva_today(now)):
            calendar.add_component(_event(deadline, stamp=stamp))
        return calendar.to_ical()
