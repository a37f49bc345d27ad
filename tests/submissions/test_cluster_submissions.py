"""Several submissions per coalition: a cluster's own joint submission, its default signatories, and
the lists that show every submission with its state and next deadline."""

import datetime

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertRedirects

from reviews.models import Review
from submissions.errors import SubmissionError
from submissions.models import Section, Submission, SubmissionSignatory
from submissions.selectors import submission_signatories, submission_signatory_names
from submissions.services.submissions import submission_create, submission_update
from tests.factories import ClusterFactory, SectionFactory, SubmissionFactory
from tests.factories.coalitions import add_organisation
from upr_portal import freshness
from upr_portal.templatetags.geneva_time import geneva_text

pytestmark = pytest.mark.django_db


def test_start_a_clusters_own_submission(world, client):
    client.force_login(world.coordinator)

    response = client.post(
        reverse("submissions:create", args=[world.coalition.pk]),
        {
            "review": world.review.pk,
            "kind": Submission.Kind.JOINT,
            "cluster": world.cluster_a.pk,
            "title": "A's cluster on trafficking",
            "language": Submission.Language.ENGLISH,
            "keywords": "",
            "section_titles": "Trafficking",
        },
    )

    submission = Submission.objects.get(title="A's cluster on trafficking")
    assertRedirects(response, reverse("submissions:detail", args=[submission.pk]), fetch_redirect_response=False)
    assert (submission.coalition, submission.cluster) == (world.coalition, world.cluster_a)


def test_create_form_offers_only_the_coalitions_clusters(world, client):
    foreign = ClusterFactory(coalition=world.other, name="Housing cluster")
    client.force_login(world.coordinator)

    response = client.post(
        reverse("submissions:create", args=[world.coalition.pk]),
        {"review": world.review.pk, "kind": "joint", "cluster": foreign.pk, "title": "Foreign", "language": "en"},
    )

    assertContains(response, "Select a valid choice.")
    assert Submission.objects.filter(title="Foreign").exists() is False


def test_services_refuse_another_coalitions_cluster(world):
    foreign = ClusterFactory(coalition=world.other, name="Housing cluster")

    with pytest.raises(SubmissionError, match=r"Choose one of the coalition's clusters\."):
        submission_create(
            coalition=world.coalition, review=world.review, actor=world.coordinator, title="X", cluster=foreign
        )
    with pytest.raises(SubmissionError, match=r"Choose one of the coalition's clusters\."):
        submission_update(submission=world.submission, actor=world.coordinator, cluster=foreign)
    assert Submission.objects.values_list("cluster", flat=True).get(pk=world.submission.pk) is None


def test_edit_form_makes_a_submission_a_clusters_own(world, client):
    client.force_login(world.coordinator)

    client.post(
        reverse("submissions:edit", args=[world.submission.pk]),
        {"title": world.submission.title, "cluster": world.cluster_b.pk, "language": "en", "keywords": ""},
    )

    assert Submission.objects.get(pk=world.submission.pk).cluster == world.cluster_b


def test_clusters_submission_is_signed_by_the_clusters_organisations_by_default(world):
    # A third member organisation joins cluster A: the cluster's submission names both, by name;
    # the coalition's own submission still names every member organisation.
    third = add_organisation(world.coalition).organisation
    world.cluster_a.organisations.add(third)
    cluster_submission = SubmissionFactory(coalition=world.coalition, review=world.review, cluster=world.cluster_a)

    assert submission_signatories(cluster_submission) == sorted([world.org_a, third], key=lambda o: o.name)
    assert submission_signatory_names(cluster_submission) == (sorted([world.org_a.name, third.name]), False)
    assert len(submission_signatories(world.submission)) == 4


def test_clusters_submission_chosen_signatories_override_the_default(world):
    cluster_submission = SubmissionFactory(coalition=world.coalition, review=world.review, cluster=world.cluster_a)
    SubmissionSignatory.objects.create(submission=cluster_submission, organisation=world.org_b, position=1)

    assert submission_signatories(cluster_submission) == [world.org_b]


