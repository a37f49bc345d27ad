"""`make bench`'s load test: the main pages at the size of a national coalition, under load.

On the bench's throwaway database, grown with `seed_demo --scale large`'s data (90 organisations,
250 people, a submission of 30 sections saved 100 times each), gunicorn serves the portal with 2
workers, against PostgreSQL when DATABASE_URL names it (SQLite otherwise), and locust (in a process
of its own, scripts/bench_locust.py) sends 20 signed-in people at one page at a time: home, coalition
home, member directory (as a member and as a coordinator), submission, section editor and section
history, with /healthz (the trivial view) before and after each. It prints each page's median and
95th percentile latency and its throughput as a share of /healthz's around it, in the same run.
Set REDIS_URL as well to measure the deployed set-up (cache and broker on Redis).

The share is the figure to watch: every main page should serve at least MIN_SHARE of /healthz's
throughput (issue 9). Absolute times depend on the machine and whatever else runs on it.
"""

from __future__ import annotations

import atexit
import contextlib
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from urllib.parse import quote

from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parent.parent
WORKERS = 2
MIN_SHARE = 0.3
HEALTHZ = "/healthz"
HEALTHZ_SECONDS = 6  # a few thousand answers: enough for a steady figure


def use_a_file_for_sqlite() -> None:
    """Call before creating the test database: gunicorn's workers cannot reach SQLite's in-memory one."""
    if connection.vendor == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="upr-bench-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        connection.settings_dict["TEST"]["NAME"] = str(folder / "bench.sqlite3")


