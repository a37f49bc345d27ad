"""Figures for a section's text: refusals, the cleaner's worst cases, the lock of a save, the diff.

Part of `make bench` (scripts/bench.py calls ``text_bench`` on its throwaway database). Times are
medians of a few runs on this machine, CPU time of this process where a line says so: compare runs on
the same machine only.

- How fast the limits (submissions/text_limits.py) refuse a 5 MB body, 100,000 nested divs (the
  issue's 490 KB body was 98,000), nesting just past the limit and formatting rebuilt past its budget.
- The cleaner and counter (what section_save runs before it takes the lock) on bodies of about
  100 KB built to be slow while passing every limit, and on a real 5,700-word section.
- A save of that section: the time outside the lock, and how long the locked transaction lasts
  (from the SELECT ... FOR UPDATE to the commit).
- The history's diff of two 5,700-word versions.
"""

from __future__ import annotations

import contextlib
import logging
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from django.db import connection, transaction

from submissions.diff import text_diff
from submissions.errors import TextRefused
from submissions.sanitize import clean_html
from submissions.text_limits import MAX_BODY_CHARACTERS, MAX_NESTING_DEPTH, MAX_TAGS, check_text
from upr_portal.wordcount import count_html

DEMO_TEXTS = Path(__file__).resolve().parents[1] / "submissions" / "demo_texts"
RUNS = 5


def _median_ms(action: Callable[[], object], *, runs: int = RUNS, cpu: bool = False) -> float:
    clock = time.process_time if cpu else time.perf_counter
    timings = []
    for _ in range(runs):
        started = clock()
        action()
        timings.append((clock() - started) * 1000)
    return statistics.median(timings)


def _refusal(html: str) -> str:
    try:
        check_text(html)
    except TextRefused as refusal:
        return refusal.code
    return "accepted"


def _outcome(html: str) -> str:
    """What section_save does before its transaction: check, clean, check the cleaned text, count."""
    try:
        check_text(html)
        cleaned = clean_html(html)
        check_text(cleaned)
    except TextRefused as refusal:
        return f"refused: {refusal.code}" + (" once cleaned" if "cleaned" in locals() else "")
    count_html(cleaned)
    return "accepted"


def long_section(words: int = 5_656) -> str:
    """The demo sections' latest texts one after another, up to ``words`` words: a real long section."""
    latest = {}
    for path in sorted(DEMO_TEXTS.glob("*.html")):
        latest[path.name.rsplit("-v", 1)[0]] = path  # the highest version sorts last
    texts, total = [], 0
    while total < words:
        for path in latest.values():
            text = clean_html(path.read_text())
            texts.append(text)
            total += count_html(text).body
            if total >= words:
                break
    return "\n".join(texts)


