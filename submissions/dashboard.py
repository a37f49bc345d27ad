"""Reads for the secretariat's contribution dashboard: who has delivered what, and who is late.

One page per submission, three tables: per organisation, per person, per section. Every figure comes
from a fixed number of queries whatever the size of the coalition (about ten: sections, assignees,
versions, comments, memberships, organisations, sign-offs, clusters, the limit), read as values and
put together in one pass here; never a section's or a version's text, never a query per row.

Words written (the measure): the versions of a section in order, each version's words (body and
notes) minus those of the version before it (0 before the first), floored at 0, credited to the
version's author. A restore credits none: its words were written before, by whoever wrote them.
Several autosaves by one author within a few minutes share one version row, so a version is a save.

Figures are over the sections the filters keep (cluster, state, late only); the organisation and
person filters keep their rows, and the sections of that organisation or person.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max
from django.utils.translation import gettext as _

from coalitions.models import Cluster, CoalitionOrganisation, Membership, Organisation
from submissions.models import Comment, GeneratedDocument, Section, SectionVersion, SignOff, Submission
from submissions.models.core import SectionState
from submissions.selectors import documents_of, sections_for_overview, submission_totals, with_assignees
from submissions.services.submissions import submission_limit
from upr_portal.wordcount import words_counted

DUE_SOON = datetime.timedelta(days=7)

PEOPLE_SORTS = ("name", "organisation", "words", "versions", "comments", "activity", "late", "due")
ORGANISATION_SORTS = ("name", "words", "versions", "comments", "activity", "late", "due", "sign_off")
SECTION_SORTS = ("position", "title", "state", "progress", "deadline")


@dataclass(frozen=True)
class DashboardFilters:
    """What the GET parameters ask for (submissions/dashboard_forms.py reads and checks them)."""

    organisation: int | None = None
    person: int | None = None
    cluster: int | None = None
    state: str = ""
    late_only: bool = False
    person_sort: str = "name"
    organisation_sort: str = "name"
    section_sort: str = "position"

    @property
    def narrows_sections(self) -> bool:
        return bool(self.cluster or self.state or self.late_only)


@dataclass(frozen=True, slots=True)
class ContributionRow:
    """One organisation or one person: plain values (the table is cached under a digest of them)."""

    pk: int
    name: str
    organisation: str  # a person's organisation; "" for an organisation's own row
    lead: int  # sections led (a person: by their organisation)
    contributing: int  # sections assigned to the organisation
    named: int  # sections assigned by name (an organisation: to any of its people)
    words: int
    versions: int
    comments: int
    last_activity: datetime.datetime | None
    late: int  # milestones passed and not met, over their sections
    due_soon: int  # milestones not met and due within seven days
    sign_off: str  # the organisation's answer, in words; "" for a person


@dataclass(frozen=True, slots=True)
class SectionDashboardRow:
    number: int
    pk: int
    title: str
    url: str
    cluster: str
    lead: str
    state: str
    state_label: str
    counted: int
    budget: int | None
    percent: int  # capped at 100 for the bar; the words say the rest
    over: bool
    next_label: str
    next_when: datetime.datetime | None
    next_late: bool
    late: int


@dataclass
class Dashboard:
    organisations: list[ContributionRow]
    people: list[ContributionRow]
    sections: list[SectionDashboardRow]
    # The filters' choices, from the same rows: (id, name) pairs by name.
    organisation_choices: list[tuple[int, str]] = field(default_factory=list)
    person_choices: list[tuple[int, str]] = field(default_factory=list)
    cluster_choices: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class _Tally:
    name: str = ""
    words: int = 0
    versions: int = 0
    comments: int = 0
    last: datetime.datetime | None = None

    def seen(self, when: datetime.datetime | None) -> None:
        if when is not None and (self.last is None or when > self.last):
            self.last = when

    def add(self, other: _Tally) -> None:
        self.words += other.words
        self.versions += other.versions
        self.comments += other.comments
        self.seen(other.last)


def _sections(submission: Submission) -> list[Section]:
    sections = list(
        submission.sections.select_related("cluster", "lead_organisation")
        .only(
            *("submission", "position", "title", "state", "word_budget", "body_words", "note_words"),
            *("first_draft_due", "review_due", "final_due", "cluster__name", "cluster__coalition"),
            *("cluster__lead_organisation", "lead_organisation__name", "lead_organisation__acronym"),
        )
        .order_by("position", "pk")
    )
    for section in sections:
        section.submission = submission
    return with_assignees(sections)


def _tallies_by_person(section_ids: set[int], submission: Submission) -> dict[int, _Tally]:
    """Words, versions and comments per author over these sections: one pass over the versions' numbers."""
    tallies: dict[int, _Tally] = defaultdict(_Tally)
    rows = (
        SectionVersion.objects.filter(section__submission=submission)
        .order_by("section_id", "version")
        .values_list(
            *("section_id", "kind", "author_id", "body_words", "note_words", "saved_at"),
            *("author__full_name", "author__email"),
        )
    )
    previous_section, previous_words = None, 0
    for section_id, kind, author_id, body_words, note_words, saved_at, full_name, email in rows:
        words = body_words + note_words
        if section_id != previous_section:
            previous_section, previous_words = section_id, 0
        added = 0 if kind == SectionVersion.Kind.RESTORE else max(words - previous_words, 0)
        previous_words = words
        if author_id is None or section_id not in section_ids:
            continue
        tally = tallies[author_id]
        tally.name = full_name or email
        tally.words += added
        tally.versions += 1
        tally.seen(saved_at)
    comments = (
        Comment.objects.filter(section_id__in=section_ids, author__isnull=False)
        .order_by()
        .values_list("author_id", "author__full_name", "author__email")
        .annotate(count=Count("pk"), last=Max("created_at"))
    )
    for author_id, full_name, email, count, last in comments:
        tally = tallies[author_id]
        tally.name = full_name or email
        tally.comments += count
        tally.seen(last)
    return tallies


