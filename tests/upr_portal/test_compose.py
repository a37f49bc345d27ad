"""docker-compose.yml read against the settings, in CI, where there is no Docker.

The file is parsed (PyYAML: merge keys included); what it sets is compared with what
upr_portal/settings.py reads, and the settings are evaluated with the environment compose gives the
app's containers. The web container's health check command runs for real against a live server.
"""

import re
import subprocess
import sys

import pytest
import yaml

from tests.upr_portal.processes import BASE_DIR
from tests.upr_portal.settings_reader import settings_with, variables_read_by_settings

COMPOSE = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
# The services that run the portal's image: the web, the workers and beat.
APP_SERVICES = sorted(name for name, service in SERVICES.items() if service.get("image") == "upr-portal:latest")
# ${NAME}, ${NAME:-default}, ${NAME:?message}: compose takes NAME from .env (or the shell).
INTERPOLATION = re.compile(r"\$\{([A-Z][A-Z0-9_]*)(?::?([-?])([^}]*))?\}")
# What an operator writes in .env, as .env.example and README.md ask (POSTGRES_PASSWORD: letters, digits).
FILLED_IN_ENV = {
    "DJANGO_SECRET_KEY": "s" * 50,
    "DJANGO_ALLOWED_HOSTS": "portal.example.org",
    "SITE_URL": "https://portal.example.org",
    "DJANGO_EMAIL_HOST": "smtp.example.org",
    "POSTGRES_PASSWORD": "LettersAndDigits42",
}


def interpolations() -> dict[str, str]:
    """Every variable the compose file takes from .env, with how: '?' required, '-' defaulted, '' plain."""
    found = {}
    for name, how, _rest in INTERPOLATION.findall((BASE_DIR / "docker-compose.yml").read_text()):
        found[name] = "?" if "?" in (how, found.get(name)) else how
    return found


def container_environment(service: str, dot_env: dict[str, str]) -> dict[str, str]:
    """The variables compose sets in ``service``'s container from its `environment`, given ``dot_env``."""

    def resolve(match: re.Match) -> str:
        name, how, rest = match.groups()
        if name in dot_env:
            return dot_env[name]
        if how == "-":
            return rest
        raise LookupError(f"compose refuses to start without {name}: {rest}")

    return {name: INTERPOLATION.sub(resolve, str(value)) for name, value in SERVICES[service]["environment"].items()}


def example_variables() -> set[str]:
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (BASE_DIR / ".env.example").read_text(), re.M))


def test_compose_runs_the_app_image_as_web_worker_and_beat():
    assert APP_SERVICES == ["beat", "web", "worker"]


def test_compose_sets_only_variables_the_settings_read():
    read = variables_read_by_settings()

    for service in APP_SERVICES:
        assert sorted(set(SERVICES[service]["environment"]) - read) == [], service


def test_compose_demands_every_variable_production_needs():
    # Each one compose must refuse to start without: the settings refuse to load without the first two
    # (debug off), and without the others every page answers 400 or every email links to 127.0.0.1.
    required = {name for name, how in interpolations().items() if how == "?"}

    assert sorted(required) == sorted(FILLED_IN_ENV)
    for name in sorted(required):
        without = {key: value for key, value in FILLED_IN_ENV.items() if key != name}
        with pytest.raises(LookupError, match=f"^compose refuses to start without {name}: set {name} in .env"):
            container_environment("web", without)


def test_compose_takes_from_env_only_variables_env_example_lists():
    # The file an operator copies must show every value compose asks for.
    assert sorted(set(interpolations()) - example_variables()) == []


