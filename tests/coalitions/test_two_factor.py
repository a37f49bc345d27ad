"""A coalition that requires two-factor sign-in of its members (coalitions/access.py, views/two_factor.py).

Who may turn it on is in docs/permissions.md (test_permissions.py); here, what it does to members.
"""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils.html import escape
from django_otp.oath import totp
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from coalitions.models import AuditEvent, Role
from tests.factories import MembershipFactory, SectionFactory, SubmissionFactory, UserFactory
from tests.factories.accounts import PASSWORD, TOTPDeviceFactory, sign_in_with_two_factor
from tests.factories.coalitions import new_coalition

pytestmark = pytest.mark.django_db

COALITION = "Coalition for Children's Rights"


def with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def reason_for(name: str) -> str:
    return escape(
        f"{name} asks its members to sign in with a code from their phone as well as their password, "
        "so that a stolen password alone cannot open its drafts."
    )


@pytest.fixture
def coalition():
    return new_coalition(name=COALITION, require_two_factor=True)


@pytest.fixture
def member(coalition):
    return MembershipFactory(coalition=coalition, role=Role.DRAFTER).user


def test_coordinator_turns_it_on_and_is_told_what_happens_next(client):
    coalition = new_coalition(name=COALITION)
    coordinator = MembershipFactory(coalition=coalition, role=Role.COORDINATOR).user
    sign_in_with_two_factor(client, coordinator)

    response = client.post(
        reverse("coalitions:two_factor", args=[coalition.pk]), {"require_two_factor": "on"}, follow=True
    )

    coalition.refresh_from_db()
    assert coalition.require_two_factor is True
    assertContains(
        response,
        "Members now need two-factor sign-in to open the coalition&#x27;s pages; "
        "those without it are asked to set it up.",
    )
    event = AuditEvent.objects.get(coalition=coalition)
    assert (event.action, event.actor, event.details) == (
        AuditEvent.Action.COALITION_CHANGED,
        coordinator,
        {"fields": ["require_two_factor"], "require_two_factor": True},
    )


def test_coordinator_without_two_factor_who_turns_it_on_is_sent_to_set_it_up(client):
    coalition = new_coalition(name=COALITION)
    coordinator = MembershipFactory(coalition=coalition, role=Role.COORDINATOR).user
    client.force_login(coordinator)
    edit_url = reverse("coalitions:edit", args=[coalition.pk])

    saved = client.post(reverse("coalitions:two_factor", args=[coalition.pk]), {"require_two_factor": "on"})
    settings_page = client.get(saved.url)

    assertRedirects(saved, edit_url, fetch_redirect_response=False)
    assertRedirects(settings_page, with_next("two_factor", edit_url), fetch_redirect_response=False)


def test_coordinator_turns_it_off(client, coalition):
    coordinator = MembershipFactory(coalition=coalition, role=Role.COORDINATOR).user
    sign_in_with_two_factor(client, coordinator)

    client.post(reverse("coalitions:two_factor", args=[coalition.pk]), {})

    coalition.refresh_from_db()
    assert coalition.require_two_factor is False


def test_member_without_two_factor_is_asked_to_set_it_up_and_told_why(client, coalition, member):
    client.force_login(member)
    home = reverse("coalitions:home", args=[coalition.pk])

    response = client.get(home)
    page = client.get(response.url)

    assertRedirects(response, with_next("two_factor", home), fetch_redirect_response=False)
    assertContains(page, "You need two-factor sign-in:")
    assertContains(page, escape(f"{COALITION} asks its members to use two-factor sign-in."))
    assertContains(page, f'<input type="hidden" name="next" value="{home}">')


def test_member_who_sets_it_up_then_opens_the_coalition(client, coalition, member):
    client.force_login(member)
    home = reverse("coalitions:home", args=[coalition.pk])
    client.post(reverse("two_factor_setup_start"), {"next": home})
    device = member.totpdevice_set.get()

    client.post(with_next("two_factor_setup", home), {"code": f"{totp(device.bin_key):06d}", "next": home})
    response = client.get(home)

    assertContains(response, escape(COALITION))


