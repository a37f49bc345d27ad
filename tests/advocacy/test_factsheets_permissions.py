"""docs/permissions.md's factsheets block, one test per cell, with the machinery of
tests/submissions/test_permissions.py."""

import copy

import pytest
from django.urls import reverse
from django.utils.html import escape

from advocacy.models import Factsheet
from submissions.models import GeneratedDocument
from tests.advocacy.lobbying_world import FIRST, TORTURE_THEME, build_lobbying_world
from tests.permissions_matrix import read_matrix
from tests.shared_data import module_rows
from tests.submissions.test_permissions import Spec, check_cell, database_state

pytestmark = pytest.mark.django_db

ROLES, MATRIX = read_matrix("matrix:factsheets")
CELLS = [(action, role, outcome) for action, row in MATRIX.items() for role, outcome in row.items()]
CELL_IDS = [f"{action}-{role}" for action, role, _outcome in CELLS]

factsheet_world_rows = module_rows("factsheet_world_rows", build_lobbying_world)


@pytest.fixture
def world(factsheet_world_rows, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return copy.deepcopy(factsheet_world_rows)


def factsheets() -> list:
    return list(Factsheet.objects.order_by("pk").values_list("pk", "theme", "key_facts", "version"))


def state() -> dict:
    return {
        **database_state(),
        "factsheets": factsheets(),
        "asks": list(Factsheet.asks.through.objects.order_by("pk").values_list("factsheet_id", "recommendation_id")),
        "documents": list(GeneratedDocument.objects.order_by("pk").values_list("pk", "kind", "subject_id")),
    }


def list_url(world) -> str:
    return reverse("advocacy:factsheets", args=[world.coalition.pk])


def factsheet_url(name: str):
    return lambda world: reverse(f"advocacy:{name}", args=[world.coalition.pk, world.factsheet.pk])


def _check_created(world, role, response) -> None:
    created = Factsheet.objects.get(theme="Right to health")
    assert (
        created.review,
        created.updated_by,
        list(created.previous.all()),
        sorted(created.asks.all(), key=lambda r: r.pk),
    ) == (
        world.review,
        world.people[role],
        [world.upr_health],
        [world.first, world.third],
    )


def _check_changed(world, role, response) -> None:
    factsheet = Factsheet.objects.get(pk=world.factsheet.pk)
    assert (factsheet.key_facts, factsheet.version, sorted(factsheet.asks.values_list("pk", flat=True))) == (
        "Five prisons hold children.",
        1,
        sorted([world.first.pk, world.second.pk, world.third.pk]),
    )


def _check_queued(world, role, response) -> None:
    document = GeneratedDocument.objects.get(kind=GeneratedDocument.Kind.FACTSHEET)
    assert (document.coalition, document.subject_id, document.requested_by) == (
        world.coalition,
        world.factsheet.pk,
        world.people[role],
    )


def _documents(world) -> int:
    return GeneratedDocument.objects.filter(kind=GeneratedDocument.Kind.FACTSHEET).count()


SPECS: dict[str, Spec] = {
    "view the factsheets": Spec("GET", list_url, shows=lambda world, role: [TORTURE_THEME, "not made yet"]),
    "view a factsheet": Spec(
        "GET",
        factsheet_url("factsheet_edit"),
        shows=lambda world, role: ["Three prisons hold children.", escape(FIRST), "A/HRC/44/9, para. 140.7"],
    ),
    "create a factsheet": Spec(
        "POST",
        lambda world: (
            reverse("advocacy:factsheet_add", args=[world.coalition.pk])
            + f"?review={world.review.pk}&theme=Right+to+health"
        ),
        rule="advocacy.change_factsheet",
        data=lambda world: {
            "theme": "Right to health",
            "key_facts": "One clinic for 200,000 people.",
            "previous": [world.upr_health.pk],
            "asks": [world.first.pk, world.third.pk],
            "version": 0,
        },
        snapshot=lambda world: factsheets(),
        redirects_to=lambda world: reverse(
            "advocacy:factsheet_edit", args=[world.coalition.pk, Factsheet.objects.get(theme="Right to health").pk]
        ),
        check=_check_created,
    ),
    "change a factsheet": Spec(
        "POST",
        factsheet_url("factsheet_edit"),
        rule="advocacy.change_factsheet",
        data=lambda world: {
            "theme": TORTURE_THEME,
            "key_facts": "Five prisons hold children.",
            "previous": [world.upr_torture.pk],
            "asks": [world.first.pk, world.second.pk, world.third.pk],
            "version": 0,
        },
        snapshot=lambda world: factsheets(),
        redirects_to=factsheet_url("factsheet_edit"),
        check=_check_changed,
    ),
    "delete a factsheet": Spec(
        "POST",
        factsheet_url("factsheet_delete"),
        rule="advocacy.change_factsheet",
        snapshot=lambda world: factsheets(),
        redirects_to=list_url,
        check=lambda world, role, response: _assert_deleted(world),
    ),
    "make the PDF of a factsheet": Spec(
        "POST",
        factsheet_url("factsheet_generate"),
        rule="advocacy.generate_documents",
        snapshot=_documents,
        redirects_to=lambda world: factsheet_url("factsheet_edit")(world) + "#documents",
        check=_check_queued,
    ),
}


def _assert_deleted(world) -> None:
    assert Factsheet.objects.filter(pk=world.factsheet.pk).exists() is False


def test_matrix_roles_are_the_people_of_the_fixture(world):
    assert list(world.people) == ROLES


def test_matrix_every_action_has_a_request_spec():
    assert (sorted(set(MATRIX) - set(SPECS)), sorted(set(SPECS) - set(MATRIX))) == ([], [])


@pytest.mark.parametrize(("action", "role", "outcome"), CELLS, ids=CELL_IDS)
def test_matrix_cell(action, role, outcome, world, client):
    check_cell(client, world, SPECS[action], role, outcome, state=state)
