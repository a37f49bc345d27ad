"""Figures for the uptake: scoring a coalition's recommendations against those made at a review.

Part of `make bench` (scripts/bench.py calls ``uptake_bench``). 300 of the coalition's recommendations
against 280 made at the review (a real review makes 260-285), texts drawn from a vocabulary of about
1,500 words as real recommendations have. CPU time of this process, median of a few runs: compare runs
on the same machine only. The target: well under a second.
"""

from __future__ import annotations

import random
import statistics
import string
import time

from advocacy.services.uptake import candidates

RUNS = 5
TOPIC = [
    "ratify",
    "convention",
    "protocol",
    "torture",
    "detention",
    "police",
    "children",
    "women",
    "violence",
    "trafficking",
    "health",
    "education",
    "defenders",
    "journalists",
    "law",
    "protection",
    "elections",
    "minorities",
    "indigenous",
    "land",
    "housing",
    "justice",
]


def _texts(rng: random.Random, vocabulary: list[str], count: int, words: int) -> list[str]:
    return [" ".join(rng.choices(vocabulary, k=words)) for _ in range(count)]


def uptake_bench() -> None:
    rng = random.Random(12)  # noqa: S311 - sample texts, not secrets
    vocabulary = TOPIC + ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 11))) for _ in range(1500)]
    asks = [(n, text, "en", frozenset({n % 40})) for n, text in enumerate(_texts(rng, vocabulary, 300, 24))]
    made = [(n, text, frozenset({n % 50})) for n, text in enumerate(_texts(rng, vocabulary, 280, 20))]
    timings = []
    for _ in range(RUNS):
        started = time.process_time()
        candidates(asks=asks, made=made)
        timings.append(time.process_time() - started)
    print(
        f"uptake: 300 asks x 280 made    median {statistics.median(timings) * 1000:7.1f} ms CPU, "
        f"max {max(timings) * 1000:7.1f} ms"
    )