def _worst_cases() -> dict[str, str]:
    """Bodies of about 100 KB that pass every limit, each slow in its own way, and one at the size limit."""
    nested = "<div>" * (MAX_NESTING_DEPTH - 1) + "word " + "</div>" * (MAX_NESTING_DEPTH - 1)
    styled = '<span style="font-weight:bold;font-style:italic;vertical-align:super">x</span> '
    return {
        "dense formatting (20,000 tags)": "<b>x</b>" * (MAX_TAGS // 2) + " filler" * 3_000,
        "nested 99 deep, repeated": nested * (MAX_TAGS // (2 * (MAX_NESTING_DEPTH - 1))),
        "pasted styles (Google Docs)": styled * (100_000 // len(styled)),
        "pasted styles, 500 KB (the size limit)": styled * (MAX_BODY_CHARACTERS // len(styled)),
        "links": '<a href="https://example.org/a/long/path?q=1">link</a> ' * (100_000 // 54),
        "two long real sections": long_section() * 2,
    }


def _locked_transaction_ms(save: Callable[[], object]) -> tuple[float, float]:
    """(total ms of ``save``, ms from the first statement inside its transaction to the commit)."""
    marks: dict[str, float] = {}

    def note(execute, sql, params, many, context):
        if connection.in_atomic_block and "first" not in marks:
            marks["first"] = time.perf_counter()
            transaction.on_commit(lambda: marks.setdefault("committed", time.perf_counter()))
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(note):
        save()
    return (time.perf_counter() - started) * 1000, (marks["committed"] - marks["first"]) * 1000


def text_bench() -> None:
    print(f"\nsection text (submissions/text_limits.py, sanitize.py, diff.py), median of {RUNS} runs")
    refused = {
        "5 MB of text": "<p>" + "x" * 5_000_000 + "</p>",
        "100,000 nested divs (500 KB)": "<div>" * 100_000,
        "20,000 nested divs (100 KB)": "<div>" * (MAX_TAGS - 1),
        "formatting rebuilt 400,000 times": "<div>" + "<b>" * 99 + "</div>" + "<div>x</div>" * 2_000,
    }
    for label, html in refused.items():
        print(
            f"  refuse {label:38} {_median_ms(lambda html=html: check_text_quietly(html)):9.2f} ms  ({_refusal(html)})"
        )
    for label, html in _worst_cases().items():
        size = f"{len(html) / 1000:.0f} KB, {html.count('<'):,} tags"
        outcome = _outcome(html)
        took = _median_ms(lambda html=html: _outcome(html), cpu=True)
        print(f"  clean  {label:38} {took:9.2f} ms CPU  ({size}; {outcome})")

    from accounts.models import User
    from coalitions.models import Coalition
    from reviews.models import Review
    from submissions.models import Section, Submission
    from submissions.services.sections import section_save

    # A section of its own on the bench's database (the demo coalition and review), saved once before.
    submission = Submission.objects.create(
        coalition=Coalition.objects.order_by("pk").first(), review=Review.objects.order_by("pk").first(), title="Bench"
    )
    section = Section.objects.create(submission=submission, title="Bench section")
    author = User.objects.order_by("pk").first()
    section_save(section_id=section.pk, author=author, body="<p>A first text.</p>", base_version=0)
    section.refresh_from_db()
    text = long_section()
    words = count_html(text)
    total, locked = _locked_transaction_ms(
        lambda: section_save(section_id=section.pk, author=author, body=text, base_version=section.version)
    )
    print(
        f"  save of a {words.body:,}-word section with {words.notes:,} note words: {total:.1f} ms, of which "
        f"{locked:.1f} ms in the locked transaction ({connection.vendor})"
    )
    _refusals_through_the_api(section)
    revised = text.replace("</p>", " One sentence added by the next save.</p>", 1)
    diff_ms = _median_ms(lambda: text_diff(text, revised), cpu=True)
    print(f"  diff of two {words.body:,}-word versions{'':12} {diff_ms:9.2f} ms CPU")


def check_text_quietly(html: str) -> None:
    with contextlib.suppress(TextRefused):
        check_text(html)


def _refusals_through_the_api(section) -> None:
    """The 5 MB and 100,000-deep bodies posted to the editor's save API by a coordinator, end to end."""
    import json

    from django.test import Client
    from django.urls import reverse

    from coalitions.models import Membership, Role

    logging.getLogger("django.request").setLevel(logging.ERROR)  # each refusal is a logged 400
    coordinator = Membership.objects.filter(coalition=section.submission.coalition, role=Role.COORDINATOR).first()
    client = Client()
    client.force_login(coordinator.user)
    url = reverse("submissions:section_save", args=[section.submission_id, section.pk])
    for label, body in (("5 MB body", "<p>" + "x" * 5_000_000 + "</p>"), ("100,000-deep body", "<div>" * 100_000)):
        payload = json.dumps({"body": body, "base_version": section.version})
        answers = []

        def post(payload=payload, answers=answers):
            answers.append(client.post(url, payload, content_type="application/json"))

        took = _median_ms(post)
        answer = answers[-1]
        print(f"  save API refuses a {label:26} {took:9.2f} ms  ({answer.status_code} {answer.json()['error']})")
