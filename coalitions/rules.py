"""Who may see and do what in a coalition: the one place every view, template and API asks.

The rules live in django-rules' shared rule set (``rules.test_rule`` and the ``{% test_rule %}``
template tag), not in Django's model permissions: ``User.has_perm`` lets superusers through every
check, and a site administrator must not read a coalition's drafts in the portal by accident.
Site administration happens in the Django admin.

Views first ask a *view* rule and answer 404 when it fails (an outsider learns nothing, not even
that the object exists), then ask the action's rule and answer 403 with an explanation.
docs/permissions.md is the matrix of these rules; tests/coalitions/test_permissions.py checks it.
"""

from __future__ import annotations

import contextlib

import rules
from django.db.models import F

from coalitions.models import Cluster, Coalition, CoalitionOrganisation, Membership, Organisation, Role
from upr_portal.freshness import remember

EDITING_ROLES = {Role.COORDINATOR, Role.CLUSTER_LEAD, Role.DRAFTER}


def memberships_of(user) -> dict[int, Membership]:
    """The user's active memberships by coalition id, read once per request and kept on the user."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_coalition_memberships", None)
    if cached is None:
        # Remembered per person until the database changes (upr_portal/freshness.py).
        cached = remember("memberships", [user.pk], lambda: _read_memberships(user.pk))
        user._coalition_memberships = cached
    return cached


def _read_memberships(user_id: int) -> dict[int, Membership]:
    # Each membership carries its coalition's two-factor requirement (coalitions/access.py): a join,
    # not a query more per page.
    # Unordered: they are looked up by coalition, and the model's order (by name) joins the users.
    memberships = (
        Membership.objects.filter(user_id=user_id, is_active=True)
        .order_by()
        .annotate(coalition_requires_two_factor=F("coalition__require_two_factor"))
    )
    return {m.coalition_id: m for m in memberships}


def forget_memberships(user) -> None:
    """Drops the cached memberships after a change to them within the same request."""
    # delattr, not __dict__: request.user is a lazy proxy, and only attribute access reaches the user.
    with contextlib.suppress(AttributeError):
        del user._coalition_memberships


def coalition_id_of(obj) -> int | None:
    """The coalition an object belongs to: itself, its ``coalition_id``, or its submission's."""
    if obj is None:
        return None
    if isinstance(obj, Coalition):
        return obj.pk
    if hasattr(obj, "coalition_id"):
        return obj.coalition_id
    submission = getattr(obj, "submission", None)
    return getattr(submission, "coalition_id", None)


def membership_in(user, obj) -> Membership | None:
    return memberships_of(user).get(coalition_id_of(obj))


def role_in(user, obj) -> str | None:
    membership = membership_in(user, obj)
    return membership.role if membership else None


@rules.predicate
def is_member(user, obj) -> bool:
    return membership_in(user, obj) is not None


@rules.predicate
def is_coordinator(user, obj) -> bool:
    return role_in(user, obj) == Role.COORDINATOR


@rules.predicate
def leads_cluster(user, cluster: Cluster) -> bool:
    """A cluster lead leads the clusters whose lead organisation is the one they act for."""
    membership = membership_in(user, cluster)
    return (
        membership is not None
        and membership.role == Role.CLUSTER_LEAD
        and cluster.lead_organisation_id is not None
        and membership.organisation_id == cluster.lead_organisation_id
    )


def _coalitions_with_organisation(organisation: Organisation) -> set[int]:
    cached = getattr(organisation, "_coalition_ids", None)
    if cached is None:
        cached = set(
            CoalitionOrganisation.objects.current()
            .filter(organisation=organisation)
            .values_list("coalition_id", flat=True)
        )
        cached |= set(Coalition.objects.filter(secretariat=organisation).values_list("pk", flat=True))
        organisation._coalition_ids = cached
    return cached


@rules.predicate
def shares_coalition_with(user, organisation: Organisation) -> bool:
    return bool(memberships_of(user).keys() & _coalitions_with_organisation(organisation))


@rules.predicate
def coordinates_coalition_with(user, organisation: Organisation) -> bool:
    mine = {cid for cid, m in memberships_of(user).items() if m.role == Role.COORDINATOR}
    return bool(mine & _coalitions_with_organisation(organisation))


@rules.predicate
def acts_for_organisation(user, organisation: Organisation) -> bool:
    return any(m.organisation_id == organisation.pk and m.role in EDITING_ROLES for m in memberships_of(user).values())