def database_url() -> str:
    """DATABASE_URL of the (test) database this process is connected to, for gunicorn's workers."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "localhost"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{quote(db['NAME'], safe='')}"


@dataclass(frozen=True)
class Visitor:
    """One signed-in person of the load test, with the pages they open."""

    email: str
    role: str
    session_key: str
    section_pk: int  # the section they edit (their editor and its history)


def seed_national_scale():
    from coalitions.demo import LARGE_ORGANISATIONS, LARGE_PEOPLE, demo_scale_seed, demo_seed
    from submissions.demo import demo_large_submission_seed

    started = time.perf_counter()
    report = demo_seed()
    scale = demo_scale_seed(coalition=report.coalition, organisations=LARGE_ORGANISATIONS, people=LARGE_PEOPLE)
    submission = demo_large_submission_seed(coalition=report.coalition, review=report.review)
    print(
        f"seed_demo --scale large data       {time.perf_counter() - started:7.2f} s  "
        f"({scale.organisations} organisations, {scale.people} people, "
        f"{submission.sections.count()} sections of {submission.sections.first().version} versions)"
    )
    return report.coalition, submission


def sign_in_visitors(coalition, submission, count: int) -> list[Visitor]:
    """``count`` people who may edit a section, coordinators first, then the others spread over the
    organisations; each gets the section the fewest others have, among those they may edit."""
    from coalitions.models import Membership, Role
    from coalitions.rules import EDITING_ROLES, can
    from submissions import selectors

    sections = selectors.sections_for_overview(submission=submission)
    for section in sections:
        section.submission = submission
    memberships = list(
        Membership.objects.filter(coalition=coalition, is_active=True, role__in=EDITING_ROLES)
        .select_related("user")
        .order_by("organisation__name", "pk")
    )
    coordinators = [m for m in memberships if m.role == Role.COORDINATOR]
    others = [m for m in memberships if m.role != Role.COORDINATOR]
    step = max(1, len(others) // max(1, count - len(coordinators)))
    chosen = coordinators + others[::step] + others
    load = {section.pk: 0 for section in sections}
    visitors: list[Visitor] = []
    for membership in chosen:
        if len(visitors) == count or any(v.email == membership.user.email for v in visitors):
            continue
        editable = [s for s in sections if can(membership.user, "submissions.edit_section", s)]
        if not editable:
            continue
        section = min(editable, key=lambda s: (load[s.pk], s.position))
        load[section.pk] += 1
        client = Client()
        client.force_login(membership.user)
        visitors.append(
            Visitor(
                email=membership.user.email,
                role=membership.role,
                session_key=client.cookies[settings.SESSION_COOKIE_NAME].value,
                section_pk=section.pk,
            )
        )
    if len(visitors) < count:
        raise SystemExit(f"Only {len(visitors)} people may edit a section; the load test needs {count}.")
    return visitors


def phases(coalition, submission, visitors: list[Visitor]) -> list[dict]:
    from coalitions.models import Role

    def each(path_of) -> list[tuple[str, str]]:
        return [(v.session_key, path_of(v)) for v in visitors]

    def section_url(name: str):
        return lambda visitor: reverse(name, args=[submission.pk, visitor.section_pk])

    coordinators = [v for v in visitors if v.role == Role.COORDINATOR]
    directory = reverse("coalitions:directory", args=[coalition.pk])
    pages = [
        {"name": "home", "visits": each(lambda v: reverse("home"))},
        {"name": "coalition home", "visits": each(lambda v: reverse("coalitions:home", args=[coalition.pk]))},
        {"name": "member directory", "visits": each(lambda v: directory)},
        {"name": "member directory, coordinator", "visits": [(v.session_key, directory) for v in coordinators]},
        {"name": "submission", "visits": each(lambda v: reverse("submissions:detail", args=[submission.pk]))},
        {"name": "section editor", "visits": each(section_url("submissions:section_edit"))},
        {"name": "section history", "visits": each(section_url("submissions:history"))},
    ]
    # /healthz before and after every page: whatever else runs on the machine changes its speed
    # during a run, so each page is compared with the trivial view measured just before and after it.
    healthz = {"name": HEALTHZ, "visits": [("", reverse("healthz"))], "seconds": HEALTHZ_SECONDS}
    return [step for page in pages for step in (healthz, page)] + [healthz]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn(port: int):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url(),
        "DJANGO_DEBUG": "0",
    }
    # S603: the virtualenv's own gunicorn, with this script's arguments.
    server = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "upr_portal.wsgi",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--no-control-socket",
        ],
        cwd=BASE_DIR,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError):
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                probe.request("GET", "/healthz")
                if probe.getresponse().status == 200:
                    break
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("gunicorn did not start: see its messages above.")
            time.sleep(0.2)
        yield
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def check_pages(port: int, plan_phases: list[dict], cookie_name: str) -> None:
    """Every visit answers 200 before the load starts: a page that redirects or refuses measures nothing."""
    for phase in plan_phases:
        for session_key, path in dict.fromkeys(tuple(v) for v in phase["visits"]):
            server = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            server.request("GET", path, headers={"Cookie": f"{cookie_name}={session_key}"} if session_key else {})
            status = server.getresponse().status
            server.close()
            if status != 200:
                raise SystemExit(f"{phase['name']}: {path} answered {status}, not 200.")


def load_test(*, users: int, seconds: float, warmup: float) -> None:
    coalition, submission = seed_national_scale()
    visitors = sign_in_visitors(coalition, submission, users)
    plan_phases = phases(coalition, submission, visitors)
    port = free_port()
    # With Redis, as deployed, /healthz also pings the broker and reads the beat's heartbeat from the
    # cache; without it both are files on this machine, and /healthz costs about a third as much.
    redis = "Redis (cache and broker)" if settings.REDIS_URL else "no Redis: set REDIS_URL for the deployed set-up"
    print(
        f"load test: gunicorn with {WORKERS} workers on {connection.vendor}, {redis}; {users} signed-in people "
        f"at once, {seconds:g} s a page after {warmup:g} s of warm-up"
    )
    with gunicorn(port), tempfile.TemporaryDirectory(prefix="upr-bench-") as folder:
        check_pages(port, plan_phases, settings.SESSION_COOKIE_NAME)
        plan_file = Path(folder) / "plan.json"
        plan_file.write_text(
            json.dumps(
                {
                    "host": f"http://127.0.0.1:{port}",
                    "users": users,
                    "warmup": warmup,
                    "seconds": seconds,
                    "cookie_name": settings.SESSION_COOKIE_NAME,
                    "phases": plan_phases,
                }
            ),
            encoding="utf-8",
        )
        # S603: the virtualenv's Python running the client half of this script.
        client = subprocess.run(  # noqa: S603
            [sys.executable, str(BASE_DIR / "scripts" / "bench_locust.py"), str(plan_file)],
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            check=False,
        )
    if client.returncode != 0:
        raise SystemExit(f"The load test's client failed:\n{client.stderr}")
    print_results(json.loads(client.stdout))


def print_results(results: list[dict]) -> None:
    healthz = [r["per_second"] for r in results if r["name"] == HEALTHZ]
    print(f"{'page':32} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} {'share of /healthz':>18}")
    all_healthz = [r for r in results if r["name"] == HEALTHZ]
    print(
        f"{HEALTHZ:32} {median(r['p50'] for r in all_healthz):8.1f} {median(r['p95'] for r in all_healthz):8.1f} "
        f"{median(healthz):8.1f} {'1.00':>18}   "
        f"(median of {len(healthz)} runs, {min(healthz):.0f} to {max(healthz):.0f} req/s)"
    )
    below = []
    for index, result in enumerate(results):
        if result["name"] == HEALTHZ:
            continue
        # The mean of the /healthz runs just before and just after this page.
        around = (results[index - 1]["per_second"] + results[index + 1]["per_second"]) / 2
        share = result["per_second"] / around
        failures = ", ".join(f"{n} answered {status}" for status, n in result["failures"].items())
        print(
            f"{result['name']:32} {result['p50'] or 0:8.1f} {result['p95'] or 0:8.1f} {result['per_second']:8.1f} "
            f"{share:18.2f}{'  ' + failures if failures else ''}"
        )
        if share < MIN_SHARE:
            below.append(result["name"])
    if below:
        print(f"Below {MIN_SHARE} of /healthz's throughput: {', '.join(below)}.")
    else:
        print(f"Every main page serves at least {MIN_SHARE} of /healthz's throughput.")
