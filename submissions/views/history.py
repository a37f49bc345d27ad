import functools
from dataclasses import dataclass
from itertools import pairwise

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coalitions.rules import can
from submissions import selectors
from submissions.errors import SubmissionError
from submissions.services import sections as section_services
from submissions.views.common import section_for
from upr_portal.freshness import remember
from upr_portal.tables import ROWS_CACHE_SECONDS, reverse_each, rows_digest

VERSIONS_PER_PAGE = 20


def _number(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One row of the history's list, in plain values: the list is cached under a digest of them."""

    version: selectors.VersionListed
    current: bool  # the section's text is this version's
    shown: bool  # the newer side of the changes shown below
    previous: int | None  # the version saved before it, whose changes the row offers
    restore_url: str  # "" where restoring is not offered


def _page(numbers: list[int], page_asked: int | None) -> Page:
    return Paginator(numbers, VERSIONS_PER_PAGE).get_page(page_asked)


def _versions(section, page_asked: int | None) -> tuple[dict, list[selectors.VersionListed]]:
    """When each version was saved (newest first) and the rows of the page of the list asked for: two
    queries, remembered until the database changes (upr_portal/freshness.py)."""
    saved = selectors.version_saved_at(section=section)
    return saved, selectors.version_rows(section=section, numbers=_page(list(saved), page_asked).object_list)


@login_required
@require_GET
def history(request, pk: int, section_pk: int):
    """The versions of a section, a page at a time, and the changes between two of them.

    Without a choice, the changes of the latest version. The list reads no text; the diff reads the
    two texts it compares, once: it is cached for good (selectors.version_diff), and so is its markup
    (under the same key: what it names never changes).
    """
    section = section_for(request, pk, section_pk, text=False)
    page_asked = _number(request.GET.get("page"))  # a number or None (the first page), as Paginator reads it
    saved, listed = remember("section-history", (section.pk, page_asked), lambda: _versions(section, page_asked))
    numbers = list(saved)
    page = _page(numbers, page_asked)

    a, b = _number(request.GET.get("a")), _number(request.GET.get("b"))
    older = newer = diff_key = None
    if a and b:
        older, newer = min(a, b), max(a, b)
    elif len(numbers) >= 2:
        older, newer = numbers[1], numbers[0]
    if older is not None:
        diff_key = selectors.version_diff_key(section=section, before=older, after=newer, saved=saved)
        if diff_key is None:
            raise Http404

    can_restore = can(request.user, "submissions.edit_section", section)
    restore_url = reverse_each("submissions:restore", pk, section_pk)
    # Each row offers its own changes: against the version saved before it, which may be on the next page.
    previous = dict(pairwise(numbers))
    rows = [
        HistoryRow(
            version=version,
            current=version.version == section.version,
            shown=version.version == newer,
            previous=previous.get(version.version),
            restore_url=restore_url(version.version) if can_restore and version.version != section.version else "",
        )
        for version in listed
    ]
    return render(
        request,
        "submissions/history.html",
        {
            "coalition": section.submission.coalition,
            "submission": section.submission,
            "section": section,
            "numbers": numbers,
            "page": page,
            "rows": rows,
            "rows_key": rows_digest(rows, page.number),
            # The form comparing two versions offers every number twice: cached as the rows are.
            "compare_key": rows_digest(numbers, older, newer, page.number),
            # The diff is read only when its markup is not in the cache (a function: the template calls it).
            "diff": functools.cache(
                lambda: selectors.version_diff(section=section, before=older, after=newer, key=diff_key)
            ),
            "diff_key": rows_digest([diff_key]) if diff_key else None,
            "rows_cache_seconds": ROWS_CACHE_SECONDS,
            # The pages of the list keep the comparison the reader chose.
            "pagination_query": f"a={older}&b={newer}" if a and b else "",
            "older": older,
            "newer": newer,
            "can_restore": can_restore,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def restore(request, pk: int, section_pk: int, version: int):
    section = section_for(request, pk, section_pk, "submissions.edit_section")
    old = section.versions.filter(version=version).select_related("author").defer("body").first()
    if old is None:
        raise Http404
    if request.method == "POST":
        try:
            result = section_services.section_restore(section_id=section.pk, author=request.user, version=version)
        except SubmissionError as error:
            messages.error(request, error.message)
            return redirect("submissions:history", pk=pk, section_pk=section_pk)
        messages.success(
            request,
            _("Version %(old)d is restored as version %(new)d. Nothing was lost: every version stays in the history.")
            % {"old": version, "new": result.section.version},
        )
        return redirect("submissions:history", pk=pk, section_pk=section_pk)
    return render(
        request,
        "submissions/restore_confirm.html",
        {
            "coalition": section.submission.coalition,
            "submission": section.submission,
            "section": section,
            "old": old,
            # The stored text is the text of the latest version: both sides are versions, and cached.
            "diff": selectors.version_diff(section=section, before=section.version, after=version),
            "cancel_url": reverse("submissions:history", args=[pk, section_pk]),
        },
    )
