"""Recommendations: the services (numbering, checklist, confirmation), the pages, the lobbying plan,
its CSV, and their place in the counts and the generated documents."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains

from coalitions.models import AuditEvent
from submissions import selectors
from submissions.documents.content import document_content
from submissions.documents.docx import render_docx
from submissions.documents.pdf import render_pdf
from submissions.errors import SubmissionError
from submissions.models import Recommendation
from submissions.models.recommendations import RECOMMENDATION_MAX_LENGTH
from submissions.recommendation_selectors import lobbying_plan, recommendation_words, theme_suggestions
from submissions.services import recommendations as services
from submissions.services.recommendations import SMART_FIELDS
from tests.factories import StateFactory
from tests.factories.documents import document_world
from tests.factories.recommendations import add_recommendation
from tests.submissions.conftest import World
from tests.submissions.pdf_text import joined, pdf_runs
from tests.submissions.test_document_docx import docx_words, paragraph_text, xml
from upr_portal.wordcount import count_words

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script> & <b>bold</b>'


def texts(section) -> list[tuple[int, str]]:
    return list(section.recommendations.order_by("position").values_list("position", "text"))


@pytest.fixture
def drafter(world):
    return world.people["drafter"]


# Services: numbering.


def test_add_numbers_recommendations_one_to_n_in_their_section(world, drafter):
    for text in ("First.", "Second.", "Third."):
        add_recommendation(world.section_b, author=drafter, text=text)
    add_recommendation(world.section_a, author=drafter, text="Other section.")

    assert (texts(world.section_b), texts(world.section_a)) == (
        [(1, "First."), (2, "Second."), (3, "Third.")],
        [(1, "Other section.")],
    )


def test_delete_renumbers_the_rest(world, drafter):
    _first, second, _third = (add_recommendation(world.section_b, author=drafter, text=t) for t in ("A.", "B.", "C."))

    services.recommendation_delete(recommendation=second, actor=drafter)

    assert texts(world.section_b) == [(1, "A."), (2, "C.")]


def test_move_swaps_with_neighbour_and_stops_at_the_ends(world, drafter):
    first, _second, third = (add_recommendation(world.section_b, author=drafter, text=t) for t in ("A.", "B.", "C."))

    services.recommendation_move(recommendation=third, actor=drafter, offset=-1)
    after_up = texts(world.section_b)
    services.recommendation_move(recommendation=Recommendation.objects.get(pk=first.pk), actor=drafter, offset=-1)
    after_top = texts(world.section_b)
    services.recommendation_move(recommendation=Recommendation.objects.get(pk=first.pk), actor=drafter, offset=1)

    assert (after_up, after_top, texts(world.section_b)) == (
        [(1, "A."), (2, "C."), (3, "B.")],
        [(1, "A."), (2, "C."), (3, "B.")],
        [(1, "C."), (2, "A."), (3, "B.")],
    )


def test_add_collapses_whitespace_and_keeps_theme_and_states(world, drafter):
    kenya, holy_see = StateFactory(name="Kenya"), StateFactory(name="Holy See", status="observer")

    recommendation = add_recommendation(
        world.section_b, author=drafter, text="  Adopt\n a law.  ", theme=" Detention ", states=[kenya, holy_see]
    )

    assert (recommendation.text, recommendation.theme, recommendation.created_by) == (
        "Adopt a law.",
        "Detention",
        drafter,
    )
    assert sorted(recommendation.recommending_states.values_list("name", flat=True)) == ["Holy See", "Kenya"]


def test_add_refuses_empty_and_too_long_text(world, drafter):
    with pytest.raises(SubmissionError) as empty:
        services.recommendation_add(section=world.section_b, actor=drafter, text="   ")
    with pytest.raises(SubmissionError) as long:
        services.recommendation_add(section=world.section_b, actor=drafter, text="a" * (RECOMMENDATION_MAX_LENGTH + 1))

    assert (empty.value.message, long.value.message) == (
        "Write the recommendation.",
        f"A recommendation can have at most {RECOMMENDATION_MAX_LENGTH} characters; this one has "
        f"{RECOMMENDATION_MAX_LENGTH + 1}.",
    )
    assert Recommendation.objects.count() == 0


def test_services_refuse_a_final_submission(world, drafter):
    recommendation = Recommendation.objects.create(
        submission=world.final_submission, section=world.final_section, position=1, text="Kept."
    )
    world.final_section.submission = world.final_submission
    recommendation.section = world.final_section

    with pytest.raises(SubmissionError):
        services.recommendation_add(section=world.final_section, actor=drafter, text="New.")
    with pytest.raises(SubmissionError):
        services.recommendation_delete(recommendation=recommendation, actor=drafter)

    assert texts(world.final_section) == [(1, "Kept.")]


# Services: the SMART checklist.


def test_confirm_records_who_and_audits(world, drafter):
    reviewer = world.people["reviewer"]
    recommendation = add_recommendation(world.section_b, author=drafter, text="Adopt a law by 2027.", smart="all")

    services.recommendation_confirm_smart(recommendation=recommendation, actor=reviewer)

    recommendation.refresh_from_db()
    assert (recommendation.smart_confirmed_by, recommendation.smart_confirmed_at is not None) == (reviewer, True)
    event = AuditEvent.objects.get(action=AuditEvent.Action.SMART_CONFIRMED)
    assert (event.coalition, event.actor, event.subject, event.details) == (
        world.coalition,
        reviewer,
        world.section_b.title,
        {
            "submission": world.submission.pk,
            "section": world.section_b.pk,
            "recommendation": recommendation.pk,
            "number": 1,
        },
    )


def test_confirm_refuses_an_incomplete_checklist(world, drafter):
    recommendation = add_recommendation(
        world.section_b, author=drafter, text="Adopt a law.", smart=["smart_specific", "smart_relevant"]
    )

    with pytest.raises(SubmissionError) as refused:
        services.recommendation_confirm_smart(recommendation=recommendation, actor=world.people["reviewer"])

    assert refused.value.message == (
        "Only a recommendation with all five SMART criteria ticked can be confirmed; this one has 2."
    )
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SMART_CONFIRMED).count() == 0


def confirmed(world, drafter) -> Recommendation:
    return add_recommendation(
        world.section_b, author=drafter, text="Adopt a law by 2027.", smart="all", confirmed_by=world.people["reviewer"]
    )


def test_changing_the_text_withdraws_the_confirmation(world, drafter):
    recommendation = confirmed(world, drafter)

    result = services.recommendation_change(
        recommendation=recommendation, actor=drafter, text="Adopt a law by 2028.", smart=SMART_FIELDS
    )

    recommendation.refresh_from_db()
    assert (result.confirmation_withdrawn, recommendation.smart_confirmed_by, recommendation.smart_confirmed_at) == (
        True,
        None,
        None,
    )


def test_changing_the_ticks_withdraws_the_confirmation(world, drafter):
    recommendation = confirmed(world, drafter)

    result = services.recommendation_tick(recommendation=recommendation, actor=drafter, smart=SMART_FIELDS[:4])

    recommendation.refresh_from_db()
    assert (result.confirmation_withdrawn, recommendation.smart_confirmed_at, len(recommendation.smart_ticked)) == (
        True,
        None,
        4,
    )


def test_changing_only_theme_and_states_keeps_the_confirmation(world, drafter):
    recommendation = confirmed(world, drafter)

    result = services.recommendation_change(
        recommendation=recommendation,
        actor=drafter,
        text="Adopt a law by 2027.",
        theme="Justice",
        states=[StateFactory()],
        smart=SMART_FIELDS,
    )

    recommendation.refresh_from_db()
    assert (result.confirmation_withdrawn, recommendation.smart_confirmed_by) == (False, world.people["reviewer"])


def test_edit_page_says_the_confirmation_was_withdrawn(world, drafter, client):
    recommendation = confirmed(world, drafter)
    client.force_login(drafter)
    url = reverse("submissions:recommendation_edit", args=[world.submission.pk, world.section_b.pk, recommendation.pk])

    response = client.post(url, {"text": "Adopt a law by 2030.", "smart": SMART_FIELDS}, follow=True)

    assertContains(response, "The reviewer&#x27;s confirmation of its SMART checklist is withdrawn")
    assertContains(response, "not confirmed")


# The section page.


def test_section_page_lists_recommendations_numbered_with_states_and_smart_state(world, drafter, client):
    holy_see = StateFactory(name="Holy See", status="observer")
    add_recommendation(
        world.section_b, author=drafter, text="Adopt a law by 2027.", smart="all", confirmed_by=world.coordinator
    )
    add_recommendation(
        world.section_b, author=drafter, text="Publish figures.", states=[holy_see], smart=SMART_FIELDS[:2]
    )
    client.force_login(world.people["observer"])

    response = client.get(reverse("submissions:section", args=[world.submission.pk, world.section_b.pk]))

    page = response.content.decode()
    assert page.index("Adopt a law by 2027.") < page.index("Publish figures.")
    assertContains(response, "SMART: 5 of 5 ticked", count=1)
    assertContains(response, "SMART: 2 of 5 ticked", count=1)
    assertContains(response, "confirmed by The coordinator")
    assertContains(response, "Holy See (observer)")
    assertContains(response, '<ol class="recommendation-list">')
    assertContains(response, "7 words, counted with the section's text against its budget and the limit")
    # The observer reads, and is offered no button to change or confirm.
    assertNotContains(response, "Edit recommendation 1")
    assertNotContains(response, "Confirm the SMART checklist")


def test_section_page_shows_recommendation_text_as_text(world, drafter, client):
    add_recommendation(world.section_b, author=drafter, text=XSS, theme="<i>theme</i>")
    client.force_login(drafter)

    response = client.get(reverse("submissions:section", args=[world.submission.pk, world.section_b.pk]))

    assertContains(response, escape(XSS))
    assertContains(response, escape("<i>theme</i>"))
    assertNotContains(response, '<script>alert("x")</script>')


def test_add_form_offers_states_grouped_with_observers_and_theme_suggestions(world, client):
    StateFactory(name="Holy See", status="observer")
    client.force_login(world.people["drafter"])

    response = client.get(reverse("submissions:recommendation_add", args=[world.submission.pk, world.section_b.pk]))

    assertContains(response, '<optgroup label="Observer State">')
    assertContains(response, '<option value="A&#x27;s cluster">')
    assertContains(response, '<option value="Rights of the child">')
    assertContains(response, 'list="recommendation-themes"')


def test_theme_suggestions_clusters_first_then_suggested_without_duplicates(world):
    suggestions = theme_suggestions(submission=world.submission)

    assert suggestions[:2] == ["A's cluster", "B's cluster"]
    assert suggestions.count("Rights of the child") == 1


# The lobbying plan.


@pytest.fixture
def plan_world(world, drafter) -> World:
    world.kenya = StateFactory(name="Kenya")
    world.holy_see = StateFactory(name="Holy See", status="observer")
    world.brazil = StateFactory(name="Brazil")
    add_recommendation(
        world.section_b, author=drafter, text="B1.", theme="Detention", states=[world.kenya, world.brazil]
    )
    add_recommendation(world.section_b, author=drafter, text="B2.", theme="", states=[world.holy_see], smart="all")
    add_recommendation(world.section_a, author=drafter, text="A1.", theme="Trafficking", states=[world.kenya])
    add_recommendation(world.section_a, author=drafter, text="A2.", theme="Detention")
    return world


def test_lobbying_plan_groups_by_theme_and_by_state_exactly(plan_world):
    plan = lobbying_plan(submission=plan_world.submission)

    def group(g):
        return (g.key, g.observer, [r.text for r in g.recommendations])

    assert [group(g) for g in plan.by_theme] == [
        ("Detention", False, ["B1.", "A2."]),
        ("Trafficking", False, ["A1."]),
        ("", False, ["B2."]),
    ]
    assert [group(g) for g in plan.by_state] == [
        ("Brazil", False, ["B1."]),
        ("Holy See", True, ["B2."]),
        ("Kenya", False, ["B1.", "A1."]),
    ]
    assert [r.text for r in plan.without_state] == ["A2."]


def test_lobbying_plan_page_shows_counts(plan_world, client):
    client.force_login(plan_world.people["observer"])

    response = client.get(reverse("submissions:lobbying_plan", args=[plan_world.submission.pk]))

    assertContains(response, "4 recommendations in this submission.")
    assertContains(response, "3 States to ask.")
    assertContains(response, 'Kenya <span class="badge text-bg-secondary">2</span>')
    assertContains(response, 'Detention <span class="badge text-bg-secondary">2</span>')
    assertContains(response, 'No State chosen yet <span class="badge text-bg-secondary">1</span>')


def test_lobbying_plan_csv_rows_one_per_recommendation_and_state(plan_world, client):
    client.force_login(plan_world.people["drafter"])

    response = client.get(reverse("submissions:lobbying_plan_csv", args=[plan_world.submission.pk]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        [
            "Section",
            "Number",
            "Theme",
            "State to ask",
            "Observer State",
            "Recommendation",
            "SMART criteria ticked",
            "SMART confirmed by",
        ],
        ["Section of B's cluster", "1", "Detention", "Brazil", "no", "B1.", "0/5", ""],
        ["Section of B's cluster", "1", "Detention", "Kenya", "no", "B1.", "0/5", ""],
        ["Section of B's cluster", "2", "", "Holy See", "yes", "B2.", "5/5", ""],
        ["Section of A's cluster", "1", "Trafficking", "Kenya", "no", "A1.", "0/5", ""],
        ["Section of A's cluster", "2", "Detention", "", "", "A2.", "0/5", ""],
    ]


def test_lobbying_plan_csv_defuses_formulas(world, drafter, client):
    add_recommendation(world.section_b, author=drafter, text='=HYPERLINK("http://x")', theme="+theme")
    client.force_login(drafter)

    response = client.get(reverse("submissions:lobbying_plan_csv", args=[world.submission.pk]))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert (rows[1][2], rows[1][5]) == ("'+theme", '\'=HYPERLINK("http://x")')


def _fill(world: World, count: int) -> None:
    states = [StateFactory(), StateFactory(status="observer")]
    for number in range(count):
        section = world.section_b if number % 2 else world.section_a
        add_recommendation(
            section,
            author=world.people["drafter"],
            text=f"Recommendation {number}.",
            theme=f"Theme {number % 3}",
            states=states,
            smart="all",
            confirmed_by=world.coordinator if number % 4 == 0 else None,
        )


@pytest.mark.parametrize("name", ["lobbying_plan", "lobbying_plan_csv", "section"])
def test_recommendation_pages_queries_do_not_grow(name, world, client):
    client.force_login(world.people["drafter"])
    args = [world.submission.pk] if name != "section" else [world.submission.pk, world.section_a.pk]
    url = reverse(f"submissions:{name}", args=args)
    counts = []
    for total in (5, 50):
        Recommendation.objects.all().delete()
        _fill(world, total)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        # The last one of section A (the even numbers), which every page lists.
        assertContains(response, f"Recommendation {total - 2 + total % 2}.")
        counts.append(len(captured))

    assert counts[0] == counts[1]


# The counts: the recommendations are words of their section.


def test_recommendation_words_count_in_section_and_submission_totals(world, drafter, client):
    add_recommendation(world.section_b, author=drafter, text="Adopt a law on juvenile justice by 2027.")  # 8 words
    add_recommendation(world.section_a, author=drafter, text="Fund shelters.")  # 2 words

    sections = selectors.sections_for_overview(submission=world.submission)
    totals = selectors.submission_totals(submission=world.submission, sections=sections)
    counts = selectors.section_counts(submission=world.submission)

    assert recommendation_words(submission=world.submission) == {world.section_b.pk: 8, world.section_a.pk: 2}
    assert [totals.counted_words(s) for s in sections] == [
        world.section_b.body_words + 8,
        world.section_a.body_words + 2,
    ]
    text_words = world.section_b.body_words + world.section_a.body_words
    assert totals.body_words == text_words + 10
    assert selectors.submission_totals(submission=world.submission, sections=counts).counted == totals.counted
    client.force_login(drafter)
    response = client.get(reverse("submissions:detail", args=[world.submission.pk]))
    assertContains(response, f"{text_words + 10} of 5,630 words")


# The documents: one more numbered paragraph each, at the end of the section.


@pytest.fixture
def documented():
    world = document_world()
    author = world.sections[0].last_edited_by
    first, last = world.sections[0], world.sections[-1]
    add_recommendation(first, author=author, text="Adopt a juvenile justice law by 2027.")
    add_recommendation(first, author=author, text=XSS)
    add_recommendation(last, author=author, text="Publish the figures every year.")
    return world


def test_document_content_numbers_recommendations_after_their_section(documented):
    content = document_content(documented.submission)

    first, last = content.sections[0], content.sections[-1]
    tail = [(b.kind, b.number, b.recommendation) for b in first.blocks[-2:]]
    assert tail == [
        ("paragraph", first.last_paragraph - 1, True),
        ("paragraph", first.last_paragraph, True),
    ]
    assert content.sections[1].first_paragraph == first.last_paragraph + 1
    assert last.blocks[-1].html == "<p>Publish the figures every year.</p>"
    assert first.blocks[-1].html == f"<p>{escape(XSS).replace('&#x27;', chr(39)).replace('&quot;', chr(34))}</p>"
    assert content.paragraph_numbers == list(range(1, len(content.paragraph_numbers) + 1))
    extra = count_words("Adopt a juvenile justice law by 2027.") + count_words(XSS)
    sections = selectors.sections_for_overview(submission=documented.submission)
    assert first.words.body == documented.sections[0].body_words + extra
    totals = selectors.submission_totals(submission=documented.submission, sections=sections)
    assert content.counted_words == totals.counted


def test_docx_holds_recommendations_as_numbered_paragraphs_and_counts_them(documented):
    content = document_content(documented.submission)

    docx = render_docx(content)

    paragraphs = [
        paragraph_text(p)
        for p in xml(docx, "word/document.xml").iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p")
    ]
    assert "Adopt a juvenile justice law by 2027." in paragraphs
    assert XSS in paragraphs
    assert docx_words(docx) == (content.words.body, content.words.notes)


def test_pdf_holds_recommendations_with_their_numbers(documented):
    content = document_content(documented.submission)
    first = content.sections[0]

    text = joined(pdf_runs(render_pdf(content).pdf_bytes))

    assert f"{first.last_paragraph - 1}. Adopt a juvenile justice law by 2027." in text or (
        f"{first.last_paragraph - 1} Adopt a juvenile justice law by 2027." in text
    )
    assert 'alert("x")' in text
