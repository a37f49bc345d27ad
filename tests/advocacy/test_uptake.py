"""Uptake after the review: proposing matches, deciding them, the figures and the page."""

import copy
import csv
import io
import random
import string

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from advocacy.models import Meeting, UptakeMatch
from advocacy.services import uptake as services
from advocacy.uptake_selectors import uptake_of_review, uptake_overview
from reviews.models import UPRRecommendation
from submissions.models import Recommendation
from tests.advocacy.uptake_world import build_uptake_world, made
from tests.factories import ReviewFactory, StateFactory
from tests.factories.recommendations import add_recommendation
from tests.shared_data import module_rows
from upr_portal.admin_export import BYTE_ORDER_MARK

pytestmark = pytest.mark.django_db

uptake_rows = module_rows("uptake_rows", build_uptake_world)


@pytest.fixture
def world(uptake_rows, db):
    return copy.deepcopy(uptake_rows)


def statuses(world) -> dict[tuple[int, int], tuple[str, float]]:
    return {
        (m.asked_id, m.made_id): (m.status, m.score)
        for m in UptakeMatch.objects.filter(coalition=world.coalition).order_by("pk")
    }


# Normalising and scoring: plain functions.


def test_normalised_casefolds_drops_stop_words_and_keeps_accents():
    assert services.normalised("Ratify the Convention, and REPORT on the Convention.", language="en") == (
        "convention ratify report"
    )
    assert services.normalised("Ratifier la Convention de l'État", language="fr") == "convention ratifier état"


def test_candidates_keep_at_most_three_above_the_threshold_best_first():
    made_rows = [(n, f"ratify the convention against torture {'now' * n}", frozenset()) for n in range(1, 6)]
    made_rows.append((9, "increase the education budget", frozenset()))

    found = services.candidates(asks=[(1, "Ratify the Convention against Torture", "en", frozenset())], made=made_rows)

    assert [made_id for made_id, _score in found[1]] == [1, 2, 3]
    assert all(score >= services.SIMILARITY_THRESHOLD for _made_id, score in found[1])


def test_candidates_add_the_bonus_when_a_target_state_made_it():
    ask = "Separate children from adults in detention"
    text = "Ensure that children deprived of liberty are separated from adults"
    plain = services.candidates(asks=[(1, ask, "en", frozenset())], made=[(7, text, frozenset({5}))])
    targeted = services.candidates(asks=[(1, ask, "en", frozenset({5}))], made=[(7, text, frozenset({5}))])

    assert targeted[1][0][1] == min(plain[1][0][1] + services.TARGET_STATE_BONUS, 100)


def test_candidates_reach_the_threshold_with_the_bonus_only_for_the_target_state():
    ask = "Adopt a law on the protection of human rights defenders"
    text = "Take measures to protect journalists and human rights activists"  # 56.6 without the bonus
    score = services.candidates(asks=[(1, ask, "en", frozenset())], made=[(7, text, frozenset({5}))])
    with_bonus = services.candidates(asks=[(1, ask, "en", frozenset({5}))], made=[(7, text, frozenset({5}))])

    assert (score[1], len(with_bonus[1])) == ([], 1)


WORDS = [
    "ratify",
    "convention",
    "torture",
    "children",
    "detention",
    "adults",
    "women",
    "violence",
    "police",
    "custody",
    "courts",
    "budget",
    "health",
    "education",
    "rural",
    "defenders",
    "journalists",
    "law",
    "protection",
    "elections",
    "minorities",
    "indigenous",
    "land",
    "water",
    "housing",
    "eviction",
    "disability",
    "access",
    "justice",
    "prisons",
    "trafficking",
    "migrants",
    "asylum",
    "refugees",
    "language",
    "school",
]


