import factory
from django.utils import timezone

from coalitions.models import Cluster, Coalition, CoalitionOrganisation, Membership, Organisation, Role
from tests.factories.accounts import UserFactory
from tests.factories.reviews import StateFactory


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Human Rights Organisation {n}")
    acronym = factory.Sequence(lambda n: f"HRO{n}")
    kind = Organisation.Kind.NGO
    city = "Nairobi"
    country = factory.SubFactory(StateFactory)


class CoalitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coalition

    name = factory.Sequence(lambda n: f"UPR Coalition {n}")
    secretariat = factory.SubFactory(OrganisationFactory)


class CoalitionOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoalitionOrganisation

    coalition = factory.SubFactory(CoalitionFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    status = CoalitionOrganisation.Status.ACTIVE


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    coalition = factory.SubFactory(CoalitionFactory)
    user = factory.SubFactory(UserFactory)
    organisation = factory.LazyAttribute(lambda o: o.coalition.secretariat)
    role = Role.DRAFTER


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster

    coalition = factory.SubFactory(CoalitionFactory)
    name = factory.Sequence(lambda n: f"Cluster {n}")


def add_organisation(coalition: Coalition, organisation: Organisation | None = None) -> CoalitionOrganisation:
    """An organisation made an active member of the coalition."""
    return CoalitionOrganisationFactory(
        coalition=coalition,
        organisation=organisation or OrganisationFactory(),
        status=CoalitionOrganisation.Status.ACTIVE,
        joined_on=timezone.localdate(),
    )


def new_coalition(**kwargs) -> Coalition:
    """A coalition with its secretariat's membership row, as coalition_create makes it."""
    coalition = CoalitionFactory(**kwargs)
    add_organisation(coalition, coalition.secretariat)
    return coalition
