"""Member organisations' sign-off of the exact final text of a submission.

Opening sign-off asks every signatory organisation through one designated person, who endorses the
text as it stands (every section's version is stored with the answer) or declines with a reason. A new
version of any section while the submission is in sign-off (or final) sets every endorsement back to
pending and tells the people who had signed: their signature was for a text that no longer exists.

Declines stay declined when the text changes: a decline is an organisation's refusal with its reason,
which a later edit may or may not answer; the organisation is not asked to decline again, and its
designated person can endorse the new text at any time while sign-off is open (the sign-off page
notes that the text changed since they declined).

Notifications and emails go to each person in their own language; emails through the outbox, queued
inside the service's transaction and sent once it commits. Sign-off emails ask for an answer on behalf
of the coalition, so they go whatever the person's choice about comment emails.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from coalitions.models import AuditEvent, Membership, Role
from coalitions.services.coalitions import audit
from notifications.services import email_queue, notification_create
from submissions.errors import SubmissionError
from submissions.models import Section, SignOff, Submission
from submissions.selectors import submission_signatories
from upr_portal.templatetags.geneva_time import geneva_text

# Whom an organisation's sign-off is asked of, by default: the first of its people in this order.
DESIGNATED_ROLES = (Role.COORDINATOR, Role.CLUSTER_LEAD, Role.DRAFTER)
# A second reminder within this time is refused: one click reminds everyone, not one click a minute.
REMINDER_INTERVAL = datetime.timedelta(hours=24)
# The statuses in which a new version of a section undoes the endorsements.
SIGNED_STATUSES = (Submission.Status.SIGN_OFF, Submission.Status.FINAL)

SIGN_OFF_REQUESTED = "submissions.sign_off_requested"
SIGN_OFF_REMINDER = "submissions.sign_off_reminder"
SIGN_OFF_INVALIDATED = "submissions.sign_off_invalidated"


def _designated_people(submission: Submission, organisation_ids: list[int]) -> dict[int, int]:
    """For each organisation, the person asked by default: its coordinator, else cluster lead, else drafter."""
    people: dict[int, int] = {}
    memberships = (
        Membership.objects.filter(
            coalition_id=submission.coalition_id,
            organisation_id__in=organisation_ids,
            is_active=True,
            role__in=DESIGNATED_ROLES,
        )
        .order_by("user__full_name", "user__email", "pk")
        .values_list("organisation_id", "user_id", "role")
    )
    rank = {role: index for index, role in enumerate(DESIGNATED_ROLES)}
    best: dict[int, int] = {}
    for organisation_id, user_id, role in memberships:
        if organisation_id not in best or rank[role] < best[organisation_id]:
            best[organisation_id] = rank[role]
            people[organisation_id] = user_id
    return people


def current_versions(submission: Submission, *, lock: bool = False) -> dict[str, int]:
    """Every section's current version, by section id as a string (the form of ``section_versions``).

    With ``lock``, the sections' rows are locked: a save running at the same time either finished
    before (and its version is read) or waits for the caller's transaction (and then undoes it).
    """
    sections = Section.objects.filter(submission_id=submission.pk)
    if lock:
        sections = sections.select_for_update()
    return {str(pk): version for pk, version in sections.order_by("position", "pk").values_list("pk", "version")}


def sign_off_url(submission_id: int) -> str:
    return reverse("submissions:sign_off", args=[submission_id])


def _tell(*, user: User, submission: Submission, kind: str, sign_off: SignOff, title: str, body: str) -> None:
    """A line under the person's bell and an email through the outbox (sent once the caller commits).
    ``title`` and ``body`` come already in the person's language."""
    notification_create(
        user=user,
        kind=kind,
        title=title,
        body=body,
        url=sign_off_url(submission.pk),
        coalition_id=submission.coalition_id,
    )
    if user.email:
        email_queue(
            kind=kind,
            to_email=user.email,
            recipient=user,
            context={"sign_off": sign_off.pk},
            coalition_id=submission.coalition_id,
        )