def test_settings_load_for_production_with_the_environment_compose_gives():
    environment = container_environment("web", FILLED_IN_ENV)

    values = settings_with(**environment)

    assert (values["DEBUG"], values["ALLOWED_HOSTS"], values["SITE_URL"]) == (
        False,
        ["portal.example.org"],
        "https://portal.example.org",
    )
    database = values["DATABASES"]["default"]
    assert (database["ENGINE"], database["HOST"], database["NAME"], database["PASSWORD"]) == (
        "django.db.backends.postgresql",
        "postgres",
        "upr",
        "LettersAndDigits42",
    )
    assert (values["CELERY_BROKER_URL"], values["CACHES"]["default"]["LOCATION"]) == (
        "redis://redis:6379/0",
        "redis://redis:6379/0",
    )
    assert values["MAILERS"]["default"]["OPTIONS"]["host"] == "smtp.example.org"
    assert values["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert str(values["MEDIA_ROOT"]) == "/app/var/media"
    assert "/app/var/media" in {volume.split(":")[1] for volume in SERVICES["web"]["volumes"]}


def test_compose_postgres_gets_the_password_of_database_url():
    postgres = SERVICES["postgres"]["environment"]

    assert (postgres["POSTGRES_USER"], postgres["POSTGRES_DB"]) == ("upr", "upr")
    assert postgres["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")
    assert SERVICES["web"]["environment"]["DATABASE_URL"].startswith("postgres://upr:${POSTGRES_PASSWORD:?")


def test_env_example_ships_no_smtp_host_to_forget():
    # An uncommented placeholder (smtp.example.org) would be "set" and fail only at the first email.
    lines = [line for line in (BASE_DIR / ".env.example").read_text().splitlines() if line.startswith("DJANGO_EMAIL")]

    assert lines == ["DJANGO_EMAIL_HOST="]


def test_every_compose_service_has_a_health_check():
    checks = {name: service.get("healthcheck", {}).get("test") for name, service in SERVICES.items()}

    assert sorted(name for name, test in checks.items() if not test) == []
    assert checks["beat"] == ["CMD", "python", "manage.py", "check_heartbeat"]


def test_web_migrates_then_loads_reference_data_then_starts_gunicorn():
    shell, flag, script = SERVICES["web"]["command"]
    steps = [step.strip() for step in script.split("&&")]

    assert (shell, flag) == ("sh", "-c")
    assert steps == [
        "python manage.py migrate --noinput",
        "python manage.py load_reference_data",
        "exec gunicorn -c python:upr_portal.gunicorn_conf upr_portal.wsgi",
    ]


def test_worker_and_beat_wait_for_the_web_which_migrates():
    for service in ("worker", "beat"):
        assert SERVICES[service]["depends_on"] == {"web": {"condition": "service_healthy"}}


def test_beat_keeps_its_schedule_on_its_volume_that_the_image_prepares():
    command = SERVICES["beat"]["command"]
    schedule = command[command.index("--schedule") + 1]
    mounts = dict(volume.split(":") for volume in SERVICES["beat"]["volumes"])
    dockerfile = (BASE_DIR / "Dockerfile").read_text()

    assert schedule == "/app/var/beat/celerybeat-schedule"
    assert mounts == {"beat": "/app/var/beat"}
    assert "beat" in COMPOSE["volumes"]
    # A new named volume takes the owner of the image's folder: the app user must be able to write.
    assert "mkdir -p var/media var/beat" in dockerfile
    assert "chown -R upr:upr var/media var/beat" in dockerfile


def test_image_gives_the_app_user_a_writable_home_for_font_caches():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()

    assert "HOME=/home/upr" in dockerfile
    assert "XDG_CACHE_HOME=/home/upr/.cache" in dockerfile
    assert "useradd --system --user-group --uid 10001 --home-dir /home/upr --create-home upr" in dockerfile
    assert "chown -R upr:upr /home/upr" in dockerfile
    assert "\nUSER upr\n" in dockerfile


def web_health_check(url: str, site_url: str) -> subprocess.CompletedProcess:
    """The web service's health check command, pointed at ``url`` instead of the container's port."""
    kind, program, flag, code = SERVICES["web"]["healthcheck"]["test"]
    assert (kind, program, flag) == ("CMD", "python", "-c")
    assert "http://127.0.0.1:8000/healthz" in code
    code = code.replace("http://127.0.0.1:8000/healthz", f"{url}/healthz")
    # S603: this interpreter with the compose file's own check.
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env={"SITE_URL": site_url}, capture_output=True, text=True, timeout=60
    )


@pytest.mark.django_db(transaction=True)
def test_web_health_check_asks_with_the_host_of_site_url(live_server, settings):
    settings.ALLOWED_HOSTS = ["portal.example.org"]

    allowed = web_health_check(live_server.url, "https://portal.example.org")
    # A SITE_URL the site does not answer to: what people's browsers would get, 400, fails the check.
    other = web_health_check(live_server.url, "https://elsewhere.example.org")

    assert (allowed.returncode, allowed.stderr) == (0, "")
    assert other.returncode == 1
    assert other.stderr.strip().splitlines()[-1] == "urllib.error.HTTPError: HTTP Error 400: Bad Request"
