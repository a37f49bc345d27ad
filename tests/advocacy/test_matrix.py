"""The implementation matrix: its rows and filters, the assessment form with its concurrency and
history, the exports, the "Follows up" link of the coalition's own recommendations and the overview panel."""

import copy
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from advocacy.models import Assessment, AssessmentVersion
from advocacy.selectors import MatrixFilters, matrix_rows
from advocacy.services.matrix import AssessmentValues, StaleAssessment, assessment_restore, assessment_save
from submissions.models import Recommendation
from tests.advocacy.matrix_world import add_upr_recommendations, build_matrix_world
from tests.factories import ReviewFactory, SectionFactory, SessionFactory
from tests.factories.recommendations import add_recommendation
from tests.shared_data import module_rows

pytestmark = pytest.mark.django_db

matrix_world_rows = module_rows("matrix_world_rows", build_matrix_world)


@pytest.fixture
def world(matrix_world_rows, db):
    return copy.deepcopy(matrix_world_rows)


def paragraphs(world, **filters) -> list[str]:
    result = matrix_rows(coalition=world.coalition, review=world.previous, filters=MatrixFilters(**filters))
    return [row.recommendation.paragraph for row in result.rows]


def matrix_url(world, review=None) -> str:
    return reverse("advocacy:matrix", args=[world.coalition.pk, (review or world.previous).pk])


def edit_url(world, recommendation=None) -> str:
    return reverse("advocacy:assessment_edit", args=[world.coalition.pk, (recommendation or world.upr_torture).pk])


# Rows and filters.


def test_rows_in_paragraph_order_without_the_ones_marked_not_relevant(world):
    assert paragraphs(world) == ["140.7", "140.10"]


def test_rows_with_relevant_only_off_include_the_ones_marked_not_relevant(world):
    assert paragraphs(world, relevant_only=False) == ["140.7", "140.9", "140.10"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"level": "partially"}, ["140.7"]),
        ({"level": "not_assessed"}, ["140.10"]),
        ({"position": "noted"}, ["140.10"]),
        ({"text": "  PRIMARY health "}, ["140.10"]),
        ({"text": "bill was tabled"}, ["140.7"]),
        ({"text": "portugal"}, ["140.7"]),
    ],
)
def test_rows_filtered(world, filters, expected):
    assert paragraphs(world, **filters) == expected


def test_rows_filtered_by_cluster_and_theme(world):
    assert (
        paragraphs(world, cluster=world.cluster_b.pk),
        paragraphs(world, cluster=world.cluster_a.pk),
        paragraphs(world, theme=world.health.pk),
    ) == (["140.7"], [], ["140.10"])


def test_counts_per_level_are_of_the_filtered_rows(world):
    result = matrix_rows(coalition=world.coalition, review=world.previous, filters=MatrixFilters())

    assert (result.total, [(c.level, c.count) for c in result.counts]) == (
        2,
        [("not_implemented", 0), ("partially", 1), ("implemented", 0), ("no_information", 0), ("not_assessed", 1)],
    )


def test_matrix_page_shows_rows_counts_and_links(world, client):
    client.force_login(world.people["drafter"])

    response = client.get(matrix_url(world))

    assertContains(response, "Partially implemented: 1 of 2")
    assertContains(response, "Not assessed yet: 1 of 2")
    assertContains(response, f'id="row-{world.upr_torture.pk}"')
    assertContains(response, f'id="row-{world.upr_health.pk}"')
    assertNotContains(response, f'id="row-{world.upr_other.pk}"')
    assertContains(response, '<a href="https://example.org/bill" rel="nofollow">https://example.org/bill</a>')
    assertContains(response, "Section of B&#x27;s cluster</a>")
    assertContains(response, f'href="{edit_url(world)}"')


def test_matrix_page_filters_from_the_query_string(world, client):
    client.force_login(world.people["observer"])

    unticked = client.get(matrix_url(world), {"filtered": "True"})
    by_level = client.get(matrix_url(world), {"filtered": "True", "relevant": "on", "level": "not_assessed"})

    assertContains(unticked, f'id="row-{world.upr_other.pk}"')
    assertContains(by_level, f'id="row-{world.upr_health.pk}"')
    assertNotContains(by_level, f'id="row-{world.upr_torture.pk}"')
    # An observer reads and does not get the form's buttons.
    assertNotContains(unticked, f'href="{edit_url(world)}"')


