"""The workflow's buttons on a section's pages and on the submission page, and the steps taken.

Each button is a small POST form of its own (templates/submissions/_section_workflow.html). The step views
answer 404 to outsiders, 403 with the reason to members whose role may not press the button, and
otherwise call the service and go back to the page the button was on; a step the service refuses is
said in a message there, with what the person typed kept in the form.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from coalitions.access import require
from coalitions.rules import can
from submissions.models import SECTION_ACTIONS, SUBMISSION_ACTIONS, Section, Submission, WorkflowAction
from submissions.services import workflow as services
from submissions.views.common import section_for, submission_for
from submissions.workflow_forms import StepForm
from upr_portal.freshness import remember
from upr_portal.timezones import geneva_today

# What a refused form's typed text is kept under in the session, until the page shows it again.
DRAFT_KEY = "workflow-draft"

# A line under a button that says what pressing it does, where that is not plain from its name.
HELP = {
    ("section", "submit"): gettext_lazy("Reviewers then have the section: its drafters can no longer edit it."),
    ("section", "withdraw"): gettext_lazy("Back to drafting, before reviewers answer."),
    ("section", "request_changes"): gettext_lazy("Back to its drafters, with your message."),
    ("section", "lock"): gettext_lazy("Nobody edits it any more, until a coordinator reopens it."),
    ("section", "reopen"): gettext_lazy("Back to its drafters; give the reason."),
    ("submission", "open_sign_off"): gettext_lazy(
        "Every signatory organisation is asked to endorse the text as it is now."
    ),
    ("submission", "mark_final"): gettext_lazy("Nobody can edit it until a coordinator reopens it."),
    ("submission", "mark_submitted"): gettext_lazy("Give the day it was sent and the reference OHCHR gave it."),
    ("submission", "reopen"): gettext_lazy("Everyone assigned can edit again; give the reason."),
}


@dataclass(frozen=True)
class Button:
    action: WorkflowAction
    help: str
    # What the person had typed, when the step was refused (kept from the refused request).
    message: str = ""
    submitted_on: str = ""
    reference: str = ""
    error: str = ""

    @property
    def name(self) -> str:
        return self.action.name

    @property
    def asks_sent(self) -> bool:
        return self.action.name == "mark_submitted"


def _buttons(request, kind: str, obj, actions: dict[str, WorkflowAction], state: str) -> list[Button]:
    draft = request.session.pop(DRAFT_KEY, None) if DRAFT_KEY in request.session else None
    if draft is not None and draft.get("object") != f"{kind}:{obj.pk}":
        # A draft of another page's form: it waits for that page.
        request.session[DRAFT_KEY] = draft
        draft = None
    buttons = []
    for action in actions.values():
        if not action.allowed_from(state) or not can(request.user, action.rule, obj):
            continue
        kept = draft if draft is not None and draft.get("action") == action.name else {}
        buttons.append(
            Button(
                action=action,
                help=str(HELP.get((kind, action.name), "")),
                message=kept.get("message", ""),
                submitted_on=kept.get("submitted_on", ""),
                reference=kept.get("reference", ""),
                error=kept.get("error", ""),
            )
        )
    return buttons


def section_steps(section: Section) -> list:
    """The steps taken on the section, oldest first, with who took each: one query."""
    # Of the actors, the name shown: a caller may remember the steps, and no more of their accounts.
    return list(
        section.transitions.select_related("actor").only(
            *("section", "action", "source", "target", "message", "created_at", "actor__full_name", "actor__email")
        )
    )


def section_workflow_context(request, section: Section, *, origin: str, steps: list | None = None) -> dict:
    """The section's state, the buttons the person may press and the steps taken (one query, none
    when the caller passes ``section_steps``, which it may have remembered)."""
    return {
        "workflow": {
            "kind": "section",
            "state": section.state,
            "state_label": section.get_state_display(),
            "url": reverse("submissions:section_step", args=[section.submission_id, section.pk]),
            "origin": origin,
            "buttons": _buttons(request, "section", section, SECTION_ACTIONS, section.state),
            "steps": section_steps(section) if steps is None else steps,
        }
    }


def submission_steps(submission: Submission) -> list:
    """The steps the submission has taken, the same for everyone: remembered while the database does
    not change (upr_portal/freshness.py)."""
    # Of the actors, the name shown: the remembered value holds no more of their accounts.
    steps = submission.transitions.select_related("actor").only(
        *("submission", "action", "source", "target", "message", "created_at", "actor__full_name", "actor__email")
    )
    return remember("submission-steps", (submission.pk,), lambda: list(steps))


def submission_workflow_context(request, submission: Submission, *, steps: list | None = None) -> dict:
    """The submission's state, its buttons and steps (``submission_steps`` when not given), and the day
    it was sent and OHCHR's reference. The buttons are the person's, asked on every request."""
    return {
        "workflow": {
            "kind": "submission",
            "state": submission.status,
            "state_label": submission.get_status_display(),
            "url": reverse("submissions:submission_step", args=[submission.pk]),
            "origin": "",
            "buttons": _buttons(request, "submission", submission, SUBMISSION_ACTIONS, submission.status),
            "steps": submission_steps(submission) if steps is None else steps,
            "today": geneva_today().isoformat(),
            "sent": submission.status == Submission.Status.SUBMITTED,
            "submitted_on": submission.submitted_on,
            "reference": submission.ohchr_reference,
        }
    }


def _keep_draft(request, kind: str, pk: int, form: StepForm, error: str) -> None:
    data = form.data
    request.session[DRAFT_KEY] = {
        "object": f"{kind}:{pk}",
        "action": str(data.get("action", ""))[:30],
        "message": str(data.get("message", ""))[: services.MESSAGE_MAX_CHARS * 2],
        "submitted_on": str(data.get("submitted_on", ""))[:20],
        "reference": str(data.get("ohchr_reference", ""))[:200],
        "error": error,
    }


def _refusal(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
@require_POST
def section_step(request, pk: int, section_pk: int):
    section = section_for(request, pk, section_pk, text=False)
    form = StepForm(request.POST)
    form.is_valid()
    origin = form.cleaned_data.get("origin") or "read"
    action = SECTION_ACTIONS.get(form.cleaned_data.get("action", ""))
    if action is None:
        messages.error(request, _("Choose one of the steps offered."))
        return _back_to_section(request, section, origin)
    require(request.user, action.rule, section)
    try:
        services.section_step(
            section_id=section.pk,
            actor=request.user,
            action=action.name,
            message=form.cleaned_data.get("message", ""),
        )
    except ValidationError as error:
        _keep_draft(request, "section", section.pk, form, _refusal(error))
        messages.error(request, _refusal(error))
    else:
        section.refresh_from_db(fields=["state"])
        messages.success(
            request,
            _("“%(step)s” is done: the section is now “%(state)s”.")
            % {"step": action.label, "state": section.get_state_display()},
        )
    return _back_to_section(request, section, origin)


def _back_to_section(request, section: Section, origin: str):
    # Back to the editor only while the person may still edit: a section just sent to review is read.
    if origin == "edit" and can(request.user, "submissions.edit_section", section):
        name = "submissions:section_edit"
    else:
        name = "submissions:section"
    return redirect(reverse(name, args=[section.submission_id, section.pk]) + "#workflow")


@login_required
@require_POST
def submission_step(request, pk: int):
    submission = submission_for(request, pk)
    form = StepForm(request.POST)
    form.is_valid()
    back = reverse("submissions:detail", args=[submission.pk]) + "#workflow"
    action = SUBMISSION_ACTIONS.get(form.cleaned_data.get("action", ""))
    if action is None:
        messages.error(request, _("Choose one of the steps offered."))
        return redirect(back)
    require(request.user, action.rule, submission)
    if action.name == "mark_submitted" and "submitted_on" in form.errors:
        error = _("Give the day it was sent as a date, for example 2027-03-14.")
        _keep_draft(request, "submission", submission.pk, form, error)
        messages.error(request, error)
        return redirect(back)
    try:
        services.submission_step(
            submission_id=submission.pk,
            actor=request.user,
            action=action.name,
            message=form.cleaned_data.get("message", ""),
            submitted_on=form.cleaned_data.get("submitted_on"),
            ohchr_reference=form.data.get("ohchr_reference", ""),
        )
    except ValidationError as error:
        _keep_draft(request, "submission", submission.pk, form, _refusal(error))
        messages.error(request, _refusal(error))
    else:
        status = Submission.objects.values_list("status", flat=True).get(pk=submission.pk)
        messages.success(
            request,
            _("“%(step)s” is done: the submission is now “%(state)s”.")
            % {"step": action.label, "state": Submission.Status(status).label},
        )
    return redirect(back)
