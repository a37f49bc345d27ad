from tests.factories.accounts import UserFactory
from tests.factories.coalitions import (
    ClusterFactory,
    CoalitionFactory,
    CoalitionOrganisationFactory,
    MembershipFactory,
    OrganisationFactory,
)
from tests.factories.notifications import NotificationFactory
from tests.factories.reviews import (
    CycleFactory,
    DocumentLimitFactory,
    RegionalGroupFactory,
    ReviewFactory,
    SessionFactory,
    StateFactory,
)
from tests.factories.submissions import SectionFactory, SubmissionFactory, write_text

__all__ = [
    "ClusterFactory",
    "CoalitionFactory",
    "CoalitionOrganisationFactory",
    "CycleFactory",
    "DocumentLimitFactory",
    "MembershipFactory",
    "NotificationFactory",
    "OrganisationFactory",
    "RegionalGroupFactory",
    "ReviewFactory",
    "SectionFactory",
    "SessionFactory",
    "StateFactory",
    "SubmissionFactory",
    "UserFactory",
    "write_text",
]
