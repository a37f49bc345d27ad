"""docs/permissions.md's ``matrix:uptake``: every cell is one test, with the machinery of
tests/submissions/test_permissions.py (its request specs, refusals and cell check)."""

import copy

import pytest
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains

from advocacy.models import UptakeMatch
from submissions.models import Section, Submission
from tests.advocacy.uptake_world import ASK_CHILDREN, ASK_TORTURE, build_uptake_world
from tests.permissions_matrix import read_matrix
from tests.shared_data import module_rows
from tests.submissions.test_permissions import MISSING, PER_RESPONSE, Spec, check_cell

pytestmark = pytest.mark.django_db

ROLES, MATRIX = read_matrix("matrix:uptake")
CELLS = [(action, role, outcome) for action, row in MATRIX.items() for role, outcome in row.items()]
CELL_IDS = [f"{action}-{role}" for action, role, _outcome in CELLS]

uptake_rows = module_rows("uptake_rows", build_uptake_world)


@pytest.fixture
def world(uptake_rows, db):
    return copy.deepcopy(uptake_rows)


def database_state() -> dict:
    """What the uptake's actions could change: compared before and after every refused request."""
    return {
        "matches": list(
            UptakeMatch.objects.order_by("pk").values_list(
                "pk", "asked_id", "made_id", "status", "score", "decided_by_id", "decided_at"
            )
        ),
        "submissions": list(Submission.objects.order_by("pk").values_list("pk", "kind", "title")),
        "sections": list(Section.objects.order_by("pk").values_list("pk", "submission_id", "body", "version")),
    }


def review_url(name: str, *extra) -> callable:
    return lambda world: reverse(f"advocacy:{name}", args=[world.coalition.pk, world.review.pk, *extra])


def page(anchor: str):
    return lambda world: review_url("uptake")(world) + f"#{anchor}"


def decide_url(which: str):
    return lambda world: reverse(
        "advocacy:uptake_decide", args=[world.coalition.pk, world.review.pk, getattr(world, which).pk]
    )


def matches(world) -> list[tuple]:
    return list(
        UptakeMatch.objects.filter(coalition=world.coalition)
        .order_by("pk")
        .values_list("asked_id", "made_id", "status", "decided_by_id")
    )


def decided(which: str, status: str):
    def check(world, role, response):
        match = UptakeMatch.objects.get(pk=getattr(world, which).pk)
        expected_by = None if status == UptakeMatch.Status.PROPOSED else world.people[role].pk
        assert (match.status, match.decided_by_id) == (status, expected_by)

    return check


def _check_proposed(world, role, response):
    assert UptakeMatch.objects.get(asked=world.ask_defenders, made=world.made_defenders).status == "proposed"


def _check_matched(world, role, response):
    match = UptakeMatch.objects.get(asked=world.ask_defenders, made=world.made_defenders)
    assert (match.status, match.decided_by_id) == ("confirmed", world.people[role].pk)


def _mid_term(world) -> Submission:
    return Submission.objects.get(coalition=world.coalition, kind=Submission.Kind.MID_TERM)


def _check_mid_term(world, role, response):
    report = _mid_term(world)
    assert (report.review_id, report.sections.count()) == (world.review.pk, 3)


def _mid_terms(world) -> int:
    return Submission.objects.filter(coalition=world.coalition, kind=Submission.Kind.MID_TERM).count()


SPECS = {
    "view the uptake of a review": Spec(
        "GET",
        review_url("uptake"),
        rule="advocacy.view_uptake",
        shows=lambda world, role: ["Uptake of our recommendations", escape(ASK_TORTURE), "Per lobbied State"],
    ),
    "export the uptake table as CSV": Spec(
        "GET",
        review_url("uptake_csv"),
        rule="advocacy.view_uptake",
        shows=lambda world, role: ["Our recommendation,Theme,States asked", f"{ASK_CHILDREN},Juvenile justice"],
    ),
    "propose matches": Spec(
        "POST",
        review_url("uptake_propose"),
        rule="advocacy.decide_uptake",
        snapshot=matches,
        redirects_to=page("proposed"),
        check=_check_proposed,
    ),
    "confirm a proposed match": Spec(
        "POST",
        decide_url("proposed"),
        rule="advocacy.decide_uptake",
        data=lambda world: {"action": "confirm"},
        snapshot=matches,
        redirects_to=page("decided"),
        check=decided("proposed", UptakeMatch.Status.CONFIRMED),
    ),
    "reject a proposed match": Spec(
        "POST",
        decide_url("proposed_children"),
        rule="advocacy.decide_uptake",
        data=lambda world: {"action": "reject"},
        snapshot=matches,
        redirects_to=page("decided"),
        check=decided("proposed_children", UptakeMatch.Status.REJECTED),
    ),
    "undo a decision on a match": Spec(
        "POST",
        decide_url("rejected"),
        rule="advocacy.decide_uptake",
        data=lambda world: {"action": "undo"},
        snapshot=matches,
        redirects_to=page("proposed"),
        check=decided("rejected", UptakeMatch.Status.PROPOSED),
    ),
    "match a recommendation by hand": Spec(
        "POST",
        review_url("uptake_match"),
        rule="advocacy.decide_uptake",
        data=lambda world: {"asked": world.ask_defenders.pk, "made": world.made_defenders.pk},
        snapshot=matches,
        redirects_to=page("decided"),
        check=_check_matched,
    ),
    "start the mid-term report": Spec(
        "POST",
        review_url("mid_term_start"),
        rule="submissions.create_submission",
        snapshot=_mid_terms,
        redirects_to=lambda world: reverse("submissions:detail", args=[_mid_term(world).pk]),
        check=_check_mid_term,
    ),
}


def test_matrix_roles_are_the_people_of_the_fixture(world):
    assert list(world.people) == ROLES


def test_matrix_every_action_has_a_request_spec():
    assert (sorted(set(MATRIX) - set(SPECS)), sorted(set(SPECS) - set(MATRIX))) == ([], [])


@pytest.mark.parametrize(("action", "role", "outcome"), CELLS, ids=CELL_IDS)
def test_matrix_cell(action, role, outcome, world, client):
    check_cell(client, world, SPECS[action], role, outcome, state=database_state)


@pytest.mark.parametrize("name", ["uptake", "uptake_csv"])
def test_outsider_gets_the_same_404_for_existing_and_missing_coalition(name, world, client):
    client.force_login(world.people["outsider"])

    existing = client.get(reverse(f"advocacy:{name}", args=[world.coalition.pk, world.review.pk]))
    missing = client.get(reverse(f"advocacy:{name}", args=[MISSING, world.review.pk]))

    assertContains(existing, "Page not found", status_code=404)
    assert PER_RESPONSE.sub("", existing.content.decode()) == PER_RESPONSE.sub("", missing.content.decode())


def test_a_match_of_another_coalition_is_404_under_this_coalitions_address(world, client):
    theirs = UptakeMatch.objects.create(
        coalition=world.other, asked=world.ask_torture, made=world.made_education, score=70
    )
    client.force_login(world.coordinator)

    response = client.post(
        reverse("advocacy:uptake_decide", args=[world.coalition.pk, world.review.pk, theirs.pk]), {"action": "confirm"}
    )

    assertContains(response, "Page not found", status_code=404)
    assert UptakeMatch.objects.get(pk=theirs.pk).status == "proposed"
