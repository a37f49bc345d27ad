"""The portal's one settings module: every value comes from the environment.

Defaults give a development site on SQLite with Celery on files under var/. Production refuses to
start without its secret key and passes ``manage.py check --deploy`` with HTTPS settings on by default.
README.md and .env.example list every variable.
"""

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
    "deadlines",
    "upr_portal",  # project-level management commands (seed_demo); no models
    "django.contrib.admin",
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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
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
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    # Longer than any countdown the portal schedules, or Redis hands a task out twice.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 6 * 3600}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": VAR_DIR / "cache"}
    }
    # Like SQLite's folder: kombu and Celery's file backend write into these folders but never create them.
    for _folder in ("queue", "control", "results"):
        (_celery_dir / _folder).mkdir(parents=True, exist_ok=True)
    # kombu warns at every connection that names no host, though this transport has none to use.
    CELERY_BROKER_URL = "filesystem://localhost/"
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
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

LANGUAGE_CODE = "en"
# A language is offered once its catalogue exists: a switcher must not offer what changes nothing.
_LANGUAGE_NAMES = {"en": _("English"), "fr": _("French"), "es": _("Spanish")}
LANGUAGES = [
    (code, name)
    for code, name in _LANGUAGE_NAMES.items()
    if code == LANGUAGE_CODE or (BASE_DIR / "locale" / code / "LC_MESSAGES" / "django.po").exists()
]
LOCALE_PATHS = [BASE_DIR / "locale"]
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

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: printed to the console in development (debug on, no DJANGO_EMAIL_HOST); otherwise SMTP, by
# default to the mail relay on the machine itself (localhost:25, as Django's own default).
DEFAULT_FROM_EMAIL = env.string("DJANGO_DEFAULT_FROM_EMAIL", "UPR Coalition Portal <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = "[UPR Portal] "
_email_host = env.string("DJANGO_EMAIL_HOST")
if _email_host or not DEBUG:
    _local_relay = not _email_host
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host or "localhost",
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
    # WeasyPrint logs every layout step at INFO; its warnings (a missing font, a refused URL) still show.
    "loggers": {"django.db.backends": {"level": "INFO"}, "weasyprint": {"level": "WARNING"}},
}
