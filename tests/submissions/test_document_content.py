"""The document's content: the organisations, numbered paragraphs and footnotes, the figures and the title."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from coalitions.models import CoalitionOrganisation
from submissions.documents.content import Block, document_content, document_title, ordinal
from tests.factories import CoalitionOrganisationFactory, OrganisationFactory, SectionFactory, UserFactory, write_text
from tests.factories.documents import document_world


@pytest.fixture
def world(db):
    world = document_world()
    world.submission.contact_name, world.submission.contact_email = "Aino Contact", "aino@example.org"
    world.submission.save(update_fields=["contact_name", "contact_email"])
    return world


def test_content_title_and_date_for_a_joint_submission(world):
    content = document_content(world.submission, today=datetime.date(2026, 11, 30))
    assert content.title == "Joint submission to the Universal Periodic Review of Finlandia, 52nd session (4th cycle)"
    assert (content.state_name, content.session_number, content.cycle_number) == ("Finlandia", 52, 4)
    assert content.date == datetime.date(2026, 11, 30)
    assert (content.coalition_name, content.coalition_acronym, content.coalition_logo_path) == (
        "Kenyana UPR Coalition",
        "KUC",
        None,
    )
    assert content.keywords == ("detention", "police custody")
    assert (content.contact_name, content.contact_email) == ("Aino Contact", "aino@example.org")
    assert content.executive_summary == "Hotel summary of the submission in eight words."


def test_content_title_of_an_individual_submission(world):
    world.submission.kind = "individual"
    world.submission.save(update_fields=["kind"])
    content = document_content(world.submission)
    assert content.title == "Submission to the Universal Periodic Review of Finlandia, 52nd session (4th cycle)"


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (52, "52nd"),
        (53, "53rd"),
        (111, "111th"),
        (112, "112th"),
        (101, "101st"),
    ],
)
def test_ordinal_english_suffixes(number, expected):
    with translation.override("en"):
        assert ordinal(number) == expected


def test_ordinal_french_and_spanish_forms():
    with translation.override("fr"):
        assert (ordinal(1, noun="cycle"), ordinal(1, noun="session"), ordinal(52, noun="session")) == (
            "1er",
            "1re",
            "52e",
        )
    with translation.override("es"):
        assert (ordinal(4, noun="cycle"), ordinal(52, noun="session")) == ("4.º", "52.º")


def test_document_title_session_and_cycle_ordinals():
    with translation.override("en"):
        title = document_title(joint=True, state="Kenya", session=41, cycle=3)
    assert title == "Joint submission to the Universal Periodic Review of Kenya, 41st session (3rd cycle)"


def test_content_organisations_with_city_and_country(world):
    content = document_content(world.submission)
    assert [(o.name, o.acronym, o.city, o.country, o.description) for o in content.organisations] == [
        ("Alpha Watch", "AW", "Nairobi", "Kenyana", "Alpha Watch monitors places of detention."),
        ("Bravo Legal Aid", "BLA", "Mombasa", "Kenyana", "Free legal aid."),
        ("Charlie Institute", "", "Kisumu", "Kenyana", ""),
    ]


def test_content_organisations_leave_out_those_that_left(world):
    CoalitionOrganisation.objects.filter(organisation=world.organisations[1]).update(
        status=CoalitionOrganisation.Status.LEFT
    )
    content = document_content(world.submission)
    assert [o.name for o in content.organisations] == ["Alpha Watch", "Charlie Institute"]


def test_content_paragraphs_numbered_across_sections(world):
    content = document_content(world.submission)
    kinds = [[(b.kind, b.number, b.level) for b in s.blocks] for s in content.sections]
    assert kinds == [
        [("paragraph", 1, None), ("paragraph", 2, None)],
        [("heading", None, 3), ("paragraph", 3, None), ("list", None, None), ("paragraph", 4, None)],
        [("paragraph", 5, None)],
    ]
    assert content.paragraph_numbers == [1, 2, 3, 4, 5]
    assert [(s.first_paragraph, s.last_paragraph) for s in content.sections] == [(1, 2), (3, 4), (5, 5)]
    assert [(s.title, s.version, s.budget) for s in content.sections] == [
        ("Introduction", 1, 300),
        ("Detention", 1, 20),
        ("Recommendations", 1, None),
    ]


def test_content_footnotes_numbered_through_the_document(world):
    content = document_content(world.submission)
    assert [(n.number, n.html) for n in content.footnotes] == [
        (1, "Visit reports archived by Alpha Watch."),
        (2, "Case files of Bravo Legal Aid."),
        (3, "Interviews held in March."),
        (4, "As recommended in the previous cycle."),
    ]
    detention = content.sections[1].blocks[1]
    assert detention.html == (
        '<p>Charlie detainees waited nineteen days in police cells.<span data-footnote-ref="2"></span>'
        '<span data-footnote-ref="3"></span></p>'
    )
    assert [n.number for n in detention.footnotes] == [2, 3]


def test_content_words_per_block_section_and_document(world):
    content = document_content(world.submission)
    first = content.sections[0].blocks[0]
    assert (first.words.body, first.words.notes) == (8, 6)
    assert [(b.words.body, b.words.notes) for b in content.sections[1].blocks] == [(2, 0), (8, 10), (8, 0), (6, 0)]
    assert [(s.words.body, s.words.notes) for s in content.sections] == [(14, 6), (24, 10), (10, 6)]
    # The executive summary's 8 words count as body words, as on the submission page.
    assert content.summary_words == 8
    assert (content.words.body, content.words.notes) == (14 + 24 + 10 + 8, 22)
    assert content.counted_words == 56 + 22
    assert (content.limit.max_words, content.limit.max_pages, content.limit.notes_count) == (5630, 10, True)


def test_content_counted_words_without_notes_when_the_limit_says_so(world):
    world.limit.notes_count = False
    world.limit.save(update_fields=["notes_count"])
    content = document_content(world.submission)
    assert content.counted_words == 56


def test_content_cleans_the_stored_text_again(world):
    section = world.sections[2]
    # Written behind the save service's back, as an old row or a direct database edit could be.
    type(section).objects.filter(pk=section.pk).update(
        body='<p onclick="x()">India<img src="http://127.0.0.1:1/x"><link rel="stylesheet" href="/x.css"></p>'
        '<a rel="attachment" href="file:///etc/passwd">Juliet</a>'
    )
    content = document_content(world.submission)
    assert [(b.kind, b.number, b.html) for b in content.sections[2].blocks] == [
        ("paragraph", 5, "<p>India</p>"),
        ("paragraph", 6, "<p>Juliet</p>"),
    ]


def test_content_loose_text_becomes_a_paragraph():
    from submissions.documents.content import _blocks, _Counter

    blocks = _blocks("Kilo <strong>loose</strong> text<p>Lima</p>", numbers=_Counter(), notes=_Counter())
    assert [(b.kind, b.number, b.html) for b in blocks] == [
        ("paragraph", 1, "<p>Kilo <strong>loose</strong> text</p>"),
        ("paragraph", 2, "<p>Lima</p>"),
    ]
    assert isinstance(blocks[0], Block)


def test_content_query_count_does_not_grow_with_sections_or_organisations(world):
    with CaptureQueriesContext(connection) as small:
        document_content(world.submission)
    author = UserFactory()
    for _ in range(3):
        write_text(SectionFactory(submission=world.submission), author=author, body="<p>More text.</p>")
        CoalitionOrganisationFactory(coalition=world.coalition, organisation=OrganisationFactory())
    with CaptureQueriesContext(connection) as large:
        content = document_content(world.submission)
    assert len(content.sections) == 6
    assert len(content.organisations) == 6
    # The submission, its sections, their recommendations, the signatories (two) and the limit.
    assert len(large) == len(small) <= 6
