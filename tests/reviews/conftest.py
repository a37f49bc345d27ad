import copy

import pytest

from reviews.services import LoadReport, reference_data_load
from tests.factories.accounts import sign_in_with_two_factor
from tests.shared_data import module_rows

# reviews/data/ loaded once for each module (about 1.5 s a load) and rolled back after it.
reference_data_rows = module_rows("reference_data_rows", reference_data_load)


@pytest.fixture
def reference_data(reference_data_rows, db) -> LoadReport:
    """The project's reference data (reviews/data/) in the test database; a test's changes are rolled back.

    The tests of a module that load into an empty database run before the first that asks for this.
    """
    return copy.deepcopy(reference_data_rows)


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(email="admin@example.org", password="admin-password")
    # With debug off, as in tests, the admin opens only after two-factor sign-in.
    sign_in_with_two_factor(client, user)
    return client
