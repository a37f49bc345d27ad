"""docs/permissions.md's recommendations matrix, one test per cell, with the machinery of test_permissions.py."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains

from submissions.models import Recommendation
from submissions.services.recommendations import SMART_FIELDS
from tests.factories import StateFactory
from tests.factories.recommendations import add_recommendation
from tests.permissions_matrix import read_matrix
from tests.submissions.conftest import World
from tests.submissions.test_permissions import Spec, check_cell, database_state, submission_url

pytestmark = pytest.mark.django_db

ROLES, MATRIX = read_matrix("matrix:recommendations")
CELLS = [(action, role, outcome) for action, row in MATRIX.items() for role, outcome in row.items()]
CELL_IDS = [f"{action}-{role}" for action, role, _outcome in CELLS]

FIRST = "Amend the Children Act by 2028 so that no child is held with adults."
SECOND = "Publish yearly figures on children in pre-trial detention."
FINAL = "Ratify the Optional Protocol to the Convention against Torture."


@pytest.fixture
def recommendations(world):
    """Two recommendations of the section of B's cluster (the first fully ticked) and one of the
    final submission's section (written before it was marked final)."""
    world.observer_state = StateFactory(name="Holy See", status="observer")
    world.kenya = StateFactory(name="Kenya")
    drafter = world.people["drafter"]
    world.first = add_recommendation(
        world.section_b, author=drafter, text=FIRST, theme="Detention", states=[world.kenya], smart="all"
    )
    world.second = add_recommendation(world.section_b, author=drafter, text=SECOND, states=[world.observer_state])
    world.final_recommendation = Recommendation.objects.create(
        submission=world.final_submission, section=world.final_section, position=1, text=FINAL
    )
    return world


def state() -> dict:
    return {
        **database_state(),
        "recommendations": list(
            Recommendation.objects.order_by("pk").values_list(
                "pk",
                "section_id",
                "position",
                "text",
                "theme",
                *SMART_FIELDS,
                "smart_confirmed_by",
                "smart_confirmed_at",
            )
        ),
        "states": list(
            Recommendation.recommending_states.through.objects.order_by("pk").values_list(
                "recommendation_id", "state_id"
            )
        ),
    }


def section_page(which: str):
    def url(world: World) -> str:
        section = getattr(world, which)
        return reverse("submissions:section", args=[section.submission_id, section.pk]) + "#recommendations"

    return url


def recommendation_url(name: str, which: str = "first"):
    def url(world: World) -> str:
        recommendation = getattr(world, which)
        return reverse(
            f"submissions:{name}", args=[recommendation.submission_id, recommendation.section_id, recommendation.pk]
        )

    return url


def texts_of(which: str):
    return lambda world: list(
        getattr(world, which).recommendations.order_by("position").values_list("position", "text")
    )


def _check_added(which: str, position: int):
    def check(world: World, role: str, response) -> None:
        added = Recommendation.objects.get(text="Repeal the vagrancy laws used to detain street children.")
        assert (added.section, added.position, added.theme, added.created_by, added.smart_ticked) == (
            getattr(world, which),
            position,
            "Rights of the child",
            world.people[role],
            ["smart_specific", "smart_time_bound"],
        )
        assert list(added.recommending_states.all()) == [world.observer_state, world.kenya]

    return check


def _add_data(world: World) -> dict:
    return {
        "text": "Repeal the vagrancy laws used to detain street children.",
        "theme": "Rights of the child",
        "states": [world.kenya.pk, world.observer_state.pk],
        "smart": ["smart_specific", "smart_time_bound"],
    }


def _check_changed(world: World, role: str, response) -> None:
    first = Recommendation.objects.get(pk=world.first.pk)
    assert (first.text, first.theme, first.position) == ("Amend the Children Act by 2027.", "Justice", 1)
    assert list(first.recommending_states.all()) == [world.observer_state]


def _check_confirmed(world: World, role: str, response) -> None:
    first = Recommendation.objects.get(pk=world.first.pk)
    assert (first.smart_confirmed_by, first.smart_confirmed_at is not None) == (world.people[role], True)


def _check_texts(expected: list[tuple[int, str]]):
    def check(world: World, role: str, response) -> None:
        assert texts_of("section_b")(world) == expected

    return check


def _check_ticked(world: World, role: str, response) -> None:
    second = Recommendation.objects.get(pk=world.second.pk)
    assert (second.smart_ticked, second.smart_confirmed_at) == (["smart_measurable", "smart_relevant"], None)


def _check_never(world: World, role: str, response) -> None:
    raise AssertionError("a final submission's recommendation changed")


