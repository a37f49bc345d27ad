from tests.factories.accounts import UserFactory
from tests.factories.coalitions import (
    ClusterFactory,
    CoalitionFactory,
    CoalitionOrganisationFactory,
    MembershipFactory,
    OrganisationFactory,
)
from tests.factories.reviews import (
    CycleFactory,
    DocumentLimitFactory,
    RegionalGroupFactory,
    ReviewFactory,
    SessionFactory,
    StateFactory,
)

__all__ = [
    "ClusterFactory",
    "CoalitionFactory",
    "CoalitionOrganisationFactory",
    "CycleFactory",
    "DocumentLimitFactory",
    "MembershipFactory",
    "OrganisationFactory",
    "RegionalGroupFactory",
    "ReviewFactory",
    "SessionFactory",
    "StateFactory",
    "UserFactory",
]
