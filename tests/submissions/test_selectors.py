"""Word totals: whether footnote words count is the document limit's setting, decided in one place."""

import pytest

from submissions.selectors import submission_totals
from tests.factories import (
    DocumentLimitFactory,
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
