"""The review workflow of sections and submissions, every step taken, and the member organisations' sign-off.

A step is a button, not a status drop-down: ``SECTION_ACTIONS`` and ``SUBMISSION_ACTIONS`` say which
states each button moves from and to, and the rule (coalitions/rules.py, docs/permissions.md) says who
may press it. Every step taken is a row of SectionTransition or SubmissionTransition.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from submissions.models.core import Section, SectionState, Submission


@dataclass(frozen=True)
class WorkflowAction:
    """One button of a workflow: pressed in one of ``sources``, it moves the object to ``target``."""

    name: str
    label: Promise
    sources: tuple[str, ...]
    target: str
    rule: str
    # A message is asked for (a reason to reopen, what to change); "required" refuses an empty one.
    message: str = "optional"  # "none", "optional" or "required"
    # Bootstrap's button colour: the step forward is the primary one.
    style: str = "primary"

    def allowed_from(self, state: str) -> bool:
        return state in self.sources


S = SectionState
SECTION_ACTIONS: dict[str, WorkflowAction] = {
    action.name: action
    for action in (
        WorkflowAction(
            "submit",
            _("Submit for review"),
            (S.DRAFTING, S.CHANGES_REQUESTED),
            S.SUBMITTED,
            "submissions.submit_section",
        ),
        WorkflowAction(
            "withdraw",
            _("Withdraw from review"),
            (S.SUBMITTED,),
            S.DRAFTING,
            "submissions.submit_section",
            style="secondary",
        ),
        WorkflowAction(
            "request_changes",
            _("Request changes"),
            (S.SUBMITTED, S.APPROVED),
            S.CHANGES_REQUESTED,
            "submissions.review_section",
            message="required",
            style="warning",
        ),
        WorkflowAction(
            "approve", _("Approve"), (S.SUBMITTED,), S.APPROVED, "submissions.approve_section", style="success"
        ),
        WorkflowAction("lock", _("Lock"), (S.APPROVED,), S.LOCKED, "submissions.lock_section", style="secondary"),
        WorkflowAction(
            "reopen",
            _("Reopen for drafting"),
            (S.APPROVED, S.LOCKED),
            S.DRAFTING,
            "submissions.lock_section",
            message="required",
            style="secondary",
        ),
    )
}

St = Submission.Status
SUBMISSION_ACTIONS: dict[str, WorkflowAction] = {
    action.name: action
    for action in (
        WorkflowAction(
            "consolidate", _("Start consolidation"), (St.DRAFT,), St.CONSOLIDATION, "submissions.change_status"
        ),
        WorkflowAction(
            "open_sign_off", _("Open sign-off"), (St.CONSOLIDATION,), St.SIGN_OFF, "submissions.change_status"
        ),
        WorkflowAction("mark_final", _("Mark final"), (St.SIGN_OFF,), St.FINAL, "submissions.change_status"),
        WorkflowAction(
            "mark_submitted", _("Record as submitted to the UN"), (St.FINAL,), St.SUBMITTED, "submissions.change_status"
        ),
        WorkflowAction(
            "reopen",
            _("Reopen for drafting"),
            (St.CONSOLIDATION, St.SIGN_OFF, St.FINAL, St.SUBMITTED),
            St.DRAFT,
            "submissions.change_status",
            message="required",
            style="secondary",
        ),
    )
}


class Transition(models.Model):
    """One step of a workflow: who pressed which button, when, with what message."""

    action = models.CharField(_("step"), max_length=30)
    source = models.CharField(_("from"), max_length=20)
    target = models.CharField(_("to"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]


class SectionTransition(Transition):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="transitions")

    class Meta(Transition.Meta):
        verbose_name = _("section step")
        verbose_name_plural = _("section steps")

    def __str__(self):
        return f"{self.section_id}: {self.source} → {self.target}"

    def get_source_display(self) -> str:
        return SectionState(self.source).label

    def get_target_display(self) -> str:
        return SectionState(self.target).label


class SubmissionTransition(Transition):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="transitions")

    class Meta(Transition.Meta):
        verbose_name = _("submission step")
        verbose_name_plural = _("submission steps")

    def __str__(self):
        return f"{self.submission_id}: {self.source} → {self.target}"

    def get_source_display(self) -> str:
        return Submission.Status(self.source).label

    def get_target_display(self) -> str:
        return Submission.Status(self.target).label


class SignOff(models.Model):
    """One signatory organisation's answer on the exact final text of a submission.

    Opening sign-off asks every signatory organisation (SubmissionSignatory, or the member
    organisations by default) through one designated person. ``section_versions`` maps each
    section's id (as a string) to the version endorsed; a later change to any section sets every
    endorsement back to pending with ``invalidated_at`` set, and tells the people who had signed.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Not answered")
        ENDORSED = "endorsed", _("Endorsed")
        DECLINED = "declined", _("Declined")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="sign_offs")
    organisation = models.ForeignKey(
        "coalitions.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sign_offs",
        verbose_name=_("designated person"),
    )
    status = models.CharField(_("answer"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(_("reason"), blank=True)
    section_versions = models.JSONField(_("section versions"), default=dict, blank=True)
    requested_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    invalidated_at = models.DateTimeField(_("endorsement invalidated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")
        ordering = ["organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "organisation"], name="submissions_signoff_unique"),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(reason=""), name="submissions_signoff_decline_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(answered_at__isnull=False), name="submissions_signoff_answer_dated"
            ),
        ]

    def __str__(self):
        return f"{self.submission_id}: {self.organisation_id} ({self.status})"
