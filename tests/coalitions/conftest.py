"""The coalition of docs/permissions.md, built once per module: one person per role of the matrix."""

import copy
from dataclasses import dataclass

import pytest

from accounts.models import User
from coalitions import services
from coalitions.models import (
    AuditEvent,
    Cluster,
    Coalition,
    CoalitionOrganisation,
    Invitation,
    Membership,
    Organisation,
    Role,
)
from tests.factories import (
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.factories.coalitions import add_organisation, new_coalition
from tests.shared_data import module_rows

# The roles of the matrix's columns that are a role in the coalition, and the role each stands for.
COALITION_ROLES = {
    "observer": Role.OBSERVER,
    "reviewer": Role.REVIEWER,
    "drafter": Role.DRAFTER,
    "cluster lead": Role.CLUSTER_LEAD,
    "coordinator": Role.COORDINATOR,
}


@dataclass
class World:
    """One coalition as docs/permissions.md describes it, plus another coalition led by the outsider."""

    coalition: Coalition
    secretariat: Organisation
    org_a: Organisation
    org_b: Organisation
    member_a: CoalitionOrganisation
    member_b: CoalitionOrganisation
    cluster_a: Cluster
    cluster_b: Cluster
    people: dict[str, User | None]
    memberships: dict[str, Membership]
    target: Membership
    invitation: Invitation
    staff: User
    other: Coalition
    other_member: CoalitionOrganisation
    other_membership: Membership
    other_cluster: Cluster
    other_invitation: Invitation


def build_world() -> World:
    coalition = new_coalition(name="Coalition for the Rights of the Child")
    secretariat = coalition.secretariat
    member_a = add_organisation(coalition, OrganisationFactory(name="Alpha Rights Watch", acronym="ARW"))
    member_b = add_organisation(coalition, OrganisationFactory(name="Beta Legal Aid", acronym="BLA"))
    org_a, org_b = member_a.organisation, member_b.organisation
    cluster_a = ClusterFactory(coalition=coalition, name="A's cluster", lead_organisation=org_a)
    cluster_a.organisations.set([org_a])
    cluster_b = ClusterFactory(coalition=coalition, name="B's cluster", lead_organisation=org_b)
    cluster_b.organisations.set([org_b])

    memberships = {}
    for column, role in COALITION_ROLES.items():
        organisation = secretariat if role == Role.COORDINATOR else org_b
        memberships[column] = MembershipFactory(
            coalition=coalition,
            user=UserFactory(full_name=f"The {column}", email=f"{column.replace(' ', '.')}@example.org"),
            organisation=organisation,
            role=role,
        )
    # Someone to change and remove; at the secretariat, so organisation A keeps no people of its own.
    target = MembershipFactory(
        coalition=coalition,
        user=UserFactory(full_name="Tariq Target", email="target@example.org"),
        organisation=secretariat,
        role=Role.DRAFTER,
    )
    coordinator = memberships["coordinator"].user
    invitation = services.invitation_create(
        coalition=coalition, actor=coordinator, email="invitee@example.org", organisation=org_b, role=Role.REVIEWER
    )
    services.audit(
        coalition=coalition, actor=coordinator, action=AuditEvent.Action.COALITION_CREATED, subject=coalition.name
    )

    other = new_coalition(name="Other Coalition on Housing")
    other_member = add_organisation(other)
    outsider_membership = MembershipFactory(
        coalition=other,
        user=UserFactory(full_name="Olga Outsider", email="outsider@example.org"),
        organisation=other.secretariat,
        role=Role.COORDINATOR,
    )
    other_membership = MembershipFactory(coalition=other, organisation=other_member.organisation, role=Role.DRAFTER)
    other_cluster = ClusterFactory(coalition=other, name="Other cluster", lead_organisation=other_member.organisation)
    other_invitation = services.invitation_create(
        coalition=other,
        actor=outsider_membership.user,
        email="other.invitee@example.org",
        organisation=other_member.organisation,
        role=Role.DRAFTER,
    )

    people = {"anonymous": None, "outsider": outsider_membership.user}
    people.update({column: membership.user for column, membership in memberships.items()})
    return World(
        coalition=coalition,
        secretariat=secretariat,
        org_a=org_a,
        org_b=org_b,
        member_a=member_a,
        member_b=member_b,
        cluster_a=cluster_a,
        cluster_b=cluster_b,
        people=people,
        memberships=memberships,
        target=target,
        invitation=invitation,
        staff=UserFactory(email="admin@example.org", is_staff=True, is_superuser=True),
        other=other,
        other_member=other_member,
        other_membership=other_membership,
        other_cluster=other_cluster,
        other_invitation=other_invitation,
    )


# The world's rows, written once for each module and rolled back after it (tests/shared_data.py).
world_rows = module_rows("world_rows", build_world)


@pytest.fixture
def world(world_rows, db) -> World:
    """This test's copy of the world; what the test writes is rolled back after it."""
    return copy.deepcopy(world_rows)
