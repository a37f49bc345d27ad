"""coalitions/demo.py at national scale: demo_scale_seed grows the demo coalition (`seed_demo --scale large`)."""

import pytest

from coalitions.demo import DEMO_PASSWORD, SCALE_CLUSTERS, demo_scale_seed, demo_seed
from coalitions.models import Cluster, CoalitionOrganisation, Membership, Role
from reviews.models import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    State.objects.create(code="FIN", name="Finland")
    return demo_seed()


def test_demo_scale_seed_grows_the_coalition_to_the_sizes_asked(demo):
    report = demo_scale_seed(coalition=demo.coalition, organisations=40, people=100)

    coalition = demo.coalition
    assert (report.organisations, report.people, report.clusters) == (40, 100, 6 + len(SCALE_CLUSTERS))
    assert (
        CoalitionOrganisation.objects.current().filter(coalition=coalition).count(),
        Membership.objects.filter(coalition=coalition, is_active=True).count(),
    ) == (40, 100)


def test_demo_scale_seed_gives_every_new_cluster_a_lead_among_its_members(demo):
    demo_scale_seed(coalition=demo.coalition, organisations=40, people=100)

    for cluster in Cluster.objects.filter(coalition=demo.coalition, name__in=SCALE_CLUSTERS):
        members = set(cluster.organisations.values_list("pk", flat=True))
        assert cluster.lead_organisation_id in members, cluster.name
        assert len(members) >= 2, cluster.name


def test_demo_scale_seed_cluster_leads_act_for_organisations_that_lead_a_cluster(demo):
    demo_scale_seed(coalition=demo.coalition, organisations=40, people=100)

    leading = set(Cluster.objects.filter(coalition=demo.coalition).values_list("lead_organisation", flat=True))
    new_leads = Membership.objects.filter(
        coalition=demo.coalition, role=Role.CLUSTER_LEAD, user__email__endswith="@scale.demo.example.org"
    )
    assert new_leads.exists()
    assert set(new_leads.values_list("organisation", flat=True)) <= leading


def test_demo_scale_seed_twice_adds_nothing(demo):
    demo_scale_seed(coalition=demo.coalition, organisations=40, people=100)
    counts = (CoalitionOrganisation.objects.count(), Membership.objects.count(), Cluster.objects.count())

    again = demo_scale_seed(coalition=demo.coalition, organisations=40, people=100)

    assert (CoalitionOrganisation.objects.count(), Membership.objects.count(), Cluster.objects.count()) == counts
    assert (again.organisations, again.people) == (40, 100)


def test_demo_scale_seed_people_have_the_demo_password(demo):
    demo_scale_seed(coalition=demo.coalition, organisations=20, people=30)
    person = Membership.objects.filter(user__email__endswith="@scale.demo.example.org").first().user

    assert (person.check_password(DEMO_PASSWORD), person.check_password("another")) == (True, False)