SPECS: dict[str, Spec] = {
    "add a recommendation": Spec(
        "POST",
        lambda world: reverse("submissions:recommendation_add", args=[world.submission.pk, world.section_b.pk]),
        rule="submissions.change_recommendations",
        data=_add_data,
        snapshot=texts_of("section_b"),
        redirects_to=section_page("section_b"),
        check=_check_added("section_b", 3),
    ),
    "add a recommendation to the section of A's cluster": Spec(
        "POST",
        lambda world: reverse("submissions:recommendation_add", args=[world.submission.pk, world.section_a.pk]),
        rule="submissions.change_recommendations",
        data=_add_data,
        snapshot=texts_of("section_a"),
        redirects_to=section_page("section_a"),
        check=_check_added("section_a", 1),
    ),
    "change a recommendation": Spec(
        "POST",
        recommendation_url("recommendation_edit"),
        rule="submissions.change_recommendations",
        data=lambda world: {
            "text": "Amend the Children Act by 2027.",
            "theme": "Justice",
            "states": [world.observer_state.pk],
            "smart": SMART_FIELDS,
        },
        snapshot=texts_of("section_b"),
        redirects_to=section_page("section_b"),
        check=_check_changed,
    ),
    "move a recommendation": Spec(
        "POST",
        recommendation_url("recommendation_move", "second"),
        rule="submissions.change_recommendations",
        data=lambda world: {"direction": "up"},
        snapshot=texts_of("section_b"),
        redirects_to=section_page("section_b"),
        check=_check_texts([(1, SECOND), (2, FIRST)]),
    ),
    "delete a recommendation": Spec(
        "POST",
        recommendation_url("recommendation_delete"),
        rule="submissions.change_recommendations",
        snapshot=texts_of("section_b"),
        redirects_to=section_page("section_b"),
        check=_check_texts([(1, SECOND)]),
    ),
    "tick the SMART checklist": Spec(
        "POST",
        recommendation_url("recommendation_tick", "second"),
        rule="submissions.change_recommendations",
        data=lambda world: {"smart": ["smart_measurable", "smart_relevant"]},
        snapshot=lambda world: Recommendation.objects.get(pk=world.second.pk).smart_ticked,
        redirects_to=section_page("section_b"),
        check=_check_ticked,
    ),
    "confirm the SMART checklist": Spec(
        "POST",
        recommendation_url("recommendation_confirm"),
        rule="submissions.confirm_smart",
        snapshot=lambda world: Recommendation.objects.values_list("smart_confirmed_by", flat=True).get(
            pk=world.first.pk
        ),
        redirects_to=section_page("section_b"),
        check=_check_confirmed,
    ),
    "change a recommendation of a final submission": Spec(
        "POST",
        recommendation_url("recommendation_edit", "final_recommendation"),
        rule="submissions.change_recommendations",
        data=lambda world: {"text": "Changed after the end.", "theme": "", "smart": []},
        snapshot=texts_of("final_section"),
        redirects_to=section_page("final_section"),
        check=_check_never,
    ),
    "view the lobbying plan": Spec(
        "GET",
        submission_url("lobbying_plan"),
        shows=lambda world, role: [
            escape(FIRST),
            escape(SECOND),
            'Holy See (observer State) <span class="badge text-bg-secondary">1</span>',
            'Kenya <span class="badge text-bg-secondary">1</span>',
        ],
    ),
    "download the lobbying plan as CSV": Spec(
        "GET",
        submission_url("lobbying_plan_csv"),
        shows=lambda world, role: [
            f"Section of B's cluster,1,Detention,Kenya,no,{FIRST},5/5,\r\n",
            f"Section of B's cluster,2,,Holy See,yes,{SECOND},0/5,\r\n",
        ],
    ),
}


def test_matrix_roles_are_the_people_of_the_fixture(world):
    assert list(world.people) == ROLES


def test_matrix_every_action_has_a_request_spec():
    assert (sorted(set(MATRIX) - set(SPECS)), sorted(set(SPECS) - set(MATRIX))) == ([], [])


@pytest.mark.parametrize(("action", "role", "outcome"), CELLS, ids=CELL_IDS)
def test_matrix_cell(action, role, outcome, recommendations, client):
    check_cell(client, recommendations, SPECS[action], role, outcome, state=state)


@pytest.mark.parametrize("name", ["recommendation_edit", "recommendation_delete"])
def test_recommendation_of_another_section_under_this_sections_url_answers_404(name, recommendations, client):
    """A coordinator cannot reach the final section's recommendation through section B's URL."""
    world = recommendations
    client.force_login(world.coordinator)

    response = client.get(
        reverse(f"submissions:{name}", args=[world.submission.pk, world.section_b.pk, world.final_recommendation.pk])
    )

    assertContains(response, "Page not found", status_code=404)


def test_outsider_gets_404_for_the_lobbying_plan_of_another_coalition(recommendations, client):
    world = recommendations
    client.force_login(world.people["outsider"])

    existing = client.get(reverse("submissions:lobbying_plan", args=[world.submission.pk]))
    missing = client.get(reverse("submissions:lobbying_plan", args=[999_999]))

    assert (existing.status_code, missing.status_code) == (404, 404)
