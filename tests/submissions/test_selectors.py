"""Word totals: whether footnote words count is the document limit's setting, decided in one place."""

import pytest
from django.contrib.auth.models import AnonymousUser

from coalitions.rules import can
from submissions.models import Section
from submissions.selectors import sections_drafted_by, sections_for_overview, submission_totals, with_assignees
from tests.factories import (
    DocumentLimitFactory,
    OrganisationFactory,
    ReviewFactory,
    SectionFactory,
    SessionFactory,
    SubmissionFactory,
    UserFactory,
    write_text,
)

pytestmark = pytest.mark.django_db

# 3 words in the text, 2 in a footnote.
TEXT = '<p>one two three<span data-footnote="">four five</span></p>'


@pytest.mark.parametrize(("notes_count", "counted"), [(True, 5), (False, 3)])
def test_submission_totals_count_notes_as_the_limit_says(notes_count, counted):
    limit = DocumentLimitFactory(notes_count=notes_count)
    submission = SubmissionFactory(review=ReviewFactory(session=SessionFactory(cycle=limit.cycle)))
    section = SectionFactory(submission=submission)
    write_text(section, author=UserFactory(), body=TEXT)

    totals = submission_totals(submission=submission, sections=[section])

    assert (totals.body_words, totals.note_words, totals.notes_count) == (3, 2, notes_count)
    assert (totals.counted, totals.counted_words(section)) == (counted, counted)


def test_submission_totals_without_a_limit_count_notes():
    section = SectionFactory()
    write_text(section, author=UserFactory(), body=TEXT)

    totals = submission_totals(submission=section.submission, sections=[section])

    assert (totals.limit, totals.counted, totals.counted_words(section)) == (None, 5, 5)


# The sections a person drafts (the home page's "my sections").


@pytest.mark.parametrize(
    ("person", "titles"),
    [
        ("anonymous", []),
        ("outsider", []),
        ("observer", []),
        ("reviewer", []),
        # Organisation B's people: its section, not the final submission's (read-only now).
        ("drafter", ["Section of B's cluster"]),
        ("cluster lead", ["Section of B's cluster"]),
        # May edit every section, but none is assigned to the secretariat.
        ("coordinator", []),
    ],
)
def test_sections_drafted_by_lists_the_persons_sections(world, person, titles):
    user = world.people[person] or AnonymousUser()

    assert [section.title for section in sections_drafted_by(user=user)] == titles


# Coordinators left out (the outsider coordinates the other coalition): they may edit every section.
@pytest.mark.parametrize("person", ["observer", "reviewer", "drafter", "cluster lead"])
def test_sections_drafted_by_agrees_with_the_edit_rule_outside_coordination(world, person):
    user = world.people[person]
    # Assigned by name as well, and a section of A's cluster now led by B: every way into the rule.
    world.section_a.assigned_people.add(world.people["drafter"], world.people["reviewer"])
    world.cluster_a.lead_organisation = world.org_b
    world.cluster_a.save(update_fields=["lead_organisation"])
    everything = Section.objects.select_related("submission", "cluster").order_by("pk")

    editable = {section.pk for section in everything if can(user, "submissions.edit_section", section)}

    assert {section.pk for section in sections_drafted_by(user=user)} == editable


# Who sections are assigned to, read in bulk (with_assignees, sections_for_overview).


def test_with_assignees_lists_people_by_name_and_organisations_by_name_showing_acronyms(django_assert_num_queries):
    submission = SubmissionFactory()
    section = SectionFactory(
        submission=submission,
        assigned_people=[UserFactory(full_name="Zed Zulu"), UserFactory(full_name="", email="anna@example.org")],
        assigned_organisations=[
            OrganisationFactory(name="Beta Legal Aid", acronym="ZZZ"),
            OrganisationFactory(name="Alpha Watch", acronym=""),
        ],
    )
    empty = SectionFactory(submission=submission)

    with django_assert_num_queries(1):
        with_assignees([section, empty])

    assert [[name for _pk, name in s.assignees.people] for s in (section, empty)] == [
        ["anna@example.org", "Zed Zulu"],
        [],
    ]
    assert [name for _pk, name in section.assignees.organisations] == ["Alpha Watch", "ZZZ"]
    assert empty.assignees.organisations == ()


def test_sections_for_overview_assignees_give_the_edit_rule_what_the_relations_give(world):
    listed = {s.pk: s for s in sections_for_overview(submission=world.submission)}

    for person in ("drafter", "cluster lead", "reviewer", "coordinator", "outsider"):
        user = world.people[person]
        for section in Section.objects.filter(submission=world.submission):
            assert can(user, "submissions.edit_section", listed[section.pk]) == can(
                user, "submissions.edit_section", section
            ), (person, section.title)
