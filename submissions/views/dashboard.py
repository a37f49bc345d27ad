"""The secretariat's contribution dashboard of a submission, and its CSV export."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from submissions.dashboard import (
    ORGANISATION_SORTS,
    PEOPLE_SORTS,
    SECTION_SORTS,
    Dashboard,
    DashboardFilters,
    contribution_dashboard,
    submission_at_a_glance,
)
from submissions.dashboard_forms import DashboardFilterForm, filters_from
from submissions.views.common import submission_for
from upr_portal.admin_export import BYTE_ORDER_MARK, defused
from upr_portal.tables import ROWS_CACHE_SECONDS, reverse_each, rows_digest
from upr_portal.timezones import GENEVA

TABLES = ("organisations", "people", "sections")


def _dashboard(request, submission) -> tuple[Dashboard, DashboardFilterForm, DashboardFilters]:
    filters = filters_from(request.GET)
    dashboard = contribution_dashboard(
        submission=submission,
        filters=filters,
        now=timezone.now(),
        section_url=reverse_each("submissions:section", submission.pk),
    )
    form = DashboardFilterForm(
        request.GET,
        organisations=dashboard.organisation_choices,
        people=dashboard.person_choices,
        clusters=dashboard.cluster_choices,
    )
    return dashboard, form, filters


def sort_links(query, filters: DashboardFilters) -> dict[str, dict[str, tuple[str, str]]]:
    """For each table and column: the address that sorts by it (again: the other way round) and the
    column's ``aria-sort`` ("ascending", "descending" or "none")."""
    links = {}
    for table, parameter, keys, current in (
        ("organisations", "organisation_sort", ORGANISATION_SORTS, filters.organisation_sort),
        ("people", "person_sort", PEOPLE_SORTS, filters.person_sort),
        ("sections", "section_sort", SECTION_SORTS, filters.section_sort),
    ):
        links[table] = {}
        for key in keys:
            params = query.copy()
            params[parameter] = f"-{key}" if current == key else key
            state = {key: "ascending", f"-{key}": "descending"}.get(current, "none")
            links[table][key] = (f"?{params.urlencode()}#{table}", state)
    return links


@login_required
@require_GET
def dashboard(request, pk: int):
    submission = submission_for(request, pk, "submissions.view_dashboard")
    board, form, filters = _dashboard(request, submission)
    query = request.GET.copy()
    csv_query = query.copy()
    return render(
        request,
        "submissions/dashboard.html",
        {
            "coalition": submission.coalition,
            "submission": submission,
            "dashboard": board,
            "glance": submission_at_a_glance(submission=submission, now=timezone.now()),
            "form": form,
            "filters": filters,
            "sort_links": sort_links(query, filters),
            "csv_urls": {table: _csv_url(submission, csv_query, table) for table in TABLES},
            # The three tables are cached under a digest of what they show (upr_portal/tables.py).
            "tables_key": rows_digest(
                board.organisations + board.people + board.sections, submission.pk, query.urlencode()
            ),
            "rows_cache_seconds": ROWS_CACHE_SECONDS,
        },
    )


def _csv_url(submission, query, table: str) -> str:
    params = query.copy()
    params["table"] = table
    return f"{reverse('submissions:dashboard_csv', args=[submission.pk])}?{params.urlencode()}"


def _moment(value) -> str:
    return timezone.localtime(value, GENEVA).isoformat(timespec="minutes") if value else ""


def csv_header(table: str) -> list[str]:
    if table == "sections":
        return [
            *(_("Number"), _("Section"), _("Cluster"), _("Lead organisation")),
            *(pgettext("where a section is in its workflow", "State"), _("Words")),
            *(_("Budget"), _("Over budget"), _("Next deadline"), _("Next deadline (Geneva time)"), _("Late")),
        ]
    first = [_("Organisation")] if table == "organisations" else [_("Person"), _("Organisation")]
    return [
        *first,
        *(_("Sections led"), _("Sections contributing"), _("Sections by name"), _("Words written")),
        *(_("Versions saved"), _("Comments"), _("Last activity (Geneva time)"), _("Late")),
        _("Due this week"),
        *([_("Sign-off")] if table == "organisations" else []),
    ]


def csv_rows(table: str, board: Dashboard) -> list[list[str]]:
    """The table's rows as the CSV file gives them: the same rows as the page, in the same order."""
    if table == "sections":
        return [
            [
                *(str(r.number), r.title, r.cluster, r.lead, r.state_label, str(r.counted)),
                *("" if r.budget is None else str(r.budget), _("yes") if r.over else _("no"), r.next_label),
                *(_moment(r.next_when), _("yes") if r.next_late else _("no")),
            ]
            for r in board.sections
        ]
    rows = board.organisations if table == "organisations" else board.people
    return [
        [
            r.name,
            *([] if table == "organisations" else [r.organisation]),
            *(str(r.lead), str(r.contributing), str(r.named), str(r.words), str(r.versions), str(r.comments)),
            *(_moment(r.last_activity), str(r.late), str(r.due_soon)),
            *([r.sign_off] if table == "organisations" else []),
        ]
        for r in rows
    ]


@login_required
@require_GET
def dashboard_csv(request, pk: int):
    submission = submission_for(request, pk, "submissions.view_dashboard")
    table = request.GET.get("table", "people")
    if table not in TABLES:
        raise Http404
    board, _form, _filters = _dashboard(request, submission)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = slugify(f"{submission.title} {table}") or "dashboard"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    # A byte order mark, or Excel reads UTF-8 in the computer's legacy code page (upr_portal/admin_export.py).
    response.write(BYTE_ORDER_MARK)
    writer = csv.writer(response)
    writer.writerow(csv_header(table))
    for row in csv_rows(table, board):
        writer.writerow([defused(cell) for cell in row])
    return response