def _milestones(section: Section, now: datetime.datetime) -> tuple[int, int]:
    """(late, due within a week) milestones of a section, from the model's own rules."""
    late = len(section.late_milestones(now))
    soon = sum(1 for _name, _label, when in section.open_milestones() if now <= when < now + DUE_SOON)
    return late, soon


SIGN_OFF_WORDS = {
    SignOff.Status.PENDING: SignOff.Status.PENDING.label,
    SignOff.Status.ENDORSED: SignOff.Status.ENDORSED.label,
    SignOff.Status.DECLINED: SignOff.Status.DECLINED.label,
}


def _sign_off_words(status: str | None, invalidated: bool) -> str:
    if status is None:
        return _("Not asked")
    if status == SignOff.Status.PENDING and invalidated:
        return _("Asked again after a change")
    return str(SIGN_OFF_WORDS[status])


def contribution_dashboard(
    *, submission: Submission, filters: DashboardFilters, now: datetime.datetime, section_url=None
) -> Dashboard:
    """The dashboard's three tables for these filters at ``now``. A fixed number of queries."""
    sections = _sections(submission)
    limit = submission_limit(submission)
    notes_count = limit.notes_count if limit else True

    # Who is who: every membership of the coalition (a person who left keeps their organisation for
    # what they wrote), and the organisations listed: the coalition's current members (a cluster's
    # submission: the cluster's), and any organisation a section names.
    memberships = list(
        Membership.objects.filter(coalition_id=submission.coalition_id)
        .order_by()
        .values_list("user_id", "organisation_id", "is_active", "user__full_name", "user__email")
    )
    person_organisation = {user_id: organisation_id for user_id, organisation_id, *_rest in memberships}
    person_names = {user_id: full_name or email for user_id, _o, _a, full_name, email in memberships}
    if submission.cluster_id:
        listed = set(
            Cluster.organisations.through.objects.filter(cluster_id=submission.cluster_id).values_list(
                "organisation_id", flat=True
            )
        )
    else:
        listed = set(
            CoalitionOrganisation.objects.current()
            .filter(coalition_id=submission.coalition_id)
            .values_list("organisation_id", flat=True)
        )
    for section in sections:
        listed |= {pk for pk, _name in section.assignees.organisations}
        if section.lead_organisation_id:
            listed.add(section.lead_organisation_id)
    sign_offs = {
        organisation_id: (status, invalidated_at is not None)
        for organisation_id, status, invalidated_at in SignOff.objects.filter(submission=submission).values_list(
            "organisation_id", "status", "invalidated_at"
        )
    }
    listed |= set(sign_offs)
    organisation_names = dict(Organisation.objects.filter(pk__in=listed).order_by().values_list("pk", "name"))
    clusters = list(
        Cluster.objects.filter(coalition_id=submission.coalition_id).order_by("name").values_list("pk", "name")
    )

    # The sections of each person and organisation, in the three ways a section is theirs.
    led_by = defaultdict(set)  # organisation -> section ids
    contributed_by = defaultdict(set)
    named_person = defaultdict(set)  # person -> section ids
    for section in sections:
        if section.lead_organisation_id:
            led_by[section.lead_organisation_id].add(section.pk)
        for pk, _name in section.assignees.organisations:
            contributed_by[pk].add(section.pk)
        for pk, _name in section.assignees.people:
            named_person[pk].add(section.pk)
    named_organisation = defaultdict(set)
    for person, ids in named_person.items():
        if person in person_organisation:
            named_organisation[person_organisation[person]] |= ids

    def person_sections(person: int) -> set[int]:
        organisation = person_organisation.get(person)
        return named_person[person] | led_by[organisation] | contributed_by[organisation]

    def organisation_sections(organisation: int) -> set[int]:
        return led_by[organisation] | contributed_by[organisation] | named_organisation[organisation]

    milestones = {section.pk: _milestones(section, now) for section in sections}

    # The sections the filters keep.
    kept = [
        s
        for s in sections
        if (not filters.cluster or s.cluster_id == filters.cluster)
        and (not filters.state or s.state == filters.state)
        and (not filters.late_only or milestones[s.pk][0])
    ]
    kept_ids = {s.pk for s in kept}
    tallies = _tallies_by_person(kept_ids, submission)

    # The people: active members of the organisations listed, anyone named on a section, anyone
    # who wrote in one.
    people_ids = {
        user_id for user_id, organisation_id, active, *_r in memberships if active and organisation_id in listed
    }
    people_ids |= set(named_person) | set(tallies)
    everyone = set(people_ids)
    if filters.organisation:
        people_ids = {p for p in people_ids if person_organisation.get(p) == filters.organisation}
    if filters.person:
        people_ids &= {filters.person}

    def row(pk, name, organisation, *, lead, contributing, named, tally, mine, sign_off="") -> ContributionRow:
        mine = mine & kept_ids
        return ContributionRow(
            pk=pk,
            name=name,
            organisation=organisation,
            lead=len(lead & kept_ids),
            contributing=len(contributing & kept_ids),
            named=len(named & kept_ids),
            words=tally.words,
            versions=tally.versions,
            comments=tally.comments,
            last_activity=tally.last,
            late=sum(milestones[s][0] for s in mine),
            due_soon=sum(milestones[s][1] for s in mine),
            sign_off=sign_off,
        )

    def involved(candidate: ContributionRow, mine: set[int]) -> bool:
        """Under a section filter, only the rows with a kept section or words in one."""
        if filters.late_only and not candidate.late:
            return False
        return not filters.narrows_sections or bool(mine & kept_ids) or candidate.versions or candidate.comments

    people = []
    for person in people_ids:
        organisation = person_organisation.get(person)
        mine = person_sections(person)
        candidate = row(
            person,
            person_names.get(person) or tallies[person].name,
            organisation_names.get(organisation, ""),
            lead=led_by[organisation],
            contributing=contributed_by[organisation],
            named=named_person[person],
            tally=tallies.get(person, _Tally()),
            mine=mine,
        )
        if involved(candidate, mine):
            people.append(candidate)

    organisation_tallies: dict[int, _Tally] = defaultdict(_Tally)
    for person, tally in tallies.items():
        if person in person_organisation:
            organisation_tallies[person_organisation[person]].add(tally)
    organisation_ids = set(organisation_names)
    if filters.organisation:
        organisation_ids &= {filters.organisation}
    if filters.person:
        organisation_ids &= {person_organisation.get(filters.person)}
    organisations = []
    for organisation in organisation_ids:
        mine = organisation_sections(organisation)
        status, invalidated = sign_offs.get(organisation, (None, False))
        candidate = row(
            organisation,
            organisation_names[organisation],
            "",
            lead=led_by[organisation],
            contributing=contributed_by[organisation],
            named=named_organisation[organisation],
            tally=organisation_tallies.get(organisation, _Tally()),
            mine=mine,
            sign_off=_sign_off_words(status, invalidated),
        )
        if involved(candidate, mine):
            organisations.append(candidate)

    # The sections: those kept, narrowed to the organisation's or person's own.
    shown = kept
    if filters.organisation:
        shown = [s for s in shown if s.pk in organisation_sections(filters.organisation)]
    if filters.person:
        shown = [s for s in shown if s.pk in person_sections(filters.person)]
    section_rows = [
        _section_row(s, number, now, notes_count, milestones, section_url) for number, s in _numbered(sections, shown)
    ]

    return Dashboard(
        organisations=sort_rows(organisations, filters.organisation_sort),
        people=sort_rows(people, filters.person_sort),
        sections=sort_sections(section_rows, filters.section_sort),
        organisation_choices=sorted(organisation_names.items(), key=lambda item: (item[1].casefold(), item[0])),
        person_choices=sorted(
            ((pk, person_names.get(pk) or tallies[pk].name) for pk in everyone),
            key=lambda item: (item[1].casefold(), item[0]),
        ),
        cluster_choices=clusters,
    )


