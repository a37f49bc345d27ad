"""Creating submissions, arranging their sections and sharing the word limit out over them."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max, Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.models import User
from coalitions.models import AuditEvent, Cluster, Coalition, Organisation
from coalitions.services.coalitions import audit
from reviews.models import DocumentLimit, Review
from submissions.errors import SubmissionError, refuse_if_locked
from submissions.models import GeneratedDocument, Section, Submission
from submissions.services.schedule import MILESTONE_NAMES, refuse_bad_milestones


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


def refuse_other_coalitions_cluster(*, coalition_id: int, cluster: Cluster | None) -> None:
    """A submission belongs to a cluster of its own coalition, or to none."""
    if cluster is not None and cluster.coalition_id != coalition_id:
        raise SubmissionError(_("Choose one of the coalition's clusters."))


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
    cluster: Cluster | None = None,
) -> Submission:
    """Creates a submission for one of the coalition's reviews, with empty sections: the coalition's
    joint submission, or with ``cluster`` that cluster's own. Atomic."""
    if not coalition.reviews.filter(pk=review.pk).exists():
        raise SubmissionError(_("Choose one of the reviews the coalition works on."))
    refuse_other_coalitions_cluster(coalition_id=coalition.pk, cluster=cluster)
    submission = Submission(
        coalition=coalition,
        review=review,
        cluster=cluster,
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
    audit(coalition=coalition, actor=actor, action=AuditEvent.Action.SUBMISSION_CREATED, subject=submission.title)
    return submission


@transaction.atomic
def submission_update(*, submission: Submission, actor: User, **fields) -> Submission:
    """Changes the submission's details; the activity log names the fields that changed. Atomic."""
    refuse_if_locked(submission)
    if "cluster" in fields:
        refuse_other_coalitions_cluster(coalition_id=submission.coalition_id, cluster=fields["cluster"])
    changed = sorted(name for name, value in fields.items() if getattr(submission, name) != value)
    for name, value in fields.items():
        setattr(submission, name, value)
    submission.full_clean()
    submission.save()
    if changed:
        audit(
            coalition=submission.coalition,
            actor=actor,
            action=AuditEvent.Action.SUBMISSION_CHANGED,
            subject=submission.title,
            fields=changed,
        )
    return submission


def refuse_final_over_limit(submission: Submission) -> None:
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
    lead_organisation: Organisation | None = None,
    milestones: dict | None = None,
) -> Section:
    refuse_if_locked(submission)
    _check_budgets(submission, section=None, budget=word_budget)
    milestones = {name: (milestones or {}).get(name) for name in MILESTONE_NAMES}
    refuse_bad_milestones(milestones, submission=submission)
    last = submission.sections.aggregate(last=Max("position"))["last"] or 0
    section = Section.objects.create(
        submission=submission,
        position=last + 1,
        title=title,
        cluster=cluster,
        word_budget=word_budget,
        lead_organisation=lead_organisation,
        **milestones,
    )
    section.assigned_organisations.set(organisations)
    section.assigned_people.set(people)
    audit(
        coalition=submission.coalition,
        actor=actor,
        action=AuditEvent.Action.SECTION_ADDED,
        subject=section.title,
        submission=submission.title,
    )
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
    lead_organisation: Organisation | None = None,
    milestones: dict | None = None,
) -> Section:
    """Changes a section's title, cluster, assignees, lead organisation, milestones (None: kept) and
    budget (not its text), and records what changed in the coalition's activity. Atomic."""
    submission = section.submission
    refuse_if_locked(submission)
    _check_budgets(submission, section=section, budget=word_budget)
    organisations, people = list(organisations), list(people)
    if milestones is not None:
        refuse_bad_milestones({name: milestones.get(name) for name in MILESTONE_NAMES}, submission=submission)
    before = _settings_snapshot(section)
    section.title = title
    section.cluster = cluster
    section.word_budget = word_budget
    section.lead_organisation = lead_organisation
    for name in MILESTONE_NAMES if milestones is not None else ():
        setattr(section, name, milestones.get(name))
    section.save(update_fields=["title", "cluster", "word_budget", "lead_organisation", *MILESTONE_NAMES, "updated_at"])
    section.assigned_organisations.set(organisations)
    section.assigned_people.set(people)
    after = _settings_snapshot(section, organisations=organisations, people=people)
    changed = {name: after[name] for name in after if after[name] != before[name]}
    if changed:
        audit(
            coalition=submission.coalition,
            actor=actor,
            action=AuditEvent.Action.SECTION_CHANGED,
            subject=section.title,
            changed=changed,
        )
    return section


def _settings_snapshot(section: Section, *, organisations=None, people=None) -> dict:
    """A section's settings as plain values (names, ISO datetimes) for the activity log."""
    organisations = section.assigned_organisations.all() if organisations is None else organisations
    people = section.assigned_people.all() if people is None else people
    milestones = {name: getattr(section, name) for name in MILESTONE_NAMES}
    return {
        "title": section.title,
        "cluster": section.cluster.name if section.cluster else "",
        "word_budget": section.word_budget,
        "lead_organisation": section.lead_organisation.name if section.lead_organisation else "",
        "organisations": sorted(o.name for o in organisations),
        "people": sorted(str(p) for p in people),
        **{name: when.astimezone(datetime.UTC).isoformat() if when else None for name, when in milestones.items()},
    }


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
    submission = section.submission
    audit(
        coalition=submission.coalition,
        actor=actor,
        action=AuditEvent.Action.SECTION_DELETED,
        subject=section.title,
        submission=submission.title,
    )
    section.delete()
