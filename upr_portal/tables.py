"""Long tables (fifty people, thirty sections): their links and their cache key, cheaply.

Rendering a table row by row in a template costs a ``reverse()`` for each link (about 140 Python
calls) and a few hundred calls for the rest of the row; at national scale, rows were most of a
page's cost. So a view puts each row together as plain values (a frozen dataclass), with links from
``reverse_each``, and the template caches the rendered rows under ``rows_digest`` of those values:
any change to what a row shows is a new key, so a cached table is never out of date.
"""

import functools
import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path

from django.conf import settings
from django.urls import reverse

# A number no database id of this portal reaches, and no other argument of a pattern equals.
_PLACEHOLDER = 987_654_321_987_654_321

# How long a rendered table stays in the cache. Its key changes with its content, so this only
# bounds the memory of tables nobody asks for any more: each save while someone drafts makes the
# submission's table a new one.
ROWS_CACHE_SECONDS = 600


def reverse_each(viewname: str, *args: int) -> Callable[[int], str]:
    """``reverse(viewname, args=[*args, pk])`` as a function of ``pk``, for the rows of one page.

    The pattern is reversed once with a placeholder; each call only puts the row's id in its place.
    The pattern's last argument must be an ``<int:...>`` id (no quoting needed); ``args`` are the
    ones before it.
    """
    url = reverse(viewname, args=[*args, _PLACEHOLDER])
    before, found, after = url.partition(str(_PLACEHOLDER))
    if not found or str(_PLACEHOLDER) in after:
        return lambda pk: reverse(viewname, args=[*args, pk])
    return lambda pk: f"{before}{int(pk)}{after}"


def rows_digest(rows: Sequence, *context) -> str:
    """A digest of the rows (dataclasses of plain values, whose repr shows every field), of any other
    value the table's markup depends on, and of the templates: the key under which the template
    caches it. With the templates in it, a release that changes a table's markup never serves the
    markup cached by the one before."""
    return hashlib.sha256(repr((templates_version(), tuple(rows), context)).encode()).hexdigest()


@functools.cache
def templates_version() -> str:
    """A digest of the project's templates (settings.TEMPLATES' folders), read once per process."""
    digest = hashlib.sha256()
    for folder in (Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", ())):
        for path in sorted(folder.rglob("*.html")):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def review_badge(*, status: str, status_display: str, rescheduled_from: int | None) -> dict:
    """What reviews/_status.html reads of a review, as plain values: a row of values can show a
    review's badge (and be digested) without the review's model object. ``rescheduled_from`` is the
    number of the session the review was moved from, if it was."""
    return {
        "status": status,
        "get_status_display": status_display,
        "rescheduled_from": {"number": rescheduled_from} if rescheduled_from is not None else None,
    }


def review_badge_of(review) -> dict:
    """``review_badge`` of a review object (its ``rescheduled_from`` loaded with it): the one place that
    says which of a review's values its badge shows."""
    return review_badge(
        status=review.status,
        status_display=review.get_status_display(),
        rescheduled_from=review.rescheduled_from.number if review.rescheduled_from_id else None,
    )
