"""Reads for the submission pages: scoped by the caller's permission check, constant query counts."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from accounts.models import User
from coalitions.models import Coalition, CoalitionOrganisation, Organisation
from submissions.models import GeneratedDocument, Section, SectionVersion, Submission, SubmissionSignatory
from submissions.services.submissions import submission_limit
from upr_portal.wordcount import WordCount, count_words, words_counted


def submissions_of(*, coalition: Coalition) -> QuerySet[Submission]:
    return (
        Submission.objects.filter(coalition=coalition)
        .select_related("review__state", "review__session")
        .order_by("-created_at")
    )


def submission_with_review(*, pk: int) -> QuerySet[Submission]:
    return Submission.objects.filter(pk=pk).select_related("coalition", "review__state", "review__session__cycle")


def sections_for_overview(*, submission: Submission) -> QuerySet[Section]:
    return (
        submission.sections.select_related("cluster__lead_organisation", "last_edited_by")
        .prefetch_related(
            Prefetch("assigned_people", queryset=User.objects.order_by("full_name")),
            Prefetch("assigned_organisations", queryset=Organisation.objects.order_by("name")),
        )
        .order_by("position", "pk")
    )


def section_for_editing(*, submission: Submission, pk: int) -> QuerySet[Section]:
    return (
        Section.objects.filter(submission=submission, pk=pk)
        .select_related("submission__coalition", "submission__review__session", "cluster", "last_edited_by")
        .prefetch_related("assigned_people", "assigned_organisations")
    )


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
    body = sum(s.body_words for s in sections)
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


def versions_of(*, section: Section) -> QuerySet[SectionVersion]:
    return section.versions.select_related("author").order_by("-version")


def submission_signatories(submission: Submission) -> list[Organisation]:
    """The organisations the document names as submitting it, in order (with their country).

    The coordinators' chosen list when there is one; otherwise the coalition's current member
    organisations by name. An organisation that has left the coalition since it was chosen no
    longer signs: it drops out of the list rather than being named for a text it left behind.
    """
    current = CoalitionOrganisation.objects.current().filter(coalition_id=submission.coalition_id)
    chosen = list(
        SubmissionSignatory.objects.filter(submission=submission)
        .annotate(is_member=Exists(current.filter(organisation=OuterRef("organisation"))))
        .select_related("organisation__country")
        .order_by("position", "pk")
    )
    if chosen:
        return [signatory.organisation for signatory in chosen if signatory.is_member]
    return list(
        Organisation.objects.filter(coalition_memberships__in=current).select_related("country").order_by("name")
    )


def submission_signatories_chosen(submission: Submission) -> bool:
    """Whether coordinators chose the signatories (False: the default, every member organisation)."""
    return SubmissionSignatory.objects.filter(submission=submission).exists()


def documents_of(*, submission: Submission) -> QuerySet[GeneratedDocument]:
    """The submission's generated documents, newest first, with who asked for each."""
    return submission.documents.select_related("requested_by").order_by("-created_at", "-pk")


def document_running(*, submission: Submission) -> GeneratedDocument | None:
    """The submission's job that is queued or running, if any (there is at most one)."""
    return submission.documents.filter(status__in=GeneratedDocument.RUNNING).order_by("-created_at").first()
