"""Who submits the document: its ordered signatory organisations and its contact person."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from coalitions.models import AuditEvent, CoalitionOrganisation, Organisation
from coalitions.services.coalitions import audit
from submissions.errors import SubmissionError, refuse_if_locked
from submissions.models import Submission, SubmissionSignatory


@transaction.atomic
def submission_signatories_set(
    *, submission: Submission, actor: User, organisations: Sequence[Organisation]
) -> list[SubmissionSignatory]:
    """Replaces the submission's signatories with ``organisations``, in that order. Atomic.

    Only the coalition's current member organisations can sign, each once, and at least one must.
    """
    refuse_if_locked(submission)
    # Locks the submission's row: two coordinators saving at once would otherwise both delete and
    # then collide on the positions.
    Submission.objects.select_for_update().filter(pk=submission.pk).first()
    ids = [organisation.pk for organisation in organisations]
    if not ids:
        raise SubmissionError(_("Choose at least one organisation to submit the document."))
    if len(set(ids)) != len(ids):
        raise SubmissionError(_("Each organisation can be listed only once."))
    members = set(
        CoalitionOrganisation.objects.current()
        .filter(coalition_id=submission.coalition_id, organisation_id__in=ids)
        .values_list("organisation_id", flat=True)
    )
    outside = [organisation.name for organisation in organisations if organisation.pk not in members]
    if outside:
        raise SubmissionError(
            _("Only member organisations of the coalition can sign; %(names)s is not one.")
            % {"names": ", ".join(outside)}
        )
    SubmissionSignatory.objects.filter(submission=submission).delete()
    return SubmissionSignatory.objects.bulk_create(
        SubmissionSignatory(submission=submission, organisation_id=pk, position=position)
        for position, pk in enumerate(ids, start=1)
    )


@transaction.atomic
def submission_signatories_reset(*, submission: Submission, actor: User) -> None:
    """Back to the default: every current member organisation of the coalition, by name. Atomic."""
    refuse_if_locked(submission)
    SubmissionSignatory.objects.filter(submission=submission).delete()
    audit(
        coalition=submission.coalition,
        actor=actor,
        action=AuditEvent.Action.SIGNATORIES_CHANGED,
        subject=submission.title,
        signatories=[],
    )


@transaction.atomic
def submission_contact_set(*, submission: Submission, actor: User, name: str, email: str) -> Submission:
    """The contact person the document names (both may be left empty). Atomic."""
    refuse_if_locked(submission)
    fields = Submission._meta
    submission.contact_name = fields.get_field("contact_name").clean(name.strip(), submission)
    submission.contact_email = fields.get_field("contact_email").clean(email.strip(), submission)
    submission.save(update_fields=["contact_name", "contact_email", "updated_at"])
    return submission


@transaction.atomic
def submission_signatories_update(
    *, submission: Submission, actor: User, organisations: Sequence[Organisation], contact_name: str, contact_email: str
) -> Submission:
    """The signatories, in order, and the contact person, saved together or not at all; the activity log
    names the signatories in order (an empty list: every member organisation). Atomic."""
    submission_signatories_set(submission=submission, actor=actor, organisations=organisations)
    submission = submission_contact_set(submission=submission, actor=actor, name=contact_name, email=contact_email)
    audit(
        coalition=submission.coalition,
        actor=actor,
        action=AuditEvent.Action.SIGNATORIES_CHANGED,
        subject=submission.title,
        signatories=[organisation.name for organisation in organisations],
        contact=submission.contact_name,
    )
    return submission