def test_member_with_two_factor_in_an_unverified_session_is_asked_for_the_code(client, coalition, member):
    client.force_login(member)  # a session signed in before the person set up two-factor sign-in
    TOTPDeviceFactory(user=member)
    home = reverse("coalitions:home", args=[coalition.pk])

    response = client.get(home, follow=True)

    assertRedirects(response, with_next("two_factor_verify", home))
    assertContains(response, reason_for(COALITION))


def test_member_signed_in_with_the_code_opens_every_page_of_the_coalition(client, coalition, member):
    section = SectionFactory(submission=SubmissionFactory(coalition=coalition))
    sign_in_with_two_factor(client, member)

    home = client.get(reverse("coalitions:home", args=[coalition.pk]))
    timeline = client.get(reverse("deadlines:timeline", args=[coalition.pk]))
    section_page = client.get(reverse("submissions:section", args=[section.submission.pk, section.pk]))

    assertContains(home, escape(COALITION))
    assertContains(timeline, escape(COALITION))
    assertContains(section_page, escape(section.title))


def test_member_without_two_factor_cannot_open_a_section_either(client, coalition, member):
    section = SectionFactory(submission=SubmissionFactory(coalition=coalition))
    client.force_login(member)
    url = reverse("submissions:section", args=[section.submission.pk, section.pk])

    response = client.get(url)

    assertRedirects(response, with_next("two_factor", url), fetch_redirect_response=False)


def test_script_request_without_two_factor_gets_403_with_the_reason(client, coalition, member):
    section = SectionFactory(submission=SubmissionFactory(coalition=coalition))
    client.force_login(member)

    response = client.post(
        reverse("submissions:section_save", args=[section.submission.pk, section.pk]),
        {"body": "<p>Text</p>", "base_version": section.version},
        content_type="application/json",
        headers={"accept": "application/json"},
    )

    assert (response.status_code, response.json()) == (
        403,
        {
            "error": "two_factor_required",
            "message": f"{COALITION} asks its members to sign in with a code from their phone as well as their "
            "password, so that a stolen password alone cannot open its drafts.",
        },
    )


def test_outsider_still_gets_404_from_a_coalition_that_requires_it(client, coalition):
    client.force_login(UserFactory())

    response = client.get(reverse("coalitions:home", args=[coalition.pk]))

    assertContains(response, "Page not found", status_code=404)
    assertNotContains(response, "asks its members", status_code=404)


def test_other_coalitions_of_the_member_stay_open_without_it(client, coalition, member):
    other = new_coalition(name="Open Coalition")
    MembershipFactory(coalition=other, user=member)
    client.force_login(member)

    response = client.get(reverse("coalitions:home", args=[other.pk]))

    assertContains(response, "Open Coalition")


def test_member_cannot_turn_two_factor_off_while_the_coalition_requires_it(client, coalition, member):
    device = TOTPDeviceFactory(user=member)
    sign_in_with_two_factor(client, member)

    page = client.get(reverse("two_factor_turn_off"))
    refused = client.post(reverse("two_factor_turn_off"), {"password": PASSWORD})

    assertContains(page, "You cannot turn two-factor sign-in off:")
    assertContains(refused, escape(f"{COALITION} asks its members to use two-factor sign-in."))
    assert member.totpdevice_set.get() == device


def test_settings_page_counts_the_members_without_two_factor(client, coalition, member):
    coordinator = MembershipFactory(coalition=coalition, role=Role.COORDINATOR).user
    sign_in_with_two_factor(client, coordinator)

    response = client.get(reverse("coalitions:edit", args=[coalition.pk]))

    assertContains(response, "The coalition's pages open only after two-factor sign-in.")
    assertContains(response, "1 member has not set it up yet and is asked to before opening the coalition's pages.")
    assertContains(
        response,
        'name="require_two_factor" id="id_require_two_factor" aria-describedby="id_require_two_factor_help" checked>',
    )


def test_settings_page_offers_the_setting_only_to_coordinators(client):
    coalition = new_coalition(name=COALITION)
    coordinator = MembershipFactory(coalition=coalition, role=Role.COORDINATOR).user
    client.force_login(coordinator)

    response = client.get(reverse("coalitions:edit", args=[coalition.pk]))

    assertContains(response, "Require two-factor sign-in of the coalition&#x27;s members")
    assertContains(response, f'action="{reverse("coalitions:two_factor", args=[coalition.pk])}"')
