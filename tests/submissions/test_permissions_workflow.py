"""docs/permissions.md's workflow matrix, one test per cell, with the machinery of test_permissions.py.

Each action is a button pressed once (or an edit tried) with the world put first in the state the
button starts from; a refused press changes nothing, not even a step recorded or a line of activity.
"""

import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from coalitions.models import AuditEvent
from notifications.models import Notification, OutboxMessage
from submissions.models import (
    SECTION_ACTIONS,
    SUBMISSION_ACTIONS,
    Section,
    SectionTransition,
    SignOff,
    Submission,
    SubmissionTransition,
)
from tests.permissions_matrix import read_matrix
from tests.submissions.conftest import World
from tests.submissions.test_permissions import (
    EDITED_CLEAN,
    Spec,
    _edit_data,
    assert_refused,
    database_state,
    section_state,
    section_url,
    send,
    submission_url,
)

pytestmark = pytest.mark.django_db

ROLES, MATRIX = read_matrix("matrix:workflow")
CELLS = [(action, role, outcome) for action, row in MATRIX.items() for role, outcome in row.items()]
CELL_IDS = [f"{action}-{role}" for action, role, _outcome in CELLS]

SENT_ON = datetime.date(2026, 10, 1)
State = Section.State
Status = Submission.Status


def workflow_state() -> dict:
    """What a button changes besides the rows of test_permissions.database_state."""
    return {
        **database_state(),
        "section states": list(Section.objects.order_by("pk").values_list("pk", "state")),
        "submissions": list(
            Submission.objects.order_by("pk").values_list("pk", "status", "submitted_on", "ohchr_reference")
        ),
        "section steps": SectionTransition.objects.count(),
        "submission steps": SubmissionTransition.objects.count(),
        "sign-offs": SignOff.objects.count(),
        "activity": AuditEvent.objects.count(),
        "notifications": Notification.objects.count(),
        "emails": OutboxMessage.objects.count(),
    }


def section_in(state: str):
    return lambda world: Section.objects.filter(pk=world.section_b.pk).update(state=state)


def submission_in(status: str):
    return lambda world: Submission.objects.filter(pk=world.submission.pk).update(status=status)


def section_b_state(world: World):
    return Section.objects.values_list("state", flat=True).get(pk=world.section_b.pk)


def submission_status(world: World):
    return Submission.objects.values_list("status", flat=True).get(pk=world.submission.pk)


def section_moved(target: str, action: str, message: str = ""):
    def check(world: World, role: str, response) -> None:
        assert section_b_state(world) == target
        step = SectionTransition.objects.get(section=world.section_b)
        assert (step.action, step.target, step.actor, step.message) == (action, target, world.people[role], message)

    return check


def submission_moved(target: str, action: str, message: str = ""):
    def check(world: World, role: str, response) -> None:
        assert submission_status(world) == target
        step = SubmissionTransition.objects.get(submission=world.submission)
        assert (step.action, step.target, step.actor, step.message) == (action, target, world.people[role], message)

    return check


def section_button(action: str, target: str, message: str = "", rule: str = "") -> Spec:
    return Spec(
        "POST",
        section_url("section_step", "section_b"),
        rule=rule,
        data=lambda world: {"action": action, "message": message, "origin": "read"},
        snapshot=section_b_state,
        redirects_to=lambda world: section_url("section", "section_b")(world) + "#workflow",
        check=section_moved(target, action, message),
    )


def submission_button(action: str, target: str, message: str = "", **extra) -> Spec:
    return Spec(
        "POST",
        submission_url("submission_step"),
        rule="submissions.change_status",
        data=lambda world: {"action": action, "message": message, **extra},
        snapshot=submission_status,
        redirects_to=lambda world: submission_url("detail")(world) + "#workflow",
        check=submission_moved(target, action, message),
    )


def _check_sent(world: World, role: str, response) -> None:
    submission_moved(Status.SUBMITTED, "mark_submitted")(world, role, response)
    assert Submission.objects.values_list("submitted_on", "ohchr_reference").get(pk=world.submission.pk) == (
        SENT_ON,
        "HRC/UPR/50/KEN/12",
    )


def _check_edited_b(world: World, role: str, response) -> None:
    section = Section.objects.get(pk=world.section_b.pk)
    assert (section.title, section.body, section.version, section.last_edited_by, section.state) == (
        "Edited title",
        EDITED_CLEAN,
        3,
        world.people[role],
        State.SUBMITTED,
    )


REASON = "The figures of 2025 are out; the section must use them."

