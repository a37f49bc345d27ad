"""Reads for the submission pages: scoped by the caller's permission check, constant query counts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from coalitions.models import Coalition, CoalitionOrganisation, Membership, Organisation, Role
from coalitions.rules import (
    EDITING_ROLES,
    can,
    is_assigned_to_section,
    leads_section_cluster,
    memberships_of,
    role_in,
    submission_is_open,
)
from reviews.state_names import name_fields
from submissions.diff import Diff, text_diff
from submissions.models import GeneratedDocument, Section, Submission, SubmissionSignatory
from submissions.recommendation_selectors import recommendation_words
from submissions.services.submissions import submission_limit
from upr_portal.wordcount import WordCount, count_words, words_counted


def submissions_of(*, coalition: Coalition) -> QuerySet[Submission]:
    return (
        Submission.objects.filter(coalition=coalition)
        .select_related("review__state", "review__session", "review__rescheduled_from")
        .order_by("-created_at")
    )


def submission_with_review(*, pk: int) -> QuerySet[Submission]:
    """The submission with what its pages show of its coalition and review (the review's label and
    status badge, the limit's cycle id): every column of five tables cost more than most of a page.
    The submission's own columns all come (its forms read them)."""
    return (
        Submission.objects.filter(pk=pk)
        .select_related("coalition", "cluster", "review__state", "review__session", "review__rescheduled_from")
        .only(
            *(field.name for field in Submission._meta.concrete_fields),
            "cluster__name",
            *("coalition__name", "coalition__acronym", "coalition__secretariat", "coalition__require_two_factor"),
            *(*name_fields("review__state__"), "review__status", "review__stakeholder_deadline"),
            *("review__session__number", "review__session__cycle", "review__session__dates_provisional"),
            "review__rescheduled_from__number",
        )
    )


class Assignees(NamedTuple):
    """Who a section is assigned to, as (id, name) pairs in the order pages list them."""

    people: tuple[tuple[int, str], ...]  # by name; the name, or the email of a person without one
    organisations: tuple[tuple[int, str], ...]  # by name; the acronym, or the name without one


def sections_for_overview(*, submission: Submission) -> list[Section]:
    """The sections in order with what the overview shows of them, but not their texts (thirty
    sections of a national submission hold megabytes; the overview works from the cached counts).

    Each has ``assignees`` (``with_assignees``): two queries in all.
    """
    sections = list(
        submission.sections.select_related("cluster", "last_edited_by", "lead_organisation")
        .only(
            *("submission", "position", "title", "state", "word_budget", "version", "body_words", "note_words"),
            *("lead_organisation__name", "lead_organisation__acronym"),
            *("last_edited_at", "cluster__name", "cluster__coalition", "cluster__lead_organisation"),
            *("first_draft_due", "review_due", "final_due"),  # the "Next deadline" column
            "last_edited_by__full_name",
            "last_edited_by__email",
        )
        .order_by("position", "pk")
    )
    words = recommendation_words(submission=submission)
    for section in sections:
        section.recommendation_words = words.get(section.pk, 0)
    return with_assignees(sections)


def with_assignees(sections: list[Section]) -> list[Section]:
    """Sets ``assignees`` (Assignees) on each section: who it is assigned to, read as values in one
    query whatever the number of sections. The edit rule reads them too (coalitions.rules.
    section_assignee_ids); prefetching the relations made a model object of every assignee, which
    on the submission page cost more than the rest of the page."""
    # Each assignee as id -> (what it is sorted by, what pages show): people by the name shown,
    # organisations by their name (pages show the acronym).
    people: dict[int, dict[int, tuple[str, str]]] = {section.pk: {} for section in sections}
    organisations: dict[int, dict[int, tuple[str, str]]] = {section.pk: {} for section in sections}
    # Both relations in one query: a section's rows are its people times its organisations (a few
    # each), and the dicts keep each once.
    rows = Section.objects.filter(pk__in=people).values_list(
        *("pk", "assigned_people__id", "assigned_people__full_name", "assigned_people__email"),
        *("assigned_organisations__id", "assigned_organisations__name", "assigned_organisations__acronym"),
    )
    for section_id, user_id, full_name, email, organisation_id, name, acronym in rows:
        if user_id is not None:
            people[section_id][user_id] = (full_name or email, full_name or email)
        if organisation_id is not None:
            organisations[section_id][organisation_id] = (name, acronym or name)

    def in_order(assignees: dict[int, tuple[str, str]]) -> tuple[tuple[int, str], ...]:
        ordered = sorted(assignees.items(), key=lambda item: (item[1][0].casefold(), item[0]))
        return tuple((pk, shown) for pk, (_key, shown) in ordered)

    for section in sections:
        section.assignees = Assignees(
            people=in_order(people[section.pk]), organisations=in_order(organisations[section.pk])
        )
    return sections


class SectionCount(NamedTuple):
    body_words: int
    note_words: int
    word_budget: int | None
    recommendation_words: int = 0


def section_counts(*, submission: Submission) -> list[SectionCount]:
    """Every section's cached word counts and budget, for ``submission_totals`` on a page about one
    section: the other sections' texts, assignees and editors are not needed there (nor whole rows)."""
    words = recommendation_words(submission=submission)
    return [
        SectionCount(body, notes, budget, words.get(pk, 0))
        for pk, body, notes, budget in submission.sections.values_list("pk", "body_words", "note_words", "word_budget")
    ]


def section_for_editing(*, submission: Submission, pk: int) -> QuerySet[Section]:
    """The section of this submission. Through the submission's own manager, so ``section.submission``
    is the given instance without a join; the caller adds its assignees (``with_assignees``)."""
    return submission.sections.filter(pk=pk).select_related("cluster", "last_edited_by")


# The sections a person drafts; the coordinators' right to edit every section is left out (below).
drafts_section = (is_assigned_to_section | leads_section_cluster) & submission_is_open


def sections_drafted_by(*, user) -> list[Section]:
    """The person's sections: assigned to them by name or through the organisation they act for, or in
    a cluster they lead, in submissions still open for drafting (the edit rule, coordinators aside).

    Soonest UN stakeholder deadline first (unknown last), then submission, then position. A
    coordinator may edit every section but is listed only the ones that are theirs: all thirty
    sections of a national submission would bury them. The query mirrors ``submissions.edit_section``
    and the rule has the last word, so the list never offers a section the person cannot edit.
    """
    editing = [m for m in memberships_of(user).values() if m.role in EDITING_ROLES]
    if not editing:
        return []
    by_name = Section.assigned_people.through.objects.filter(user_id=user.pk).values("section_id")
    by_organisation = Section.assigned_organisations.through.objects.values("section_id")
    theirs = Q()
    for membership in editing:
        ways = (
            Q(pk__in=by_name)
            | Q(pk__in=by_organisation.filter(organisation_id=membership.organisation_id))
            | Q(lead_organisation_id=membership.organisation_id)
        )
        if membership.role == Role.CLUSTER_LEAD:
            ways |= Q(cluster__lead_organisation_id=membership.organisation_id)
        theirs |= Q(submission__coalition_id=membership.coalition_id) & ways
    # Only what the home page shows and the rule reads: never the sections' texts; the assignees as
    # values (``with_assignees``), not a model object each.
    sections = (
        Section.objects.filter(theirs)
        .exclude(submission__status__in=Submission.LOCKED)
        .select_related(
            *("submission__coalition", "submission__review__state", "submission__review__session"),
            *("submission__review__rescheduled_from", "cluster"),
        )
        .only(
            *("submission", "position", "title", "state", "lead_organisation", "cluster__name", "cluster__coalition"),
            *(
                "cluster__lead_organisation",
                "submission__coalition__name",
                "submission__review",
                "submission__title",
                "submission__status",
            ),
            *("submission__review__status", "submission__review__stakeholder_deadline"),
            *(*name_fields("submission__review__state__"), "submission__review__session__number"),
            *("submission__review__session__dates_provisional", "submission__review__rescheduled_from__number"),
        )
        .order_by(
            F("submission__review__stakeholder_deadline").asc(nulls_last=True),
            "submission__title",
            "submission_id",
            "position",
            "pk",
        )
    )
    return [section for section in with_assignees(list(sections)) if drafts_section.test(user, section)]


@dataclass(frozen=True)
class Totals:
    body_words: int
    note_words: int
    summary_words: int
    counted: int
    limit: int | None
    notes_count: bool
    budgeted: int

    @property
    def over_limit(self) -> bool:
        return self.limit is not None and self.counted > self.limit

    @property
    def percent(self) -> int:
        return min(round(100 * self.counted / self.limit), 100) if self.limit else 0

    def counted_words(self, section: Section) -> int:
        """The words of one section that count toward this submission's limit."""
        return words_counted(section.word_count, notes_count=self.notes_count)


def submission_totals(*, submission: Submission, sections) -> Totals:
    """Counts from the sections' cached word counts (kept by the save service) and the summary.

    Whether notes count is the limit's setting (DocumentLimit.notes_count); without a limit they do.
    """
    limit = submission_limit(submission)
    notes_count = limit.notes_count if limit else True
    # The sections' recommendations count as their text does: the documents print them as paragraphs.
    body = sum(s.body_words + s.recommendation_words for s in sections)
    notes = sum(s.note_words for s in sections)
    summary = count_words(submission.executive_summary)
    return Totals(
        body_words=body,
        note_words=notes,
        summary_words=summary,
        counted=words_counted(WordCount(body=body, notes=notes), notes_count=notes_count) + summary,
        limit=limit.max_words if limit else None,
        notes_count=notes_count,
        budgeted=sum(s.word_budget or 0 for s in sections),
    )


class VersionListed(NamedTuple):
    """What the history's list shows of a version, in plain values."""

    version: int
    kind: str
    restored_from: int | None
    saved_at: object  # an aware datetime
    author: str  # the name shown, "" without an author
    body_words: int
    note_words: int


def version_rows(*, section: Section, numbers) -> list[VersionListed]:
    """The rows of the history's list for these version numbers, newest first: values, not their texts
    nor model objects."""
    rows = (
        section.versions.filter(version__in=list(numbers))
        .order_by("-version")
        .values_list(
            *("version", "kind", "restored_from", "saved_at", "author__full_name", "author__email"),
            *("body_words", "note_words"),
        )
    )
    return [
        VersionListed(number, kind, restored, saved_at, full_name or email or "", body, notes)
        for number, kind, restored, saved_at, full_name, email, body, notes in rows
    ]


def version_saved_at(*, section: Section) -> dict:
    """When each version of the section was saved, by number, newest first: the history's numbers
    and what ``version_diff_key`` reads, in one query."""
    return dict(section.versions.order_by("-version").values_list("version", "saved_at"))


def version_diff_key(*, section: Section, before: int, after: int, saved: dict | None = None) -> str | None:
    """The cache key of the changes from version ``before`` to ``after`` (``version_diff``); None if
    either does not exist. One query, none with ``saved`` (``version_saved_at``). What the key names
    never changes, so a page may also cache the changes' markup under it."""
    if saved is None:
        saved = dict(section.versions.filter(version__in=(before, after)).values_list("version", "saved_at"))
    if before not in saved or after not in saved:
        return None
    stamps = f"{before}@{saved[before].timestamp()}:{after}@{saved[after].timestamp()}"
    # v1: the shape of submissions.diff.Diff, pickled in the cache; a new shape needs v2.
    return f"submissions:version-diff:v1:{section.pk}:{stamps}"


def version_diff(*, section: Section, before: int, after: int, key: str | None = None) -> Diff | None:
    """The changes from version ``before`` to version ``after``; None if either does not exist.

    Cached for good: a version number's text never changes (a save makes a new number, and folding
    an autosave into the last version renumbers that row). The key adds each version's save time, which
    tells apart the same numbers in a database built again (tests, a reset development site) while
    the cache lives on. One query on a hit, two on a miss; none more when the caller passes the
    ``version_diff_key`` it already has.
    """
    key = key or version_diff_key(section=section, before=before, after=after)
    if key is None:
        return None
    diff = cache.get(key)
    if diff is None:
        bodies = dict(section.versions.filter(version__in=(before, after)).values_list("version", "body"))
        diff = text_diff(bodies[before], bodies[after])
        cache.set(key, diff, timeout=None)
    return diff


def _signatory_rows(submission: Submission) -> tuple[QuerySet[SubmissionSignatory], QuerySet[Organisation]]:
    """The coordinators' chosen signatories in order (each marked whether still a member), and the
    default when they chose none: the coalition's current member organisations by name (for a
    cluster's own submission, those of the cluster)."""
    current = CoalitionOrganisation.objects.current().filter(coalition_id=submission.coalition_id)
    chosen = (
        SubmissionSignatory.objects.filter(submission=submission)
        .annotate(is_member=Exists(current.filter(organisation=OuterRef("organisation"))))
        .order_by("position", "pk")
    )
    default = Organisation.objects.filter(coalition_memberships__in=current)
    if submission.cluster_id is not None:
        default = default.filter(clusters=submission.cluster_id)
    return chosen, default.order_by("name")


def submission_signatories(submission: Submission) -> list[Organisation]:
    """The organisations the document names as submitting it, in order (with their country).

    The coordinators' chosen list when there is one; otherwise the coalition's current member
    organisations by name (a cluster's own submission: the cluster's). An organisation that has
    left the coalition since it was chosen no longer signs: it drops out of the list rather than
    being named for a text it left behind.
    """
    chosen, default = _signatory_rows(submission)
    chosen = list(chosen.select_related("organisation__country"))
    if chosen:
        return [signatory.organisation for signatory in chosen if signatory.is_member]
    return list(default.select_related("country"))


def submission_signatory_names(submission: Submission) -> tuple[list[str], bool]:
    """The names of ``submission_signatories`` in the same order, and whether coordinators chose them:
    what the submission page shows, without a hundred organisations' rows."""
    chosen, default = _signatory_rows(submission)
    rows = list(chosen.values_list("organisation__name", "is_member"))
    if rows:
        return [name for name, is_member in rows if is_member], True
    return list(default.values_list("name", flat=True)), False


def submission_signatories_chosen(submission: Submission) -> bool:
    """Whether coordinators chose the signatories (False: the default, every member organisation)."""
    return SubmissionSignatory.objects.filter(submission=submission).exists()


def documents_of(*, submission: Submission) -> QuerySet[GeneratedDocument]:
    """The submission's generated documents, newest first, with who asked for each."""
    return submission.documents.select_related("requested_by").order_by("-created_at", "-pk")


def document_running_key(*, job_key: str) -> GeneratedDocument | None:
    """The job queued or running under this key, if any (there is at most one)."""
    return GeneratedDocument.objects.filter(job_key=job_key, status__in=GeneratedDocument.RUNNING).first()


def latest_kind_document(*, kind: str, coalition, subject_id: int) -> GeneratedDocument | None:
    """The newest PDF job of another kind (a matrix, a factsheet) for this coalition and subject."""
    return (
        GeneratedDocument.objects.filter(job_key=GeneratedDocument.key_for(kind, coalition.pk, subject_id))
        .select_related("requested_by")
        .order_by("-created_at", "-pk")
        .first()
    )


def document_running(*, submission: Submission) -> GeneratedDocument | None:
    """The submission's job that is queued or running, if any (there is at most one)."""
    return submission.documents.filter(status__in=GeneratedDocument.RUNNING).order_by("-created_at").first()


def section_read_only_reason(*, user, section: Section) -> str | None:
    """Why the person may read the section but not edit it, in plain words; None when they may edit.

    The decision is the one rule, ``submissions.edit_section`` (coalitions/rules.py): this only says
    which of its conditions the person does not meet, so the page can tell them what would change it.
    The section's assignees are read by ``with_assignees`` (submissions/views/common.py).
    """
    if can(user, "submissions.edit_section", section):
        return None
    submission = section.submission
    if submission.status == Submission.Status.SUBMITTED:
        return _("The submission was sent to OHCHR: it stays read-only.")
    if submission.is_locked:
        return _("The submission is marked final: nobody edits it until a coordinator reopens it for drafting.")
    if section.is_locked:
        return _("This section is locked: nobody edits it until a coordinator reopens it for drafting.")
    role = role_in(user, section)
    if role not in EDITING_ROLES:
        return _("Your role in the coalition is “%(role)s”: you can read the sections but not edit them.") % {
            "role": Role(role).label if role else _("none")
        }
    # Its drafters (assigned, or leading its cluster) edit it only while it is with them.
    drafts_it = is_assigned_to_section(user, section) or leads_section_cluster(user, section)
    if drafts_it and not section.is_open_to_drafters:
        if section.state == Section.State.SUBMITTED:
            return _(
                "This section is submitted for review: reviewers have it until they approve it or ask for changes."
            )
        return _(
            "This section is approved: it is edited again once a reviewer asks for changes or a coordinator "
            "reopens it for drafting."
        )
    names = [name for _pk, name in section.assignees.organisations]
    names += [name for _pk, name in section.assignees.people]
    if names:
        return _(
            "This section is assigned to %(names)s. A coordinator can assign it to you or to your organisation."
        ) % {"names": ", ".join(names)}
    return _("This section is not assigned to anyone yet. A coordinator can assign it to you or to your organisation.")


def section_people(sections) -> dict[int, frozenset[int]]:
    """Who works on each section, by user id: the people named on it and the coordinators, cluster
    leads and drafters of its contributing and lead organisations, while they are active members of
    its coalition. The one answer to "the section's people" for its reminders, its workflow's
    notifications and its comments; three queries for any number of sections.

    Each section needs ``submission`` (its ``coalition_id``) and ``lead_organisation_id`` loaded.
    """
    sections = list(sections)
    if not sections:
        return {}
    ids = [section.pk for section in sections]
    named: dict[int, set[int]] = defaultdict(set)
    for section_id, user_id in Section.assigned_people.through.objects.filter(section_id__in=ids).values_list(
        "section_id", "user_id"
    ):
        named[section_id].add(user_id)
    organisations: dict[int, set[int]] = defaultdict(set)
    for section_id, organisation_id in Section.assigned_organisations.through.objects.filter(
        section_id__in=ids
    ).values_list("section_id", "organisation_id"):
        organisations[section_id].add(organisation_id)
    for section in sections:
        if section.lead_organisation_id is not None:
            organisations[section.pk].add(section.lead_organisation_id)
    everyone_named = set().union(*named.values())
    every_organisation = set().union(*organisations.values())
    members: set[tuple[int, int]] = set()  # (coalition, user): active members named on a section
    editors: dict[tuple[int, int], set[int]] = defaultdict(set)  # (coalition, organisation) -> users
    rows = Membership.objects.filter(
        Q(user_id__in=everyone_named) | Q(organisation_id__in=every_organisation, role__in=EDITING_ROLES),
        coalition_id__in={section.submission.coalition_id for section in sections},
        is_active=True,
        user__is_active=True,
    ).values_list("coalition_id", "organisation_id", "user_id", "role")
    for coalition_id, organisation_id, user_id, role in rows:
        members.add((coalition_id, user_id))
        if role in EDITING_ROLES:
            editors[(coalition_id, organisation_id)].add(user_id)
    result = {}
    for section in sections:
        coalition_id = section.submission.coalition_id
        people = {user_id for user_id in named[section.pk] if (coalition_id, user_id) in members}
        for organisation_id in organisations[section.pk]:
            people |= editors[(coalition_id, organisation_id)]
        result[section.pk] = frozenset(people)
    return result
