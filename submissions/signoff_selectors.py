"""Reads for sign-off: who endorsed, the sign-off page's rows and figures, the organisations a
generated document names. Constant query counts whatever the number of organisations."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from coalitions.models import Membership, Organisation
from submissions.models import Section, SignOff, Submission
from submissions.selectors import submission_signatories, submission_signatories_chosen, submission_signatory_names

# From these statuses on, the documents name the organisations that endorsed, not every signatory.
SIGNED_LIST_STATUSES = (Submission.Status.SIGN_OFF, Submission.Status.FINAL, Submission.Status.SUBMITTED)


def document_signatories(submission: Submission) -> list[Organisation]:
    """The organisations a generated document names as submitting it, in the signatories' order:
    before sign-off every signatory (``submission_signatories``); once it is open, those that endorsed."""
    organisations = submission_signatories(submission)
    if submission.status not in SIGNED_LIST_STATUSES:
        return organisations
    endorsed = set(
        SignOff.objects.filter(submission_id=submission.pk, status=SignOff.Status.ENDORSED).values_list(
            "organisation_id", flat=True
        )
    )
    return [organisation for organisation in organisations if organisation.pk in endorsed]


@dataclass(frozen=True)
class SignOffCounts:
    total: int
    endorsed: int
    declined: int
    pending: int
    unassigned: int  # pending with nobody designated to answer
    remindable: int  # pending with a designated person


def sign_off_counts(submission: Submission) -> SignOffCounts:
    """How many organisations endorsed, declined and have not answered: one query."""
    pending = Q(status=SignOff.Status.PENDING)
    figures = SignOff.objects.filter(submission_id=submission.pk).aggregate(
        total=Count("pk"),
        endorsed=Count("pk", filter=Q(status=SignOff.Status.ENDORSED)),
        declined=Count("pk", filter=Q(status=SignOff.Status.DECLINED)),
        pending=Count("pk", filter=pending),
        unassigned=Count("pk", filter=pending & Q(person__isnull=True)),
    )
    return SignOffCounts(**figures, remindable=figures["pending"] - figures["unassigned"])


def sign_offs_of(submission: Submission) -> list[SignOff]:
    """Every organisation's sign-off by organisation name, with its designated person and who answered."""
    return list(
        SignOff.objects.filter(submission_id=submission.pk)
        .select_related("organisation", "person", "answered_by")
        .order_by("organisation__name", "pk")
    )


def sign_off_of_person(submission: Submission, user) -> SignOff | None:
    """The sign-off the person answers for (they are its designated person), if any."""
    if not user.is_authenticated:
        return None
    return (
        SignOff.objects.filter(submission_id=submission.pk, person_id=user.pk)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
        .first()
    )


@dataclass(frozen=True)
class TextFigures:
    """The text a designated person endorses: each section's title, version and words."""

    sections: list[Section]
    versions: dict[str, int]
    body_words: int
    note_words: int


def text_figures(submission: Submission) -> TextFigures:
    """The sections in order without their texts (the counts are cached on each row): one query."""
    sections = list(
        Section.objects.filter(submission_id=submission.pk)
        .only("pk", "submission", "position", "title", "version", "body_words", "note_words")
        .order_by("position", "pk")
    )
    return TextFigures(
        sections=sections,
        versions={str(section.pk): section.version for section in sections},
        body_words=sum(section.body_words for section in sections),
        note_words=sum(section.note_words for section in sections),
    )


def designatable_people(sign_off: SignOff):
    """The active members of the sign-off's organisation in its coalition, by name: whom a coordinator
    may designate to answer for it."""
    return (
        Membership.objects.filter(
            coalition_id=sign_off.submission.coalition_id,
            organisation_id=sign_off.organisation_id,
            is_active=True,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user__full_name", "user__email", "pk")
    )


def declined_text_changed(sign_off: SignOff, versions: dict[str, int]) -> bool:
    """A decline given on a text that has changed since (declines stay declined when it changes)."""
    return sign_off.status == SignOff.Status.DECLINED and sign_off.section_versions != versions


def document_signatory_names(submission: Submission) -> tuple[list[str], bool]:
    """The names of ``document_signatories`` and whether coordinators chose the signatories: what the
    documents panel of the submission page shows (the names alone before sign-off, as before)."""
    if submission.status not in SIGNED_LIST_STATUSES:
        return submission_signatory_names(submission)
    return [organisation.name for organisation in document_signatories(submission)], submission_signatories_chosen(
        submission
    )
