"""Rough latency figures: `make bench` (or `python -m scripts.bench --requests 500`).

Measures, on a throwaway test database of whatever DATABASE_URL names (SQLite by default):
the time of ``load_reference_data``, and the latency and query count of the home page (signed out,
and signed in as a demo coalition member) and of /healthz through Django's test client, so without
network, server or static files; and the contribution dashboard's at national scale
(scripts/bench_dashboard.py). Compare runs on the same machine only.

Then the load test of scripts/bench_load.py: the main pages at national-coalition scale, served by
gunicorn to 20 signed-in people at once, as a share of /healthz's throughput (``--load-seconds 0``
skips it).
"""

import argparse
import os
import statistics
import time
from collections.abc import Callable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from scripts import bench_load  # noqa: E402
from scripts.bench_dashboard import dashboard_bench  # noqa: E402
from scripts.bench_text import text_bench  # noqa: E402
from scripts.bench_uptake import uptake_bench  # noqa: E402


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def measure(client: Client, path: str, requests: int) -> str:
    client.get(path)  # warm-up: URL resolver, templates, first connection
    with CaptureQueriesContext(connection) as queries:
        status = client.get(path).status_code
    # Read now: every later request_started clears the connection's query log.
    query_count = len(queries)
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != status:
            raise SystemExit(f"{path} answered {response.status_code} after {status}")
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    return (
        f"{status}  median {statistics.median(timings):7.2f} ms  p95 {p95:7.2f} ms  "
        f"max {timings[-1]:7.2f} ms  {query_count} queries"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per page (default 200)")
    parser.add_argument("--users", type=int, default=20, help="load test: people at once (default 20)")
    parser.add_argument(
        "--load-seconds", type=float, default=15, help="load test: seconds measured per page (default 15; 0 skips it)"
    )
    args = parser.parse_args()

    setup_test_environment()
    bench_load.use_a_file_for_sqlite()
    test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"database: {connection.vendor} ({test_db}), {args.requests} requests per page")
        seconds = timed(lambda: call_command("load_reference_data", stdout=open(os.devnull, "w")))  # noqa: SIM115
        print(f"load_reference_data            {seconds:7.2f} s")

        from coalitions.demo import demo_seed

        report = demo_seed()
        member = get_user_model().objects.get(email=report.sign_ins[0][0])

        anonymous, signed_in = Client(), Client()
        signed_in.force_login(member)
        print(f"GET /         signed out       {measure(anonymous, '/', args.requests)}")
        print(f"GET /         signed in        {measure(signed_in, '/', args.requests)}")
        print(f"GET /healthz                   {measure(anonymous, '/healthz', args.requests)}")
        text_bench()
        uptake_bench()
        dashboard_bench(requests=args.requests, measure=measure)
        if args.load_seconds:
            bench_load.load_test(users=args.users, seconds=args.load_seconds, warmup=3)
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)


if __name__ == "__main__":
    main()
