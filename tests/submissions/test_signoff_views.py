"""The sign-off page, the designated person's answer through it, the submission page's panel, and the
pages' query counts with a hundred organisations."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from coalitions.models import Role
from submissions.models import SignOff, Submission
from submissions.services.signoff import sign_off_decline, sign_off_endorse, sign_off_open
from tests.factories import MembershipFactory, OrganisationFactory, write_text
from tests.factories.coalitions import add_organisation
from tests.submissions.conftest import World

pytestmark = pytest.mark.django_db


def open_sign_off(world: World) -> dict[str, SignOff]:
    world.submission.status = Submission.Status.SIGN_OFF
    world.submission.save(update_fields=["status"])
    sign_off_open(submission=world.submission, actor=world.coordinator)
    rows = SignOff.objects.filter(submission=world.submission)
    return {"secretariat": rows.get(organisation=world.secretariat), "a": rows.get(organisation=world.org_a)} | {
        "b": rows.get(organisation=world.org_b)
    }


def page_url(world: World) -> str:
    return reverse("submissions:sign_off", args=[world.submission.pk])


def test_designated_person_sees_the_texts_figures_and_both_answers(world, client):
    sign_offs = open_sign_off(world)
    client.force_login(world.people["cluster lead"])

    response = client.get(page_url(world))

    assertContains(response, "Your answer for Beta Legal Aid")
    assertContains(response, f'<input type="hidden" name="version_{world.section_b.pk}" value="2">', html=True)
    assertContains(response, f'<input type="hidden" name="version_{world.section_a.pk}" value="1">', html=True)
    words = world.section_b.body_words + world.section_a.body_words
    assertContains(response, f"2 sections, {words} words and 0 words of notes.")
    assertContains(response, "Endorse the final text")
    assertContains(
        response, f'action="{reverse("submissions:sign_off_decline", args=[world.submission.pk, sign_offs["b"].pk])}"'
    )
    assertNotContains(response, "Remind the")


def test_coordinator_sees_the_count_the_reminder_and_who_answers(world, client):
    sign_offs = open_sign_off(world)
    sign_off_decline(sign_off=sign_offs["b"], actor=world.people["cluster lead"], reason="Paragraph 4 <b>is</b> wrong.")
    client.force_login(world.coordinator)

    response = client.get(page_url(world))

    assertContains(response, "0 of 3 endorsed, 1 declined, 2 not answered")
    assertContains(response, "Remind the 1 person who has not answered")
    assertContains(response, "1 organisation has nobody designated to answer.")
    assertContains(response, "Paragraph 4 &lt;b&gt;is&lt;/b&gt; wrong.")
    assertContains(response, "nobody designated")
    assertContains(response, reverse("submissions:sign_off_person", args=[world.submission.pk, sign_offs["a"].pk]))


def test_page_notes_an_invalidated_endorsement_and_a_decline_of_an_older_text(world, client):
    sign_offs = open_sign_off(world)
    versions = {str(world.section_b.pk): 2, str(world.section_a.pk): 1}
    sign_off_endorse(sign_off=sign_offs["secretariat"], actor=world.coordinator, versions=versions)
    sign_off_decline(sign_off=sign_offs["b"], actor=world.people["cluster lead"], reason="No.")
    write_text(world.section_a, author=world.coordinator, body="<p>Changed.</p>")
    client.force_login(world.people["observer"])

    response = client.get(page_url(world))

    assertContains(response, "0 of 3 endorsed, 1 declined, 2 not answered")
    assertContains(response, "Endorsement invalidated by a change on")
    assertContains(response, "The text has changed since this decline.")


def test_endorse_through_the_page_of_a_text_changed_meanwhile_says_so(world, client):
    sign_offs = open_sign_off(world)
    client.force_login(world.people["cluster lead"])
    write_text(world.section_b, author=world.coordinator, body="<p>Changed meanwhile.</p>")

    response = client.post(
        reverse("submissions:sign_off_endorse", args=[world.submission.pk, sign_offs["b"].pk]),
        {f"version_{world.section_b.pk}": "2", f"version_{world.section_a.pk}": "1"},
        follow=True,
    )

    assertContains(
        response, escape("The text changed while you were reading: Section of B's cluster. Read it again, then answer.")
    )
    assert SignOff.objects.get(pk=sign_offs["b"].pk).status == SignOff.Status.PENDING


def test_decline_without_a_reason_shows_the_form_again_with_the_error(world, client):
    sign_offs = open_sign_off(world)
    client.force_login(world.people["cluster lead"])

    response = client.post(
        reverse("submissions:sign_off_decline", args=[world.submission.pk, sign_offs["b"].pk]), {"decline-reason": " "}
    )

    assertContains(response, "Say why your organisation declines: the coordinators need to know.")
    assertContains(response, 'aria-describedby="decline-help decline-error"')
    assert SignOff.objects.get(pk=sign_offs["b"].pk).status == SignOff.Status.PENDING


def test_second_reminder_the_same_day_is_refused_with_when(world, client):
    open_sign_off(world)
    client.force_login(world.coordinator)
    url = reverse("submissions:sign_off_remind", args=[world.submission.pk])

    first = client.post(url, follow=True)
    second = client.post(url, follow=True)

    assertContains(first, "2 people who have not answered were reminded.")
    assertContains(second, "They were reminded on ")
    assertContains(second, "You can remind them again from ")


def test_designated_person_page_lists_the_organisations_members_only(world, client):
    sign_offs = open_sign_off(world)
    client.force_login(world.coordinator)

    response = client.get(reverse("submissions:sign_off_person", args=[world.submission.pk, sign_offs["b"].pk]))

    main = response.content.decode().split('<main id="main"', 1)[1].split("</main>", 1)[0]
    options = main.split("<option")[1:]
    assert [option.split(">")[1].split("<")[0] for option in options] == [
        "The cluster lead (cluster.lead@example.org)",
        "The drafter (drafter@example.org)",
        "The observer (observer@example.org)",
        "The reviewer (reviewer@example.org)",
    ]


def test_designated_person_of_another_organisations_member_is_refused(world, client):
    sign_offs = open_sign_off(world)
    client.force_login(world.coordinator)

    response = client.post(
        reverse("submissions:sign_off_person", args=[world.submission.pk, sign_offs["b"].pk]),
        {"person": world.coordinator.pk},
    )

    assertContains(response, "Choose one of the organisation&#x27;s members in this coalition.")
    assert SignOff.objects.get(pk=sign_offs["b"].pk).person == world.people["cluster lead"]


# The submission page's panel.


def test_submission_page_shows_the_sign_off_panel_once_it_is_open(world, client):
    client.force_login(world.people["cluster lead"])
    detail = reverse("submissions:detail", args=[world.submission.pk])
    before = client.get(detail)
    open_sign_off(world)

    during = client.get(detail)

    assertNotContains(before, "Sign-off by the member organisations")
    assertContains(during, "0 of 3 endorsed, 0 declined, 3 not answered")
    assertContains(during, "You answer for Beta Legal Aid: endorse the final text or decline.")
    assertContains(during, f'<a href="{page_url(world)}">Read and answer</a>', html=True)


def test_endorse_through_the_page_then_the_panel_counts_it(world, client):
    sign_offs = open_sign_off(world)
    client.force_login(world.people["cluster lead"])

    response = client.post(
        reverse("submissions:sign_off_endorse", args=[world.submission.pk, sign_offs["b"].pk]),
        {f"version_{world.section_b.pk}": "2", f"version_{world.section_a.pk}": "1"},
    )

    assertRedirects(response, page_url(world), fetch_redirect_response=False)
    detail = client.get(reverse("submissions:detail", args=[world.submission.pk]))
    assertContains(detail, "1 of 3 endorsed, 0 declined, 2 not answered")
    assertContains(detail, "See every organisation's answer")


# Query counts.


def add_member_organisations(world: World, count: int) -> None:
    for number in range(count):
        organisation = add_organisation(world.coalition, OrganisationFactory(name=f"Member {number:03}")).organisation
        MembershipFactory(coalition=world.coalition, organisation=organisation, role=Role.DRAFTER)


def queries_of(client, url: str, expected: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assertContains(response, expected)
    return len(captured)


@pytest.mark.parametrize("role", ["observer", "cluster lead", "coordinator"])
def test_sign_off_pages_queries_do_not_grow_with_organisations(role, world, client):
    client.force_login(world.people[role])
    open_sign_off(world)
    small = [
        queries_of(client, page_url(world), "0 of 3 endorsed"),
        queries_of(client, reverse("submissions:detail", args=[world.submission.pk]), "0 of 3 endorsed"),
    ]
    SignOff.objects.filter(submission=world.submission).delete()
    add_member_organisations(world, 97)
    sign_off_open(submission=world.submission, actor=world.coordinator)

    large = [
        queries_of(client, page_url(world), "0 of 100 endorsed"),
        queries_of(client, reverse("submissions:detail", args=[world.submission.pk]), "0 of 100 endorsed"),
    ]

    assert small == large
