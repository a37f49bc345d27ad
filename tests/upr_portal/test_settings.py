"""The settings module read from a controlled environment.

Each case evaluates upr_portal/settings.py afresh in this process with exactly the variables it names
(plus PATH and HOME): the real settings, not the test overlay (tests/upr_portal/settings_reader.py).
Only what needs a fresh interpreter, ``manage.py check`` starting up, runs in a subprocess.
"""

import re
import secrets

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.upr_portal.processes import BASE_DIR, run_python
from tests.upr_portal.settings_reader import settings_with, variables_read_by_settings
from upr_portal.env import EnvReader


def start_up_error(**variables: str) -> str:
    """The last line of the traceback when settings refuse to load."""
    with pytest.raises(ImproperlyConfigured) as excinfo:
        settings_with(**variables)
    return f"{excinfo.type.__module__}.{excinfo.type.__qualname__}: {excinfo.value}"


def test_settings_without_redis_queue_tasks_in_folders_under_var():
    values = settings_with(DJANGO_DEBUG="1")
    folder = BASE_DIR / "var" / "celery"

    assert values["CELERY_TASK_ALWAYS_EAGER"] is False
    assert values["CELERY_BROKER_URL"] == "filesystem://localhost/"
    assert values["CELERY_BROKER_TRANSPORT_OPTIONS"] == {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "control_folder": str(folder / "control"),
    }
    assert values["CELERY_RESULT_BACKEND"] == f"file://{folder / 'results'}"
    # kombu and Celery's file backend need the folders before the first task.
    assert [(folder / name).is_dir() for name in ("queue", "control", "results")] == [True, True, True]
    # Shared through files, so the heartbeat a worker records reaches /healthz in the web process.
    assert values["CACHES"] == {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": BASE_DIR / "var" / "cache",
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }


def test_settings_with_redis_send_tasks_to_the_broker():
    values = settings_with(DJANGO_DEBUG="1", REDIS_URL="redis://redis.internal:6379/3")

    assert values["CELERY_TASK_ALWAYS_EAGER"] is False
    assert values["CELERY_BROKER_URL"] == "redis://redis.internal:6379/3"
    assert values["CELERY_RESULT_BACKEND"] == "redis://redis.internal:6379/3"
    assert values["CELERY_BROKER_TRANSPORT_OPTIONS"] == {"visibility_timeout": 6 * 3600}
    assert values["CACHES"]["default"]["BACKEND"] == "upr_portal.cache.RedisCache"


def test_settings_database_defaults_to_sqlite_under_var():
    database = settings_with(DJANGO_DEBUG="1")["DATABASES"]["default"]

    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(BASE_DIR / "var" / "db.sqlite3")


def test_settings_create_the_folder_of_a_new_sqlite_database(tmp_path):
    # A fresh clone has no var/: even `manage.py check` opens the database (JSONField support).
    database = tmp_path / "not-yet" / "db.sqlite3"

    result = run_python(["manage.py", "check"], DJANGO_DEBUG="1", DATABASE_URL=f"sqlite:///{database}")

    assert (result.returncode, result.stdout.strip()) == (0, "System check identified no issues (0 silenced).")
    assert database.parent.is_dir()


def test_settings_database_url_selects_postgresql():
    values = settings_with(DJANGO_DEBUG="1", DATABASE_URL="postgres://upr:pw@db.internal:5432/upr")
    database = values["DATABASES"]["default"]

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["NAME"] == "upr"


def test_settings_debug_is_off_by_default():
    assert settings_with(DJANGO_SECRET_KEY="k" * 50, DJANGO_EMAIL_HOST="console")["DEBUG"] is False