def _ask(*, sign_off: SignOff, submission: Submission, kind: str) -> None:
    """Asks the designated person for the organisation's answer (or reminds them)."""
    person = sign_off.person
    with translation.override(person.language or settings.LANGUAGE_CODE):
        values = {"submission": submission.title, "organisation": sign_off.organisation.name}
        if kind == SIGN_OFF_REMINDER:
            title = _("Reminder: %(organisation)s has not answered on “%(submission)s”") % values
        else:
            title = _("Sign-off: does %(organisation)s endorse “%(submission)s”?") % values
        body = (
            _("You answer for %(organisation)s: endorse the final text of “%(submission)s” or decline with a reason.")
            % values
        )
    _tell(user=person, submission=submission, kind=kind, sign_off=sign_off, title=title, body=body)


def _refuse_unless_open(submission: Submission) -> None:
    if submission.status != Submission.Status.SIGN_OFF:
        raise SubmissionError(
            _("Sign-off is not open for this submission (it is “%(status)s”).")
            % {"status": submission.get_status_display()}
        )


@transaction.atomic
def sign_off_open(*, submission: Submission, actor: User) -> list[SignOff]:
    """Asks every signatory organisation for its sign-off (one row each), and tells their designated
    people (a notification and an email each). Atomic.

    Called by the submission workflow's "Open sign-off" step, inside its transaction. Organisations
    no longer among the signatories lose their row; a new one is pending. An endorsement kept from an
    earlier round stands only if it was for the text as it is now; otherwise it is pending again.
    Declines stay (see the module's docstring).
    """
    now = timezone.now()
    organisations = submission_signatories(submission)
    ids = [organisation.pk for organisation in organisations]
    SignOff.objects.filter(submission=submission).exclude(organisation_id__in=ids).delete()
    existing = set(SignOff.objects.filter(submission=submission).values_list("organisation_id", flat=True))
    designated = _designated_people(submission, ids)
    SignOff.objects.bulk_create(
        SignOff(submission=submission, organisation_id=pk, person_id=designated.get(pk))
        for pk in ids
        if pk not in existing
    )
    versions = current_versions(submission)
    # Compared here rather than in SQL: SQLite compares JSON as text, where the keys' order counts.
    stale = [
        pk
        for pk, endorsed in SignOff.objects.filter(submission=submission, status=SignOff.Status.ENDORSED).values_list(
            "pk", "section_versions"
        )
        if endorsed != versions
    ]
    SignOff.objects.filter(pk__in=stale).update(status=SignOff.Status.PENDING, invalidated_at=now, answered_at=None)
    sign_offs = list(
        SignOff.objects.filter(submission=submission).select_related("organisation", "person").order_by("pk")
    )
    asked = 0
    for sign_off in sign_offs:
        if sign_off.status == SignOff.Status.PENDING and sign_off.person is not None and sign_off.person.is_active:
            _ask(sign_off=sign_off, submission=submission, kind=SIGN_OFF_REQUESTED)
            asked += 1
    audit(
        coalition=submission.coalition,
        actor=actor,
        action=AuditEvent.Action.SIGN_OFF_OPENED,
        subject=submission.title,
        organisations=len(sign_offs),
        asked=asked,
    )
    return sign_offs


def _locked(sign_off: SignOff) -> tuple[SignOff, Submission]:
    """The sign-off's row locked, and its submission as stored now (its status decides)."""
    locked = SignOff.objects.select_for_update().select_related("organisation").get(pk=sign_off.pk)
    submission = Submission.objects.select_related("coalition").get(pk=locked.submission_id)
    return locked, submission


def _refuse_unless_designated(sign_off: SignOff, actor: User) -> None:
    if sign_off.person_id != actor.pk:
        raise SubmissionError(
            _("Only the person designated by %(organisation)s can answer for it.")
            % {"organisation": sign_off.organisation.name}
        )


