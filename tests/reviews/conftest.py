import pytest

from reviews.services import LoadReport, reference_data_load


@pytest.fixture
def reference_data(db) -> LoadReport:
    """The project's reference data (reviews/data/) loaded into the test database."""
    return reference_data_load()


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(email="admin@example.org", password="admin-password")
    client.force_login(user)
    return client
