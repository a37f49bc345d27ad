"""The sections table of the submission page, cached under a digest of what it shows: never out of date."""

import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from coalitions.models import Organisation
from submissions.models import Section
from tests.factories import UserFactory, write_text
from tests.submissions.conftest import World

pytestmark = pytest.mark.django_db

WORDS_CELL = re.compile(r"(\d[\d,]*) of (\d[\d,]*)\s*<meter")


def page(client, world: World, person: str):
    client.force_login(world.people[person])
    response = client.get(reverse("submissions:detail", args=[world.submission.pk]))
    # The page's template (the view renders the sections' rows first when they are not kept yet).
    shown = {template.name for template in response.templates}
    assert (response.status_code, "submissions/submission_detail.html" in shown) == (200, True)
    return response


def words_shown(response) -> list[tuple[str, str]]:
    return WORDS_CELL.findall(response.content.decode())


def test_submission_table_shows_a_new_save_at_once(world, client):
    before = words_shown(page(client, world, "observer"))  # the table is now cached

    write_text(world.section_a, author=world.coordinator, body="<p>" + "word " * 900 + "</p>")
    after = words_shown(page(client, world, "observer"))

    assert (before[1], after[1]) == (("6", "800"), ("900", "800"))
    assert after[0] == before[0]


def test_submission_table_shows_a_renamed_organisation_at_once(world, client):
    page(client, world, "observer")

    Organisation.objects.filter(pk=world.org_a.pk).update(acronym="ARW-2")
    response = page(client, world, "observer")

    assertContains(response, '<td class="small">ARW-2</td>')


def test_submission_table_lists_organisations_then_people_assigned(world, client):
    Section.objects.get(pk=world.section_a.pk).assigned_people.set(
        [UserFactory(full_name="Zed Zulu"), UserFactory(full_name="", email="anna@example.org")]
    )

    response = page(client, world, "observer")

    assertContains(response, '<td class="small">ARW; anna@example.org, Zed Zulu</td>')


def test_submission_table_of_one_person_is_not_served_to_another(world, client):
    # The coordinator's table (every section editable, settings and move buttons) is cached first.
    page(client, world, "coordinator")

    response = page(client, world, "drafter")

    html = response.content.decode()
    assert (html.count('data-access="edit"'), html.count('data-access="read"'), html.count("formaction=")) == (1, 1, 0)


def test_submission_table_move_buttons_send_the_one_form_of_the_page(world, client):
    response = page(client, world, "coordinator")

    html = response.content.decode()
    move_b = reverse("submissions:section_move", args=[world.submission.pk, world.section_b.pk])
    assert re.findall(
        r'<form id="section-move" method="post" class="d-none"><input type="hidden" name="csrfmiddlewaretoken"', html
    )
    assert html.count(f'form="section-move" formaction="{move_b}"') == 2  # up (disabled: it is first) and down


def test_submission_table_move_down_moves_the_section(world, client):
    client.force_login(world.coordinator)

    response = client.post(
        reverse("submissions:section_move", args=[world.submission.pk, world.section_b.pk]), {"direction": "down"}
    )

    assert response.status_code == 302
    assert list(world.submission.sections.order_by("position").values_list("pk", flat=True)) == [
        world.section_a.pk,
        world.section_b.pk,
    ]
    assert words_shown(page(client, world, "coordinator"))[0] == ("6", "800")
