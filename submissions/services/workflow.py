"""The workflow's buttons: a step of a section (drafting → submitted for review → approved → locked) or of
a submission (drafting → consolidation → sign-off → final → submitted to the UN).

What each button does, and from which states, is SECTION_ACTIONS / SUBMISSION_ACTIONS
(submissions/models/workflow.py); who may press it is the action's rule (coalitions/rules.py), which
the views ask. These services check the state and the message, record the step, write the activity
log and tell the people concerned (a notification, and an email through the outbox to those who
want one: ``User.email_notifications``).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from coalitions.models import AuditEvent, Membership, Role
from coalitions.services.coalitions import audit
from notifications.services import email_queue, notification_create
from submissions.errors import SubmissionError, refuse_if_locked
from submissions.models import (
    SECTION_ACTIONS,
    SUBMISSION_ACTIONS,
    Section,
    SectionTransition,
    Submission,
    SubmissionTransition,
    WorkflowAction,
)
from submissions.models.core import SectionState
from submissions.selectors import section_people
from submissions.services.signoff import sign_off_open
from submissions.services.submissions import refuse_final_over_limit
from upr_portal.timezones import geneva_today

SECTION_STEP = "submissions.section_step"
MESSAGE_MAX_CHARS = 5000

# A state as a sentence says it: "This section is already <approved>."
SECTION_STATE_WORDS = {
    SectionState.DRAFTING: gettext_lazy("being drafted"),
    SectionState.SUBMITTED: gettext_lazy("submitted for review"),
    SectionState.CHANGES_REQUESTED: gettext_lazy("back with its drafters for changes"),
    SectionState.APPROVED: gettext_lazy("approved"),
    SectionState.LOCKED: gettext_lazy("locked"),
}
SUBMISSION_STATE_WORDS = {
    Submission.Status.DRAFT: gettext_lazy("being drafted"),
    Submission.Status.CONSOLIDATION: gettext_lazy("in consolidation"),
    Submission.Status.SIGN_OFF: gettext_lazy("out for sign-off"),
    Submission.Status.FINAL: gettext_lazy("marked final"),
    Submission.Status.SUBMITTED: gettext_lazy("recorded as submitted to the UN"),
}

# What a required message is for, said when it is missing.
MESSAGE_MISSING = {
    ("section", "request_changes"): gettext_lazy("Say what should change: the drafters read it with the request."),
    ("section", "reopen"): gettext_lazy("Give the reason for reopening the section: it is recorded with the step."),
    ("submission", "reopen"): gettext_lazy(
        "Give the reason for reopening the submission: it is recorded with the step."
    ),
}

# The section steps that tell people, and whom: the reviewers' side, or the section's drafters.
TELLS_REVIEWERS = {"submit"}
TELLS_DRAFTERS = {"request_changes", "approve", "reopen"}


def _source(label) -> str:
    """A label in the words of the source code: the activity page translates it when it shows it."""
    with translation.override(None):
        return str(label)


def _action(actions: dict[str, WorkflowAction], name: str) -> WorkflowAction:
    action = actions.get(name)
    if action is None:
        raise SubmissionError(_("Choose one of the steps offered."))
    return action


def _refuse_from(action: WorkflowAction, state: str, *, kind: str, words: dict) -> None:
    if action.allowed_from(state):
        return
    values = {"state": words[state], "step": action.label}
    if kind == "section":
        already = _("This section is already %(state)s.")
        impossible = _("This section is %(state)s: “%(step)s” is not possible now.")
    else:
        already = _("This submission is already %(state)s.")
        impossible = _("This submission is %(state)s: “%(step)s” is not possible now.")
    raise SubmissionError((already if state == action.target else impossible) % values)


def _clean_message(action: WorkflowAction, message: str, *, kind: str) -> str:
    message = (message or "").strip()
    if action.message == "none":
        return ""
    if action.message == "required" and not message:
        raise SubmissionError(str(MESSAGE_MISSING.get((kind, action.name), _("Write a message for this step."))))
    if len(message) > MESSAGE_MAX_CHARS:
        raise SubmissionError(
            _("The message is %(length)s characters long; keep it under %(limit)s.")
            % {"length": len(message), "limit": MESSAGE_MAX_CHARS}
        )
    return message


@transaction.atomic
def section_step(*, section_id: int, actor: User, action: str, message: str = "") -> SectionTransition:
    """Presses one of a section's workflow buttons. Atomic.

    The section's row is locked, so two people pressing buttons at once take turns and the second
    sees the state the first left. Refuses (SubmissionError, in plain words) a step that is not
    possible from the section's state, a missing required message, and any step while the submission
    is final. Records the step, writes the activity log and tells the people concerned: the
    coordinators and the cluster's lead when it is submitted for review; its drafters when changes are
    asked for, or it is approved or reopened.
    """
    step = _action(SECTION_ACTIONS, action)
    section = (
        Section.objects.select_for_update(of=("self",))
        .select_related("submission__coalition", "cluster")
        .get(pk=section_id)
    )
    refuse_if_locked(section.submission)
    _refuse_from(step, section.state, kind="section", words=SECTION_STATE_WORDS)
    message = _clean_message(step, message, kind="section")
    source = section.state
    section.state = step.target
    section.save(update_fields=["state", "updated_at"])
    transition = SectionTransition.objects.create(
        section=section, action=step.name, source=source, target=step.target, actor=actor, message=message
    )
    audit(
        coalition=section.submission.coalition,
        actor=actor,
        action=AuditEvent.Action.SECTION_STEP,
        subject=section.title,
        step=step.name,
        # "from"/"to" are the states; "old"/"new" their names as the activity page shows them.
        **{"from": source, "to": step.target},
        old=_source(SectionState(source).label),
        new=_source(SectionState(step.target).label),
        message=message,
    )
    if step.name in TELLS_REVIEWERS:
        _tell(transition, section_reviewers(section=section, actor=actor))
    elif step.name in TELLS_DRAFTERS:
        _tell(transition, section_assignees(section=section, actor=actor))
    return transition


def _active_members(coalition_id: int):
    return Membership.objects.filter(coalition_id=coalition_id, is_active=True, user__is_active=True)


def section_reviewers(*, section: Section, actor: User | None = None) -> list[User]:
    """Who is told that a section went to review: the coalition's coordinators and the lead of the
    section's cluster (people of its lead organisation with the cluster lead role); not the actor."""
    members = _active_members(section.submission.coalition_id)
    ids = set(members.filter(role=Role.COORDINATOR).values_list("user_id", flat=True))
    lead = section.cluster.lead_organisation_id if section.cluster_id else None
    if lead is not None:
        ids |= set(members.filter(role=Role.CLUSTER_LEAD, organisation_id=lead).values_list("user_id", flat=True))
    return list(User.objects.filter(pk__in=ids - {getattr(actor, "pk", None)}).order_by("pk"))


