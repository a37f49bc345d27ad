"""docs/permissions.md's sign-off matrix, one test per cell, with the machinery of test_permissions.py.

The world's joint submission is in sign-off for every test here. A row "as its designated person"
first makes the column's person the designated person of their own organisation's sign-off.
"""

from collections.abc import Callable

import pytest
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains

from coalitions.models import Role
from notifications.models import Notification, OutboxMessage
from submissions.models import SignOff, Submission
from submissions.services.signoff import sign_off_open
from tests.factories import MembershipFactory, UserFactory
from tests.permissions_matrix import read_matrix
from tests.submissions.conftest import World
from tests.submissions.test_permissions import Spec, assert_refused, check_cell, database_state

pytestmark = pytest.mark.django_db

ROLES, MATRIX = read_matrix("matrix:signoff")
CELLS = [(action, role, outcome) for action, row in MATRIX.items() for role, outcome in row.items()]
CELL_IDS = [f"{action}-{role}" for action, role, _outcome in CELLS]


@pytest.fixture
def world(world):
    world.submission.status = Submission.Status.SIGN_OFF
    world.submission.save(update_fields=["status"])
    sign_off_open(submission=world.submission, actor=world.coordinator)
    return world


def sign_off_state() -> dict:
    return {
        "sign-offs": list(
            SignOff.objects.order_by("pk").values_list(
                "pk", "person_id", "status", "reason", "section_versions", "answered_by_id", "reminded_at"
            )
        ),
        "notifications": Notification.objects.count(),
        "outbox": OutboxMessage.objects.count(),
    }


def organisation_of(world: World, role: str):
    return world.secretariat if role == "coordinator" else world.org_b


def own_sign_off(world: World, role: str) -> SignOff:
    """The sign-off of the person's organisation, with them designated (B's for those of no organisation)."""
    sign_off = SignOff.objects.get(submission=world.submission, organisation=organisation_of(world, role))
    if world.people[role] is not None and role != "outsider":
        sign_off.person = world.people[role]
        sign_off.save(update_fields=["person"])
    return sign_off


def b_with_someone_else(world: World, role: str) -> SignOff:
    someone = MembershipFactory(
        coalition=world.coalition,
        organisation=world.org_b,
        role=Role.DRAFTER,
        user=UserFactory(full_name="Bea Designated", email="bea@example.org"),
    ).user
    sign_off = SignOff.objects.get(submission=world.submission, organisation=world.org_b)
    sign_off.person = someone
    sign_off.save(update_fields=["person"])
    return sign_off


def sign_off_url(name: str) -> Callable[[World], str]:
    return lambda world: reverse(f"submissions:{name}", args=[world.submission.pk, world.target.pk])


def target_state(world: World):
    return SignOff.objects.values_list("status", "reason", "section_versions", "person").get(pk=world.target.pk)


def _versions(world: World) -> dict:
    return {f"version_{section.pk}": section.version for section in world.submission.sections.all()}


def _check_answer(status: str, reason: str) -> Callable[[World, str, object], None]:
    def check(world: World, role: str, response) -> None:
        row = SignOff.objects.get(pk=world.target.pk)
        current = {str(pk): version for pk, version in world.submission.sections.values_list("pk", "version")}
        assert (row.status, row.reason, row.section_versions, row.answered_by) == (
            status,
            reason,
            current,
            world.people[role],
        )

    return check


def _reminded(world: World) -> list:
    return list(
        SignOff.objects.filter(submission=world.submission, reminded_at__isnull=False)
        .order_by("pk")
        .values_list("person__email", flat=True)
    )


def _check_reminded(world: World, role: str, response) -> None:
    assert sorted(_reminded(world)) == ["cluster.lead@example.org", "coordinator@example.org"]


def _check_designated(world: World, role: str, response) -> None:
    assert SignOff.objects.get(pk=world.target.pk).person == world.people["drafter"]


def _page(world: World) -> str:
    return reverse("submissions:sign_off", args=[world.submission.pk])


