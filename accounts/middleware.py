"""Shows each signed-in person the portal's times in their own time zone (User.timezone)."""

import zoneinfo

from django.conf import settings
from django.utils import timezone


class UserTimezoneMiddleware:
    """Activates the person's time zone for the request; Geneva time (TIME_ZONE) for everyone else.

    Deadlines keep Geneva time beside the local time (templates say which is which), since OHCHR sets
    them in Geneva time.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Without a session cookie nobody is signed in: the session is left untouched, so answers to
        # anonymous requests (calendar feeds, the health check) don't vary on Cookie.
        signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated
        name = getattr(request.user, "timezone", "") if signed_in else ""
        if name:
            try:
                timezone.activate(zoneinfo.ZoneInfo(name))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
