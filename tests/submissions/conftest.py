"""The coalition of docs/permissions.md with its submissions, built once per module."""

import copy
from dataclasses import dataclass

import pytest

from accounts.models import User
from coalitions.models import Cluster, Coalition, Organisation, Role
from reviews.models import DocumentLimit, Review
from submissions.models import Section, Submission
from tests.factories import (
    ClusterFactory,
    DocumentLimitFactory,
    MembershipFactory,
    OrganisationFactory,
    ReviewFactory,
    SectionFactory,
    SubmissionFactory,
    UserFactory,
    write_text,
)
from tests.factories.coalitions import add_organisation, new_coalition
from tests.shared_data import module_rows

# The matrix's columns that are a role in the coalition, and the role each stands for.
COALITION_ROLES = {
    "observer": Role.OBSERVER,
    "reviewer": Role.REVIEWER,
    "drafter": Role.DRAFTER,
    "cluster lead": Role.CLUSTER_LEAD,
    "coordinator": Role.COORDINATOR,
}
LIMIT_WORDS = 5630
TEXT_B_V1 = "<p>Children in detention are held with adults.</p>"
TEXT_B_V2 = "<p>Children in pre-trial detention are held with adults in three prisons.</p>"
TEXT_A = "<p>Trafficking cases rarely reach the courts.</p>"
TEXT_FINAL = "<p>The final text agreed by the coalition.</p>"


@dataclass
class World:
    """One coalition as docs/permissions.md describes it, its joint submission, and the outsider's coalition."""

    coalition: Coalition
    secretariat: Organisation
    org_a: Organisation
    org_b: Organisation
    cluster_a: Cluster
    cluster_b: Cluster
    review: Review
    limit: DocumentLimit
    submission: Submission
    section_b: Section
    section_a: Section
    final_submission: Submission
    final_section: Section
    people: dict[str, User | None]
    other: Coalition
    other_submission: Submission
    other_section: Section

    @property
    def coordinator(self) -> User:
        return self.people["coordinator"]


def build_world() -> World:
    coalition = new_coalition(name="Coalition for the Rights of the Child")
    secretariat = coalition.secretariat
    org_a = add_organisation(coalition, OrganisationFactory(name="Alpha Rights Watch", acronym="ARW")).organisation
    org_b = add_organisation(coalition, OrganisationFactory(name="Beta Legal Aid", acronym="BLA")).organisation
    cluster_a = ClusterFactory(coalition=coalition, name="A's cluster", lead_organisation=org_a)
    cluster_a.organisations.set([org_a])
    cluster_b = ClusterFactory(coalition=coalition, name="B's cluster", lead_organisation=org_b)
    cluster_b.organisations.set([org_b])

    people: dict[str, User | None] = {"anonymous": None}
    other = new_coalition(name="Other Coalition on Housing")
    people["outsider"] = MembershipFactory(
        coalition=other,
        user=UserFactory(full_name="Olga Outsider", email="outsider@example.org"),
        organisation=other.secretariat,
        role=Role.COORDINATOR,
    ).user
    for column, role in COALITION_ROLES.items():
        people[column] = MembershipFactory(
            coalition=coalition,
            user=UserFactory(full_name=f"The {column}", email=f"{column.replace(' ', '.')}@example.org"),
            organisation=secretariat if role == Role.COORDINATOR else org_b,
            role=role,
        ).user
    coordinator = people["coordinator"]

    review = ReviewFactory()
    limit = DocumentLimitFactory(cycle=review.session.cycle, kind=DocumentLimit.Kind.JOINT, max_words=LIMIT_WORDS)
    submission = SubmissionFactory(coalition=coalition, review=review, title="Joint submission on child rights")
    section_b = SectionFactory(
        submission=submission,
        title="Section of B's cluster",
        cluster=cluster_b,
        word_budget=1000,
        assigned_organisations=[org_b],
    )
    section_a = SectionFactory(
        submission=submission,
        title="Section of A's cluster",
        cluster=cluster_a,
        word_budget=800,
        assigned_organisations=[org_a],
    )
    write_text(section_b, author=coordinator, body=TEXT_B_V1)
    write_text(section_b, author=people["drafter"], body=TEXT_B_V2)
    write_text(section_a, author=coordinator, body=TEXT_A)

    final_submission = SubmissionFactory(coalition=coalition, review=review, title="Final submission on housing")
    final_section = SectionFactory(
        submission=final_submission,
        title="Final section of B's cluster",
        cluster=cluster_b,
        assigned_organisations=[org_b],
    )
    write_text(final_section, author=coordinator, body=TEXT_FINAL)
    final_submission.status = Submission.Status.FINAL
    final_submission.save(update_fields=["status"])

    other_submission = SubmissionFactory(coalition=other, review=review, title="The other coalition's submission")
    other_section = SectionFactory(submission=other_submission, title="The other coalition's section")
    write_text(other_section, author=people["outsider"], body="<p>Evictions without notice.</p>")

    return World(
        coalition=coalition,
        secretariat=secretariat,
        org_a=org_a,
        org_b=org_b,
        cluster_a=cluster_a,
        cluster_b=cluster_b,
        review=review,
        limit=limit,
        submission=submission,
        section_b=section_b,
        section_a=section_a,
        final_submission=final_submission,
        final_section=final_section,
        people=people,
        other=other,
        other_submission=other_submission,
        other_section=other_section,
    )


# The world's rows, written once for each module and rolled back after it (tests/shared_data.py).
world_rows = module_rows("world_rows", build_world)


@pytest.fixture
def world(world_rows, db) -> World:
    """This test's copy of the world; what the test writes is rolled back after it."""
    return copy.deepcopy(world_rows)