def section_assignees(*, section: Section, actor: User | None = None) -> list[User]:
    """The section's people (submissions.selectors.section_people), not the actor."""
    people = section_people([section])[section.pk] - {getattr(actor, "pk", None)}
    return list(User.objects.filter(pk__in=people).order_by("pk"))


def section_step_headline(transition: SectionTransition) -> tuple[str, str]:
    """The notification's title and body for a section's step, in the active language."""
    section = transition.section
    title = {
        "submit": _("“%(section)s” was submitted for review"),
        "request_changes": _("Changes are asked for in “%(section)s”"),
        "approve": _("“%(section)s” was approved"),
        "reopen": _("“%(section)s” was reopened for drafting"),
    }.get(transition.action, _("“%(section)s” moved on"))
    body = _("%(name)s, in %(submission)s.") % {
        "name": transition.actor or _("Someone"),
        "submission": section.submission.title,
    }
    if transition.message:
        body += "\n\n" + transition.message
    return title % {"section": section.title}, body


def _tell(transition: SectionTransition, people: list[User]) -> None:
    section = transition.section
    coalition_id = section.submission.coalition_id
    url = reverse("submissions:section", args=[section.submission_id, section.pk])
    for person in people:
        with translation.override(person.language or settings.LANGUAGE_CODE):
            title, body = section_step_headline(transition)
        notification_create(user=person, kind=SECTION_STEP, title=title, body=body, url=url, coalition_id=coalition_id)
        if person.email_notifications and person.email:
            email_queue(
                kind=SECTION_STEP,
                to_email=person.email,
                recipient=person,
                context={"transition": transition.pk},
                coalition_id=coalition_id,
                sender=transition.actor,
            )


@transaction.atomic
def submission_step(
    *,
    submission_id: int,
    actor: User,
    action: str,
    message: str = "",
    submitted_on: datetime.date | None = None,
    ohchr_reference: str = "",
) -> SubmissionTransition:
    """Presses one of a submission's workflow buttons. Atomic.

    The submission's row is locked. "Open sign-off" asks every signatory organisation for its
    sign-off (services/signoff.py); "Mark final" is refused while the latest generated documents are
    over a limit; "Record as submitted to the UN" needs the day it was sent (not in the future) and
    OHCHR's reference, both stored on the submission; "Reopen" needs a reason.
    """
    step = _action(SUBMISSION_ACTIONS, action)
    submission = Submission.objects.select_for_update(of=("self",)).select_related("coalition").get(pk=submission_id)
    _refuse_from(step, submission.status, kind="submission", words=SUBMISSION_STATE_WORDS)
    message = _clean_message(step, message, kind="submission")
    fields = ["status", "updated_at"]
    details = {}
    if step.name == "mark_final":
        refuse_final_over_limit(submission)
    elif step.name == "mark_submitted":
        submission.submitted_on, submission.ohchr_reference = _sent(submitted_on, ohchr_reference, submission)
        fields += ["submitted_on", "ohchr_reference"]
        details = {"submitted_on": submission.submitted_on.isoformat(), "reference": submission.ohchr_reference}
    source = submission.status
    submission.status = step.target
    submission.save(update_fields=fields)
    if step.name == "open_sign_off":
        sign_off_open(submission=submission, actor=actor)
    transition = SubmissionTransition.objects.create(
        submission=submission, action=step.name, source=source, target=step.target, actor=actor, message=message
    )
    audit(
        coalition=submission.coalition,
        actor=actor,
        action=AuditEvent.Action.SUBMISSION_STEP,
        subject=submission.title,
        step=step.name,
        **{"from": source, "to": step.target},
        old=_source(Submission.Status(source).label),
        new=_source(Submission.Status(step.target).label),
        message=message,
        **details,
    )
    return transition


def _sent(submitted_on: datetime.date | None, reference: str, submission: Submission) -> tuple[datetime.date, str]:
    if submitted_on is None:
        raise SubmissionError(_("Give the day the submission was sent to OHCHR."))
    if submitted_on > geneva_today():
        raise SubmissionError(_("The day it was sent cannot be in the future: give the day it was sent."))
    reference = (reference or "").strip()
    if not reference:
        raise SubmissionError(_("Give the reference OHCHR gave the submission (in its acknowledgement)."))
    try:
        reference = Submission._meta.get_field("ohchr_reference").clean(reference, submission)
    except ValidationError as error:
        raise SubmissionError(_("The OHCHR reference: %(error)s") % {"error": " ".join(error.messages)}) from error
    return submitted_on, reference
