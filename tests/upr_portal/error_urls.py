"""The portal's URLs plus views that fail, for the error page tests (test_middleware.py)."""

from django.core.exceptions import SuspiciousOperation
from django.urls import path

from upr_portal.urls import urlpatterns as portal_urlpatterns


def broken(request):
    raise RuntimeError("A bug in a view")


def suspicious(request):
    raise SuspiciousOperation("A request that makes no sense")


urlpatterns = [
    path("test-errors/broken/", broken),
    path("test-errors/suspicious/", suspicious),
    *portal_urlpatterns,
]
