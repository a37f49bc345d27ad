"""Who is asking, and how often.

Sign-in failures are django-axes' business: recorded in the database, listed in the admin, configured in
settings.py. This module gives axes the client's address and the name that was tried, both normalised so
that changing the case of an address or hopping within one IPv6 network does not buy another series of
guesses, and it counts what is not a sign-in (password-reset requests, uses of invitation links) in the
cache: Redis in production, shared by every process, where a counter only has to last its window.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.utils.translation import ngettext

# What axes' AccessAttempt.username holds; a sign-in form refuses longer names before authenticating.
SIGN_IN_NAME_MAX_LENGTH = 255


def client_ip(request) -> str | None:
    """The client's address, as the limits count it.

    REMOTE_ADDR, or behind the TLS proxy (CLIENT_IP_FROM_X_FORWARDED_FOR) the last X-Forwarded-For
    entry: the one the proxy appended, which the client cannot forge. An IPv6 address stands for its
    /64 network, which one subscriber usually holds whole; an IPv4-mapped one for its IPv4 address.
    None when there is no usable address. Also django-axes' AXES_CLIENT_IP_CALLABLE.
    """
    address = request.META.get("REMOTE_ADDR", "")
    if settings.CLIENT_IP_FROM_X_FORWARDED_FOR:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if forwarded:
            address = forwarded[-1]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def sign_in_name(request, credentials: dict | None = None) -> str | None:
    """The address tried at sign-in, as the lockout counts it: trimmed and in lower case, as the sign-in
    itself matches it (accounts.models.UserManager). django-axes' AXES_USERNAME_CALLABLE."""
    data = credentials if credentials else getattr(request, "POST", {})
    value = data.get(settings.AXES_USERNAME_FORM_FIELD)
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().lower()[:SIGN_IN_NAME_MAX_LENGTH]


@dataclass(frozen=True)
class RateLimit:
    """At most ``limit`` hits per ``window`` seconds for one key (a client address, an invitation link).

    The window starts at the key's first hit and ends ``window`` seconds later, whatever happens in it.
    Two cache entries per key, both expiring with the window: the count, and when the window ends (so a
    refusal can say when to try again). Keys are hashed: no address is stored in the cache as it is.
    """

    name: str
    limit: int
    window: int

    def _keys(self, value: str) -> tuple[str, str]:
        digest = hashlib.sha256(value.encode()).hexdigest()[:40]
        base = f"rate-limit:{self.name}:{digest}"
        return f"{base}:count", f"{base}:ends"

    def wait(self, value: str) -> int:
        """Seconds before ``value`` may be tried again; 0 when it may be now."""
        count_key, ends_key = self._keys(value)
        values = caches[settings.RATE_LIMIT_CACHE].get_many([count_key, ends_key])
        ends = values.get(ends_key)
        if values.get(count_key, 0) < self.limit or ends is None:
            return 0
        return max(math.ceil(ends - time.time()), 1)

    def hit(self, value: str) -> None:
        """Counts one more for ``value``, starting its window at the first."""
        cache = caches[settings.RATE_LIMIT_CACHE]
        count_key, ends_key = self._keys(value)
        cache.add(ends_key, time.time() + self.window, self.window)
        cache.add(count_key, 0, self.window)
        try:
            # Atomic on Redis and in the local-memory cache, and both keep the key's expiry.
            cache.incr(count_key)
        except ValueError:
            # Expired between add() and incr(): this hit opens a new window.
            cache.add(count_key, 1, self.window)

    def clear(self, value: str) -> None:
        caches[settings.RATE_LIMIT_CACHE].delete_many(list(self._keys(value)))


def password_reset_requests() -> RateLimit:
    """Password-reset requests per client address (PASSWORD_RESET_REQUESTS_PER_IP_PER_HOUR)."""
    return RateLimit(name="password-reset", limit=settings.PASSWORD_RESET_REQUESTS_PER_IP_PER_HOUR, window=3600)


def invitation_link_failures() -> RateLimit:
    """Failed uses of invitation links, per client address and per link: the sign-in's limit and wait."""
    return RateLimit(
        name="invitation-link",
        limit=settings.AXES_FAILURE_LIMIT,
        window=int(settings.AXES_COOLOFF_TIME.total_seconds()),
    )


def try_again_in(seconds: int) -> str:
    """ "Try again in 12 minutes", for a refusal; at least one minute."""
    minutes = max(math.ceil(seconds / 60), 1)
    return ngettext("Try again in %(minutes)d minute.", "Try again in %(minutes)d minutes.", minutes) % {
        "minutes": minutes
    }
