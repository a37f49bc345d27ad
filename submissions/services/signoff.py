"""Member organisations' sign-off of the exact final text of a submission."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from coalitions.models import Membership, Role
from submissions.models import SignOff, Submission
from submissions.selectors import submission_signatories

# Whom an organisation's sign-off is asked of, by default: the first of its people in this order.
DESIGNATED_ROLES = (Role.COORDINATOR, Role.CLUSTER_LEAD, Role.DRAFTER)


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


@transaction.atomic
def sign_off_open(*, submission: Submission, actor: User) -> list[SignOff]:
    """Asks every signatory organisation for its sign-off (one row each); kept answers stay.

    Called by the submission workflow's "Open sign-off" step, inside its transaction. Organisations
    no longer among the signatories lose their row; a new one is pending.
    """
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
    return list(SignOff.objects.filter(submission=submission).select_related("organisation", "person"))