def _numbered(sections: list[Section], shown: list[Section]):
    """Each shown section with its number in the whole submission (the number the document gives it)."""
    numbers = {section.pk: number for number, section in enumerate(sections, start=1)}
    return [(numbers[section.pk], section) for section in shown]


def _section_row(section, number, now, notes_count, milestones, section_url) -> SectionDashboardRow:
    counted = words_counted(section.word_count, notes_count=notes_count)
    budget = section.word_budget
    upcoming = section.next_milestone(now)
    _name, label, when = upcoming if upcoming else (None, "", None)
    return SectionDashboardRow(
        number=number,
        pk=section.pk,
        title=section.title,
        url=section_url(section.pk) if section_url else "",
        cluster=section.cluster.name if section.cluster_id else "",
        lead=section.lead_organisation.name if section.lead_organisation_id else "",
        state=section.state,
        state_label=str(SectionState(section.state).label),
        counted=counted,
        budget=budget,
        percent=min(round(100 * counted / budget), 100) if budget else 0,
        over=bool(budget) and counted > budget,
        next_label=str(label),
        next_when=when,
        next_late=when is not None and when < now,
        late=milestones[section.pk][0],
    )


_NO_TIME = datetime.datetime.min.replace(tzinfo=datetime.UTC)


def sort_rows(rows: list[ContributionRow], sort: str) -> list[ContributionRow]:
    """By name, or by a figure (``-`` first: largest first); ties by name."""
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    by_name = sorted(rows, key=lambda r: (r.name.casefold(), r.pk))
    if key == "name":
        return by_name[::-1] if descending else by_name
    value = {
        "organisation": lambda r: r.organisation.casefold(),
        "activity": lambda r: r.last_activity or _NO_TIME,
        "due": lambda r: r.due_soon,
    }.get(key, lambda r: getattr(r, key))
    # Stable sorts: the name order stays within equal figures.
    return sorted(by_name, key=value, reverse=descending)