def test_matrix_evidence_is_plain_text(world, client):
    assessment_save(
        coalition=world.coalition,
        recommendation=world.upr_health,
        actor=world.coordinator,
        values=AssessmentValues(level="implemented", evidence='<script>alert("x")</script>\nSecond line'),
        expected_version=0,
    )
    client.force_login(world.coordinator)

    response = client.get(matrix_url(world))

    assertContains(response, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>Second line")
    assertNotContains(response, '<script>alert("x")')


def test_matrix_query_count_does_not_grow_with_rows(world, client):
    client.force_login(world.coordinator)
    small = ReviewFactory(state=world.review.state, session=SessionFactory(number=30))
    large = ReviewFactory(state=world.review.state, session=SessionFactory(number=31))
    for review, count in ((small, 10), (large, 80)):
        rows = add_upr_recommendations(review, count, states=[world.portugal, world.maldives], terms=[world.health])
        for row in rows:
            assessment_save(
                coalition=world.coalition,
                recommendation=row,
                actor=world.coordinator,
                values=AssessmentValues(level="implemented", section_ids=(world.section_b.pk,)),
                expected_version=0,
            )
        recommendation = add_recommendation(world.section_b, author=world.coordinator, text=f"Follow up {count}.")
        recommendation.follows_up_recommendations.set(rows)
    client.get(matrix_url(world, small))  # warms the caches of the page's navigation

    with CaptureQueriesContext(connection) as small_queries:
        small_response = client.get(matrix_url(world, small))
    with CaptureQueriesContext(connection) as large_queries:
        large_response = client.get(matrix_url(world, large))

    assertContains(small_response, "Implemented: 10 of 10")
    assertContains(large_response, "Implemented: 80 of 80")
    assert len(large_queries.captured_queries) == len(small_queries.captured_queries) <= 30


# The assessment form.


def test_first_save_creates_the_assessment_and_its_first_version(world, client):
    client.force_login(world.people["drafter"])

    response = client.post(
        edit_url(world, world.upr_health),
        {
            "level": "not_implemented",
            "evidence": "The budget fell.\r\n",
            "sources": "Budget 2025\r\nInterview",
            "indicator": "Share of the budget",
            "baseline": "5%",
            "target": "15%",
            "responsible": "Ministry of Health",
            "cluster": world.cluster_b.pk,
            "relevant": "on",
            "sections": [world.section_b.pk, world.section_a.pk],
            "version": 0,
        },
    )

    assessment = Assessment.objects.get(coalition=world.coalition, recommendation=world.upr_health)
    assert response.status_code == 302
    assert (assessment.level, assessment.evidence, assessment.sources, assessment.version, assessment.cluster) == (
        "not_implemented",
        "The budget fell.",
        "Budget 2025\nInterview",
        1,
        world.cluster_b,
    )
    assert list(assessment.versions.values_list("number", "data", "saved_by")) == [
        (
            1,
            {
                "level": "not_implemented",
                "relevant": True,
                "cluster": world.cluster_b.pk,
                "evidence": "The budget fell.",
                "sources": "Budget 2025\nInterview",
                "indicator": "Share of the budget",
                "baseline": "5%",
                "target": "15%",
                "responsible": "Ministry of Health",
                "sections": sorted([world.section_b.pk, world.section_a.pk]),
            },
            world.people["drafter"].pk,
        )
    ]


def test_stale_save_is_refused_and_keeps_the_persons_text(world, client):
    client.force_login(world.people["drafter"])
    assessment_save(
        coalition=world.coalition,
        recommendation=world.upr_torture,
        actor=world.coordinator,
        values=AssessmentValues(level="implemented", evidence="Ratified by the coordinator's reading."),
        expected_version=1,
    )

    response = client.post(
        edit_url(world), {"level": "not_implemented", "evidence": "My own evidence, typed for an hour.", "version": 1}
    )

    assertContains(response, "Someone else saved this assessment while you were editing: here are both.")
    assertContains(response, "My own evidence, typed for an hour.")
    assertContains(response, "Ratified by the coordinator&#x27;s reading.")
    assertContains(response, 'name="version" value="2"')
    assert Assessment.objects.values_list("evidence", "version").get(pk=world.assessment.pk) == (
        "Ratified by the coordinator's reading.",
        2,
    )


def test_service_refuses_a_stale_version(world):
    with pytest.raises(StaleAssessment) as raised:
        assessment_save(
            coalition=world.coalition,
            recommendation=world.upr_torture,
            actor=world.coordinator,
            values=AssessmentValues(level="implemented"),
            expected_version=0,
        )

    assert raised.value.current.version == 1


def test_service_refuses_a_section_of_another_coalition(world):
    with pytest.raises(ValidationError):
        assessment_save(
            coalition=world.coalition,
            recommendation=world.upr_health,
            actor=world.coordinator,
            values=AssessmentValues(section_ids=(world.other_section.pk,)),
            expected_version=0,
        )

    assert not Assessment.objects.filter(recommendation=world.upr_health, coalition=world.coalition).exists()


def test_form_offers_only_the_coalitions_clusters_and_sections_of_the_state(world, client):
    other_review_section = SectionFactory(title="Section on another State")
    client.force_login(world.coordinator)

    response = client.get(edit_url(world))

    assertContains(response, "Joint submission on child rights: Section of B&#x27;s cluster")
    assertContains(response, "A&#x27;s cluster")
    assertNotContains(response, "The other coalition&#x27;s section")
    assertNotContains(response, other_review_section.title)


def test_restore_writes_a_new_version_with_the_old_values(world):
    assessment_save(
        coalition=world.coalition,
        recommendation=world.upr_torture,
        actor=world.people["drafter"],
        values=AssessmentValues(level="implemented", evidence="Done."),
        expected_version=1,
    )

    restored = assessment_restore(assessment=world.assessment, number=1, actor=world.people["cluster lead"])

    assert (restored.version, restored.level, restored.evidence, list(restored.sections.all())) == (
        3,
        "partially",
        "A bill was tabled in 2024.\nhttps://example.org/bill",
        [world.section_b],
    )
    assert list(AssessmentVersion.objects.filter(assessment=restored).values_list("number", "data__level")) == [
        (3, "partially"),
        (2, "implemented"),
        (1, "partially"),
    ]


def test_history_lists_versions_with_restore_buttons_for_older_ones(world, client):
    assessment_save(
        coalition=world.coalition,
        recommendation=world.upr_torture,
        actor=world.people["drafter"],
        values=AssessmentValues(level="implemented"),
        expected_version=1,
    )
    client.force_login(world.coordinator)

    response = client.get(reverse("advocacy:assessment_history", args=[world.coalition.pk, world.upr_torture.pk]))
    confirm = client.get(reverse("advocacy:assessment_restore", args=[world.coalition.pk, world.upr_torture.pk, 1]))

    assertContains(response, "The drafter")
    assertContains(response, "Implemented")
    assertContains(response, "Restore version 1")
    assertNotContains(response, "Restore version 2")
    assertContains(confirm, "Restore version 1 of the assessment of A/HRC/44/9, para. 140.7?")
    assert Assessment.objects.get(pk=world.assessment.pk).version == 2


# Exports.


def test_csv_is_the_filtered_matrix_with_a_bom_and_formulas_defused(world, client):
    assessment_save(
        coalition=world.coalition,
        recommendation=world.upr_health,
        actor=world.coordinator,
        values=AssessmentValues(level="implemented", evidence='=HYPERLINK("http://evil")'),
        expected_version=0,
    )
    client.force_login(world.people["reviewer"])

    response = client.get(
        reverse("advocacy:matrix_csv", args=[world.coalition.pk, world.previous.pk]),
        {
            "filtered": "True",
            "relevant": "on",
            "level": "implemented",
        },
    )

    text = response.content.decode("utf-8")
    lines = text.splitlines()
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert lines[0].startswith("\ufeffParagraph,Working Group report,Recommendation,")
    assert len(lines) == 2
    assert lines[1].startswith("140.10,A/HRC/44/9,Increase the health budget")
    assert ',Implemented,"\'=HYPERLINK(""http://evil"")",,' in lines[1]


def test_xlsx_holds_the_same_rows(world, client):
    from openpyxl import load_workbook

    client.force_login(world.people["observer"])

    response = client.get(reverse("advocacy:matrix_xlsx", args=[world.coalition.pk, world.previous.pk]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert [row[0] for row in values] == ["Paragraph", "140.7", "140.10"]
    assert values[1][3:10] == [
        "Maldives, Portugal",
        "Supported",
        "Torture and other cruel treatment",
        None,  # no group of persons
        "yes",
        "B's cluster",
        "Partially implemented",
    ]


# The coalition's own recommendations that follow a UN recommendation up.


def test_recommendation_form_offers_the_earlier_reviews_recommendations(world, client):
    later = ReviewFactory(state=world.review.state, session=SessionFactory(number=world.review.session.number + 5))
    add_upr_recommendations(later, 1, start=99)
    client.force_login(world.people["drafter"])

    response = client.get(reverse("submissions:recommendation_add", args=[world.submission.pk, world.section_b.pk]))

    assertContains(response, "A/HRC/44/9, para. 140.7: Ratify the Optional Protocol to the Convention against Torture.")
    assertContains(response, "Follows up")
    assertNotContains(response, "para. 140.99")


def test_recommendation_follows_up_shown_in_the_section_and_the_matrix(world, client):
    client.force_login(world.people["drafter"])

    response = client.post(
        reverse("submissions:recommendation_add", args=[world.submission.pk, world.section_b.pk]),
        {"text": "Ratify OPCAT by 2027.", "follows_up_recommendations": [world.upr_torture.pk]},
    )
    section_page = client.get(reverse("submissions:section", args=[world.submission.pk, world.section_b.pk]))
    matrix_page = client.get(matrix_url(world))

    added = Recommendation.objects.get(text="Ratify OPCAT by 2027.")
    assert response.status_code == 302
    assert list(added.follows_up_recommendations.all()) == [world.upr_torture]
    assertContains(section_page, "Follows up: A/HRC/44/9, para. 140.7")
    assertContains(matrix_page, "Section of B&#x27;s cluster, recommendation 1</a>: Ratify OPCAT by 2027.")


def test_recommendation_cannot_follow_up_one_of_a_later_review(world, client):
    later = ReviewFactory(state=world.review.state, session=SessionFactory(number=world.review.session.number + 5))
    [made_later] = add_upr_recommendations(later, 1, start=99)
    client.force_login(world.people["drafter"])

    response = client.post(
        reverse("submissions:recommendation_add", args=[world.submission.pk, world.section_b.pk]),
        {"text": "Ratify OPCAT by 2027.", "follows_up_recommendations": [made_later.pk]},
    )

    assert (response.status_code, list(response.context["form"].errors)) == (200, ["follows_up_recommendations"])
    assert not Recommendation.objects.filter(text="Ratify OPCAT by 2027.").exists()


# The overview panel.


def test_overview_panel_counts_the_previous_review(world, client):
    client.force_login(world.people["observer"])

    response = client.get(reverse("advocacy:overview", args=[world.coalition.pk]))

    assertContains(response, "Previous review: session 44.")
    assertContains(response, "3 recommendations imported, 2 assessed.")
    assertContains(response, f'href="{matrix_url(world)}"')
    assertContains(response, f'href="{matrix_url(world, world.review)}"')


def test_themes_and_groups_of_persons_are_named_apart_though_uhri_uses_one_word_for_both(world, client):
    from reviews.models import IndexTerm

    both = [
        IndexTerm.objects.create(kind=IndexTerm.Kind.THEME, name="Indigenous peoples"),
        IndexTerm.objects.create(kind=IndexTerm.Kind.PERSONS, name="Indigenous peoples"),
    ]
    world.upr_health.terms.add(*both)
    client.force_login(world.people["observer"])

    response = client.get(matrix_url(world))

    assertContains(response, "Themes: Indigenous peoples, Right to health<br>Affected persons: Indigenous peoples")