def test_candidates_at_the_scale_of_a_real_review_pair_each_paraphrase_with_its_ask():
    # The topic's usual words, and a vocabulary of 1,500 others as real recommendations have. Its time
    # at this scale is a figure of `make bench` (scripts/bench_uptake.py), not a timed test.
    rng = random.Random(12)
    vocabulary = WORDS + ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 11))) for _ in range(1500)]
    asks = [(n, " ".join(rng.choices(vocabulary, k=24)), "en", frozenset({n % 40})) for n in range(300)]
    made_rows = [(n, " ".join(rng.choices(vocabulary, k=20)), frozenset({n % 50})) for n in range(280)]
    # Every tenth made one is a paraphrase (reordered, upper case) of the ask of the same number.
    for n in range(0, 280, 10):
        words = asks[n][1].split()
        made_rows[n] = (n, " ".join(reversed(words)).upper(), made_rows[n][2])

    found = services.candidates(asks=asks, made=made_rows)

    for n in range(0, 280, 10):
        assert found[n][0][0] == n
        assert found[n][0][1] == 100


# Proposing, with the world's asks and made recommendations.


def test_propose_proposes_the_similar_ones_and_keeps_decisions(world):
    result = services.uptake_propose(coalition=world.coalition, review=world.review, actor=world.coordinator)

    assert (result.asks, result.made, result.new, result.dropped) == (3, 4, 1, 0)
    assert statuses(world) == {
        # France made it and was asked: 94.2 + 10.
        (world.ask_torture.pk, world.made_torture.pk): ("proposed", 100.0),
        (world.ask_children.pk, world.made_children.pk): ("proposed", 80.4),
        (world.ask_defenders.pk, world.made_education.pk): ("rejected", 61.0),
        (world.ask_defenders.pk, world.made_defenders.pk): ("proposed", 67.8),
    }


def test_propose_again_changes_nothing_and_never_duplicates(world):
    services.uptake_propose(coalition=world.coalition, review=world.review, actor=world.coordinator)
    services.uptake_decide(match=world.proposed, actor=world.coordinator, action="confirm")
    before = statuses(world)

    result = services.uptake_propose(coalition=world.coalition, review=world.review, actor=world.coordinator)

    assert (statuses(world), result.new, result.dropped) == (before, 0, 0)


def test_propose_drops_proposals_no_longer_candidates(world):
    world.made_children.text = "Increase the number of judges in rural courts"
    world.made_children.save()

    result = services.uptake_propose(coalition=world.coalition, review=world.review, actor=world.coordinator)

    assert result.dropped == 1
    assert not UptakeMatch.objects.filter(pk=world.proposed_children.pk).exists()


def test_propose_runs_the_same_queries_for_three_or_thirty_asks(world):
    def queries() -> int:
        # Each run has proposals to add and proposals whose score changes (one insert, one update).
        UptakeMatch.objects.filter(status=UptakeMatch.Status.PROPOSED).update(score=0)
        with CaptureQueriesContext(connection) as context:
            services.uptake_propose(coalition=world.coalition, review=world.review, actor=world.coordinator)
        return len(context.captured_queries)

    few = queries()
    for n in range(27):
        add_recommendation(world.section_a, author=world.coordinator, text=f"Ratify the convention number {n}.")
        made(world.review, f"151.{n + 1}", f"Ratify the convention number {n} soon", "supported", [world.brazil])

    assert queries() == few


# Deciding.


@pytest.mark.parametrize(
    ("action", "status", "decided"), [("confirm", "confirmed", True), ("reject", "rejected", True)]
)
def test_decide_confirm_and_reject_name_who_decided(world, action, status, decided):
    match = services.uptake_decide(match=world.proposed, actor=world.people["cluster lead"], action=action)

    assert (match.status, match.decided_by, match.decided_at is not None) == (
        status,
        world.people["cluster lead"],
        decided,
    )


def test_undo_brings_a_rejection_back_to_proposed(world):
    match = services.uptake_decide(match=world.rejected, actor=world.coordinator, action="undo")

    assert (match.status, match.decided_by, match.decided_at) == ("proposed", None, None)


def test_decide_refuses_an_unknown_action(world):
    with pytest.raises(services.UptakeError):
        services.uptake_decide(match=world.proposed, actor=world.coordinator, action="delete")


def test_match_by_hand_is_confirmed(world):
    match = services.uptake_match_manually(
        coalition=world.coalition,
        review=world.review,
        asked=world.ask_defenders,
        made=world.made_defenders,
        actor=world.coordinator,
    )

    assert (match.status, match.decided_by, match.score) == ("confirmed", world.coordinator, 67.8)


