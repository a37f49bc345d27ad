"""Query-count guards of the contribution dashboard: a national coalition costs what a small one does.

Small: 3 organisations, 5 people, 3 sections, 10 versions. Large (issue 11): 100 organisations, 300
people, 30 sections, 3,000 versions, each section with assignees, milestones and comments, and
sign-offs. Both are written with bulk_create once for the module.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from coalitions.models import Cluster, CoalitionOrganisation, Membership, Organisation, Role
from submissions.models import Comment, Section, SectionVersion, SignOff, Submission
from tests.factories import ClusterFactory, MembershipFactory, ReviewFactory, StateFactory, SubmissionFactory
from tests.factories.coalitions import new_coalition
from tests.shared_data import module_rows

pytestmark = pytest.mark.django_db


@dataclass
class Scaled:
    submission: Submission
    coordinator: object
    sections: int


def scaled(*, organisations: int, people: int, sections: int, versions: int) -> Scaled:
    now = timezone.now()
    country = StateFactory()
    coalition = new_coalition(name=f"Coalition of {organisations} organisations")
    coordinator = MembershipFactory(coalition=coalition, role=Role.COORDINATOR, user__full_name="Coordinator").user
    orgs = Organisation.objects.bulk_create(
        Organisation(name=f"Organisation {organisations}-{n}", city="Nairobi", country=country)
        for n in range(organisations)
    )
    CoalitionOrganisation.objects.bulk_create(CoalitionOrganisation(coalition=coalition, organisation=o) for o in orgs)
    users = get_user_model().objects.bulk_create(
        get_user_model()(email=f"person{n}@{organisations}.scale.example.org", full_name=f"Person {n}")
        for n in range(people)
    )
    Membership.objects.bulk_create(
        Membership(coalition=coalition, user=user, organisation=orgs[n % organisations], role=Role.DRAFTER)
        for n, user in enumerate(users)
    )
    clusters = [ClusterFactory(coalition=coalition, name=f"Cluster {n}") for n in range(3)]
    Cluster.organisations.through.objects.bulk_create(
        Cluster.organisations.through(cluster=clusters[n % 3], organisation=o) for n, o in enumerate(orgs)
    )
    submission = SubmissionFactory(coalition=coalition, review=ReviewFactory(), title=f"{sections} sections")
    per_section = max(versions // sections, 1)
    rows = Section.objects.bulk_create(
        Section(
            submission=submission,
            position=n + 1,
            title=f"Theme {n}",
            cluster=clusters[n % 3],
            lead_organisation=orgs[n % organisations],
            word_budget=150,
            state=Section.State.values[n % 5],
            first_draft_due=now - datetime.timedelta(days=1),
            review_due=now + datetime.timedelta(days=2),
            final_due=now + datetime.timedelta(days=30),
            version=per_section,
            body_words=per_section * 3,
        )
        for n in range(sections)
    )
    Section.assigned_organisations.through.objects.bulk_create(
        Section.assigned_organisations.through(section=s, organisation=orgs[(n + k) % organisations])
        for n, s in enumerate(rows)
        for k in range(2)
    )
    Section.assigned_people.through.objects.bulk_create(
        Section.assigned_people.through(section=s, user=users[(n + k) % people])
        for n, s in enumerate(rows)
        for k in range(2)
    )
    SectionVersion.objects.bulk_create(
        SectionVersion(
            section=s,
            version=v + 1,
            title=s.title,
            body_words=(v + 1) * 3,
            author=users[(n + v) % people],
            saved_at=now,
        )
        for n, s in enumerate(rows)
        for v in range(per_section)
    )
    Comment.objects.bulk_create(
        Comment(section=s, author=users[(n + k) % people], body="A comment.")
        for n, s in enumerate(rows)
        for k in range(3)
    )
    SignOff.objects.bulk_create(
        SignOff(submission=submission, organisation=o, status=SignOff.Status.PENDING) for o in orgs[::2]
    )
    return Scaled(submission, coordinator, sections)


def build_both() -> tuple[Scaled, Scaled]:
    return (
        scaled(organisations=3, people=5, sections=3, versions=10),
        scaled(organisations=100, people=300, sections=30, versions=3000),
    )


both_rows = module_rows("both_rows", build_both)


@pytest.fixture
def both(both_rows, db) -> tuple[Scaled, Scaled]:
    return both_rows


def test_the_large_coalition_is_national_size(both):
    _small, large = both

    assert (
        CoalitionOrganisation.objects.filter(coalition=large.submission.coalition).count(),
        Membership.objects.filter(coalition=large.submission.coalition).count(),
        large.submission.sections.count(),
        SectionVersion.objects.filter(section__submission=large.submission).count(),
    ) == (101, 301, 30, 3000)


def queries_of(client, url: str, expected: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assertContains(response, expected)
    return len(captured)


@pytest.mark.parametrize(
    "query", ["", "?late=on&person_sort=-words", "?cluster=0&state=drafting&section_sort=deadline"]
)
def test_dashboard_queries_at_national_scale_are_those_of_a_small_coalition(query, both, client):
    counts = []
    for scale in both:
        client.force_login(scale.coordinator)
        url = reverse("submissions:dashboard", args=[scale.submission.pk]) + query
        counts.append(queries_of(client, url, "Contribution dashboard"))

    assert counts[0] == counts[1]


def test_dashboard_csv_queries_at_national_scale_are_those_of_a_small_coalition(both, client):
    counts = []
    for scale in both:
        client.force_login(scale.coordinator)
        url = reverse("submissions:dashboard_csv", args=[scale.submission.pk]) + "?table=people"
        counts.append(queries_of(client, url, "Person 0,"))

    assert counts[0] == counts[1]


def test_dashboard_large_lists_every_section_and_person(both, client):
    _small, large = both
    client.force_login(large.coordinator)

    response = client.get(reverse("submissions:dashboard", args=[large.submission.pk]))

    html = response.content.decode()
    assert (html.count("<tr data-section="), html.count('<th scope="row" class="fw-normal">Person ')) == (30, 300)
