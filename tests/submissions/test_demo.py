"""The demo submission: realistic sections in different states, written through the save service."""

import itertools

import pytest

from coalitions.demo import CLUSTERS, demo_scale_seed, demo_seed
from coalitions.rules import can
from reviews.models import State
from submissions.demo import SECTIONS, TEXTS, demo_large_submission_seed, demo_submission_seed
from submissions.models import Section, SectionVersion, Submission
from submissions.sanitize import clean_html
from submissions.selectors import submission_totals
from submissions.services.submissions import submission_limit
from tests.factories import CycleFactory, DocumentLimitFactory
from upr_portal.wordcount import count_html, words_counted

JOINT_LIMIT = 5630


@pytest.fixture
def seeded(db):
    State.objects.create(code="FIN", name="Finland")
    DocumentLimitFactory(cycle=CycleFactory(number=4), kind="joint", max_words=JOINT_LIMIT)
    report = demo_seed()
    submission = demo_submission_seed(coalition=report.coalition, review=report.review)
    return report, submission


def sections_of(submission: Submission) -> list[Section]:
    return list(submission.sections.order_by("position"))


def test_sections_in_order_with_several_versions(seeded):
    _report, submission = seeded
    sections = sections_of(submission)
    assert len(sections) >= 8
    assert [s.title for s in sections] == [spec.title for spec in SECTIONS]
    versions = {s.pk: s.versions.count() for s in sections}
    assert sum(1 for n in versions.values() if n >= 2) >= 6
    for section in sections:
        assert versions[section.pk] == section.version
        numbers = list(section.versions.order_by("version").values_list("version", flat=True))
        assert numbers == list(range(1, section.version + 1))
        assert not section.versions.exclude(kind=SectionVersion.Kind.SAVE).exists()
    # Different states of progress: one section not started, one just started.
    assert [s.title for s in sections if s.version == 0] == ["Equality and non-discrimination"]
    assert any(s.version == 1 for s in sections)


def test_versions_have_different_authors_who_may_edit_the_section(seeded):
    _report, submission = seeded
    for section in sections_of(submission):
        history = list(section.versions.select_related("author").order_by("version"))
        saved = [v.saved_at for v in history]
        assert saved == sorted(saved)
        for version in history:
            assert can(version.author, "submissions.edit_section", section), (section.title, version.author)
        if len(history) >= 3:
            assert len({v.author_id for v in history}) >= 2
        if history:
            assert section.last_edited_by_id == history[-1].author_id
            assert section.last_edited_at == history[-1].saved_at


def test_budgets_and_words_within_the_joint_limit(seeded):
    _report, submission = seeded
    sections = sections_of(submission)
    limit = submission_limit(submission)
    assert limit is not None
    assert limit.max_words == JOINT_LIMIT
    assert sum(s.word_budget for s in sections) <= JOINT_LIMIT
    counted = {s.title: words_counted(count_html(s.body), notes_count=limit.notes_count) for s in sections}
    assert 4000 <= sum(counted.values()) <= JOINT_LIMIT
    over = [s.title for s in sections if counted[s.title] > s.word_budget]
    assert over == ["Rights of the child"]
    # With the executive summary, the whole submission is still within the limit.
    totals = submission_totals(submission=submission, sections=sections)
    assert 150 <= totals.summary_words <= 250
    assert not totals.over_limit
    assert submission.keyword_list


def test_counts_cached_by_the_save_service(seeded):
    _report, submission = seeded
    for section in sections_of(submission):
        counts = count_html(section.body)
        assert (section.body_words, section.note_words) == (counts.body, counts.notes)
        last = section.versions.order_by("-version").first()
        if last is not None:
            assert (last.body, last.body_words, last.note_words) == (section.body, counts.body, counts.notes)


def test_footnotes_in_most_sections(seeded):
    _report, submission = seeded
    with_notes = [s for s in sections_of(submission) if s.note_words > 0]
    assert len(with_notes) >= 6
    for section in with_notes:
        assert 2 <= section.body.count('<span data-footnote="">') <= 12, section.title
    # About as many as a real joint submission near the limit has (make bench-docs renders it).
    assert sum(s.body.count('<span data-footnote="">') for s in sections_of(submission)) == 60


