"""docs/permissions.md's lobbying-log block, one test per cell, with the machinery of
tests/submissions/test_permissions.py."""

import copy
import datetime

import pytest
from django.urls import reverse
from django.utils.html import escape

from advocacy.models import Meeting
from tests.advocacy.lobbying_world import FIRST, SECOND, THIRD, build_lobbying_world
from tests.permissions_matrix import read_matrix
from tests.shared_data import module_rows
from tests.submissions.test_permissions import Spec, check_cell, database_state

pytestmark = pytest.mark.django_db

ROLES, MATRIX = read_matrix("matrix:lobbying")
CELLS = [(action, role, outcome) for action, row in MATRIX.items() for role, outcome in row.items()]
CELL_IDS = [f"{action}-{role}" for action, role, _outcome in CELLS]

lobbying_world_rows = module_rows("lobbying_world_rows", build_lobbying_world)
HELD_ON = datetime.date(2026, 10, 12)


@pytest.fixture
def world(lobbying_world_rows, db):
    return copy.deepcopy(lobbying_world_rows)


def meetings() -> list:
    return list(
        Meeting.objects.order_by("pk").values_list(
            "pk", "state_id", "review_id", "channel", "held_on", "people", "outcome", "follow_up_on", "follow_up_done"
        )
    )


def state() -> dict:
    return {
        **database_state(),
        "meetings": meetings(),
        "raised": list(Meeting.raised.through.objects.order_by("pk").values_list("meeting_id", "recommendation_id")),
    }


def log_url(world) -> str:
    return reverse("advocacy:lobbying", args=[world.coalition.pk])


def meeting_url(name: str):
    return lambda world: reverse(f"advocacy:{name}", args=[world.coalition.pk, world.meeting.pk])


def _meeting_data(world) -> dict:
    return {
        "state": world.holy_see.pk,
        "review": world.review.pk,
        "channel": "mission",
        "held_on": HELD_ON.isoformat(),
        "people": "First secretary",
        "raised": [world.third.pk],
        "outcome": "Interested.",
        "follow_up_on": "2026-10-30",
    }


def _check_logged(world, role, response) -> None:
    meeting = Meeting.objects.exclude(pk=world.meeting.pk).get()
    assert (meeting.state, meeting.channel, meeting.held_on, meeting.created_by, list(meeting.raised.all())) == (
        world.holy_see,
        "mission",
        HELD_ON,
        world.people[role],
        [world.third],
    )


def _check_changed(world, role, response) -> None:
    meeting = Meeting.objects.get(pk=world.meeting.pk)
    assert (meeting.state, meeting.held_on, meeting.outcome, list(meeting.raised.all()), meeting.created_by) == (
        world.holy_see,
        HELD_ON,
        "Interested.",
        [world.third],
        world.people["drafter"],
    )


SPECS: dict[str, Spec] = {
    "view the lobbying log": Spec(
        "GET",
        log_url,
        shows=lambda world, role: [
            "Deputy head of mission",
            "Asked of Kenya",
            f"<tr><td>{escape(FIRST)}</td><td>1</td></tr>",
            f"<tr><td>{escape(SECOND)}</td><td>1</td></tr>",
        ],
    ),
    "open the form to log a meeting": Spec(
        "GET",
        lambda world: reverse("advocacy:meeting_add", args=[world.coalition.pk]),
        rule="advocacy.change_lobbying_log",
        shows=lambda world, role: ["Recommendations raised", escape(THIRD), "Holy See"],
    ),
    "log a meeting": Spec(
        "POST",
        lambda world: reverse("advocacy:meeting_add", args=[world.coalition.pk]),
        rule="advocacy.change_lobbying_log",
        data=_meeting_data,
        snapshot=lambda world: meetings(),
        redirects_to=log_url,
        check=_check_logged,
    ),
    "open a meeting to change it": Spec(
        "GET",
        meeting_url("meeting_edit"),
        rule="advocacy.change_lobbying_log",
        shows=lambda world, role: ["Meeting with Kenya", "Will consider the detention ask."],
    ),
    "change a meeting": Spec(
        "POST",
        meeting_url("meeting_edit"),
        rule="advocacy.change_lobbying_log",
        data=_meeting_data,
        snapshot=lambda world: meetings(),
        redirects_to=log_url,
        check=_check_changed,
    ),
    "delete a meeting": Spec(
        "POST",
        meeting_url("meeting_delete"),
        rule="advocacy.change_lobbying_log",
        snapshot=lambda world: meetings(),
        redirects_to=log_url,
        check=lambda world, role, response: assert_no_meeting(world),
    ),
}


def assert_no_meeting(world) -> None:
    assert (Meeting.objects.filter(pk=world.meeting.pk).exists(), Meeting.raised.through.objects.count()) == (False, 0)


def test_matrix_roles_are_the_people_of_the_fixture(world):
    assert list(world.people) == ROLES


def test_matrix_every_action_has_a_request_spec():
    assert (sorted(set(MATRIX) - set(SPECS)), sorted(set(SPECS) - set(MATRIX))) == ([], [])


@pytest.mark.parametrize(("action", "role", "outcome"), CELLS, ids=CELL_IDS)
def test_matrix_cell(action, role, outcome, world, client):
    check_cell(client, world, SPECS[action], role, outcome, state=state)


def test_meeting_of_another_coalition_answers_404_to_a_coordinator(world, client):
    other = Meeting.objects.create(
        coalition=world.other, review=world.review, state=world.kenya, held_on=HELD_ON, created_by=None
    )
    client.force_login(world.coordinator)

    response = client.get(reverse("advocacy:meeting_edit", args=[world.coalition.pk, other.pk]))

    assert response.status_code == 404