def test_settings_debug_pages_only_with_debug_on_and_asked_for():
    values = [
        settings_with(**variables)["DEBUG_PAGES"]
        for variables in (
            {"DJANGO_DEBUG": "1"},
            {"DJANGO_DEBUG": "1", "DJANGO_DEBUG_PAGES": "1"},
            {"DJANGO_SECRET_KEY": "k" * 50, "DJANGO_EMAIL_HOST": "console", "DJANGO_DEBUG_PAGES": "1"},
        )
    ]

    assert values == [False, True, False]


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (
            {"DJANGO_DEBUG": "maybe"},
            "The environment variable DJANGO_DEBUG must be one of 1/0, true/false, yes/no, on/off; got 'maybe'.",
        ),
        (
            {"DJANGO_DEBUG": "1", "DATABASE_URL": "mysql://x"},
            "The environment variable DATABASE_URL must be a URL starting with sqlite://, postgres://, "
            "postgresql://; got 'mysql://x'.",
        ),
        (
            {"DJANGO_DEBUG": "1", "REDIS_URL": "http://x"},
            "The environment variable REDIS_URL must be a URL starting with redis://, rediss://; got 'http://x'.",
        ),
        (
            {"DJANGO_DEBUG": "1", "DJANGO_EMAIL_HOST": "smtp.example.org", "DJANGO_EMAIL_PORT": "abc"},
            "The environment variable DJANGO_EMAIL_PORT must be a whole number; got 'abc'.",
        ),
        (
            {"DJANGO_DEBUG": "1", "DJANGO_LOG_LEVEL": "verbose"},
            "The environment variable DJANGO_LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL; got 'VERBOSE'.",
        ),
    ],
    ids=["debug-maybe", "database-mysql", "redis-http", "email-port-abc", "log-level-verbose"],
)
def test_settings_bad_value_stops_start_up_naming_the_variable(variables, message):
    assert start_up_error(**variables) == f"django.core.exceptions.ImproperlyConfigured: {message}"


def test_settings_worker_memory_ceiling_defaults_and_reads_the_environment():
    assert settings_with(DJANGO_DEBUG="1")["CELERY_WORKER_MAX_MEMORY_PER_CHILD"] == 400_000
    values = settings_with(DJANGO_DEBUG="1", CELERY_WORKER_MAX_MEMORY_PER_CHILD="250000")
    assert values["CELERY_WORKER_MAX_MEMORY_PER_CHILD"] == 250_000
    assert start_up_error(DJANGO_DEBUG="1", CELERY_WORKER_MAX_MEMORY_PER_CHILD="1000") == (
        "django.core.exceptions.ImproperlyConfigured: The environment variable "
        "CELERY_WORKER_MAX_MEMORY_PER_CHILD must be at least 50000; got 1000."
    )


def test_settings_without_secret_key_and_debug_off_refuse_to_start():
    last_line = start_up_error()

    assert last_line.startswith(
        "django.core.exceptions.ImproperlyConfigured: The environment variable DJANGO_SECRET_KEY must be set "
        "when DJANGO_DEBUG is off"
    )


def test_check_deploy_is_clean_with_the_documented_production_variables():
    result = run_python(
        ["manage.py", "check", "--deploy"],
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="portal.example.org",
        DJANGO_EMAIL_HOST="smtp.example.org",
    )
    output = result.stdout + result.stderr

    assert "WARNINGS" not in output
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert result.returncode == 0


def test_every_settings_variable_is_documented_in_env_example_and_readme():
    names = variables_read_by_settings()
    example = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (BASE_DIR / ".env.example").read_text(), re.M))
    readme_table = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", (BASE_DIR / "README.md").read_text(), re.M))

    assert "DATABASE_URL" in names  # the pattern spans line breaks
    assert sorted(names - example) == []
    assert sorted(names - readme_table) == []


def test_env_reader_boolean_accepts_the_usual_spellings():
    env = EnvReader({"A": "Yes", "B": "off", "C": " 1 ", "D": ""})

    assert [env.boolean("A"), env.boolean("B"), env.boolean("C"), env.boolean("D")] == [True, False, True, False]
    assert env.boolean("MISSING", True) is True


