"""How views apply coalitions/rules.py: hidden objects answer 404, refused actions 403 with a reason."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from accounts.two_factor.policy import TwoFactorRequired, session_is_verified
from coalitions.rules import can, membership_in

REFUSALS = {
    "coalitions.change_coalition": _("Only the coalition's coordinators can change its details."),
    "coalitions.manage_members": _("Only the coalition's coordinators can change roles or remove members."),
    "coalitions.manage_invitations": _("Only the coalition's coordinators can invite people."),
    "coalitions.view_audit_log": _("Only the coalition's coordinators can see the activity log."),
    "coalitions.view_mail": _("Only the coalition's coordinators can see the mail the portal sent."),
    "coalitions.add_cluster": _("Only the coalition's coordinators can create clusters."),
    "coalitions.require_two_factor": _(
        "Only the coalition's coordinators can decide whether its members need two-factor sign-in."
    ),
    "deadlines.change_reminder_settings": _("Only the coalition's coordinators can change when reminders are sent."),
    "coalitions.change_cluster": _("Only coordinators and the cluster's lead can change this cluster."),
    "coalitions.delete_cluster": _("Only the coalition's coordinators can delete clusters."),
    "submissions.create_submission": _("Only the coalition's coordinators can start a submission."),
    "submissions.change_submission": _(
        "Only the coalition's coordinators can change the submission, and only while it is being drafted."
    ),
    "submissions.change_status": _(
        "Only the coalition's coordinators can move the submission on (consolidation, sign-off, final, sent to "
        "the UN) or reopen it."
    ),
    # The section workflow's buttons (submissions/models/workflow.py SECTION_ACTIONS).
    "submissions.submit_section": _(
        "Only the section's drafters (the people and organisations assigned to it, its cluster's lead) and the "
        "coordinators can submit it for review or withdraw it, and not in a final submission."
    ),
    "submissions.review_section": _(
        "Only reviewers, the section's cluster lead and the coordinators can ask for changes, and not in a final "
        "submission."
    ),
    "submissions.approve_section": _(
        "Only the section's cluster lead and the coalition's coordinators can approve it, and not in a final "
        "submission."
    ),
    "submissions.lock_section": _(
        "Only the coalition's coordinators can lock a section or reopen it for drafting, and not in a final submission."
    ),
    "submissions.manage_sections": _(
        "Only the coalition's coordinators can arrange sections, and only while the submission is being drafted."
    ),
    "submissions.generate_documents": _("Only the coalition's coordinators can generate the submission's documents."),
    "submissions.view_dashboard": _(
        "Only the coalition's coordinators can see the contribution dashboard: who wrote what and who is late."
    ),
    "submissions.edit_section": _(
        "You can read this section but not edit it: it is not assigned to you, it is with its reviewers or "
        "locked, or the submission is final and read-only until a coordinator reopens it."
    ),
    "submissions.comment_section": _("Observers read the sections and their comments but do not write comments."),
    "submissions.resolve_comment": _(
        "Only the person who started this thread and the people working on the section can resolve or reopen it."
    ),
    "submissions.manage_sign_off": _(
        "Only the coalition's coordinators can remind organisations or choose who answers for them."
    ),
    "submissions.answer_sign_off": _(
        "Only the person designated by the organisation can answer for it, and only while sign-off is open."
    ),
    "submissions.import_docx": _(
        "You can read this section but not import a Word file into it: it is not assigned to you, it is "
        "not with its drafters now, or the submission is final and read-only until a coordinator reopens it."
    ),
    "coalitions.change_organisation": _(
        "Only the organisation's own people and the coordinators of its coalitions can change its profile."
    ),
    "submissions.change_recommendations": _(
        "Only those who may edit this section's text can change its recommendations: it is not assigned to "
        "you, it is with its reviewers, or the submission is final and read-only."
    ),
    "submissions.confirm_smart": _(
        "The SMART checklist is confirmed by a reviewer, the section's cluster lead or a coordinator, not by "
        "its drafters, and not in a final submission."
    ),
    "advocacy.change_assessment": _(
        "Only the coalition's coordinators, cluster leads and drafters can assess recommendations in the "
        "implementation matrix; reviewers and observers read it."
    ),
    "advocacy.generate_documents": _(
        "Only the coalition's coordinators, cluster leads and drafters can make the PDFs of the implementation "
        "matrix and the factsheets."
    ),
    "advocacy.change_lobbying_log": _(
        "Only the coalition's coordinators, cluster leads and drafters can log, change or delete meetings in "
        "the lobbying log; reviewers and observers read it."
    ),
    "advocacy.change_factsheet": _(
        "Only the coalition's coordinators, cluster leads and drafters can write or delete factsheets; "
        "reviewers and observers read them."
    ),
    "advocacy.change_statement": _(
        "Only the coalition's coordinators and cluster leads can write the pre-session statement; the other "
        "members read it."
    ),
    "advocacy.decide_uptake": _(
        "Only the coalition's coordinators and cluster leads can propose, confirm or reject matches of the "
        "coalition's recommendations with those made at the review."
    ),
}


def get_visible_or_404(user, rule: str, queryset: QuerySet, **lookup) -> Model:
    """The object, or 404 when it does not exist *or* the user may not see it: outsiders learn nothing.

    A member of a coalition that requires two-factor sign-in gets the object only in a session that
    passed it; after the 404, so an outsider does not even learn that the coalition asks for it.
    """
    return visible_or_404(user, rule, queryset.filter(**lookup).first())


def visible_or_404(user, rule: str, obj: Model | None) -> Model:
    """``get_visible_or_404`` of an object already read (None: it does not exist)."""
    if obj is None or not can(user, rule, obj):
        raise Http404
    refuse_without_two_factor(user, obj)
    return obj


def refuse_without_two_factor(user, obj) -> None:
    """Raises TwoFactorRequired (accounts' middleware sends the person on to set it up or to enter a
    code) when the object's coalition requires two-factor sign-in and this session has not passed it."""
    membership = membership_in(user, obj)
    if membership is None or not getattr(membership, "coalition_requires_two_factor", False):
        return
    if session_is_verified(user):
        return
    raise TwoFactorRequired(
        _(
            "%(coalition)s asks its members to sign in with a code from their phone as well as their "
            "password, so that a stolen password alone cannot open its drafts."
        )
        % {"coalition": membership.coalition.name}
    )


def require(user, rule: str, obj) -> None:
    if not can(user, rule, obj):
        raise PermissionDenied(REFUSALS.get(rule, _("You do not have the right to do this.")))
