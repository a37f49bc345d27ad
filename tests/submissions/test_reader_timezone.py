"""A person's own time zone: chosen in their settings, used for the times pages show, Geneva time beside."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from accounts.models import User
from submissions.models import Section

pytestmark = pytest.mark.django_db


def test_settings_page_saves_the_time_zone_and_refuses_an_unknown_one(client, world):
    drafter = world.people["drafter"]
    client.force_login(drafter)

    response = client.post(
        reverse("account_settings"), {"timezone": "America/New_York", "email_notifications": "on"}, follow=True
    )
    assertContains(response, "Your settings are saved.")
    assert User.objects.values_list("timezone", "email_notifications").get(pk=drafter.pk) == (
        "America/New_York",
        True,
    )

    response = client.post(reverse("account_settings"), {"timezone": "Mars/Olympus_Mons"})
    assertContains(response, "Select a valid choice.")
    assert User.objects.get(pk=drafter.pk).timezone == "America/New_York"

    client.post(reverse("account_settings"), {"timezone": ""})
    assert User.objects.values_list("timezone", "email_notifications").get(pk=drafter.pk) == ("", False)


def test_milestones_show_the_readers_time_with_geneva_time_beside(client, world):
    due = datetime.datetime(2027, 1, 14, 16, 0, tzinfo=datetime.UTC)  # 17:00 in Geneva, 11:00 in New York
    Section.objects.filter(pk=world.section_b.pk).update(first_draft_due=due)
    url = reverse("submissions:section", args=[world.submission.pk, world.section_b.pk])
    drafter = world.people["drafter"]
    client.force_login(drafter)

    geneva_only = client.get(url)
    assertContains(geneva_only, "14 Jan 2027, 17:00 Geneva time")
    assertNotContains(geneva_only, "America/New York")

    User.objects.filter(pk=drafter.pk).update(timezone="America/New_York")
    in_new_york = client.get(url)
    assertContains(in_new_york, "14 Jan 2027, 11:00</time> America/New York")
    assertContains(in_new_york, "14 Jan 2027, 17:00 Geneva time")
    # The zone is the request's only: nothing stays active after it.
    assert timezone.get_current_timezone_name() == "Europe/Zurich"


def test_an_anonymous_request_leaves_the_session_alone(client):
    response = client.get(reverse("healthz"))
    assert "Cookie" not in response.get("Vary", "")