@transaction.atomic
def sign_off_endorse(*, sign_off: SignOff, actor: User, versions: dict) -> SignOff:
    """The designated person endorses the text they read: ``versions`` maps each section's id to the
    version shown to them. Refused when any section changed, was added or was removed since. Atomic.

    The sections' rows are locked while they are compared, so a save at the same moment either came
    first (and the endorsement is refused) or comes after (and undoes it).
    """
    sign_off, submission = _locked(sign_off)
    _refuse_unless_open(submission)
    _refuse_unless_designated(sign_off, actor)
    current = current_versions(submission, lock=True)
    seen = {str(pk): int(version) for pk, version in versions.items()}
    if seen != current:
        changed = [pk for pk in current if seen.get(pk) != current[pk]]
        titles = list(
            Section.objects.filter(pk__in=[int(pk) for pk in changed])
            .order_by("position", "pk")
            .values_list("title", flat=True)
        )
        if set(seen) - set(current):
            titles.append(_("a section removed since"))
        raise SubmissionError(
            _("The text changed while you were reading: %(sections)s. Read it again, then answer.")
            % {"sections": ", ".join(titles)}
        )
    _answer(sign_off, actor, SignOff.Status.ENDORSED, versions=current)
    audit(
        coalition=submission.coalition,
        actor=actor,
        action=AuditEvent.Action.SIGNED_OFF,
        subject=submission.title,
        organisation=sign_off.organisation.name,
    )
    return sign_off


def _answer(sign_off: SignOff, actor: User, status: str, *, versions: dict, reason: str = "") -> None:
    """Stores an answer on the text of ``versions``; it stands again (not invalidated)."""
    sign_off.status = status
    sign_off.reason = reason
    sign_off.section_versions = versions
    sign_off.answered_at = timezone.now()
    sign_off.answered_by = actor
    sign_off.invalidated_at = None
    sign_off.save(
        update_fields=["status", "reason", "section_versions", "answered_at", "answered_by", "invalidated_at"]
    )


@transaction.atomic
def sign_off_decline(*, sign_off: SignOff, actor: User, reason: str) -> SignOff:
    """The designated person declines, saying why (required). The versions they declined are kept.
    Atomic."""
    reason = reason.strip()
    sign_off, submission = _locked(sign_off)
    _refuse_unless_open(submission)
    _refuse_unless_designated(sign_off, actor)
    if not reason:
        raise SubmissionError(_("Say why your organisation declines: the coordinators need to know."))
    _answer(sign_off, actor, SignOff.Status.DECLINED, versions=current_versions(submission), reason=reason)
    audit(
        coalition=submission.coalition,
        actor=actor,
        action=AuditEvent.Action.SIGN_OFF_DECLINED,
        subject=submission.title,
        organisation=sign_off.organisation.name,
        reason=reason[:300],
    )
    return sign_off


@transaction.atomic
def sign_off_set_person(*, sign_off: SignOff, actor: User, person: User) -> SignOff:
    """A coordinator designates another active member of the organisation to answer for it. Atomic.

    An answer already given stays: it is the organisation's. While sign-off is open and the answer is
    pending, the new person is asked at once (a notification and an email).
    """
    sign_off, submission = _locked(sign_off)
    is_member = Membership.objects.filter(
        coalition_id=submission.coalition_id,
        organisation_id=sign_off.organisation_id,
        user=person,
        is_active=True,
        user__is_active=True,
    ).exists()
    if not is_member:
        raise SubmissionError(
            _("%(person)s is not an active member of %(organisation)s in this coalition.")
            % {"person": person, "organisation": sign_off.organisation.name}
        )
    if sign_off.person_id == person.pk:
        return sign_off
    sign_off.person = person
    sign_off.reminded_at = None
    sign_off.save(update_fields=["person", "reminded_at"])
    if submission.status == Submission.Status.SIGN_OFF and sign_off.status == SignOff.Status.PENDING:
        _ask(sign_off=sign_off, submission=submission, kind=SIGN_OFF_REQUESTED)
    audit(
        coalition=submission.coalition,
        actor=actor,
        action=AuditEvent.Action.SUBMISSION_CHANGED,
        subject=submission.title,
        designated_person=str(person),
        organisation=sign_off.organisation.name,
    )
    return sign_off


