"""The "After the review" demo (advocacy/demo.py): the previous cycle's recommendations, the matrix, the
lobbying log, the factsheet, the statement and the uptake, seeded as `seed_demo` seeds them."""

import copy
import csv
import datetime
import importlib.util
from collections import Counter

import pytest
from django.utils import timezone

from advocacy.demo import (
    ASSESSMENTS,
    OUTCOME_FILE,
    PREVIOUS_FILE,
    PREVIOUS_REPORT,
    demo_after_review_seed,
)
from advocacy.models import Assessment, AssessmentVersion, Factsheet, Meeting, Statement, UptakeMatch
from coalitions.demo import demo_seed
from reviews.models import IndexTerm, RecommendationImport, StateAlias, UPRRecommendation
from reviews.recommendation_import import StateMatcher, read_recommendations
from reviews.services import reference_data_load
from submissions.demo import TITLE, demo_submission_seed
from submissions.demo_coordination import RECOMMENDATIONS, demo_cluster_submission_seed
from submissions.models import Recommendation
from tests.shared_data import module_rows
from upr_portal.wordcount import count_words

pytestmark = pytest.mark.django_db


def build_seeded():
    # The real States, aliases and 4th-cycle calendar, as `make run` loads them before seed_demo.
    reference_data_load()
    report = demo_seed()
    submission = demo_submission_seed(coalition=report.coalition, review=report.review)
    demo_cluster_submission_seed(coalition=report.coalition, review=report.review)
    after = demo_after_review_seed(coalition=report.coalition, review=report.review)
    return report, submission, after


seeded_rows = module_rows("seeded_rows", build_seeded)


@pytest.fixture
def seeded(seeded_rows, db):
    return copy.deepcopy(seeded_rows)


def _counts() -> dict[str, int]:
    return {
        "recommendations": UPRRecommendation.objects.count(),
        "state links": UPRRecommendation.recommending_states.through.objects.count(),
        "term links": UPRRecommendation.terms.through.objects.count(),
        "terms": IndexTerm.objects.count(),
        "assessments": Assessment.objects.count(),
        "assessment versions": AssessmentVersion.objects.count(),
        "assessment sections": Assessment.sections.through.objects.count(),
        "meetings": Meeting.objects.count(),
        "raised": Meeting.raised.through.objects.count(),
        "factsheets": Factsheet.objects.count(),
        "statements": Statement.objects.count(),
        "matches": UptakeMatch.objects.count(),
        "follows up": Recommendation.follows_up_recommendations.through.objects.count(),
        "imports": RecommendationImport.objects.count(),
    }


def _parsed(path):
    return read_recommendations(path.read_bytes(), file_name=path.name, matcher=StateMatcher(states=[], aliases=[]))


def test_demo_files_read_as_uhri_exports_without_mapping_or_problems():
    previous = _parsed(PREVIOUS_FILE)
    outcome = _parsed(OUTCOME_FILE)

    assert (previous.needs_mapping, previous.problems, outcome.needs_mapping, outcome.problems) == (
        False,
        [],
        False,
        [],
    )
    assert previous.report_symbol == PREVIOUS_REPORT
    assert [row.paragraph for row in previous.rows] == [f"81.{n}" for n in range(1, 41)]
    assert Counter(row.position for row in previous.rows) == {"supported": 31, "noted": 8, "partially_supported": 1}
    assert [row.paragraph for row in outcome.rows] == [f"99.{n}" for n in range(1, 9)]
    assert all(row.themes and row.persons and row.sdgs for row in previous.rows + outcome.rows)


