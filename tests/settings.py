"""Test overlay on the one settings module: fast hashing, in-memory mail, plain static storage.

Everything else, including DATABASE_URL and REDIS_URL, comes from the environment as in production,
so the same suite runs on SQLite in-process or on PostgreSQL with a real Celery worker on Redis.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-" + "x" * 40)

from upr_portal.settings import *  # noqa: E402,F403
from upr_portal.settings import STORAGES  # noqa: E402

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
