"""Query-count guards: a page costs as many queries for a long submission as for a short one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains

from submissions.models import Section, Submission
from tests.factories import SectionFactory, SubmissionFactory, UserFactory, write_text
from tests.submissions.conftest import World
from upr_portal import freshness

pytestmark = pytest.mark.django_db

READERS = ["observer", "drafter", "cluster lead", "coordinator"]


def filled_submission(world: World, sections: int) -> Submission:
    """A submission whose sections all have clusters, organisations, people and saved text."""
    submission = SubmissionFactory(coalition=world.coalition, review=world.review, title=f"{sections} sections")
    for number in range(sections):
        cluster = world.cluster_b if number % 2 else world.cluster_a
        section = SectionFactory(
            submission=submission,
            title=f"Section {number}",
            cluster=cluster,
            word_budget=100,
            assigned_organisations=[world.org_a, world.org_b],
            assigned_people=[world.people["drafter"], world.people["cluster lead"]],
        )
        write_text(section, author=world.people["drafter"], body=f"<p>Words of section {number}.</p>")
    return submission


def queries_of(client, url: str, expected: str) -> int:
    """The queries of a visit that computes everything: what a page remembers (upr_portal/freshness.py)
    is computed again in a new data generation."""
    freshness.bump()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assertContains(response, expected)
    return len(captured)


@pytest.mark.parametrize("role", READERS)
def test_submission_page_queries_do_not_grow_with_sections(role, world, client):
    small, large = filled_submission(world, 5), filled_submission(world, 25)
    client.force_login(world.people[role])

    counts = [
        queries_of(client, reverse("submissions:detail", args=[submission.pk]), f"Section {size - 1}")
        for submission, size in ((small, 5), (large, 25))
    ]

    assert counts[0] == counts[1]


@pytest.mark.parametrize("role", ["drafter", "coordinator"])
def test_section_editor_queries_do_not_grow_with_sections_or_versions(role, world, client):
    small, large = filled_submission(world, 5), filled_submission(world, 25)
    small_section, large_section = small.sections.first(), large.sections.first()
    for body in ("<p>Second.</p>", "<p>Third.</p>", "<p>Fourth.</p>"):
        write_text(large_section, author=UserFactory(), body=body)
    client.force_login(world.people[role])

    counts = [
        queries_of(client, reverse("submissions:section_edit", args=[s.submission_id, s.pk]), "Editing Section 0")
        for s in (small_section, large_section)
    ]

    assert counts[0] == counts[1]


@pytest.mark.parametrize("role", ["observer", "drafter"])
def test_section_read_page_queries_do_not_grow_with_sections(role, world, client):
    small, large = filled_submission(world, 5), filled_submission(world, 25)
    client.force_login(world.people[role])

    counts = [
        queries_of(client, reverse("submissions:section", args=[s.submission_id, s.pk]), "Words of section 0")
        for s in (small.sections.first(), large.sections.first())
    ]

    assert counts[0] == counts[1]


def saved_versions(world: World, versions: int) -> Section:
    section = SectionFactory(submission=world.submission, title=f"{versions} versions")
    for number in range(versions):
        # A different author each time, so every save is a version of its own.
        write_text(section, author=UserFactory(full_name=f"Author {number}"), body=f"<p>Text {number}.</p>")
    return section


@pytest.mark.parametrize("role", ["observer", "drafter"])
def test_history_page_queries_do_not_grow_with_versions(role, world, client):
    two, ten = saved_versions(world, 2), saved_versions(world, 10)
    client.force_login(world.people[role])

    counts = [
        queries_of(client, reverse("submissions:history", args=[s.submission_id, s.pk]), f"<td>Author {n - 1}</td>")
        for s, n in ((two, 2), (ten, 10))
    ]

    assert counts[0] == counts[1]


def test_history_page_with_a_chosen_diff_queries_do_not_grow_with_versions(world, client):
    two, ten = saved_versions(world, 2), saved_versions(world, 10)
    client.force_login(world.people["drafter"])

    counts = [
        queries_of(client, reverse("submissions:history", args=[s.submission_id, s.pk]) + "?a=1&b=2", "</span>0.</del>")
        for s in (two, ten)
    ]

    assert counts[0] == counts[1]


def test_submission_list_queries_do_not_grow_with_submissions(world, client):
    client.force_login(world.people["observer"])
    url = reverse("submissions:list", args=[world.coalition.pk])
    first = queries_of(client, url, world.submission.title)
    for _ in range(3):
        SubmissionFactory(coalition=world.coalition, review=world.review)

    assert queries_of(client, url, world.final_submission.title) == first


# At the size of a national coalition's submission (issue 9): thirty sections, each with assignees and
# saved versions, cost what two do. Query counts only: speed is measured by `make bench`.


def national_submission(world: World, sections: int, versions: int) -> Submission:
    """A submission of ``sections`` sections, each with two organisations, two people and ``versions`` saves."""
    submission = SubmissionFactory(coalition=world.coalition, review=world.review, title=f"{sections} at scale")
    authors = [world.people["drafter"], world.people["cluster lead"]]
    for number in range(sections):
        section = SectionFactory(
            submission=submission,
            title=f"Theme {number}",
            cluster=world.cluster_b if number % 2 else world.cluster_a,
            word_budget=180,
            assigned_organisations=[world.org_a, world.org_b],
            assigned_people=[UserFactory(full_name=f"Person {number}"), world.people["drafter"]],
        )
        for version in range(versions):
            write_text(section, author=authors[version % 2], body=f"<p>Words of theme {number}, version {version}.</p>")
    return submission


@pytest.mark.parametrize("role", ["observer", "drafter", "coordinator"])
def test_submission_page_queries_at_national_scale_are_those_of_a_small_submission(role, world, client):
    small, large = national_submission(world, 2, 1), national_submission(world, 30, 3)
    client.force_login(world.people[role])

    counts = [
        queries_of(client, reverse("submissions:detail", args=[submission.pk]), f"Theme {size - 1}</a>")
        for submission, size in ((small, 2), (large, 30))
    ]

    assert counts[0] == counts[1]


@pytest.mark.parametrize("role", ["drafter", "coordinator"])
def test_section_editor_queries_at_national_scale_are_those_of_a_small_submission(role, world, client):
    small, large = national_submission(world, 2, 1), national_submission(world, 30, 3)
    client.force_login(world.people[role])

    counts = [
        queries_of(client, reverse("submissions:section_edit", args=[s.submission_id, s.pk]), "Editing Theme 1")
        for s in (small.sections.get(title="Theme 1"), large.sections.get(title="Theme 1"))
    ]

    assert counts[0] == counts[1]