@rules.predicate
def leads_section_cluster(user, section) -> bool:
    cluster = section.cluster
    return cluster is not None and leads_cluster(user, cluster)


def section_assignee_ids(section) -> tuple[set[int], set[int]]:
    """The ids of the people and of the organisations assigned to a section.

    From ``section.assignees`` when a selector read them in bulk for a list of sections (its
    ``people`` and ``organisations`` are (id, name) pairs: submissions.selectors.sections_for_overview),
    else from the section's relations (prefetched by the selectors of one section).
    """
    known = getattr(section, "assignees", None)
    if known is not None:
        return {pk for pk, _name in known.people}, {pk for pk, _name in known.organisations}
    return {p.pk for p in section.assigned_people.all()}, {o.pk for o in section.assigned_organisations.all()}


@rules.predicate
def is_assigned_to_section(user, section) -> bool:
    """Assigned by name, or through the organisation the person acts for: the section's lead
    organisation (it holds the pen) or a contributing one (readers excepted)."""
    membership = membership_in(user, section)
    if membership is None or membership.role not in EDITING_ROLES:
        return False
    if section.lead_organisation_id is not None and membership.organisation_id == section.lead_organisation_id:
        return True
    people, organisations = section_assignee_ids(section)
    return user.pk in people or membership.organisation_id in organisations


@rules.predicate
def submission_is_open(user, obj) -> bool:
    submission = getattr(obj, "submission", obj)
    return not submission.is_locked


@rules.predicate
def is_reviewer(user, obj) -> bool:
    return role_in(user, obj) == Role.REVIEWER


@rules.predicate
def may_comment(user, obj) -> bool:
    """Everyone in the coalition but observers, who only read."""
    role = role_in(user, obj)
    return role is not None and role != Role.OBSERVER


# Section workflow (submissions/models/workflow.py): drafting and "changes requested" belong to the
# drafters; once submitted, the reviewers have the section; a locked section is edited by no one.
@rules.predicate
def section_open_to_drafters(user, section) -> bool:
    return section.is_open_to_drafters


@rules.predicate
def section_not_locked(user, section) -> bool:
    return not section.is_locked


# Comments: the object is a comment; its section decides who works on it.
@rules.predicate
def wrote_comment(user, comment) -> bool:
    return comment.author_id is not None and comment.author_id == user.pk


# Who works on a section's text (any state), and who reviews it: the object is a section.
works_on_section = is_coordinator | leads_section_cluster | is_assigned_to_section
reviews_section = is_coordinator | leads_section_cluster | is_reviewer


@rules.predicate
def works_on_comment_section(user, comment) -> bool:
    return works_on_section.test(user, comment.section)


# Sign-off: the object is a SignOff, one organisation's answer.
@rules.predicate
def is_designated_signer(user, sign_off) -> bool:
    return sign_off.person_id is not None and sign_off.person_id == user.pk


@rules.predicate
def sign_off_is_open(user, sign_off) -> bool:
    return sign_off.submission.status == sign_off.submission.Status.SIGN_OFF


is_signed_in = rules.is_authenticated

# Coalition-wide rules: the object is a coalition or anything with a ``coalition_id``.
rules.add_rule("coalitions.create_coalition", is_signed_in)
rules.add_rule("coalitions.view_coalition", is_member)
rules.add_rule("coalitions.change_coalition", is_coordinator)
rules.add_rule("coalitions.view_members", is_member)
rules.add_rule("coalitions.manage_members", is_coordinator)
rules.add_rule("coalitions.manage_invitations", is_coordinator)
rules.add_rule("coalitions.view_audit_log", is_coordinator)
rules.add_rule("coalitions.view_mail", is_coordinator)
rules.add_rule("coalitions.add_cluster", is_coordinator)
rules.add_rule("coalitions.require_two_factor", is_coordinator)
# Reminder settings (deadlines app): when the coalition's members are reminded of its deadlines.
rules.add_rule("deadlines.change_reminder_settings", is_coordinator)
# Cluster rules: the object is a cluster.
rules.add_rule("coalitions.view_cluster", is_member)
rules.add_rule("coalitions.change_cluster", is_coordinator | leads_cluster)
rules.add_rule("coalitions.delete_cluster", is_coordinator)
# Organisation rules: the object is an organisation.
rules.add_rule("coalitions.view_organisation", shares_coalition_with)
rules.add_rule("coalitions.change_organisation", coordinates_coalition_with | acts_for_organisation)