def test_env_reader_boolean_rejects_other_words():
    with pytest.raises(ImproperlyConfigured, match=r"^The environment variable FLAG must be one of .*; got 'sure'\.$"):
        EnvReader({"FLAG": "sure"}).boolean("FLAG")


def test_env_reader_integer_checks_type_and_minimum():
    env = EnvReader({"N": "42", "LOW": "0", "BAD": "4.5", "BLANK": " "})

    assert env.integer("N", 1) == 42
    assert env.integer("BLANK", 7) == 7
    with pytest.raises(ImproperlyConfigured, match=r"^The environment variable LOW must be at least 1; got 0\.$"):
        env.integer("LOW", 5, minimum=1)
    with pytest.raises(ImproperlyConfigured, match=r"^The environment variable BAD must be a whole number"):
        env.integer("BAD", 5)


def test_env_reader_strings_split_on_commas_and_drop_blanks():
    env = EnvReader({"HOSTS": " a.example.org, ,b.example.org ,"})

    assert env.strings("HOSTS") == ["a.example.org", "b.example.org"]
    assert env.strings("MISSING", ["localhost"]) == ["localhost"]


def test_env_reader_string_treats_empty_as_unset():
    env = EnvReader({"EMPTY": "", "SET": "value"})

    assert env.string("EMPTY", "default") == "default"
    assert env.string("SET") == "value"
    with pytest.raises(ImproperlyConfigured, match=r"^The environment variable EMPTY must be set\.$"):
        env.string("EMPTY", required=True)


def test_env_reader_url_checks_the_scheme():
    env = EnvReader({"GOOD": "rediss://cache:6380/0", "NO_HOST": "redis://", "WRONG": "amqp://broker"})

    assert env.url("GOOD", ("redis", "rediss")) == "rediss://cache:6380/0"
    assert env.url("MISSING", ("redis",)) is None
    assert env.url("MISSING", ("redis",), default="redis://localhost/0") == "redis://localhost/0"
    for name in ("NO_HOST", "WRONG"):
        with pytest.raises(ImproperlyConfigured, match=rf"^The environment variable {name} must be a URL"):
            env.url(name, ("redis", "rediss"))


def test_settings_with_debug_off_and_no_email_host_refuse_to_start():
    # A default server would be nothing inside a container, and every invitation would fail later.
    assert start_up_error(DJANGO_SECRET_KEY=secrets.token_urlsafe(50)) == (
        "django.core.exceptions.ImproperlyConfigured: The environment variable DJANGO_EMAIL_HOST must be set "
        "when DJANGO_DEBUG is off: the SMTP server that sends the portal's mail (`localhost` for a relay on "
        "this machine), or `console` to write messages to the log instead of sending them."
    )


def smtp(host: str, port: int, use_tls: bool) -> dict:
    options = {"host": host, "port": port, "username": "", "password": "", "use_tls": use_tls, "timeout": 20}
    return {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}}


def test_mail_goes_to_the_email_host_with_starttls_on_port_587():
    values = settings_with(DJANGO_SECRET_KEY=secrets.token_urlsafe(50), DJANGO_EMAIL_HOST="smtp.example.org")

    assert values["MAILERS"] == smtp("smtp.example.org", 587, use_tls=True)


def test_mail_to_a_relay_on_localhost_defaults_to_port_25_without_tls():
    values = settings_with(DJANGO_SECRET_KEY=secrets.token_urlsafe(50), DJANGO_EMAIL_HOST="localhost")

    assert values["MAILERS"] == smtp("localhost", 25, use_tls=False)


def test_mail_host_console_writes_messages_to_the_log_even_with_debug_off():
    values = settings_with(DJANGO_SECRET_KEY=secrets.token_urlsafe(50), DJANGO_EMAIL_HOST="console")

    assert values["MAILERS"] == {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}


def test_mail_with_debug_on_and_no_email_host_goes_to_the_console():
    values = settings_with(DJANGO_DEBUG="1")

    assert values["MAILERS"] == {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