def test_stored_bodies_are_already_clean(seeded):
    _report, submission = seeded
    for version in SectionVersion.objects.filter(section__submission=submission):
        assert clean_html(version.body) == version.body
    for path in sorted(TEXTS.glob("*.html")):
        text = path.read_text(encoding="utf-8")
        assert clean_html(text) == text.strip(), path.name


def test_every_text_file_is_used(seeded):
    expected = {f"{spec.slug}-v{n}.html" for spec in SECTIONS for n in range(1, len(spec.versions) + 1)}
    assert {path.name for path in TEXTS.glob("*.html")} == expected


def test_clusters_organisations_and_people_assigned(seeded):
    report, submission = seeded
    cluster_names = {name for name, _lead, _members in CLUSTERS}
    sections = {s.title: s for s in sections_of(submission)}
    for spec in SECTIONS:
        section = sections[spec.title]
        assert (section.cluster.name if section.cluster else None) == spec.cluster
        assert spec.cluster is None or spec.cluster in cluster_names
        assert section.cluster is None or section.cluster.coalition_id == report.coalition.pk
        assert sorted(o.acronym for o in section.assigned_organisations.all()) == sorted(spec.organisations)
        assert sorted(u.email for u in section.assigned_people.all()) == sorted(spec.people)


def test_running_again_creates_nothing(seeded):
    report, submission = seeded
    counts = (Submission.objects.count(), Section.objects.count(), SectionVersion.objects.count())
    again = demo_submission_seed(coalition=report.coalition, review=report.review)
    report_again = demo_seed()
    again_after_demo_seed = demo_submission_seed(coalition=report_again.coalition, review=report_again.review)
    assert again.pk == again_after_demo_seed.pk == submission.pk
    assert (Submission.objects.count(), Section.objects.count(), SectionVersion.objects.count()) == counts


# National scale (`seed_demo --scale large`): demo_large_submission_seed.


@pytest.fixture
def large(seeded):
    report, _submission = seeded
    demo_scale_seed(coalition=report.coalition, organisations=30, people=60)
    return demo_large_submission_seed(coalition=report.coalition, review=report.review, sections=6, versions=12)


def test_large_submission_has_every_section_saved_as_many_times_as_asked(large):
    sections = sections_of(large)

    assert [s.version for s in sections] == [12] * 6
    for section in sections:
        assert list(section.versions.order_by("version").values_list("version", flat=True)) == list(range(1, 13))
        last = section.versions.get(version=12)
        assert (last.body, last.body_words, last.note_words) == (section.body, section.body_words, section.note_words)


def test_large_submission_versions_are_clean_and_counted_as_the_save_service_counts(large):
    for version in SectionVersion.objects.filter(section__submission=large):
        counts = count_html(version.body)
        assert clean_html(version.body) == version.body, version
        assert (version.body_words, version.note_words) == (counts.body, counts.notes), version


def test_large_submission_sections_grow_then_change_from_version_to_version(large):
    section = sections_of(large)[0]
    words = list(section.versions.order_by("version").values_list("body_words", flat=True))
    bodies = list(section.versions.order_by("version").values_list("body", flat=True))

    assert words[0] < words[-1]
    assert all(before != after for before, after in itertools.pairwise(bodies))


def test_large_submission_history_reads_as_weeks_of_work_by_people_who_may_edit(large):
    for section in sections_of(large):
        history = list(section.versions.select_related("author").order_by("version"))
        saved = [v.saved_at for v in history]
        assert saved == sorted(saved)
        assert [v.created_at for v in history] == saved
        assert (saved[-1] - saved[0]).days >= 100
        for version in history:
            assert can(version.author, "submissions.edit_section", section), (section.title, version.author)
        assert section.last_edited_by_id == history[-1].author_id


def test_large_submission_has_a_cluster_and_assignees_for_each_section(large):
    for section in sections_of(large):
        assert section.cluster is not None
        assert section.assigned_organisations.exists()
        assert section.title.startswith(section.cluster.name)


def test_large_submission_seed_twice_adds_nothing(seeded, large):
    report, _submission = seeded
    counts = (Section.objects.count(), SectionVersion.objects.count())

    again = demo_large_submission_seed(coalition=report.coalition, review=report.review, sections=6, versions=12)

    assert (again.pk, Section.objects.count(), SectionVersion.objects.count()) == (large.pk, *counts)