def test_thematic_list_generator_writes_a_word_file_the_import_reads(tmp_path):
    spec = importlib.util.spec_from_file_location("make_thematic_list", PREVIOUS_FILE.parent / "make_thematic_list.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    from_csv = {row.paragraph: row for row in _parsed(PREVIOUS_FILE).rows}

    for merged in (False, True):
        out = script.build(tmp_path / f"list-{merged}.docx", merged=merged)
        parsed = _parsed(out)

        assert (parsed.file_format, parsed.problems, parsed.report_symbol) == ("docx", [], PREVIOUS_REPORT)
        assert sorted(row.paragraph for row in parsed.rows) == sorted(from_csv)
        for row in parsed.rows:
            expected = from_csv[row.paragraph]
            assert (row.text, row.state_names, row.position) == (
                expected.text,
                expected.state_names,
                expected.position,
            ), row.paragraph
            if not merged:  # a merged row gives its recommendations one themes cell
                assert (row.themes, row.persons, row.sdgs) == (expected.themes, expected.persons, expected.sdgs)
            assert row.position_source == "A/HRC/52/9/Add.1 - Para.3"


def test_demo_files_name_observers_and_an_alias():
    with PREVIOUS_FILE.open(encoding="utf-8", newline="") as handle:
        named = {name.strip() for row in csv.DictReader(handle) for name in row["UPR Recommending States"].split(";")}

    assert {"Holy See", "State of Palestine", "Turkey", "Türkiye"} <= named


def test_previous_review_is_finlands_4th_cycle_review(seeded):
    report, _submission, after = seeded
    review = after.previous_review

    assert (review.state, review.session.number, review.session.cycle.number) == (report.review.state, 41, 4)
    assert after.previous == 40
    assert review.recommendations.count() == 40
    assert set(review.recommendations.values_list("report_symbol", flat=True)) == {PREVIOUS_REPORT}
    imported = RecommendationImport.objects.get(review=review)
    figures = {key: imported.summary[key] for key in ("new", "supported", "noted", "links", "unresolved")}
    assert imported.file_name == PREVIOUS_FILE.name
    assert figures == {"new": 40, "supported": 31, "noted": 8, "links": 59, "unresolved": []}


def test_previous_recommendations_positions(seeded):
    _report, _submission, after = seeded
    positions = Counter(after.previous_review.recommendations.values_list("position", flat=True))

    assert positions == {"supported": 31, "noted": 8, "partially_supported": 1}


def test_recommending_states_resolved_including_the_alias_and_observers(seeded):
    _report, _submission, after = seeded
    recommendations = after.previous_review.recommendations.prefetch_related("recommending_states")
    by_paragraph = {rec.paragraph: rec for rec in recommendations}

    alias = StateAlias.objects.get(name="Turkey")
    assert [s.code for s in by_paragraph["81.40"].recommending_states.order_by("code")] == ["PRT", alias.state.code]
    assert by_paragraph["81.40"].recommending_states_text == "Portugal; Turkey"
    assert [s.code for s in by_paragraph["81.13"].recommending_states.all()] == ["VAT"]
    assert [s.code for s in by_paragraph["81.3"].recommending_states.order_by("code")] == ["PER", "PSE"]
    # Every name given was matched to a State.
    for rec in recommendations:
        assert len(rec.recommending_states.all()) == len(rec.recommending_states_text.split("; ")), rec.paragraph


def test_previous_recommendations_terms_sdgs_and_order(seeded):
    _report, _submission, after = seeded
    rec = after.previous_review.recommendations.get(paragraph="81.10")

    assert sorted(rec.terms.filter(kind=IndexTerm.Kind.PERSONS).values_list("name", flat=True)) == [
        "Children",
        "Migrants",
    ]
    assert rec.sdgs == [10, 16]
    assert rec.fingerprint  # stored by the import service, which tells a re-import "unchanged"
    # 81.10 sorts after 81.9: bulk_create skipped save(), so the seed split the paragraph itself.
    paragraphs = list(after.previous_review.recommendations.values_list("paragraph", flat=True))
    assert paragraphs[8:11] == ["81.9", "81.10", "81.11"]


def test_matrix_assessments_use_every_level(seeded):
    report, _submission, _after = seeded
    assessments = Assessment.objects.filter(coalition=report.coalition)

    assert assessments.count() == len(ASSESSMENTS) == 12
    assert Counter(assessments.values_list("level", flat=True)) == {
        "partially": 5,
        "not_implemented": 3,
        "implemented": 2,
        "no_information": 2,
    }
    assert not assessments.filter(evidence="").exists()
    assert not assessments.filter(sources="").exists()


def test_matrix_assessment_has_indicator_section_cluster_and_version(seeded):
    report, submission, _after = seeded
    assessment = Assessment.objects.get(coalition=report.coalition, recommendation__paragraph="81.5")

    assert (assessment.indicator, assessment.baseline, assessment.target) == (
        "Remand prisoners held in police facilities for more than four days, per year",
        "1,150 (2022)",
        "0 by the end of 2028",
    )
    section = submission.sections.get(title="Torture and conditions of detention")
    assert list(assessment.sections.all()) == [section]
    assert assessment.cluster.name == "Torture and conditions of detention"
    version = assessment.versions.get()
    assert (version.number, assessment.version) == (1, 1)
    assert version.data["level"] == "partially"
    assert version.data["sections"] == [section.pk]


def test_own_recommendations_follow_up_previous_ones(seeded):
    report, _submission, _after = seeded
    asks = Recommendation.objects.filter(submission__coalition=report.coalition, text=RECOMMENDATIONS[0][0])

    assert sorted(asks.get().follows_up_recommendations.values_list("paragraph", flat=True)) == ["81.5", "81.7"]


def test_lobbying_log_three_meetings_one_follow_up_ahead(seeded):
    report, _submission, _after = seeded
    meetings = Meeting.objects.filter(coalition=report.coalition, review=report.review).order_by("held_on")

    assert [(m.state.code, m.channel) for m in meetings] == [
        ("SWE", Meeting.Channel.EMBASSY),
        ("DEU", Meeting.Channel.EMBASSY),
        ("MEX", Meeting.Channel.MISSION),
    ]
    today = timezone.localdate()
    assert all(m.held_on < today for m in meetings)
    assert [m.follow_up_on for m in meetings if m.follow_up_on] == [today + datetime.timedelta(days=12)]
    assert [m.raised.count() for m in meetings] == [2, 1, 1]


def test_factsheet_lists_previous_recommendations_and_asks(seeded):
    report, _submission, _after = seeded
    factsheet = Factsheet.objects.get(coalition=report.coalition)

    assert factsheet.theme == "Torture and conditions of detention"
    assert sorted(factsheet.previous.values_list("paragraph", flat=True)) == ["81.5", "81.6", "81.7"]
    assert sorted(factsheet.asks.values_list("text", flat=True)) == sorted(spec[0] for spec in RECOMMENDATIONS)


def test_statement_fits_the_five_minutes_of_the_pre_session(seeded):
    _report, submission, _after = seeded
    statement = Statement.objects.get(submission=submission)

    assert submission.title == TITLE
    assert 250 < count_words(statement.text) <= 5 * 130
    assert statement.versions.get().text == statement.text


def test_outcome_recommendations_and_the_confirmed_match(seeded):
    report, _submission, after = seeded
    match = UptakeMatch.objects.get(coalition=report.coalition)

    assert after.outcome == 8
    assert report.review.recommendations.count() == 8
    assert match.status == UptakeMatch.Status.CONFIRMED
    assert (match.asked.text, match.made.paragraph) == (RECOMMENDATIONS[0][0], "99.1")
    assert sorted(match.made.recommending_states.values_list("code", flat=True)) == ["DEU", "SWE"]
    assert match.made.position == UPRRecommendation.Position.SUPPORTED
    assert match.score >= 60
    assert match.decided_by.email == "coordinator@demo.example.org"
    assert after.confirmed == 1


def test_seed_again_changes_nothing(seeded, django_assert_max_num_queries):
    report, _submission, _after = seeded
    before = _counts()

    with django_assert_max_num_queries(30):
        again = demo_after_review_seed(coalition=report.coalition, review=report.review)

    assert _counts() == before
    assert (again.previous, again.assessed, again.meetings, again.factsheets, again.outcome, again.confirmed) == (
        40,
        12,
        3,
        1,
        8,
        1,
    )


def test_seed_keeps_a_users_edits(seeded):
    report, _submission, _after = seeded
    assessment = Assessment.objects.get(coalition=report.coalition, recommendation__paragraph="81.9")
    assessment.level = Assessment.Level.PARTIALLY
    assessment.save(update_fields=["level"])
    recommendation = assessment.recommendation
    recommendation.text = "Edited by an administrator"
    recommendation.save(update_fields=["text"])

    demo_after_review_seed(coalition=report.coalition, review=report.review)

    assessment.refresh_from_db()
    recommendation.refresh_from_db()
    assert (assessment.level, recommendation.text) == ("partially", "Edited by an administrator")
