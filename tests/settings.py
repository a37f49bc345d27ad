"""Test overlay on the one settings module: fast hashing, in-memory mail, plain static storage.

Everything else, including DATABASE_URL and REDIS_URL, comes from the environment as in production,
so the same suite runs on SQLite in-process or on PostgreSQL with a real Celery worker on Redis.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-" + "x" * 40)
# Debug off requires a mail server; MAILERS below keeps every message in memory anyway.
os.environ.setdefault("DJANGO_EMAIL_HOST", "console")

from upr_portal.settings import *  # noqa: F403
from upr_portal.settings import CACHES, REDIS_URL, STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# Tests speak plain HTTP to the test client and the live server.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
ALLOWED_HOSTS = ["*"]
WHITENOISE_AUTOREFRESH = True
# Tasks run in-process, on commit, in every test, with errors raised where they happen; the tests
# that need a real worker on Redis ask for the `celery_worker` fixture, which turns this off.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True

# Under pytest-xdist each worker process (gw0, gw1, ...) has a test database of its own, so it also gets
# a queue of its own: the worker thread of one process must never run another's tasks against the
# wrong database, and its purge must leave the other queues alone. The cache keys are kept apart too.
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
CELERY_TASK_DEFAULT_QUEUE = f"upr-tests-{_XDIST_WORKER or 'main'}"
if REDIS_URL:
    CACHES = {"default": {**CACHES["default"], "KEY_PREFIX": CELERY_TASK_DEFAULT_QUEUE}}
else:
    # A process's own cache: the development site's cache files under var/ stay out of the tests.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Rate-limit counters (accounts/throttles.py) in a cache of their own, emptied before every test
# (tests/conftest.py), so a count left by one test never refuses another's request. Their behaviour on
# the shared cache (Redis in CI) is tested apart (tests/accounts/test_throttles.py).
CACHES = {
    **CACHES,
    "rate-limits": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rate-limits"},
}
RATE_LIMIT_CACHE = "rate-limits"
