"""upr_portal/tables.py: a link for every row without a reverse() each, and the digest rows are cached under."""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from upr_portal.tables import reverse_each, rows_digest, templates_version


def test_reverse_each_gives_the_url_reverse_gives_for_every_id():
    edit = reverse_each("submissions:section_edit", 12)

    assert [edit(pk) for pk in (1, 7, 12, 4096)] == [
        reverse("submissions:section_edit", args=[12, pk]) for pk in (1, 7, 12, 4096)
    ]


def test_reverse_each_without_arguments_before_the_id_gives_the_url_reverse_gives():
    profile = reverse_each("coalitions:organisation")

    assert (profile(3), profile(250)) == (
        reverse("coalitions:organisation", args=[3]),
        reverse("coalitions:organisation", args=[250]),
    )


def test_reverse_each_with_an_argument_equal_to_its_placeholder_still_reverses_right():
    # The placeholder then appears twice in the pattern: each id goes through reverse() instead.
    placeholder = 987_654_321_987_654_321
    edit = reverse_each("submissions:section_edit", placeholder)

    assert edit(5) == reverse("submissions:section_edit", args=[placeholder, 5])


@dataclass(frozen=True, slots=True)
class Row:
    title: str
    words: int


def test_rows_digest_is_the_same_for_the_same_rows_and_context():
    assert rows_digest([Row("Torture", 120)], True) == rows_digest([Row("Torture", 120)], True)


def test_rows_digest_changes_with_any_value_the_rows_or_the_context_show():
    digest = rows_digest([Row("Torture", 120), Row("Children", 80)], True)

    assert {
        rows_digest([Row("Torture", 121), Row("Children", 80)], True),
        rows_digest([Row("Torture", 120), Row("Children", 80)], False),
        rows_digest([Row("Children", 80), Row("Torture", 120)], True),
        rows_digest([Row("Torture", 120)], True),
    }.isdisjoint({digest})


@pytest.fixture
def templates_folder(settings, tmp_path):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    (tmp_path / "table.html").write_text("<td>{{ row.title }}</td>")
    templates_version.cache_clear()
    yield tmp_path
    templates_version.cache_clear()


def test_rows_digest_changes_when_a_template_changes(templates_folder):
    before = rows_digest([Row("Torture", 120)])

    (templates_folder / "table.html").write_text('<td class="title">{{ row.title }}</td>')
    templates_version.cache_clear()

    assert rows_digest([Row("Torture", 120)]) != before
