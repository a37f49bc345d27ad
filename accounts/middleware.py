"""Shows each signed-in person the portal in their own language (User.language) and their own time zone
(User.timezone)."""

import zoneinfo

from django.conf import settings
from django.utils import timezone, translation


def _own_setting(request, field: str) -> str:
    """A signed-in person's own setting (User.<field>); "" for everyone else. Without a session cookie
    nobody is signed in: the session is left untouched, so answers to anonymous requests (calendar
    feeds, the health check) don't vary on Cookie."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
        return getattr(request.user, field, "")
    return ""


class UserTimezoneMiddleware:
    """Activates the person's time zone for the request; Geneva time (TIME_ZONE) for everyone else.

    Deadlines keep Geneva time beside the local time (templates say which is which), since OHCHR sets
    them in Geneva time.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = _own_setting(request, "timezone")
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


class UserLanguageMiddleware:
    """Speaks the signed-in person's own language (their settings; the switcher saves it there too).

    Runs after Django's LocaleMiddleware, which chose from the language cookie and the browser's
    Accept-Language for everyone else; a person signed in on a shared computer gets their language
    whatever the cookie says.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = _own_setting(request, "language")
        if language and language in dict(settings.LANGUAGES):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
