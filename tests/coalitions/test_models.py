"""The coalition models' shared rules."""

import pytest

from coalitions.models import CoalitionOrganisation
from tests.factories import CoalitionFactory, CoalitionOrganisationFactory

pytestmark = pytest.mark.django_db


def test_current_member_organisations_are_the_invited_and_active_ones():
    coalition = CoalitionFactory()
    invited = CoalitionOrganisationFactory(coalition=coalition, status=CoalitionOrganisation.Status.INVITED)
    active = CoalitionOrganisationFactory(coalition=coalition, status=CoalitionOrganisation.Status.ACTIVE)
    CoalitionOrganisationFactory(coalition=coalition, status=CoalitionOrganisation.Status.LEFT)

    current = CoalitionOrganisation.objects.current().filter(coalition=coalition).order_by("pk")

    assert list(current) == [invited, active]