# Submission rules: the object is a submission (or a coalition, to create one) or a section.
rules.add_rule("submissions.view_submission", is_member)
rules.add_rule("submissions.create_submission", is_coordinator)
rules.add_rule("submissions.change_submission", is_coordinator & submission_is_open)
rules.add_rule("submissions.change_status", is_coordinator)
rules.add_rule("submissions.manage_sections", is_coordinator & submission_is_open)
rules.add_rule("submissions.view_section", is_member)
# Generated documents (PDF and DOCX): a final submission's documents are generated too, so no
# submission_is_open here. The object is a submission, or a GeneratedDocument for a download.
rules.add_rule("submissions.generate_documents", is_coordinator)
rules.add_rule("submissions.view_documents", is_member)
# Editing a section's text: coordinators until it is locked; its cluster's lead and the people
# assigned to it while it is with the drafters (drafting, changes requested).
edits_section = (
    (is_coordinator & section_not_locked)
    | ((leads_section_cluster | is_assigned_to_section) & section_open_to_drafters)
) & submission_is_open
rules.add_rule("submissions.edit_section", edits_section)
# A Word document imported into a section is a new version of its text.
rules.add_rule("submissions.import_docx", edits_section)
# Section workflow buttons (submissions/models/workflow.py, SECTION_ACTIONS): the object is a section.
rules.add_rule("submissions.submit_section", works_on_section & submission_is_open)
rules.add_rule("submissions.review_section", reviews_section & submission_is_open)
rules.add_rule("submissions.approve_section", (is_coordinator | leads_section_cluster) & submission_is_open)
rules.add_rule("submissions.lock_section", is_coordinator & submission_is_open)
# Comments: the object is a section to write one, a comment to resolve or reopen its thread.
rules.add_rule("submissions.comment_section", may_comment)
rules.add_rule("submissions.resolve_comment", may_comment & (wrote_comment | works_on_comment_section))
# Recommendations: the object is their section. Drafters write them and tick the SMART checklist;
# someone else confirms it.
rules.add_rule("submissions.change_recommendations", edits_section)
rules.add_rule("submissions.confirm_smart", reviews_section & submission_is_open)
rules.add_rule("submissions.view_recommendations", is_member)
# Sign-off: the object is a submission, or a SignOff for an answer.
rules.add_rule("submissions.view_sign_off", is_member)
rules.add_rule("submissions.manage_sign_off", is_coordinator)
rules.add_rule("submissions.answer_sign_off", is_member & is_designated_signer & sign_off_is_open)
# The secretariat's contribution dashboard: the object is a submission.
rules.add_rule("submissions.view_dashboard", is_coordinator)


# After the review (advocacy/): the object is the coalition, or one of its assessments, meetings,
# factsheets, statements or uptake matches. Reviewers and observers read; the others write.
@rules.predicate
def drafts_for_coalition(user, obj) -> bool:
    return role_in(user, obj) in (Role.COORDINATOR, Role.CLUSTER_LEAD, Role.DRAFTER)


@rules.predicate
def coordinates_or_leads(user, obj) -> bool:
    return role_in(user, obj) in (Role.COORDINATOR, Role.CLUSTER_LEAD)


rules.add_rule("advocacy.view_matrix", is_member)
rules.add_rule("advocacy.change_assessment", drafts_for_coalition)
# Importing the UN's recommendations of a review the coalition works on (shared UN data, logged).
rules.add_rule("advocacy.import_recommendations", is_coordinator)
rules.add_rule("advocacy.generate_documents", drafts_for_coalition)
rules.add_rule("advocacy.view_lobbying_log", is_member)
rules.add_rule("advocacy.change_lobbying_log", drafts_for_coalition)
rules.add_rule("advocacy.view_factsheets", is_member)
rules.add_rule("advocacy.change_factsheet", drafts_for_coalition)
rules.add_rule("advocacy.view_statement", is_member)
rules.add_rule("advocacy.change_statement", coordinates_or_leads)
rules.add_rule("advocacy.view_uptake", is_member)
rules.add_rule("advocacy.decide_uptake", coordinates_or_leads)


def can(user, rule: str, obj=None) -> bool:
    return rules.test_rule(rule, user, obj)
