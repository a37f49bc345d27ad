"""The section editor's picker of previous recommendations (submissions/views/previous_recommendations.py):
only the recommendations of the submission's State's earlier reviews, at most twenty, each with the
citation it inserts; the picker on the editor page; and docs/permissions.md's
``matrix:recommendation-picker``, one test per cell (a JSON API: 401, 404 and 403 with a message)."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from coalitions.access import REFUSALS
from reviews.models import IndexTerm, RecommendationPosition, State, UPRRecommendation
from submissions.models import Submission
from submissions.views.previous_recommendations import citation_text
from tests.factories import ReviewFactory, SessionFactory, StateFactory
from tests.permissions_matrix import read_matrix
from tests.submissions.test_permissions import MISSING, database_state

pytestmark = pytest.mark.django_db

ROLES, MATRIX = read_matrix("matrix:recommendation-picker")
CELLS = [(action, role, outcome) for action, row in MATRIX.items() for role, outcome in row.items()]

TORTURE = "Ratify the Optional Protocol to the Convention against Torture"


def recommendation(review, paragraph, text=TORTURE, *, position=RecommendationPosition.SUPPORTED, states=()):
    row = UPRRecommendation.objects.create(
        review=review, report_symbol="A/HRC/44/9", paragraph=paragraph, text=text, position=position
    )
    row.recommending_states.set(states)
    return row


def earlier_review(world, *, before: int = 15, state=None):
    """A review of the world's State (or ``state``) ``before`` sessions before the world's review."""
    session = world.review.session
    earlier = SessionFactory(number=session.number - before, cycle=session.cycle, wg_start=None)
    return ReviewFactory(state=state or world.review.state, session=earlier)


def picker_url(section) -> str:
    return reverse("submissions:previous_recommendations", args=[section.submission_id, section.pk])


def found(client, section, **query) -> list[dict]:
    response = client.get(picker_url(section), query)
    assert (response.status_code, response["Content-Type"]) == (200, "application/json")
    return response.json()["results"]


def test_picker_lists_only_earlier_reviews_of_the_same_state(world, client):
    earlier = earlier_review(world)
    kept = recommendation(earlier, "140.7")
    recommendation(world.review, "99.1")  # the submission's own review: not earlier
    later = ReviewFactory(
        state=world.review.state,
        session=SessionFactory(number=world.review.session.number + 5, cycle=world.review.session.cycle),
    )
    recommendation(later, "12.1")
    recommendation(earlier_review(world, before=20, state=StateFactory(name="Elsewhere")), "140.8")
    client.force_login(world.people["drafter"])

    assert [result["id"] for result in found(client, world.section_b)] == [kept.pk]


def test_picker_of_a_mid_term_report_includes_its_own_review(world, client):
    own = recommendation(world.review, "99.1")
    earlier = recommendation(earlier_review(world), "140.7")
    Submission.objects.filter(pk=world.submission.pk).update(kind=Submission.Kind.MID_TERM)
    client.force_login(world.coordinator)

    assert [result["id"] for result in found(client, world.section_b)] == [own.pk, earlier.pk]


def test_picker_searches_the_text_and_answers_twenty_at_most(world, client):
    review = earlier_review(world)
    for number in range(1, 26):
        recommendation(review, f"150.{number}", f"Protect human rights defenders, measure {number}")
    recommendation(review, "140.7")
    client.force_login(world.people["drafter"])

    assert (
        len(found(client, world.section_b)),
        [r["citation"] for r in found(client, world.section_b, q="torture")],
    ) == (
        20,
        ["A/HRC/44/9, para. 140.7"],
    )


def test_picker_result_carries_the_citation_to_insert(world, client):
    observer = StateFactory(name="Holy See", status=State.Status.OBSERVER)
    portugal = StateFactory(name="Portugal")
    recommendation(earlier_review(world), "140.7", states=[portugal, observer])
    client.force_login(world.people["drafter"])

    (result,) = found(client, world.section_b)

    assert {key: value for key, value in result.items() if key not in ("id", "review")} == {
        "citation": "A/HRC/44/9, para. 140.7",
        "text": TORTURE,
        "position": "Supported",
        "states": "Holy See (observer), Portugal",
        "insert": f"A/HRC/44/9, para. 140.7 (supported): “{TORTURE}”",
    }


def test_citation_text_trims_a_long_recommendation_with_an_ellipsis(world):
    text = "Adopt " + " ".join(["comprehensive"] * 40) + " legislation"
    row = recommendation(earlier_review(world), "140.9", text, position=RecommendationPosition.PARTIALLY_SUPPORTED)

    inserted = citation_text(row)

    quote = inserted.removeprefix("A/HRC/44/9, para. 140.9 (partially supported): “").removesuffix("”")
    assert (len(quote), quote.endswith("…"), text.startswith(quote[:-1])) == (200, True, True)


def test_editor_page_offers_the_picker_hidden_until_its_script_runs(world, client):
    client.force_login(world.people["drafter"])

    response = client.get(reverse("submissions:section_edit", args=[world.submission.pk, world.section_b.pk]))

    assertContains(
        response,
        '<button type="button" class="btn btn-outline-secondary btn-sm" data-picker-open hidden '
        'aria-haspopup="dialog">Insert a previous recommendation</button>',
        html=True,
    )
    assertContains(response, f'data-url="{picker_url(world.section_b)}"')
    assertContains(response, "js/recommendation-picker.js")


def test_picker_terms_are_not_needed(world, client):
    # A recommendation without themes or States (an import that matched none) is still listed.
    IndexTerm.objects.create(name="Unused theme")
    row = recommendation(earlier_review(world), "140.7")
    client.force_login(world.people["drafter"])

    assert [(r["id"], r["states"]) for r in found(client, world.section_b)] == [(row.pk, "")]


SECTIONS = {
    "search previous recommendations from the section of B's cluster": "section_b",
    "search previous recommendations from the section of A's cluster": "section_a",
    "search previous recommendations from a section of a final submission": "final_section",
}


def test_matrix_roles_are_the_people_of_the_fixture(world):
    assert list(world.people) == ROLES


def test_matrix_every_action_has_a_section():
    assert sorted(MATRIX) == sorted(SECTIONS)


@pytest.mark.parametrize(("action", "role", "outcome"), CELLS, ids=[f"{a}-{r}" for a, r, _o in CELLS])
def test_matrix_cell(action, role, outcome, world, client):
    recommendation(earlier_review(world), "140.7")
    if world.people[role] is not None:
        client.force_login(world.people[role])
    before = database_state()

    response = client.get(picker_url(getattr(world, SECTIONS[action])), {"q": "torture"})

    if outcome == "yes":
        assert (response.status_code, [r["citation"] for r in response.json()["results"]]) == (
            200,
            ["A/HRC/44/9, para. 140.7"],
        )
    else:
        status, error = {"login": (401, "signed_out"), "404": (404, "not_found"), "403": (403, "forbidden")}[outcome]
        assert (response.status_code, response.json()["error"]) == (status, error)
        if outcome == "403":
            assert response.json()["message"] == str(REFUSALS["submissions.edit_section"])
    assert database_state() == before


def test_outsider_gets_the_same_404_for_existing_and_missing_section(world, client):
    client.force_login(world.people["outsider"])
    existing = client.get(picker_url(world.section_b))
    missing = client.get(reverse("submissions:previous_recommendations", args=[world.submission.pk, MISSING]))

    assert (existing.status_code, existing.json()) == (missing.status_code, missing.json())