def test_match_by_hand_refuses_a_recommendation_of_another_review(world):
    other = made(ReviewFactory(state=world.review.state), "99.1", "Ratify it", "supported")

    with pytest.raises(services.UptakeError):
        services.uptake_match_manually(
            coalition=world.coalition,
            review=world.review,
            asked=world.ask_defenders,
            made=other,
            actor=world.coordinator,
        )


def test_match_by_hand_refuses_another_coalitions_recommendation(world):
    theirs = add_recommendation(world.other_section, author=world.people["outsider"], text="Ratify the convention.")

    with pytest.raises(services.UptakeError):
        services.uptake_match_manually(
            coalition=world.coalition,
            review=world.review,
            asked=theirs,
            made=world.made_torture,
            actor=world.coordinator,
        )


# The figures.


def confirm_all(world) -> None:
    for match in (world.proposed, world.proposed_children):
        services.uptake_decide(match=match, actor=world.coordinator, action="confirm")


def figures(rows) -> list[tuple]:
    return [(row.label, row.asked, row.made, row.supported, row.met) for row in rows]


def test_figures_per_theme_and_per_state(world):
    confirm_all(world)
    services.uptake_match_manually(
        coalition=world.coalition,
        review=world.review,
        asked=world.ask_defenders,
        made=world.made_defenders,
        actor=world.coordinator,
    )

    result = uptake_of_review(coalition=world.coalition, review=world.review)

    assert figures(result.themes) == [
        ("Civic space", 1, 1, 1, 0),
        ("Detention", 1, 1, 1, 0),
        ("Juvenile justice", 1, 1, 0, 0),
    ]
    assert figures(result.states) == [
        # Met, not asked, made the defenders' ask (supported).
        ("Brazil", 0, 1, 1, 1),
        ("France", 1, 1, 1, 0),
        ("Portugal", 1, 1, 0, 0),
    ]
    assert (result.total.asked, result.total.made, result.total.supported) == (3, 3, 2)


def test_figures_count_only_confirmed_matches(world):
    result = uptake_of_review(coalition=world.coalition, review=world.review)

    assert (result.total.asked, result.total.made, result.total.supported) == (3, 0, 0)
    assert [len(row.made) for row in result.taken_up] == [0, 0, 0]
    assert [m.pk for m in result.proposed] == [world.proposed.pk, world.proposed_children.pk]
    assert [ask.pk for ask in result.without_proposal] == [world.ask_defenders.pk]


def test_taken_up_names_the_made_recommendations_and_their_states(world):
    confirm_all(world)

    rows = uptake_of_review(coalition=world.coalition, review=world.review).taken_up

    assert [(row.ask.pk, [m.paragraph for m in row.made], [s.name for s in row.states]) for row in rows] == [
        (world.ask_torture.pk, ["150.1"], ["France"]),
        (world.ask_children.pk, ["150.2"], ["Portugal"]),
        (world.ask_defenders.pk, [], []),
    ]


def test_overview_figures_per_review(world):
    confirm_all(world)
    empty_review = ReviewFactory()
    world.coalition.reviews.add(empty_review)

    rows = uptake_overview(coalition=world.coalition, reviews=[world.review, empty_review])

    assert [(r.review, r.asked, r.made, r.supported, r.proposed, r.mid_term) for r in rows] == [
        (world.review, 3, 2, 1, 0, None),
        (empty_review, 0, 0, 0, 0, None),
    ]


# The page and the CSV.


def page_url(world) -> str:
    return reverse("advocacy:uptake", args=[world.coalition.pk, world.review.pk])


def test_page_runs_the_same_queries_for_three_or_twenty_asks(world, client):
    client.force_login(world.coordinator)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assertContains(client.get(page_url(world)), "Which of our asks were taken up")
        return len(context.captured_queries)

    confirm_all(world)
    few = queries()
    for n in range(17):
        state = StateFactory()
        ask = add_recommendation(
            world.section_a, author=world.coordinator, text=f"Ask {n}", theme=f"Theme {n}", states=[state]
        )
        made_one = made(world.review, f"152.{n + 1}", f"Made {n}", "supported", [state])
        UptakeMatch.objects.create(
            coalition=world.coalition, asked=ask, made=made_one, score=80, status=UptakeMatch.Status.CONFIRMED
        )
        UptakeMatch.objects.create(coalition=world.coalition, asked=ask, made=world.made_education, score=60)
        Meeting.objects.create(coalition=world.coalition, review=world.review, state=state, held_on="2026-03-03")

    assert queries() == few