def test_clusters_submission_leaves_out_an_organisation_that_left_the_coalition(world):
    cluster_submission = SubmissionFactory(coalition=world.coalition, review=world.review, cluster=world.cluster_b)
    world.coalition.member_organisations.filter(organisation=world.org_b).update(status="left")

    assert submission_signatories(cluster_submission) == []


# The lists.


def with_deadlines(world):
    """The review's UN deadline, a cluster submission, and milestones: one late, one ahead."""
    now = timezone.now()
    deadline = now + datetime.timedelta(days=40)
    Review.objects.filter(pk=world.review.pk).update(stakeholder_deadline=deadline)
    cluster_submission = SubmissionFactory(
        coalition=world.coalition, review=world.review, title="B's own submission", cluster=world.cluster_b
    )
    late = now - datetime.timedelta(days=2)
    Section.objects.filter(pk=world.section_b.pk).update(first_draft_due=late)
    ahead = now + datetime.timedelta(days=9)
    SectionFactory(submission=cluster_submission, title="Legal aid", final_due=ahead)
    return deadline, late, ahead, cluster_submission


@pytest.mark.parametrize("page", ["coalitions:home", "submissions:list"])
def test_lists_show_every_submission_with_state_and_deadlines(page, world, client):
    deadline, late, ahead, cluster_submission = with_deadlines(world)
    client.force_login(world.people["observer"])

    response = client.get(reverse(page, args=[world.coalition.pk]))

    html = response.content.decode()
    items = html.split('data-submission="')[1:]
    assert [item.split('"')[0] for item in items] == [
        str(cluster_submission.pk),
        str(world.final_submission.pk),
        str(world.submission.pk),
    ]
    cluster_item, final_item, joint_item = items
    assert escape("Cluster: B's cluster") in cluster_item
    assert "The coalition's joint submission" in joint_item
    assert ("Drafting" in cluster_item, "Final: read-only" in final_item, "Drafting" in joint_item) == (
        True,
        True,
        True,
    )
    for item in items:
        assert geneva_text(deadline, "long") in item
    assert "Final text due: Legal aid, <time" in cluster_item
    assert geneva_text(ahead) in cluster_item
    assert escape("First draft due: Section of B's cluster, ") + "<time" in joint_item
    assert geneva_text(late) in joint_item
    assert ('<span class="badge text-bg-danger">late</span>' in joint_item, "late</span>" in cluster_item) == (
        True,
        False,
    )
    assert "1 milestone late" in joint_item


def test_coalition_home_list_queries_do_not_grow_with_submissions_or_sections(world):
    """The list the coalition home includes, alone: the page's other parts have guards of their own."""
    template = Template("{% load submission_lists %}{% coalition_submissions coalition %}")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            template.render(Context({"coalition": world.coalition}))
        return len(captured)

    first = count()
    for number in range(3):
        submission = SubmissionFactory(coalition=world.coalition, review=world.review, cluster=world.cluster_a)
        SectionFactory(submission=submission, title=f"Section {number}", first_draft_due=timezone.now())

    assert (first, count()) == (2, 2)


@pytest.mark.parametrize("page", ["submissions:list"])
def test_lists_queries_do_not_grow_with_submissions(page, world, client):
    client.force_login(world.people["observer"])
    url = reverse(page, args=[world.coalition.pk])

    def count() -> int:
        freshness.bump()  # the computing path: the list is remembered (upr_portal/freshness.py)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return len(captured)

    client.get(url)  # the cached fragments and the memberships, as on any later visit
    first = count()
    for number in range(3):
        submission = SubmissionFactory(coalition=world.coalition, review=world.review, cluster=world.cluster_a)
        SectionFactory(submission=submission, title=f"Section {number}", first_draft_due=timezone.now())

    assert count() == first


def test_submission_page_names_its_cluster(world, client):
    cluster_submission = SubmissionFactory(coalition=world.coalition, review=world.review, cluster=world.cluster_a)
    client.force_login(world.people["observer"])

    response = client.get(reverse("submissions:detail", args=[cluster_submission.pk]))

    assertContains(response, escape("Cluster: A's cluster"))
