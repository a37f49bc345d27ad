"""The portal's one settings module: every value comes from the environment.

Defaults give a development site on SQLite with Celery on files under var/. Production refuses to
start without its secret key and passes ``manage.py check --deploy`` with HTTPS settings on by default.
README.md and .env.example list every variable.
"""

import datetime
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from upr_portal.env import EnvReader

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = EnvReader()

DEBUG = env.boolean("DJANGO_DEBUG", False)
# With debug on, errors still show the portal's own 404 and 500 pages (a demo site's users are not
# developers); Django's technical pages only with DJANGO_DEBUG_PAGES on too (upr_portal/middleware.py).
DEBUG_PAGES = DEBUG and env.boolean("DJANGO_DEBUG_PAGES", False)
DEFAULT_EXCEPTION_REPORTER = "upr_portal.middleware.FriendlyExceptionReporter"

SECRET_KEY = env.string("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "The environment variable DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(use a long random value, for example from "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
        )
    SECRET_KEY = "development-only-key-never-used-with-debug-off"  # noqa: S105 - debug only

ALLOWED_HOSTS = env.strings("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.strings("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = env.url("SITE_URL", ("http", "https"), default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "notifications",
    "accounts",
    "reviews",
    "coalitions",
    "submissions",
    "advocacy",
    "deadlines",
    "upr_portal",  # project-level management commands (seed_demo), the data generation; no models
    # Django's admin with the portal's admin site: site administrators need two-factor sign-in there
    # when debug is off (accounts/two_factor/admin_site.py).
    "accounts.two_factor.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_prose_editor",  # the section editor (its JavaScript and CSS are in the package's static/)
    "rules.apps.AutodiscoverRulesConfig",
    # Two-factor sign-in: an authenticator app (TOTP) and recovery codes (static) (accounts/two_factor/).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",  # sign-in lockouts, recorded in the database and shown in the admin (accounts/throttles.py)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "upr_portal.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Whether the session passed two-factor sign-in (request.user.is_verified()).
    "django_otp.middleware.OTPMiddleware",
    # The signed-in person's own time zone for the times pages show (accounts/middleware.py).
    "accounts.middleware.UserTimezoneMiddleware",
    # ... and their own language, over the cookie and the browser's (accounts/middleware.py).
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Holds a session at the code step until its code is entered; sends people whom a page asks for
    # two-factor sign-in to set it up (accounts/two_factor/middleware.py).
    "accounts.two_factor.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Inside the ones above, so the friendly 404 page it renders with debug on gets their headers.
    "upr_portal.middleware.FriendlyErrorPagesMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "upr_portal.urls"
WSGI_APPLICATION = "upr_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL names another (PostgreSQL in CI and production).
DATABASE_URL = env.url(
    "DATABASE_URL", ("sqlite", "postgres", "postgresql"), default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite creates the file but not its folder, and var/ is not in git: a fresh clone has none, and
    # even the system checks open the database (JSONField support).
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Several requests (autosave, the live server of the browser tests) write at once.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: broker and result backend for Celery, and the cache shared by every process. Unset (one
# machine, development): Celery's queue and results are files under var/celery (kombu's filesystem
# transport; `make run` starts one worker with embedded beat on them) and the cache is files under
# var/cache, so the worker's heartbeat reaches /healthz in the web process.
REDIS_URL = env.url("REDIS_URL", ("redis", "rediss"))
_celery_dir = VAR_DIR / "celery"
if REDIS_URL:
    # Django's Redis cache, with one client per connection pool (upr_portal/cache.py).
    CACHES = {"default": {"BACKEND": "upr_portal.cache.RedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    # Longer than any countdown the portal schedules, or Redis hands a task out twice.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 6 * 3600}
else:
    # Room for what the pages remember (upr_portal/freshness.py): past MAX_ENTRIES files the cache
    # deletes a third of them at random (300 by default).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": VAR_DIR / "cache",
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }
    # Like SQLite's folder: kombu and Celery's file backend write into these folders but never create them.
    for _folder in ("queue", "control", "results"):
        (_celery_dir / _folder).mkdir(parents=True, exist_ok=True)
    # kombu warns at every connection that names no host, though this transport has none to use.
    CELERY_BROKER_URL = "filesystem://localhost/"
    # kombu's own transport can hand the worker a message file before it is written (celery_files.py).
    CELERY_BROKER_TRANSPORT = "upr_portal.celery_files:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # One folder both ways: whoever sends writes a file there, the worker takes it from there.
        "data_folder_in": str(_celery_dir / "queue"),
        "data_folder_out": str(_celery_dir / "queue"),
        # Exchange tables (the worker's remote control); kombu's default is a folder in the current one.
        "control_folder": str(_celery_dir / "control"),
    }
    CELERY_RESULT_BACKEND = f"file://{_celery_dir / 'results'}"
CELERY_TASK_ALWAYS_EAGER = False
# Should tasks ever run eagerly, they behave as a worker would: a failing task retries (at once) and
# then records its failure, instead of turning the request that queued it into a server error.
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TIMEZONE = "Europe/Zurich"
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.integer("CELERY_WORKER_MAX_TASKS_PER_CHILD", 50, minimum=1)
# Kilobytes of resident memory after which a worker process is replaced, once its task is done:
# rendering a PDF grows a process by tens of megabytes (the job's own time limits are on its task).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.integer("CELERY_WORKER_MAX_MEMORY_PER_CHILD", 400_000, minimum=50_000)

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Two-factor sign-in (django-otp): the name authenticator apps show beside the code, and secrets never
# shown in the admin (a site administrator removes a lost device there; the person sets up a new one).
OTP_TOTP_ISSUER = "UPR Coalition Portal"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

# Sign-in protection (django-axes) on the portal's and the admin's sign-in. Its backend comes first: an
# attempt from a locked-out account or address is refused before any password is hashed. Failures
# count per account and, apart, per client address; a lockout ends AXES_COOLOFF_MINUTES after the last
# failed attempt, and trying meanwhile starts the wait again. A success does not wipe the count: it
# would let anyone with an account of their own go on guessing others' passwords from one address.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.integer("AXES_FAILURE_LIMIT", 10, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.integer("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The field of Django's sign-in form (ours and the admin's), whatever the user model calls it.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.throttles.sign_in_name"
AXES_CLIENT_IP_CALLABLE = "accounts.throttles.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
# Every failure, and whether it was refused, stays listed in the admin; successful sign-ins are not
# recorded: a list of where each person signs in from is a risk to members facing reprisals.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_DISABLE_ACCESS_LOG = True
# Days the failures stay listed; a nightly task forgets older ones (accounts/tasks.py).
SIGN_IN_FAILURES_KEPT_DAYS = env.integer("SIGN_IN_FAILURES_KEPT_DAYS", 30, minimum=1)
# Its start-up banner and "cleaned up 0 attempts" lines at INFO, in every command's output; lockouts
# still log as warnings.
AXES_VERBOSE = False
# Behind the TLS proxy every request comes from the proxy's address; the client's own is the last one
# the proxy appended to X-Forwarded-For (read for the limits above and below, never for anything else).
CLIENT_IP_FROM_X_FORWARDED_FOR = env.boolean("DJANGO_BEHIND_TLS_PROXY", False)
# The same limit and wait for failed uses of invitation links, per address and per link; password-reset
# requests per address. Counted in the cache (Redis in production; accounts/throttles.py).
RATE_LIMIT_CACHE = "default"
PASSWORD_RESET_REQUESTS_PER_IP_PER_HOUR = env.integer("PASSWORD_RESET_REQUESTS_PER_IP_PER_HOUR", 20, minimum=1)

# Outgoing mail limits, counted on the outbox (notifications/limits.py), so the portal cannot be used to
# send spam or phishing under its name: invitations (and resends) one person sends, invitations sent for
# one coalition, and invitations or password resets one address receives.
MAIL_LIMIT_PER_SENDER_PER_HOUR = env.integer("MAIL_LIMIT_PER_SENDER_PER_HOUR", 40, minimum=1)
MAIL_LIMIT_PER_COALITION_PER_DAY = env.integer("MAIL_LIMIT_PER_COALITION_PER_DAY", 300, minimum=1)
MAIL_LIMIT_PER_RECIPIENT_PER_DAY = env.integer("MAIL_LIMIT_PER_RECIPIENT_PER_DAY", 5, minimum=1)

LANGUAGE_CODE = "en"
# A language is offered once its catalogue exists: a switcher must not offer what changes nothing.
_LANGUAGE_NAMES = {"en": _("English"), "fr": _("French"), "es": _("Spanish")}
LANGUAGES = [
    (code, name)
    for code, name in _LANGUAGE_NAMES.items()
    if code == LANGUAGE_CODE or (BASE_DIR / "locale" / code / "LC_MESSAGES" / "django.po").exists()
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates typed as ISO or day-first in every language, never month-first (upr_portal/formats/).
FORMAT_MODULE_PATH = ["upr_portal.formats"]
# UPR deadlines are set in Geneva time; the portal shows every time in it.
TIME_ZONE = "Europe/Zurich"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.string("DJANGO_MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# The largest Word file a member may import into a section (submissions/imports.py), in bytes.
WORD_IMPORT_MAX_BYTES = env.integer("WORD_IMPORT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: the SMTP server in DJANGO_EMAIL_HOST, which debug off requires: a default would send to
# nowhere (inside a container, localhost:25 is nothing) and every invitation would fail later. A relay
# on the machine itself (localhost) defaults to port 25 without TLS. `console` prints each message to
# the log of the process that sends it (a worker) instead: a choice made, for a trial without a server.
# Debug on without DJANGO_EMAIL_HOST: the console too.
DEFAULT_FROM_EMAIL = env.string("DJANGO_DEFAULT_FROM_EMAIL", "UPR Coalition Portal <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = "[UPR Portal] "
_email_host = env.string("DJANGO_EMAIL_HOST")
if not _email_host and not DEBUG:
    raise ImproperlyConfigured(
        "The environment variable DJANGO_EMAIL_HOST must be set when DJANGO_DEBUG is off: the SMTP server "
        "that sends the portal's mail (`localhost` for a relay on this machine), or `console` to write "
        "messages to the log instead of sending them."
    )
if _email_host and _email_host != "console":
    _local_relay = _email_host in {"localhost", "127.0.0.1", "::1"}
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": env.integer("DJANGO_EMAIL_PORT", 25 if _local_relay else 587, minimum=1),
                "username": env.string("DJANGO_EMAIL_USER", ""),
                "password": env.string("DJANGO_EMAIL_PASSWORD", ""),
                "use_tls": env.boolean("DJANGO_EMAIL_USE_TLS", not _local_relay),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# Security. HTTPS settings are on whenever debug is off; DJANGO_SECURE_SSL_REDIRECT=off only for a
# proxy that already redirects (check --deploy then warns, on purpose).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Container and load-balancer health checks speak plain HTTP to the app server itself.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_HTTPONLY = True
# Every signed-in page reads its session from the cache (Redis when deployed), and the database only
# when the cache has lost it; writes go to both.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CSRF_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env.boolean("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env.integer("DJANGO_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env.boolean("DJANGO_BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Browser features no page of the portal uses, turned off for every page (Permissions-Policy header).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# Content Security Policy: only the site's own code runs; inline scripts need the request's nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# How long an invitation link stays valid (coalitions).
INVITATION_MAX_AGE_DAYS = env.integer("INVITATION_MAX_AGE_DAYS", 14, minimum=1)

LOG_LEVEL = env.string("DJANGO_LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(
        f"The environment variable DJANGO_LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL; got {LOG_LEVEL!r}."
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # WeasyPrint logs every layout step at INFO, and fontTools every glyph list of every font it subsets
    # for the PDF; their warnings (a missing font, a refused URL) still show.
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes logs every sign-in and clean-up at INFO; its lockouts are warnings.
        "axes": {"level": "WARNING"},
    },
}
