"""docs/permissions.md's ``matrix:schedule``: every cell is one test, with the machinery of
tests/submissions/test_permissions.py (its request specs, refusals and database snapshot)."""

import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from submissions.models import Section
from tests.permissions_matrix import read_matrix
from tests.submissions.conftest import World
from tests.submissions.test_permissions import MISSING, PER_RESPONSE, Spec, assert_refused, database_state, send
from upr_portal.timezones import GENEVA

pytestmark = pytest.mark.django_db

ROLES, MATRIX = read_matrix("matrix:schedule")
CELLS = [(action, role, outcome) for action, row in MATRIX.items() for role, outcome in row.items()]
CELL_IDS = [f"{action}-{role}" for action, role, _outcome in CELLS]

UN_DEADLINE = datetime.datetime(2027, 3, 25, 17, 0, tzinfo=GENEVA)
# 10 weeks before, 17:00 CET.
FIRST_DRAFT = datetime.datetime(2027, 1, 14, 16, 0, tzinfo=datetime.UTC)


@pytest.fixture
def world(world: World) -> World:
    world.review.stakeholder_deadline = UN_DEADLINE
    world.review.save(update_fields=["stakeholder_deadline"])
    return world


def schedule_url(which: str):
    return lambda world: reverse("submissions:sections_schedule", args=[getattr(world, which).pk])


def schedule_data(step: str, which: str = "submission"):
    def data(world: World) -> dict:
        sections = getattr(world, which).sections.values_list("pk", flat=True)
        return {
            **{f"{name}_unit": "weeks" for name in ("first_draft_due", "review_due", "final_due")},
            **{f"{name}_time": "17:00" for name in ("first_draft_due", "review_due", "final_due")},
            "first_draft_due_amount": "10",
            "sections": list(sections),
            step: "1",
        }

    return data


def first_drafts(which: str):
    return lambda world: sorted(
        (pk, when)
        for pk, when in Section.objects.filter(submission=getattr(world, which)).values_list("pk", "first_draft_due")
    )


SPECS = {
    "open the schedule page": Spec(
        "GET",
        schedule_url("submission"),
        rule="submissions.manage_sections",
        shows=lambda world, role: ["Schedule sections", "25 March 2027, 17:00 Geneva time", 'name="preview"'],
    ),
    "preview a schedule": Spec(
        "POST",
        schedule_url("submission"),
        rule="submissions.manage_sections",
        data=schedule_data("preview"),
        shows=lambda world, role: ["These dates are not saved yet", "14 Jan 2027, 17:00 Geneva time"],
    ),
    "apply a schedule": Spec(
        "POST",
        schedule_url("submission"),
        rule="submissions.manage_sections",
        data=schedule_data("apply"),
        snapshot=first_drafts("submission"),
        redirects_to=lambda world: reverse("submissions:detail", args=[world.submission.pk]),
        check=lambda world, role, response: None,
    ),
    "schedule the sections of a final submission": Spec(
        "POST",
        schedule_url("final_submission"),
        rule="submissions.manage_sections",
        data=schedule_data("apply", "final_submission"),
        snapshot=first_drafts("final_submission"),
    ),
}


def test_matrix_roles_are_the_people_of_the_fixture(world):
    assert list(world.people) == ROLES


def test_matrix_every_action_has_a_request_spec():
    assert (sorted(set(MATRIX) - set(SPECS)), sorted(set(SPECS) - set(MATRIX))) == ([], [])


@pytest.mark.parametrize(("action", "role", "outcome"), CELLS, ids=CELL_IDS)
def test_matrix_cell(action, role, outcome, world, client):
    spec = SPECS[action]
    if world.people[role] is not None:
        client.force_login(world.people[role])
    url = spec.url(world)
    before = database_state()
    action_before = spec.snapshot(world) if spec.snapshot else None
    milestones_before = first_drafts("submission")(world)

    response = send(client, spec, world, url)

    if outcome != "yes":
        assert_refused(response, outcome, url, spec)
        assert database_state() == before
        if spec.snapshot:
            assert spec.snapshot(world) == action_before
    elif spec.redirects_to is None:
        for text in spec.shows(world, role):
            assertContains(response, text)
        # Opening the page or previewing saves nothing: no milestone of the submission moved.
        assert (database_state(), first_drafts("submission")(world)) == (before, milestones_before)
    else:
        assertRedirects(response, spec.redirects_to(world), fetch_redirect_response=False)
        assert spec.snapshot(world) == sorted((pk, FIRST_DRAFT) for pk, _when in action_before)


def test_outsider_gets_the_same_404_for_existing_and_missing_submission(world, client):
    client.force_login(world.people["outsider"])

    existing = client.get(reverse("submissions:sections_schedule", args=[world.submission.pk]))
    missing = client.get(reverse("submissions:sections_schedule", args=[MISSING]))

    assertContains(existing, "Page not found", status_code=404)
    assert PER_RESPONSE.sub("", existing.content.decode()) == PER_RESPONSE.sub("", missing.content.decode())
