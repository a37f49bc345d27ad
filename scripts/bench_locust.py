"""The client side of `make bench`'s load test: locust, headless, driven from Python.

scripts/bench_load.py runs this in a process of its own, because importing locust patches the
standard library with gevent, which the Django process must not see. It reads a plan (JSON, the
file named on the command line), runs one phase per page one after the other, and prints the
results as JSON on stdout.

Plan: {"host": "http://127.0.0.1:PORT", "users": 20, "warmup": 3, "seconds": 15,
       "cookie_name": "sessionid",
       "phases": [{"name": "home", "visits": [[session key, path], ...], "seconds": 6 (optional)}, ...]}

In each phase ``users`` simulated people ask for the page as fast as the server answers (no think
time, so the figures are the server's throughput, not the simulated people's pace); the n-th of them
signs in with the n-th visit's session (cycling). Answers during the first ``warmup`` seconds (and
until each person has had one) are not counted; then every answer of the next ``seconds`` is, or
until MIN_ANSWERS have come. Anything but a 200 is a failure. Between phases the server finishes
what is still queued.
"""

import itertools
import json
import statistics
import sys
import time

import gevent
from geventhttpclient import HTTPClient
from locust import FastHttpUser, constant, events, task
from locust.env import Environment

MIN_ANSWERS = 40
MAX_PHASE_SECONDS = 180


def percentile(sorted_values: list[float], share: float) -> float:
    """The nearest-rank percentile of values sorted in increasing order."""
    rank = max(1, round(share * len(sorted_values) + 0.5))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def drain(host: str) -> None:
    """Waits until the server has answered what the phase left in its queue: a sync worker still
    serves a request whose client has gone, and the next phase must not pay for it."""
    client = HTTPClient.from_url(host, network_timeout=MAX_PHASE_SECONDS, connection_timeout=10)
    for _ in range(2):
        client.get("/healthz").read()
    client.close()


def run_phase(plan: dict, phase: dict) -> dict:
    visits = itertools.cycle(phase["visits"])
    cookie_name = plan["cookie_name"]
    timings: list[float] = []
    failures: dict[str, int] = {}
    counting = {"on": False}
    seen = {"answers": 0}

    class Visitor(FastHttpUser):
        host = plan["host"]
        wait_time = constant(0)
        network_timeout = MAX_PHASE_SECONDS

        def on_start(self):
            self.session_key, self.path = next(visits)

        @task
        def visit(self):
            headers = {"Cookie": f"{cookie_name}={self.session_key}"} if self.session_key else {}
            started = time.perf_counter()
            with self.client.get(
                self.path, headers=headers, name=phase["name"], allow_redirects=False, catch_response=True
            ) as response:
                elapsed = (time.perf_counter() - started) * 1000
                ok = response.status_code == 200
                if ok:
                    response.success()
                else:
                    response.failure(f"answered {response.status_code}")
            seen["answers"] += 1
            if counting["on"]:
                if ok:
                    timings.append(elapsed)
                else:
                    key = str(response.status_code)
                    failures[key] = failures.get(key, 0) + 1

    environment = Environment(user_classes=[Visitor], events=events)
    runner = environment.create_local_runner()
    runner.start(plan["users"], spawn_rate=plan["users"])
    # Warm-up: the first answers (cold caches, new connections) and, at a slow page, the time it
    # takes every person to have a request in the server's queue, so the counted part is steady.
    started = time.perf_counter()
    while time.perf_counter() - started < plan["warmup"] or (
        seen["answers"] < plan["users"] and time.perf_counter() - started < MAX_PHASE_SECONDS
    ):
        gevent.sleep(0.1)
    counting["on"] = True
    started = time.perf_counter()
    # At least MIN_ANSWERS answers, so a slow page is measured over more than its own latency.
    while time.perf_counter() - started < phase.get("seconds", plan["seconds"]) or (
        len(timings) < MIN_ANSWERS and time.perf_counter() - started < MAX_PHASE_SECONDS
    ):
        gevent.sleep(0.1)
    counting["on"] = False
    duration = time.perf_counter() - started
    runner.quit()
    runner.greenlet.join()
    drain(plan["host"])
    timings.sort()
    return {
        "name": phase["name"],
        "requests": len(timings),
        "failures": failures,
        "per_second": len(timings) / duration,
        "p50": statistics.median(timings) if timings else None,
        "p95": percentile(timings, 0.95) if timings else None,
    }


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as plan_file:
        plan = json.load(plan_file)
    results = []
    for phase in plan["phases"]:
        results.append(run_phase(plan, phase))
        print(f"  measured {phase['name']}", file=sys.stderr, flush=True)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
