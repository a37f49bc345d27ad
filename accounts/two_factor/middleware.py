from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts.two_factor.policy import PENDING_SESSION_KEY, TwoFactorRequired, session_is_verified
from accounts.two_factor.views import redirect_for_two_factor, with_next

# What a session held at the code step may still open: the step itself, signing out or in again,
# and what every page loads (the JavaScript catalogue, the language switch).
OPEN_AT_CODE_STEP = {"login", "logout", "two_factor_verify", "javascript-catalog", "set_language", "healthz"}


def _wants_a_page(request) -> bool:
    return request.method in ("GET", "HEAD") and (
        request.get_preferred_type(["text/html", "application/json"]) == "text/html"
    )


class TwoFactorMiddleware:
    """Two-factor sign-in on every request; after django-otp's OTPMiddleware and MessageMiddleware.

    - A session that signed in with a password and still owes its code (signals.py) opens nothing but
      the code step: whatever it asks for, it is sent there, with ``next`` kept.
    - A page that asks for two-factor sign-in (TwoFactorRequired, raised by coalitions/access.py)
      sends the person to set it up, or to enter a code if they have it; requests of scripts (the
      editor's autosave, status polls) get the 403 with the reason instead of an HTML page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # No session is read for requests without one (health checks, calendar apps fetching a feed).
        if settings.SESSION_COOKIE_NAME not in request.COOKIES or not request.session.get(PENDING_SESSION_KEY):
            return None
        if request.resolver_match.view_name in OPEN_AT_CODE_STEP:
            return None
        if not request.user.is_authenticated or session_is_verified(request.user):
            request.session.pop(PENDING_SESSION_KEY, None)
            return None
        if not _wants_a_page(request):
            raise PermissionDenied(_("Enter the code of your two-factor sign-in first."))
        return redirect(with_next("two_factor_verify", request.get_full_path()))

    def process_exception(self, request, exception):
        if not isinstance(exception, TwoFactorRequired) or not _wants_a_page(request):
            return None
        return redirect_for_two_factor(request, request.get_full_path(), reason=exception.reason)
