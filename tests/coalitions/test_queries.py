"""Every list page answers in the same number of queries with 2 or with 6 of everything it lists."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from coalitions import selectors, services
from coalitions.models import Coalition, CoalitionOrganisation, Organisation, Role
from coalitions.views.members import DIRECTORY_PAGE_SIZE
from notifications.models import OutboxMessage
from tests.coalitions.conftest import add_organisation, new_coalition
from tests.factories import (
    ClusterFactory,
    CoalitionFactory,
    CoalitionOrganisationFactory,
    MembershipFactory,
    OrganisationFactory,
    ReviewFactory,
    SectionFactory,
    SubmissionFactory,
    UserFactory,
)
from tests.factories.notifications import OutboxMessageFactory
from upr_portal import freshness

pytestmark = pytest.mark.django_db

SMALL, LARGE = 2, 6
_numbers = itertools.count()


def queries_for(client, url: str) -> tuple[int, object]:
    # The computing path: values a page remembers (upr_portal/freshness.py) are computed again.
    freshness.bump()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content.decode()[:500]
    return len(queries), response


def upcoming_review():
    n = next(_numbers)
    return ReviewFactory(
        stakeholder_deadline=timezone.now() + datetime.timedelta(days=30 + n),
        pre_session=timezone.localdate() + datetime.timedelta(days=60 + n),
    )


class Grower:
    """Adds people, organisations, clusters, invitations, reviews and events to one coalition."""

    def __init__(self):
        self.coordinator = UserFactory(full_name="Coral Coordinator")
        self.coalition = new_coalition(name="Coalition under load")
        MembershipFactory(
            coalition=self.coalition,
            user=self.coordinator,
            organisation=self.coalition.secretariat,
            role=Role.COORDINATOR,
        )
        # A cluster every organisation joins, so a directory filtered by it lists everyone.
        self.everyone = ClusterFactory(coalition=self.coalition, name="Everyone")
        self.size = 0

    def grow_to(self, size: int) -> None:
        for _ in range(size - self.size):
            self._add_one()
        self.size = size

    def _add_one(self) -> None:
        n = next(_numbers)
        coalition = self.coalition
        organisation = OrganisationFactory(name=f"Member organisation {n}", kind=Organisation.Kind.NGO)
        add_organisation(coalition, organisation)
        person = UserFactory(full_name=f"Drafter {n}", email=f"drafter{n}@example.org")
        membership = MembershipFactory(coalition=coalition, user=person, organisation=organisation, role=Role.DRAFTER)
        cluster = ClusterFactory(coalition=coalition, name=f"Theme {n}", lead_organisation=organisation)
        cluster.organisations.set([organisation, coalition.secretariat])
        self.everyone.organisations.add(organisation)
        review = upcoming_review()
        coalition.reviews.add(review)
        # A submission with a section whose milestones are ahead: the home page lists both the
        # submission and the milestones among the next deadlines.
        submission = SubmissionFactory(coalition=coalition, review=review, title=f"Submission {n}")
        soon = timezone.now() + datetime.timedelta(days=5 + n)
        SectionFactory(
            submission=submission,
            title=f"Section {n}",
            first_draft_due=soon,
            review_due=soon + datetime.timedelta(days=1),
            final_due=soon + datetime.timedelta(days=2),
        )
        services.invitation_create(
            coalition=coalition,
            actor=self.coordinator,
            email=f"pending{n}@example.org",
            organisation=organisation,
            role=Role.REVIEWER,
        )
        accepted = services.invitation_create(
            coalition=coalition,
            actor=self.coordinator,
            email=f"joined{n}@example.org",
            organisation=organisation,
            role=Role.OBSERVER,
        )
        services.invitation_accept(invitation=accepted, user=UserFactory(email=f"joined{n}@example.org"))
        services.membership_change_role(membership=membership, actor=self.coordinator, role=Role.CLUSTER_LEAD)
        services.membership_change_role(membership=membership, actor=self.coordinator, role=Role.DRAFTER)


@pytest.fixture
def grower() -> Grower:
    return Grower()


def assert_same_queries_at_both_sizes(client, grower: Grower, url_of, listed) -> None:
    """Measures the page at SMALL and LARGE; ``listed(response)`` counts the rows it shows."""
    client.force_login(grower.coordinator)
    grower.grow_to(SMALL)
    client.get(url_of())  # Warms per-process caches (content types, templates) so both counts are alike.

    small, small_response = queries_for(client, url_of())
    grower.grow_to(LARGE)
    large, large_response = queries_for(client, url_of())

    assert listed(large_response) > listed(small_response)
    assert large == small


def test_coalition_home_queries_do_not_grow(client, grower):
    def listed(response):
        page = response.content.decode()
        return (
            response.context["organisations"].count
            + len(response.context["clusters"])
            + page.count("First draft due: Section")
            + page.count(">Submission ")
        )

    assert_same_queries_at_both_sizes(
        client, grower, lambda: reverse("coalitions:home", args=[grower.coalition.pk]), listed
    )


def test_member_directory_queries_do_not_grow(client, grower):
    def listed(response):
        return len(response.context["members"])

    assert_same_queries_at_both_sizes(
        client, grower, lambda: reverse("coalitions:directory", args=[grower.coalition.pk]), listed
    )


def test_filtered_member_directory_queries_do_not_grow(client, grower):
    def url():
        query = f"q=drafter&kind=ngo&cluster={grower.everyone.pk}&role=drafter"
        return f"{reverse('coalitions:directory', args=[grower.coalition.pk])}?{query}"

    def listed(response):
        return len(response.context["members"])

    assert_same_queries_at_both_sizes(client, grower, url, listed)


def test_filtered_member_directory_lists_only_the_matching_people(client, grower):
    grower.grow_to(SMALL)
    client.force_login(grower.coordinator)
    query = f"q=drafter&kind=ngo&cluster={grower.everyone.pk}&role=drafter"

    response = client.get(f"{reverse('coalitions:directory', args=[grower.coalition.pk])}?{query}")

    assert sorted(m.name for m in response.context["members"]) == sorted(
        grower.coalition.memberships.filter(role=Role.DRAFTER).values_list("user__full_name", flat=True)
    )


def test_member_organisations_queries_do_not_grow(client, grower):
    def listed(response):
        return len(response.context["organisations"])

    assert_same_queries_at_both_sizes(
        client, grower, lambda: reverse("coalitions:member_organisations", args=[grower.coalition.pk]), listed
    )


def test_cluster_list_queries_do_not_grow(client, grower):
    def listed(response):
        return len(response.context["clusters"])

    assert_same_queries_at_both_sizes(
        client, grower, lambda: reverse("coalitions:clusters", args=[grower.coalition.pk]), listed
    )


def test_invitation_list_queries_do_not_grow(client, grower):
    def listed(response):
        return len(response.context["invitations"])

    assert_same_queries_at_both_sizes(
        client, grower, lambda: reverse("coalitions:invitations", args=[grower.coalition.pk]), listed
    )


def test_activity_log_queries_do_not_grow(client, grower):
    def listed(response):
        return len(response.context["events"])

    assert_same_queries_at_both_sizes(
        client, grower, lambda: reverse("coalitions:activity", args=[grower.coalition.pk]), listed
    )


# Pages that list across coalitions.


class CoalitionsGrower:
    """One coordinator in more and more coalitions, with one organisation in all of them."""

    def __init__(self):
        self.coordinator = UserFactory(full_name="Petra Person")
        self.shared = OrganisationFactory(name="Shared Organisation")
        self.size = 0

    def grow_to(self, size: int) -> None:
        for _ in range(size - self.size):
            n = next(_numbers)
            coalition = new_coalition(name=f"Coalition number {n}")
            MembershipFactory(
                coalition=coalition, user=self.coordinator, organisation=coalition.secretariat, role=Role.COORDINATOR
            )
            add_organisation(coalition, self.shared)
            MembershipFactory(coalition=coalition, organisation=self.shared, role=Role.DRAFTER)
            cluster = ClusterFactory(coalition=coalition, name=f"Shared theme {n}", lead_organisation=self.shared)
            cluster.organisations.set([self.shared])
            coalition.reviews.add(upcoming_review(), upcoming_review())
        self.size = size


def test_my_coalitions_queries_do_not_grow(client):
    grower = CoalitionsGrower()

    assert_same_queries_at_both_sizes(
        client, grower, lambda: reverse("coalitions:mine"), lambda response: len(response.context["coalitions"])
    )


def test_my_coalitions_queries_do_not_grow_with_coalitions_and_members(client):
    # 1 coalition of 2 members, then 3 of 20: the counts are subqueries, never a query per coalition.
    grower = CoalitionsGrower()
    client.force_login(grower.coordinator)
    grower.grow_to(1)
    client.get(reverse("coalitions:mine"))  # Warms per-process caches (content types, templates).

    def grow_members_to(members: int) -> None:
        for coalition in Coalition.objects.filter(memberships__user=grower.coordinator):
            for _ in range(members - coalition.memberships.count()):
                MembershipFactory(coalition=coalition, organisation=add_organisation(coalition).organisation)

    def counts(response) -> list[tuple[int, int]]:
        return [(c.people_count, c.organisation_count) for c in response.context["coalitions"]]

    small, small_response = queries_for(client, reverse("coalitions:mine"))
    grower.grow_to(3)
    grow_members_to(20)
    large, large_response = queries_for(client, reverse("coalitions:mine"))

    # Members: the coordinator and the shared organisation's drafter, then one per added organisation;
    # organisations: the secretariat and the shared one, then each added one.
    assert (counts(small_response), counts(large_response)) == ([(2, 2)], [(20, 20)] * 3)
    assertContains(large_response, "20 organisations", count=3)
    assertContains(large_response, "20 people", count=3)
    assert large == small


def test_organisation_profile_queries_do_not_grow(client):
    grower = CoalitionsGrower()

    def listed(response):
        return sum(len(response.context[name]) for name in ("coalitions", "people", "clusters"))

    assert_same_queries_at_both_sizes(
        client, grower, lambda: reverse("coalitions:organisation", args=[grower.shared.pk]), listed
    )


# What the list pages count.


def test_my_coalitions_counts_every_active_person_and_organisation(client, world):
    services.membership_remove(membership=world.target, actor=world.people["coordinator"])
    client.force_login(world.people["drafter"])

    response = client.get(reverse("coalitions:mine"))

    [coalition] = response.context["coalitions"]
    # Coordinator, observer, reviewer, drafter and cluster lead; the target was removed.
    assert (coalition.people_count, coalition.organisation_count) == (5, 3)
    assertContains(response, "3 organisations")
    assertContains(response, "5 people")


def test_coalitions_for_user_counts_zero_without_current_organisations(client):
    coalition = CoalitionFactory(name="Coalition being set up")
    member = MembershipFactory(coalition=coalition)
    MembershipFactory(coalition=coalition, is_active=False)
    CoalitionOrganisationFactory(coalition=coalition, status=CoalitionOrganisation.Status.LEFT)
    client.force_login(member.user)

    response = client.get(reverse("coalitions:mine"))

    [listed] = response.context["coalitions"]
    assert (listed.people_count, listed.organisation_count) == (1, 0)
    assertContains(response, "0 organisations")


def test_coalitions_for_user_lists_only_active_memberships(world):
    services.membership_remove(membership=world.target, actor=world.people["coordinator"])

    assert list(selectors.coalitions_for_user(user=world.target.user)) == []
    assert list(selectors.coalitions_for_user(user=world.people["outsider"])) == [world.other]
    assert [c.my_role for c in selectors.coalitions_for_user(user=world.people["cluster lead"])] == [Role.CLUSTER_LEAD]


def test_organisation_profile_lists_only_the_viewers_coalitions(world):
    add_organisation(world.other, world.org_b)
    MembershipFactory(coalition=world.other, organisation=world.org_b, role=Role.DRAFTER)

    profile = selectors.organisation_profile(organisation=world.org_b, user=world.people["drafter"])

    assert list(profile["coalitions"]) == [world.coalition]
    assert {m.coalition for m in profile["people"]} == {world.coalition}
    assert list(Coalition.objects.filter(member_organisations__organisation=world.org_b).order_by("name")) == [
        world.coalition,
        world.other,
    ]


def test_sent_mail_queries_do_not_grow(client):
    coordinator = UserFactory(full_name="Coral Coordinator")
    coalition = new_coalition(name="Coalition that writes a lot")
    MembershipFactory(coalition=coalition, user=coordinator, organisation=coalition.secretariat, role=Role.COORDINATOR)
    statuses = itertools.cycle([OutboxMessage.Status.SENT, OutboxMessage.Status.FAILED, OutboxMessage.Status.QUEUED])

    def add_message():
        status = next(statuses)
        OutboxMessageFactory(
            coalition_id=coalition.pk,
            status=status,
            sent_at=timezone.now() if status == OutboxMessage.Status.SENT else None,
            last_error="The address is wrong." if status == OutboxMessage.Status.FAILED else "",
        )

    url = reverse("coalitions:mail", args=[coalition.pk])
    client.force_login(coordinator)
    add_message()
    client.get(url)  # Warms per-process caches (content types, templates) so both counts are alike.

    one, one_response = queries_for(client, url)
    add_message()
    add_message()
    three, three_response = queries_for(client, url)

    assert (len(one_response.context["page"].object_list), len(three_response.context["page"].object_list)) == (1, 3)
    assert three == one


# At the size of a national coalition (issue 9): past a page of the directory, past the organisations
# the coalition's home names one by one, the same queries as at three. Counts only: `make bench` times.


def national_coalition(organisations: int, people: int, clusters: int):
    coordinator = UserFactory(full_name="Coral Coordinator")
    coalition = new_coalition(name=f"National coalition of {organisations}")
    MembershipFactory(coalition=coalition, user=coordinator, organisation=coalition.secretariat, role=Role.COORDINATOR)
    members = [add_organisation(coalition).organisation for _ in range(organisations - 1)]
    for n in range(people - 1):
        MembershipFactory(coalition=coalition, organisation=members[n % len(members)], role=Role.DRAFTER)
    for n in range(clusters):
        ClusterFactory(coalition=coalition, name=f"National theme {n}", lead_organisation=members[n % len(members)])
    return coalition, coordinator


def national_queries(client, url_name: str, sizes) -> list[tuple[int, object]]:
    results = []
    for organisations, people, clusters in sizes:
        coalition, coordinator = national_coalition(organisations, people, clusters)
        client.force_login(coordinator)
        url = reverse(url_name, args=[coalition.pk])
        client.get(url)  # Warms per-process caches (content types, templates) so both counts are alike.
        results.append(queries_for(client, url))
    return results


def test_member_directory_queries_past_a_page_of_people_are_those_of_three(client):
    (small, small_response), (large, large_response) = national_queries(
        client, "coalitions:directory", [(3, 3, 1), (20, DIRECTORY_PAGE_SIZE + 15, 12)]
    )

    shown = (len(small_response.context["members"]), len(large_response.context["members"]))
    assert (shown, large_response.context["page"].paginator.count) == ((3, DIRECTORY_PAGE_SIZE), 65)
    assert large == small


def test_member_organisations_queries_past_a_page_of_organisations_are_those_of_three(client):
    (small, small_response), (large, large_response) = national_queries(
        client, "coalitions:member_organisations", [(3, 3, 1), (DIRECTORY_PAGE_SIZE + 5, 60, 1)]
    )

    assert (len(small_response.context["organisations"]), len(large_response.context["organisations"])) == (
        3,
        DIRECTORY_PAGE_SIZE,
    )
    assert large == small


def test_coalition_home_queries_past_the_organisations_it_names_are_those_of_three(client):
    (small, small_response), (large, large_response) = national_queries(
        client, "coalitions:home", [(3, 3, 1), (selectors.OVERVIEW_ORGANISATIONS + 10, 40, 30)]
    )

    small_overview, large_overview = small_response.context["organisations"], large_response.context["organisations"]
    assert (len(small_overview.listed), large_overview.listed, large_overview.count) == (3, (), 25)
    assert len(large_response.context["clusters"]) == 30
    assert large == small