# How to reach each row's sign-off before the request, and the request itself.
TARGETS: dict[str, Callable[[World, str], SignOff]] = {
    "endorse for one's organisation as its designated person": own_sign_off,
    "decline for one's organisation as its designated person": own_sign_off,
    "endorse for B when someone else is its designated person": b_with_someone_else,
    "change an organisation's designated person": lambda world, role: SignOff.objects.get(
        submission=world.submission, organisation=world.org_b
    ),
}
SPECS: dict[str, Spec] = {
    "see the sign-off page": Spec(
        "GET",
        _page,
        shows=lambda world, role: [
            "Sign-off by the member organisations",
            "0 of 3 endorsed, 0 declined, 3 not answered",
            "Alpha Rights Watch",
            "Beta Legal Aid",
            escape(world.secretariat.name),
        ],
    ),
    "endorse for one's organisation as its designated person": Spec(
        "POST",
        sign_off_url("sign_off_endorse"),
        rule="submissions.answer_sign_off",
        data=_versions,
        snapshot=target_state,
        redirects_to=_page,
        check=_check_answer(SignOff.Status.ENDORSED, ""),
    ),
    "decline for one's organisation as its designated person": Spec(
        "POST",
        sign_off_url("sign_off_decline"),
        rule="submissions.answer_sign_off",
        data=lambda world: {"decline-reason": "The section on detention is too long."},
        snapshot=target_state,
        redirects_to=_page,
        check=_check_answer(SignOff.Status.DECLINED, "The section on detention is too long."),
    ),
    "endorse for B when someone else is its designated person": Spec(
        "POST",
        sign_off_url("sign_off_endorse"),
        rule="submissions.answer_sign_off",
        data=_versions,
        snapshot=target_state,
        redirects_to=_page,
        check=_check_answer(SignOff.Status.ENDORSED, ""),
    ),
    "remind those who have not answered": Spec(
        "POST",
        lambda world: reverse("submissions:sign_off_remind", args=[world.submission.pk]),
        rule="submissions.manage_sign_off",
        snapshot=_reminded,
        redirects_to=_page,
        check=_check_reminded,
    ),
    "change an organisation's designated person": Spec(
        "POST",
        sign_off_url("sign_off_person"),
        rule="submissions.manage_sign_off",
        data=lambda world: {"person": world.people["drafter"].pk},
        snapshot=target_state,
        redirects_to=_page,
        check=_check_designated,
    ),
}


def test_matrix_roles_are_the_people_of_the_fixture(world):
    assert list(world.people) == ROLES


def test_matrix_every_action_has_a_request_spec():
    assert (sorted(set(MATRIX) - set(SPECS)), sorted(set(SPECS) - set(MATRIX))) == ([], [])


@pytest.mark.parametrize(("action", "role", "outcome"), CELLS, ids=CELL_IDS)
def test_matrix_cell(action, role, outcome, world, client):
    if action in TARGETS:
        world.target = TARGETS[action](world, role)
    check_cell(client, world, SPECS[action], role, outcome, state=lambda: database_state() | sign_off_state())


PAGE_CELLS = [cell for cell in CELLS if cell[0] == "change an organisation's designated person"]


@pytest.mark.parametrize(("action", "role", "outcome"), PAGE_CELLS, ids=[f"page-{cell[1]}" for cell in PAGE_CELLS])
def test_matrix_designated_person_page(action, role, outcome, world, client):
    world.target = TARGETS[action](world, role)
    if world.people[role] is not None:
        client.force_login(world.people[role])
    url = SPECS[action].url(world)
    before = database_state() | sign_off_state()

    response = client.get(url)

    if outcome == "yes":
        assertContains(response, "Who answers for Beta Legal Aid")
        assertContains(response, "Designate this person")
    else:
        assert_refused(response, outcome, url, SPECS[action])
    assert database_state() | sign_off_state() == before


@pytest.mark.parametrize("name", ["sign_off_endorse", "sign_off_decline", "sign_off_person"])
def test_sign_off_of_another_submission_under_this_submissions_url_answers_404(name, world, client):
    """A coordinator cannot reach another submission's sign-off by swapping ids in the URL."""
    world.final_submission.status = Submission.Status.SIGN_OFF
    world.final_submission.save(update_fields=["status"])
    [other] = sign_off_open(submission=world.final_submission, actor=world.coordinator)[:1]
    client.force_login(world.coordinator)
    before = database_state() | sign_off_state()

    response = client.post(reverse(f"submissions:{name}", args=[world.submission.pk, other.pk]))

    assertContains(response, "Page not found", status_code=404)
    assert database_state() | sign_off_state() == before


def test_designated_person_answers_no_more_once_the_submission_is_final(world, client):
    sign_off = own_sign_off(world, "cluster lead")
    Submission.objects.filter(pk=world.submission.pk).update(status=Submission.Status.FINAL)
    client.force_login(world.people["cluster lead"])

    response = client.post(
        reverse("submissions:sign_off_endorse", args=[world.submission.pk, sign_off.pk]), _versions(world)
    )

    assert SignOff.objects.get(pk=sign_off.pk).status == SignOff.Status.PENDING
    assertContains(
        response,
        "Only the person designated by the organisation can answer for it, and only while sign-off is open.",
        status_code=403,
    )