def test_page_shows_proposals_side_by_side_with_buttons(world, client):
    client.force_login(world.people["cluster lead"])

    response = client.get(page_url(world))

    assertContains(response, '<span class="fw-semibold">A/HRC/60/12, para. 150.1</span>', count=1)
    assertContains(response, 'name="action" value="confirm"', count=2)
    assertContains(response, 'name="action" value="undo"', count=1)
    assertContains(response, "Match to...")


def test_page_of_a_review_the_coalition_does_not_work_on_is_404(world, client):
    client.force_login(world.coordinator)

    response = client.get(reverse("advocacy:uptake", args=[world.coalition.pk, ReviewFactory().pk]))

    assertContains(response, "Page not found", status_code=404)


def test_confirm_through_the_page_then_the_csv_names_the_state(world, client):
    client.force_login(world.coordinator)
    url = reverse("advocacy:uptake_decide", args=[world.coalition.pk, world.review.pk, world.proposed.pk])

    response = client.post(url, {"action": "confirm"})

    assertRedirects(response, page_url(world) + "#decided", fetch_redirect_response=False)
    csv_response = client.get(reverse("advocacy:uptake_csv", args=[world.coalition.pk, world.review.pk]))
    text = csv_response.content.decode("utf-8")
    assert text.startswith(BYTE_ORDER_MARK)
    rows = list(csv.reader(io.StringIO(text.removeprefix(BYTE_ORDER_MARK))))
    assert rows[1] == [
        world.ask_torture.text,
        "Detention",
        "France",
        "yes",
        f"A/HRC/60/12, para. 150.1: {world.made_torture.text}",
        "France",
        "Supported",
    ]
    assert [row[3] for row in rows[2:]] == ["no", "no"]


def test_csv_defuses_a_formula(world, client):
    Recommendation.objects.filter(pk=world.ask_torture.pk).update(text="=SUM(A1:A2)")
    client.force_login(world.people["observer"])

    text = client.get(reverse("advocacy:uptake_csv", args=[world.coalition.pk, world.review.pk])).content.decode()

    rows = list(csv.reader(io.StringIO(text.removeprefix(BYTE_ORDER_MARK))))
    assert rows[1][0] == "'=SUM(A1:A2)"


def test_propose_for_three_hundred_asks_and_280_made_end_to_end(world):
    """The whole service, reads and writes included, on the scale of a real review."""
    rng = random.Random(7)
    vocabulary = WORDS + ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 11))) for _ in range(1500)]
    asks = Recommendation.objects.bulk_create(
        Recommendation(
            submission=world.submission,
            section=world.section_a,
            position=n,
            text=" ".join(rng.choices(vocabulary, k=24)),
        )
        for n in range(297)
    )
    made_rows = UPRRecommendation.objects.bulk_create(
        UPRRecommendation(
            review=world.review,
            paragraph=f"160.{n}",
            paragraph_major=160,
            paragraph_minor=n,
            # Every tenth one a paraphrase of an ask, so that there are proposals to write.
            text=asks[n].text.upper() if n % 10 == 0 else " ".join(rng.choices(vocabulary, k=20)),
        )
        for n in range(276)
    )
    assert (len(asks) + 3, len(made_rows) + 4) == (300, 280)

    result = services.uptake_propose(coalition=world.coalition, review=world.review, actor=world.coordinator)

    assert (result.asks, result.made) == (300, 280)
    assert result.new >= 28


@pytest.mark.parametrize(("role", "links"), [("coordinator", 1), ("cluster lead", 0)])
def test_page_links_the_import_of_the_outcome_for_those_who_may_import(world, client, role, links):
    client.force_login(world.people[role])

    response = client.get(page_url(world))

    import_url = reverse("advocacy:import", kwargs={"pk": world.coalition.pk, "review_pk": world.review.pk})
    assertContains(response, f'href="{import_url}"', count=links)
