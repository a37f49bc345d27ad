"""Creating submissions, arranging their sections and sharing the word limit out over them."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max, Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.models import User
from coalitions.models import Cluster, Coalition, Organisation
from reviews.models import DocumentLimit, Review
from submissions.errors import SubmissionError, refuse_if_locked
from submissions.models import GeneratedDocument, Section, Submission


def submission_limit(submission: Submission) -> DocumentLimit | None:
    """The limit of the submission's kind in its review's cycle (admins edit limits as data)."""
    cached = getattr(submission, "_limit", False)
    if cached is False:
        cached = DocumentLimit.objects.filter(cycle_id=submission.review.session.cycle_id, kind=submission.kind).first()
        submission._limit = cached
    return cached


def _check_budgets(submission: Submission, *, section: Section | None, budget: int | None) -> None:
    """Refuses budgets beyond the limit. Call inside a transaction: it locks the submission's row,
    so two coordinators sharing out words at the same moment cannot together exceed the limit."""
    Submission.objects.select_for_update().filter(pk=submission.pk).first()
    if budget is None:
        return
    limit = submission_limit(submission)
    if limit is None:
        return
    others = submission.sections.exclude(pk=getattr(section, "pk", None)).aggregate(total=Sum("word_budget"))["total"]
    total = (others or 0) + budget
    if total > limit.max_words:
        raise SubmissionError(
            _(
                "The sections' budgets would add up to %(total)s words, more than the limit of %(limit)s. "
                "%(left)s words are left to share out."
            )
            % {
                "total": number_format(total, force_grouping=True),
                "limit": number_format(limit.max_words, force_grouping=True),
                "left": number_format(max(limit.max_words - (others or 0), 0), force_grouping=True),
            }
        )


@transaction.atomic
def submission_create(
    *,
    coalition: Coalition,
    review: Review,
    actor: User,
    title: str,
    kind: str = Submission.Kind.JOINT,
    language: str = Submission.Language.ENGLISH,
    keywords: str = "",
    executive_summary: str = "",
    section_titles: Iterable[str] = (),
) -> Submission:
    """Creates a submission for one of the coalition's reviews, with empty sections. Atomic."""
    if not coalition.reviews.filter(pk=review.pk).exists():
        raise SubmissionError(_("Choose one of the reviews the coalition works on."))
    submission = Submission(
        coalition=coalition,
        review=review,
        kind=kind,
        title=title,
        language=language,
        keywords=keywords,
        executive_summary=executive_summary,
    )
    submission.full_clean()
    submission.save()
    for position, section_title in enumerate(section_titles, start=1):
        Section.objects.create(submission=submission, position=position, title=section_title)
    return submission


@transaction.atomic
def submission_update(*, submission: Submission, actor: User, **fields) -> Submission:
    refuse_if_locked(submission)
    for name, value in fields.items():
        setattr(submission, name, value)
    submission.full_clean()
    submission.save()
    return submission


@transaction.atomic
def submission_set_status(*, submission: Submission, actor: User, status: str) -> Submission:
    """Marks a submission final or submitted (read-only), or reopens it for drafting. Atomic.

    "Final" is refused while the latest generated documents are over a limit: OHCHR would reject them.
    """
    if status not in Submission.Status.values:
        raise SubmissionError(_("Choose one of the statuses offered."))
    if status == Submission.Status.FINAL:
        _refuse_final_over_limit(submission)
    submission.status = status
    submission.save(update_fields=["status", "updated_at"])
    return submission


def _refuse_final_over_limit(submission: Submission) -> None:
    # Imported here: submissions.selectors, which the documents service reads, imports this module.
    from submissions.services.documents import over_reasons

    latest = (
        GeneratedDocument.objects.filter(submission=submission, status=GeneratedDocument.Status.DONE)
        .order_by("-created_at", "-pk")
        .first()
    )
    if latest is not None and latest.is_over:
        raise SubmissionError(
            _(
                "The submission cannot be marked final: its latest documents are over a limit. %(reasons)s "
                "Shorten the text, generate the documents again, then mark it final."
            )
            % {"reasons": " ".join(over_reasons(latest.report))}
        )


@transaction.atomic
def section_add(
    *,
    submission: Submission,
    actor: User,
    title: str,
    cluster: Cluster | None = None,
    word_budget: int | None = None,
    organisations: Iterable[Organisation] = (),
    people: Iterable[User] = (),
) -> Section:
    refuse_if_locked(submission)
    _check_budgets(submission, section=None, budget=word_budget)
    last = submission.sections.aggregate(last=Max("position"))["last"] or 0
    section = Section.objects.create(
        submission=submission, position=last + 1, title=title, cluster=cluster, word_budget=word_budget
    )
    section.assigned_organisations.set(organisations)
    section.assigned_people.set(people)
    return section


@transaction.atomic
def section_update_settings(
    *,
    section: Section,
    actor: User,
    title: str,
    cluster: Cluster | None,
    word_budget: int | None,
    organisations: Iterable[Organisation],
    people: Iterable[User],
) -> Section:
    """Changes a section's title, cluster, assignees and budget (not its text). Atomic."""
    submission = section.submission
    refuse_if_locked(submission)
    _check_budgets(submission, section=section, budget=word_budget)
    section.title = title
    section.cluster = cluster
    section.word_budget = word_budget
    section.save(update_fields=["title", "cluster", "word_budget", "updated_at"])
    section.assigned_organisations.set(organisations)
    section.assigned_people.set(people)
    return section


@transaction.atomic
def section_move(*, section: Section, actor: User, offset: int) -> None:
    """Swaps a section with its neighbour above (offset -1) or below (offset 1). Atomic."""
    refuse_if_locked(section.submission)
    siblings = list(
        Section.objects.select_for_update().filter(submission=section.submission_id).order_by("position", "pk")
    )
    index = next(i for i, s in enumerate(siblings) if s.pk == section.pk)
    target = index + offset
    if not 0 <= target < len(siblings):
        return
    siblings[index], siblings[target] = siblings[target], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])


@transaction.atomic
def section_delete(*, section: Section, actor: User) -> None:
    refuse_if_locked(section.submission)
    if section.version > 0:
        raise SubmissionError(
            _(
                "This section has been saved before, and deleting it would delete its history. "
                "Rename it, or empty it and leave it out of the budget, instead."
            )
        )
    section.delete()