# (the state the world is put in first, the request)
SPECS: dict[str, tuple] = {
    "submit a section for review": (
        None,
        section_button("submit", State.SUBMITTED, rule="submissions.submit_section"),
    ),
    "withdraw a section from review": (
        section_in(State.SUBMITTED),
        section_button("withdraw", State.DRAFTING, rule="submissions.submit_section"),
    ),
    "ask for changes to a section": (
        section_in(State.SUBMITTED),
        section_button(
            "request_changes", State.CHANGES_REQUESTED, "Cite the 2025 report.", "submissions.review_section"
        ),
    ),
    "approve a section": (
        section_in(State.SUBMITTED),
        section_button("approve", State.APPROVED, rule="submissions.approve_section"),
    ),
    "lock a section": (
        section_in(State.APPROVED),
        section_button("lock", State.LOCKED, rule="submissions.lock_section"),
    ),
    "reopen a section": (
        section_in(State.LOCKED),
        section_button("reopen", State.DRAFTING, REASON, "submissions.lock_section"),
    ),
    "start consolidation": (None, submission_button("consolidate", Status.CONSOLIDATION)),
    "open sign-off": (submission_in(Status.CONSOLIDATION), submission_button("open_sign_off", Status.SIGN_OFF)),
    "mark final": (submission_in(Status.SIGN_OFF), submission_button("mark_final", Status.FINAL)),
    "record as submitted to the UN": (
        submission_in(Status.FINAL),
        Spec(
            "POST",
            submission_url("submission_step"),
            rule="submissions.change_status",
            data=lambda world: {
                "action": "mark_submitted",
                "submitted_on": SENT_ON.isoformat(),
                "ohchr_reference": "HRC/UPR/50/KEN/12",
            },
            snapshot=submission_status,
            redirects_to=lambda world: submission_url("detail")(world) + "#workflow",
            check=_check_sent,
        ),
    ),
    "reopen a submission": (submission_in(Status.SUBMITTED), submission_button("reopen", Status.DRAFT, REASON)),
    "edit a section submitted for review": (
        section_in(State.SUBMITTED),
        Spec(
            "POST",
            section_url("section_edit", "section_b"),
            rule="submissions.edit_section",
            data=_edit_data("section_b"),
            snapshot=section_state("section_b"),
            redirects_to=section_url("section_edit", "section_b"),
            check=_check_edited_b,
        ),
    ),
    "edit a locked section": (
        section_in(State.LOCKED),
        Spec(
            "POST",
            section_url("section_edit", "section_b"),
            rule="submissions.edit_section",
            data=_edit_data("section_b"),
            snapshot=section_state("section_b"),
            redirects_to=section_url("section_edit", "section_b"),
            check=_check_edited_b,
        ),
    ),
}


def test_workflow_matrix_roles_are_the_people_of_the_fixture(world):
    assert list(world.people) == ROLES


def test_workflow_matrix_every_action_has_a_request_spec():
    assert sorted(set(MATRIX) ^ set(SPECS)) == []


def test_workflow_matrix_has_a_row_for_every_button_and_the_two_edits():
    assert (len(SECTION_ACTIONS), len(SUBMISSION_ACTIONS), len(MATRIX)) == (6, 5, 6 + 5 + 2)


@pytest.mark.parametrize(("action", "role", "outcome"), CELLS, ids=CELL_IDS)
def test_workflow_matrix_cell(action, role, outcome, world, client):
    arrange, spec = SPECS[action]
    if world.people[role] is not None:
        client.force_login(world.people[role])
    if arrange is not None:
        arrange(world)
    url = spec.url(world)
    before = workflow_state()
    action_before = spec.snapshot(world)

    response = send(client, spec, world, url)

    if outcome != "yes":
        assert_refused(response, outcome, url, spec)
        assert workflow_state() == before
    else:
        assertRedirects(response, spec.redirects_to(world), fetch_redirect_response=False)
        assert spec.snapshot(world) != action_before
        spec.check(world, role, response)


def test_drafter_pressing_a_button_on_a_section_of_another_coalition_gets_404(world, client):
    client.force_login(world.people["drafter"])
    before = workflow_state()

    response = client.post(
        reverse("submissions:section_step", args=[world.other_submission.pk, world.other_section.pk]),
        {"action": "submit"},
    )

    assert (response.status_code, workflow_state()) == (404, before)


def test_coordinator_pressing_a_button_of_another_coalitions_submission_gets_404(world, client):
    client.force_login(world.coordinator)
    before = workflow_state()

    response = client.post(
        reverse("submissions:submission_step", args=[world.other_submission.pk]), {"action": "consolidate"}
    )

    assert (response.status_code, workflow_state()) == (404, before)


@pytest.mark.parametrize("name", ["section_step", "submission_step"])
def test_step_endpoints_refuse_get(name, world, client):
    client.force_login(world.coordinator)
    args = [world.submission.pk, world.section_b.pk] if name == "section_step" else [world.submission.pk]

    response = client.get(reverse(f"submissions:{name}", args=args))

    assert response.status_code == 405
