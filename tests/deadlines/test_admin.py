"""The reminders in the Django admin: listed for site administrators, never added or edited there."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from deadlines.services import reminders_scan
from tests.deadlines.conftest import coalition_on, geneva, review_due
from tests.factories.accounts import sign_in_with_two_factor

pytestmark = pytest.mark.django_db


def test_reminder_claims_listed_read_only_in_the_admin(client, django_user_model):
    coalition_on(review_due(geneva(2026, 3, 9, 23, 59), state="Atlantis"), "a@example.org")
    reminders_scan(now=geneva(2026, 3, 2, 8))
    admin = django_user_model.objects.create_superuser(email="admin@example.org", password="pw")
    sign_in_with_two_factor(client, admin)

    listing = client.get(reverse("admin:deadlines_reminderclaim_changelist"))
    adding = client.get(reverse("admin:deadlines_reminderclaim_add"))

    assertContains(listing, "2026-03-09/7")
    assertContains(listing, "Stakeholder submission deadline – Atlantis")
    assertContains(adding, "Not allowed", status_code=403)
    assert "Delete selected reminders" not in listing.content.decode()
