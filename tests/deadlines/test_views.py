"""The reminder pages: a coalition's reminder days (coordinators; every role is in docs/permissions.md)
and each person's muted reminders."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from coalitions.models import Role
from deadlines.models import CoalitionReminderSettings, ReminderMute
from tests.factories import MembershipFactory, UserFactory
from tests.factories.coalitions import new_coalition

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client):
    membership = MembershipFactory(coalition=new_coalition(name="Kenya UPR Coalition"), role=Role.COORDINATOR)
    client.force_login(membership.user)
    return membership


def settings_url(membership) -> str:
    return reverse("deadlines:coalition_reminders", args=[membership.coalition.pk])


def test_coalition_reminders_page_shows_the_default_days(client, coordinator):
    response = client.get(settings_url(coordinator))

    assertContains(response, 'value="30, 14, 7, 3, 1"')
    assertContains(response, "Remind daily once a deadline has passed")
    assertContains(response, "Weekly digest for coordinators")
    assertContains(
        response, f'<a class="nav-link active" aria-current="page" href="{settings_url(coordinator)}">Reminders</a>'
    )


def test_coalition_reminders_saves_the_days_largest_first(client, coordinator):
    response = client.post(settings_url(coordinator), {"offsets": "2, 21 ,7, 7", "send_digest": "on"})

    assertRedirects(response, settings_url(coordinator), fetch_redirect_response=False)
    saved = CoalitionReminderSettings.objects.get(coalition=coordinator.coalition)
    assert (saved.offsets, saved.remind_overdue, saved.send_digest) == ([21, 7, 2], False, True)
    assertContains(client.get(settings_url(coordinator)), 'value="21, 7, 2"')


@pytest.mark.parametrize(
    ("offsets", "error"),
    [
        (
            "30, ten, 1",
            "“ten” is not a whole number of days. Write numbers separated by commas, for example 30, 14, 7.",
        ),
        ("400", "A reminder can come at most 365 days before a deadline."),
        ("-1", "“-1” is not a whole number of days."),
        ("1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11", "Give at most 10 reminder days."),
        (" , ", "Give at least one number of days before the deadline."),
    ],
)
def test_coalition_reminders_explains_a_wrong_list_of_days(client, coordinator, offsets, error):
    response = client.post(settings_url(coordinator), {"offsets": offsets})

    assertContains(response, escape(error))
    assert CoalitionReminderSettings.objects.count() == 0


def test_my_reminders_shows_the_un_deadline_as_not_mutable_with_why(client):
    client.force_login(UserFactory())

    response = client.get(reverse("deadlines:my_reminders"))

    assertContains(response, "The UN stakeholder submission deadline")
    assertContains(
        response,
        "this reminder cannot be turned off. OHCHR does not consider submissions sent after the deadline",
    )
    assertNotContains(response, 'value="un_calendar"')
    assertContains(response, 'value="digest"')


def test_my_reminders_mutes_and_unmutes_optional_reminders(client, drafts):
    user = UserFactory()
    client.force_login(user)
    url = reverse("deadlines:my_reminders")

    muted = client.post(url, {"muted": [drafts.name, "digest"]})
    page = client.get(url)
    unmuted = client.post(url, {"muted": ["digest"]})

    assertRedirects(muted, url, fetch_redirect_response=False)
    # The section milestones' and the lobbying follow-ups' providers (registered first, with the UN
    # calendar) are choices 0 and 1.
    assertContains(page, f'name="muted" value="{drafts.name}"  id="id_muted_2" checked')
    assertRedirects(unmuted, url, fetch_redirect_response=False)
    assert list(ReminderMute.objects.filter(user=user).values_list("provider", flat=True)) == ["digest"]


def test_my_reminders_refuses_to_mute_the_un_deadline(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(reverse("deadlines:my_reminders"), {"muted": ["un_calendar"]})

    assertContains(response, "Select a valid choice. un_calendar is not one of the available choices.")
    assert list(ReminderMute.objects.all()) == []


def test_my_reminders_needs_sign_in(client):
    url = reverse("deadlines:my_reminders")

    response = client.get(url)

    assertRedirects(response, f"{reverse('login')}?next={url}", fetch_redirect_response=False)