@transaction.atomic
def sign_offs_remind(*, submission: Submission, actor: User, now: datetime.datetime | None = None) -> int:
    """Reminds every designated person whose organisation has not answered (a notification and an
    email each) and returns how many. Atomic.

    Refused within ``REMINDER_INTERVAL`` of the last reminder, saying when the next one can go: the
    submission's row is locked first, so two coordinators pressing at once send one round, not two.
    """
    now = now or timezone.now()
    submission = Submission.objects.select_for_update().select_related("coalition").get(pk=submission.pk)
    _refuse_unless_open(submission)
    pending = list(
        SignOff.objects.filter(
            submission=submission, status=SignOff.Status.PENDING, person__isnull=False, person__is_active=True
        )
        .select_related("organisation", "person")
        .order_by("organisation__name", "pk")
    )
    if not pending:
        raise SubmissionError(_("Every organisation with a designated person has answered: nobody to remind."))
    last = max((sign_off.reminded_at for sign_off in pending if sign_off.reminded_at), default=None)
    if last is not None and now - last < REMINDER_INTERVAL:
        raise SubmissionError(
            _("They were reminded on %(last)s. You can remind them again from %(next)s.")
            % {"last": geneva_text(last), "next": geneva_text(last + REMINDER_INTERVAL)}
        )
    for sign_off in pending:
        _ask(sign_off=sign_off, submission=submission, kind=SIGN_OFF_REMINDER)
    SignOff.objects.filter(pk__in=[sign_off.pk for sign_off in pending]).update(reminded_at=now)
    audit(
        coalition=submission.coalition,
        actor=actor,
        action=AuditEvent.Action.SIGN_OFF_REMINDED,
        subject=submission.title,
        reminded=len(pending),
    )
    return len(pending)


def sign_offs_invalidate(*, section: Section, actor: User | None) -> list[SignOff]:
    """After a new version of ``section``: the endorsements of its submission, if in sign-off or final,
    go back to pending with ``invalidated_at`` set, and the people who had signed are told (a
    notification and an email each). Returns the sign-offs invalidated.

    Runs inside the save's transaction (submissions/services/sections.py), with the section's row
    locked: one query when nobody had endorsed, none when the submission is not in sign-off.
    """
    submission = section.submission
    if submission.status not in SIGNED_STATUSES:
        return []
    endorsed = list(
        SignOff.objects.select_for_update(of=("self",))
        .filter(submission_id=submission.pk, status=SignOff.Status.ENDORSED)
        .select_related("organisation", "person", "answered_by")
        .order_by("organisation__name", "pk")
    )
    if not endorsed:
        return []
    now = timezone.now()
    SignOff.objects.filter(pk__in=[sign_off.pk for sign_off in endorsed]).update(
        status=SignOff.Status.PENDING, invalidated_at=now, answered_at=None
    )
    for sign_off in endorsed:
        sign_off.status, sign_off.invalidated_at, sign_off.answered_at = SignOff.Status.PENDING, now, None
        signer = sign_off.answered_by or sign_off.person
        if signer is None or not signer.is_active:
            continue
        with translation.override(signer.language or settings.LANGUAGE_CODE):
            values = {
                "submission": submission.title,
                "organisation": sign_off.organisation.name,
                "section": section.title,
            }
            title = _("The text you endorsed for %(organisation)s changed") % values
            body = (
                _(
                    "“%(section)s” of “%(submission)s” changed after you endorsed it: the endorsement no longer "
                    "stands. Read the new text and answer again."
                )
                % values
            )
        _tell(user=signer, submission=submission, kind=SIGN_OFF_INVALIDATED, sign_off=sign_off, title=title, body=body)
    audit(
        coalition=submission.coalition,
        actor=actor,
        action=AuditEvent.Action.SIGN_OFFS_INVALIDATED,
        subject=submission.title,
        section=section.title,
        organisations=", ".join(sign_off.organisation.name for sign_off in endorsed)[:300],
    )
    return endorsed
