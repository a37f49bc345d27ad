"""The pre-session statement: the spoken-length estimate, the draft from the submission, concurrency."""

import copy

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from advocacy.models import Statement, StatementVersion
from advocacy.services.statements import (
    PRE_SESSION_SECONDS,
    WORDS_PER_MINUTE,
    draft_from_submission,
    spoken_estimate,
)
from submissions.models import Submission
from tests.advocacy.lobbying_world import FIRST, SECOND, STATEMENT, THIRD, build_lobbying_world
from tests.shared_data import module_rows

pytestmark = pytest.mark.django_db

statements_world_rows = module_rows("statements_world_rows", build_lobbying_world)
SUMMARY = "Children are detained with adults.\nThe coalition asks for three changes."


@pytest.fixture
def world(statements_world_rows, db):
    world = copy.deepcopy(statements_world_rows)
    Submission.objects.filter(pk=world.submission.pk).update(executive_summary=SUMMARY)
    world.submission.executive_summary = SUMMARY
    return world


def words(n: int) -> str:
    return " ".join(["word"] * n)


def test_estimate_reads_130_words_a_minute_against_five_minutes():
    assert (WORDS_PER_MINUTE, PRE_SESSION_SECONDS) == (130, 300)
    at_limit, over = spoken_estimate(words(650)), spoken_estimate(words(652))

    assert (spoken_estimate(words(585)).message, at_limit.over, at_limit.warning) == (
        "About 4 min 30 s spoken, of the pre-session's 5 minutes.",
        False,
        "",
    )
    assert (over.seconds, over.over, over.warning, over.words_message) == (
        301,
        True,
        "Longer than the pre-session's 5 minutes: cut about 2 words.",
        "652 words at 130 words a minute.",
    )


def test_estimate_counts_words_by_the_portals_rule():
    # The portal's rule (upr_portal/wordcount.py): an em dash separates, a hyphen joins.
    assert spoken_estimate("rights—especially state-of-the-art A/HRC/52/1").words == 4


def test_estimate_endpoint_answers_with_the_servers_count(world, client):
    client.force_login(world.people["observer"])

    response = client.post(
        reverse("advocacy:statement_estimate", args=[world.coalition.pk, world.submission.pk]), {"text": words(700)}
    )

    assert response.json() == {
        "words": 700,
        "seconds": 323,
        "over": True,
        "message": "About 5 min 23 s spoken, of the pre-session's 5 minutes.",
        "words_message": "700 words at 130 words a minute.",
        "warning": "Longer than the pre-session's 5 minutes: cut about 50 words.",
    }


def test_page_warns_when_the_statement_is_over_five_minutes(world, client):
    Statement.objects.filter(pk=world.statement.pk).update(text=words(700))
    client.force_login(world.people["reviewer"])

    response = client.get(reverse("advocacy:statement", args=[world.coalition.pk, world.submission.pk]))

    assertContains(response, "Longer than the pre-session&#x27;s 5 minutes: cut about 50 words.")
    assertContains(response, 'role="status"')


def test_draft_gathers_the_summary_the_section_titles_and_the_recommendations(world):
    assert draft_from_submission(world.submission) == (
        f"{SUMMARY}\n\nSection of B's cluster\nSection of A's cluster\n\n"
        f"We ask the State under review to:\n1. {FIRST}\n2. {SECOND}\n3. {THIRD}"
    )


def test_draft_seeds_an_empty_statement_without_asking(world, client):
    Statement.objects.filter(pk=world.statement.pk).delete()
    client.force_login(world.coordinator)

    response = client.post(
        reverse("advocacy:statement_draft", args=[world.coalition.pk, world.submission.pk]), {"version": 0}
    )

    statement = Statement.objects.get(submission=world.submission)
    assert (response.status_code, statement.text, statement.version) == (
        302,
        draft_from_submission(world.submission),
        1,
    )


def test_draft_asks_before_replacing_a_written_statement(world, client):
    client.force_login(world.coordinator)

    response = client.post(
        reverse("advocacy:statement_draft", args=[world.coalition.pk, world.submission.pk]), {"version": 1}
    )

    assertContains(response, "Replace the statement with a draft from the submission?")
    assertContains(response, 'name="replace" value="1"')
    assert Statement.objects.values_list("text", "version").get(pk=world.statement.pk) == (STATEMENT, 1)


def test_stale_save_is_refused_and_keeps_the_persons_text(world, client):
    client.force_login(world.people["cluster lead"])

    response = client.post(
        reverse("advocacy:statement", args=[world.coalition.pk, world.submission.pk]),
        {"text": "My edit made on an old copy.", "version": 0},
    )

    assertContains(response, "Someone saved the statement while you were editing it.")
    assertContains(response, "My edit made on an old copy.</textarea>")
    assert (Statement.objects.get(pk=world.statement.pk).text, StatementVersion.objects.count()) == (STATEMENT, 1)


def test_history_restores_an_earlier_version_as_a_new_one(world, client):
    client.force_login(world.coordinator)
    url = reverse("advocacy:statement", args=[world.coalition.pk, world.submission.pk])
    client.post(url, {"text": "Second text.", "version": 1})

    client.post(
        reverse("advocacy:statement_restore", args=[world.coalition.pk, world.submission.pk, 1]), {"version": 2}
    )
    history = client.get(reverse("advocacy:statement_history", args=[world.coalition.pk, world.submission.pk]))

    assert list(StatementVersion.objects.values_list("number", "text")) == [
        (3, STATEMENT),
        (2, "Second text."),
        (1, STATEMENT),
    ]
    assertContains(history, "Restore version 2")
    assertNotContains(history, "Restore version 3")


def test_restoring_a_version_that_does_not_exist_answers_404(world, client):
    client.force_login(world.coordinator)

    response = client.post(
        reverse("advocacy:statement_restore", args=[world.coalition.pk, world.submission.pk, 9]), {"version": 1}
    )

    assert response.status_code == 404
