"""docs/permissions.md's ``matrix:dashboard``: every cell is one test, with the machinery of
tests/submissions/test_permissions.py (its request specs, refusals and database snapshot)."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains

from tests.permissions_matrix import read_matrix
from tests.submissions.test_permissions import MISSING, PER_RESPONSE, Spec, check_cell

pytestmark = pytest.mark.django_db

ROLES, MATRIX = read_matrix("matrix:dashboard")
CELLS = [(action, role, outcome) for action, row in MATRIX.items() for role, outcome in row.items()]
CELL_IDS = [f"{action}-{role}" for action, role, _outcome in CELLS]

SPECS = {
    "view the contribution dashboard": Spec(
        "GET",
        lambda world: reverse("submissions:dashboard", args=[world.submission.pk]),
        rule="submissions.view_dashboard",
        shows=lambda world, role: [
            "Contribution dashboard",
            escape(world.section_b.title),
            '<th scope="row" class="fw-normal">The drafter</th>',
            '<th scope="row" class="fw-normal">Beta Legal Aid</th>',
        ],
    ),
    "export the contribution dashboard as CSV": Spec(
        "GET",
        lambda world: reverse("submissions:dashboard_csv", args=[world.submission.pk]) + "?table=people",
        rule="submissions.view_dashboard",
        shows=lambda world, role: ["Person,Organisation,Sections led", "The drafter,Beta Legal Aid,"],
    ),
}


def test_matrix_roles_are_the_people_of_the_fixture(world):
    assert list(world.people) == ROLES


def test_matrix_every_action_has_a_request_spec():
    assert (sorted(set(MATRIX) - set(SPECS)), sorted(set(SPECS) - set(MATRIX))) == ([], [])


@pytest.mark.parametrize(("action", "role", "outcome"), CELLS, ids=CELL_IDS)
def test_matrix_cell(action, role, outcome, world, client):
    check_cell(client, world, SPECS[action], role, outcome)


@pytest.mark.parametrize("name", ["dashboard", "dashboard_csv"])
def test_outsider_gets_the_same_404_for_existing_and_missing_submission(name, world, client):
    client.force_login(world.people["outsider"])

    existing = client.get(reverse(f"submissions:{name}", args=[world.submission.pk]))
    missing = client.get(reverse(f"submissions:{name}", args=[MISSING]))

    assertContains(existing, "Page not found", status_code=404)
    assert PER_RESPONSE.sub("", existing.content.decode()) == PER_RESPONSE.sub("", missing.content.decode())