def sort_sections(rows: list[SectionDashboardRow], sort: str) -> list[SectionDashboardRow]:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    order = list(SectionState.values)
    value = {
        "position": lambda r: r.number,
        "title": lambda r: r.title.casefold(),
        "state": lambda r: order.index(r.state),
        "progress": lambda r: (r.counted / r.budget) if r.budget else -1,
        # Without a deadline: after the others (before them, largest first).
        "deadline": lambda r: (r.next_when is None, r.next_when or _NO_TIME),
    }[key]
    ordered = sorted(rows, key=lambda r: r.number)
    return sorted(ordered, key=value, reverse=descending)


@dataclass(frozen=True)
class AtAGlance:
    """The whole submission on one line each, whatever the filters: does it fit, who is late, what is missing."""

    totals: object  # selectors.Totals
    sections: int
    empty: int  # sections with no text yet
    with_drafters: int  # drafting, or changes requested
    in_review: int
    approved: int  # approved or locked
    late_sections: int
    late_items: int
    sign_off: object | None  # signoff_selectors.SignOffCounts once sign-off was opened
    document: GeneratedDocument | None  # the latest finished documents


def submission_at_a_glance(*, submission: Submission, now: datetime.datetime) -> AtAGlance:
    """Reads the sections without their texts (``sections_for_overview``), the limit, the sign-off counts
    and the latest finished documents: a fixed number of queries."""
    # Imported here: the sign-off selectors read the documents' list of organisations, which reads these.
    from submissions.signoff_selectors import sign_off_counts

    sections = sections_for_overview(submission=submission)
    states = [section.state for section in sections]
    late = [len(section.late_milestones(now)) for section in sections]
    counts = sign_off_counts(submission)
    return AtAGlance(
        totals=submission_totals(submission=submission, sections=sections),
        sections=len(sections),
        empty=sum(1 for section in sections if section.body_words == 0),
        with_drafters=sum(state in (SectionState.DRAFTING, SectionState.CHANGES_REQUESTED) for state in states),
        in_review=states.count(SectionState.SUBMITTED),
        approved=sum(state in (SectionState.APPROVED, SectionState.LOCKED) for state in states),
        late_sections=sum(1 for items in late if items),
        late_items=sum(late),
        sign_off=counts if counts.total else None,
        document=documents_of(submission=submission).filter(status=GeneratedDocument.Status.DONE).first(),
    )
