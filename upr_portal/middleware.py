"""Project-wide response middleware: the Permissions-Policy header, and the portal's own error pages
with debug on (a demo site runs with debug on, and its users are not developers)."""

from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import Http404
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.debug import ExceptionReporter


def permissions_policy(policy: dict[str, list[str]]) -> str:
    """``{"camera": [], "fullscreen": ["self"]}`` as the header's value: ``camera=(), fullscreen=(self)``."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items())


class PermissionsPolicyMiddleware:
    """Turns off, on every response, the browser features the portal never uses (settings.PERMISSIONS_POLICY):
    a script slipped into a page could not reach the camera, the microphone or the person's location."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.value)
        return response


def friendly_error_pages() -> bool:
    """With debug on, Django shows its technical pages (the URL patterns, a traceback, the settings)
    instead of 404.html and 500.html, unless DJANGO_DEBUG_PAGES asks for them (settings.DEBUG_PAGES)."""
    return settings.DEBUG and not settings.DEBUG_PAGES


class FriendlyErrorPagesMiddleware:
    """The portal's 404 page with debug on, as with debug off. (Server errors: FriendlyExceptionReporter.)

    Sits inside the middleware that add security headers, so the page it renders gets them too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # No URL pattern matched (resolver_match stays unset): Django's technical 404 page, which lists
        # every pattern of the site. A 404 a view raised went through process_exception already.
        if response.status_code == 404 and request.resolver_match is None and friendly_error_pages():
            return defaults.page_not_found(request, Http404())
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Http404) and friendly_error_pages():
            return defaults.page_not_found(request, exception)
        return None


class FriendlyExceptionReporter(ExceptionReporter):
    """settings.DEFAULT_EXCEPTION_REPORTER. With debug on, Django answers an exception with this
    reporter's traceback page (status 500, or 400 for a bad request); unless DEBUG_PAGES, that page is
    the portal's own, as with debug off. The traceback still goes to the log."""

    def _friendly_response(self):
        if self.request is None or not friendly_error_pages():
            return None
        if self.exc_type is not None and issubclass(self.exc_type, SuspiciousOperation | BadRequest):
            return defaults.bad_request(self.request, self.exc_value)
        return defaults.server_error(self.request)

    def get_traceback_html(self):
        response = self._friendly_response()
        return super().get_traceback_html() if response is None else response.content.decode()

    def get_traceback_text(self):
        # Asked for by a client that does not accept HTML (a script, an API call).
        if self._friendly_response() is None:
            return super().get_traceback_text()
        return _("Something went wrong on our side. Please try again in a minute.")
