from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coalitions.rules import can
from coalitions.views.coalitions import coalition_for
from submissions import selectors
from submissions.errors import SubmissionError
from submissions.forms import SubmissionCreateForm, SubmissionEditForm
from submissions.milestones import next_deadline_fields
from submissions.models import Section, Submission
from submissions.services import submissions as services
from submissions.views.common import submission_for
from submissions.views.documents import DocumentsPanel, documents_context, documents_panel
from submissions.views.workflow import submission_steps, submission_workflow_context
from upr_portal.freshness import remember
from upr_portal.tables import ROWS_CACHE_SECONDS, reverse_each, rows_digest


@login_required
@require_GET
def submission_list(request, coalition_pk: int):
    coalition = coalition_for(request, coalition_pk)
    return render(
        request,
        "submissions/submission_list.html",
        {
            "coalition": coalition,
            "submissions": selectors.submissions_of(coalition=coalition),
            "can_create": can(request.user, "submissions.create_submission", coalition),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def submission_create(request, coalition_pk: int):
    coalition = coalition_for(request, coalition_pk, "submissions.create_submission")
    form = SubmissionCreateForm(request.POST or None, coalition=coalition)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submission = services.submission_create(
                coalition=coalition,
                review=data["review"],
                actor=request.user,
                title=data["title"],
                kind=data["kind"],
                language=data["language"],
                keywords=data["keywords"],
                section_titles=data["section_titles"],
                cluster=data["cluster"],
            )
        except SubmissionError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The submission is started. Share the word limit out over its sections."))
            return redirect("submissions:detail", pk=submission.pk)
    return render(request, "submissions/submission_form.html", {"coalition": coalition, "form": form})


@login_required
@require_GET
def submission_detail(request, pk: int):
    # Who may see it (404, two-factor) is asked on every request, and so is each single right below;
    # what the page shows of the submission is remembered while the database does not change.
    submission = submission_for(request, pk)
    can_manage = can(request.user, "submissions.manage_sections", submission)
    page = _page(request.user, submission, can_manage=can_manage)
    table = page.table.at(timezone.now())
    return render(
        request,
        "submissions/submission_detail.html",
        {
            "coalition": submission.coalition,
            "submission": submission,
            "rows_html": table.html,
            "totals": page.totals,
            "can_change": can(request.user, "submissions.change_submission", submission),
            "can_manage": can_manage,
            **documents_context(request, submission, page.documents, lambda: _overview(submission)[0]),
            **submission_workflow_context(request, submission, steps=page.steps),
        },
    )


def _overview(submission: Submission) -> tuple[list[Section], selectors.Totals]:
    """The sections as the page reads them and the submission's totals: the same for everyone."""

    def compute():
        sections = selectors.sections_for_overview(submission=submission)
        return sections, selectors.submission_totals(submission=submission, sections=sections)

    sections, totals = remember("submission-overview", (submission.pk,), compute)
    for section in sections:
        section.submission = submission  # this request's
    return sections, totals


@dataclass(frozen=True, slots=True)
class SectionTable:
    rows: list[SectionRow]
    can_manage: bool
    html: str  # the rows rendered (_rows_html)

    @classmethod
    def of(cls, rows: list[SectionRow], *, can_manage: bool) -> SectionTable:
        return cls(rows=rows, can_manage=can_manage, html=_rows_html(rows, can_manage=can_manage))

    def at(self, now: datetime.datetime) -> SectionTable:
        """The table with each row's deadline late or not at ``now`` (the clock's, not the database's)."""
        if all(row.next_deadline_late == _late(row, now) for row in self.rows):
            return self
        rows = [dataclasses.replace(row, next_deadline_late=_late(row, now)) for row in self.rows]
        return SectionTable.of(rows, can_manage=self.can_manage)


def _rows_html(rows: list[SectionRow], *, can_manage: bool) -> str:
    """The table's rows rendered, kept in the cache under a digest of every value they show, of the
    templates and of the language (upr_portal/tables.py): whoever has the same rows, before or after a
    change elsewhere in the database, reads them rendered. They hold no CSRF token (their move buttons
    send the page's one form)."""
    key = f"submission-rows:{rows_digest(rows, can_manage)}:{translation.get_language()}"
    html = cache.get(key)
    if html is None:
        html = render_to_string("submissions/_section_rows.html", {"rows": rows})
        cache.set(key, html, ROWS_CACHE_SECONDS)
    return html


def _late(row: SectionRow, now: datetime.datetime) -> bool:
    return row.next_deadline_at is not None and row.next_deadline_at < now


@dataclass(frozen=True, slots=True)
class SubmissionPage:
    """What the submission page shows one person, but for the clock: their table (which sections they
    may edit is theirs) with its rows rendered, the totals, the documents panel and the steps taken.
    One value, so that a visit while nothing changed reads the cache once."""

    table: SectionTable
    totals: selectors.Totals
    documents: DocumentsPanel
    steps: list


def _page(user, submission: Submission, *, can_manage: bool) -> SubmissionPage:
    """Remembered per person and language (the states' names and the documents' reasons are words);
    the parts that are the same for everyone are remembered on their own too, for the next person."""

    def compute():
        sections, totals = _overview(submission)
        rows = section_rows(user, submission, sections, totals, can_manage=can_manage)
        return SubmissionPage(
            table=SectionTable.of(rows, can_manage=can_manage),
            totals=totals,
            documents=documents_panel(submission, lambda: sections),
            steps=submission_steps(submission),
        )

    return remember("submission-page", (submission.pk, user.pk, can_manage, translation.get_language()), compute)


@login_required
@require_http_methods(["GET", "POST"])
def submission_edit(request, pk: int):
    submission = submission_for(request, pk, "submissions.change_submission")
    form = SubmissionEditForm(request.POST or None, instance=submission)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.fields}
        submission.refresh_from_db()
        services.submission_update(submission=submission, actor=request.user, **fields)
        messages.success(request, _("The submission's details are saved."))
        return redirect("submissions:detail", pk=submission.pk)
    return render(
        request,
        "submissions/submission_edit.html",
        {"coalition": submission.coalition, "submission": submission, "form": form},
    )


@dataclass(frozen=True, slots=True)
class SectionRow:
    """One section as the submission page's table shows it: plain values, put together here.

    The table is rendered from these alone, and cached under a digest of them (upr_portal/tables.py):
    any change to what a row shows (a save, a new title, an assignee, who may edit) is a new key, so a
    cached table is never out of date. At thirty sections, rendering the rows cost more than the rest
    of the page.
    """

    number: int
    title: str
    url: str  # the editor for those who may edit, the reading page for the others
    can_edit: bool
    cluster: str  # "" when there is none, or when it is named like the section
    lead: str  # the lead organisation's acronym (or name), "" when none is set
    organisations: str
    people: str
    counted: int
    budget: int | None
    percent: int
    over: bool
    last_edited_by: str
    last_edited_at: datetime.datetime | None
    history_url: str
    settings_url: str | None  # these two for coordinators
    move_url: str | None
    is_first: bool
    is_last: bool
    # Its workflow state (SectionState) and the state's name.
    state: str = ""
    state_label: str = ""
    # The first milestone not met (submissions/templatetags/milestones.py): label, moment, passed.
    next_deadline_label: str = ""
    next_deadline_at: datetime.datetime | None = None
    next_deadline_late: bool = False


def section_rows(user, submission: Submission, sections, totals, *, can_manage: bool) -> list[SectionRow]:
    edit_url = reverse_each("submissions:section_edit", submission.pk)
    read_url = reverse_each("submissions:section", submission.pk)
    history_url = reverse_each("submissions:history", submission.pk)
    settings_url = reverse_each("submissions:section_settings", submission.pk)
    move_url = reverse_each("submissions:section_move", submission.pk)
    now = timezone.now()
    rows = []
    for number, section in enumerate(sections, start=1):
        counted = totals.counted_words(section)
        budget = section.word_budget
        can_edit = can(user, "submissions.edit_section", section)
        cluster = section.cluster.name if section.cluster is not None else ""
        rows.append(
            SectionRow(
                number=number,
                title=section.title,
                url=(edit_url if can_edit else read_url)(section.pk),
                can_edit=can_edit,
                # A cluster named like its section ("Rights of the child" in "Rights of the child") says nothing new.
                cluster="" if cluster.strip().casefold() == section.title.strip().casefold() else cluster,
                lead=(section.lead_organisation.acronym or section.lead_organisation.name)
                if section.lead_organisation is not None
                else "",
                organisations=", ".join(name for _pk, name in section.assignees.organisations),
                people=", ".join(name for _pk, name in section.assignees.people),
                counted=counted,
                budget=budget,
                percent=min(round(100 * counted / budget), 100) if budget else 0,
                over=bool(budget) and counted > budget,
                last_edited_by=str(section.last_edited_by or ""),
                last_edited_at=section.last_edited_at,
                history_url=history_url(section.pk),
                settings_url=settings_url(section.pk) if can_manage else None,
                move_url=move_url(section.pk) if can_manage else None,
                is_first=number == 1,
                is_last=number == len(sections),
                state=section.state,
                state_label=section.get_state_display(),
                **next_deadline_fields(section, now=now),
            )
        )
    return rows
