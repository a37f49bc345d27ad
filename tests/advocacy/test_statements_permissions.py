"""docs/permissions.md's pre-session statement block, one test per cell, with the machinery of
tests/submissions/test_permissions.py."""

import copy

import pytest
from django.urls import reverse

from advocacy.models import Statement, StatementVersion
from tests.advocacy.lobbying_world import FIRST, STATEMENT, build_lobbying_world
from tests.permissions_matrix import read_matrix
from tests.shared_data import module_rows
from tests.submissions.test_permissions import Spec, check_cell, database_state

pytestmark = pytest.mark.django_db

ROLES, MATRIX = read_matrix("matrix:statement")
CELLS = [(action, role, outcome) for action, row in MATRIX.items() for role, outcome in row.items()]
CELL_IDS = [f"{action}-{role}" for action, role, _outcome in CELLS]

statement_world_rows = module_rows("statement_world_rows", build_lobbying_world)


@pytest.fixture
def world(statement_world_rows, db):
    return copy.deepcopy(statement_world_rows)


def statement_rows() -> list:
    return list(Statement.objects.order_by("pk").values_list("pk", "text", "version", "updated_by_id"))


def state() -> dict:
    return {
        **database_state(),
        "statements": statement_rows(),
        "versions": list(StatementVersion.objects.order_by("pk").values_list("pk", "number", "text")),
    }


def statement_url(name: str, *extra):
    return lambda world: reverse(f"advocacy:{name}", args=[world.coalition.pk, world.submission.pk, *extra])


def _current(world) -> tuple:
    return Statement.objects.values_list("text", "version").get(pk=world.statement.pk)


def _check_saved(world, role, response) -> None:
    statement = Statement.objects.get(pk=world.statement.pk)
    assert (statement.text, statement.version, statement.updated_by) == (
        "Our five minutes.",
        2,
        world.people[role],
    )
    assert list(statement.versions.values_list("number", "text")) == [(2, "Our five minutes."), (1, STATEMENT)]


def _check_drafted(world, role, response) -> None:
    text, version = _current(world)
    assert (version, FIRST in text, text.startswith("Section of B's cluster\nSection of A's cluster")) == (
        2,
        True,
        True,
    )
    assert StatementVersion.objects.get(statement=world.statement, number=1).text == STATEMENT


def _arrange_second_version(world) -> None:
    from advocacy.services.statements import statement_save

    world.statement = statement_save(submission=world.submission, actor=world.coordinator, text="Second.", version=1)


def _check_restored(world, role, response) -> None:
    assert _current(world) == (STATEMENT, 3)


SPECS: dict[str, Spec] = {
    "view the pre-session statement": Spec(
        "GET",
        statement_url("statement"),
        shows=lambda world, role: [STATEMENT, "About 0 min 4 s spoken, of the pre-session&#x27;s 5 minutes."],
    ),
    "view the statement's history": Spec(
        "GET", statement_url("statement_history"), shows=lambda world, role: ["Version 1", STATEMENT]
    ),
    "save the statement": Spec(
        "POST",
        statement_url("statement"),
        rule="advocacy.change_statement",
        data=lambda world: {"text": "Our five minutes.", "version": 1},
        snapshot=_current,
        redirects_to=statement_url("statement"),
        check=_check_saved,
    ),
    "replace the statement with a draft from the submission": Spec(
        "POST",
        statement_url("statement_draft"),
        rule="advocacy.change_statement",
        data=lambda world: {"replace": "1", "version": 1},
        snapshot=_current,
        redirects_to=statement_url("statement"),
        check=_check_drafted,
    ),
    "restore a version of the statement": Spec(
        "POST",
        statement_url("statement_restore", 1),
        rule="advocacy.change_statement",
        data=lambda world: {"version": 2},
        arrange=_arrange_second_version,
        snapshot=_current,
        redirects_to=statement_url("statement"),
        check=_check_restored,
    ),
}


def test_matrix_roles_are_the_people_of_the_fixture(world):
    assert list(world.people) == ROLES


def test_matrix_every_action_has_a_request_spec():
    assert (sorted(set(MATRIX) - set(SPECS)), sorted(set(SPECS) - set(MATRIX))) == ([], [])


@pytest.mark.parametrize(("action", "role", "outcome"), CELLS, ids=CELL_IDS)
def test_matrix_cell(action, role, outcome, world, client):
    check_cell(client, world, SPECS[action], role, outcome, state=state)


def test_statement_of_another_coalitions_submission_answers_404(world, client):
    client.force_login(world.coordinator)

    response = client.get(reverse("advocacy:statement", args=[world.coalition.pk, world.other_submission.pk]))

    assert response.status_code == 404
