"""The demo submission: realistic sections in different states, written through the save service."""

import copy
import itertools

import pytest
from django.utils import timezone

from coalitions.demo import CLUSTERS, demo_scale_seed, demo_seed
from coalitions.rules import can
from reviews.models import State
from submissions.demo import SECTIONS, TEXTS, demo_large_submission_seed, demo_submission_seed
from submissions.demo_coordination import PATHS, demo_cluster_submission_seed, demo_coordination_seed
from submissions.models import (
    SECTION_ACTIONS,
    Comment,
    Recommendation,
    Section,
    SectionTransition,
    SectionVersion,
    SignOff,
    Submission,
    SubmissionTransition,
)
from submissions.models.core import SectionState
from submissions.sanitize import clean_html
from submissions.selectors import submission_totals
from submissions.services.submissions import submission_limit
from tests.factories import CycleFactory, DocumentLimitFactory
from tests.shared_data import module_rows
from upr_portal.wordcount import count_html, words_counted

JOINT_LIMIT = 5630


def build_seeded():
    State.objects.create(code="FIN", name="Finland")
    DocumentLimitFactory(cycle=CycleFactory(number=4), kind="joint", max_words=JOINT_LIMIT)
    report = demo_seed()
    submission = demo_submission_seed(coalition=report.coalition, review=report.review)
    return report, submission


# The demo is seeded once for the module and rolled back after it (tests/shared_data.py); what a
# test adds on top (a second seed, the large submission, the coordination) is undone after it.
seeded_rows = module_rows("seeded_rows", build_seeded)


@pytest.fixture
def seeded(seeded_rows, db):
    return copy.deepcopy(seeded_rows)


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


# Issue 11: the coordination of the joint report (submissions/demo_coordination.py).

TARGET_STATES = {
    "SWE": "Sweden",
    "NOR": "Norway",
    "DEU": "Germany",
    "CAN": "Canada",
    "NZL": "New Zealand",
    "MEX": "Mexico",
    "PSE": "State of Palestine",
    "VAT": "Holy See",
}


@pytest.fixture
def coordinated(seeded):
    report, submission = seeded
    for code, name in TARGET_STATES.items():
        observer = code in ("PSE", "VAT")
        State.objects.create(code=code, name=name, status=State.Status.OBSERVER if observer else State.Status.MEMBER)
    demo_coordination_seed(submission=submission)
    cluster_submission = demo_cluster_submission_seed(coalition=report.coalition, review=report.review)
    return report, submission, cluster_submission


def test_joint_submission_has_a_section_in_every_workflow_state_reached_by_recorded_steps(coordinated):
    _report, submission, _cluster = coordinated
    sections = sections_of(submission)

    assert [s.state for s in sections] == [
        "locked",
        "approved",
        "approved",
        "submitted",
        "changes_requested",
        "submitted",
        "drafting",
        "drafting",
        "drafting",
    ]
    assert {s.state for s in sections} == set(SectionState.values)
    for section in sections:
        steps = list(section.transitions.order_by("created_at").values_list("action", "source", "target"))
        assert steps == [(a, str(f), str(t)) for a, f, t in PATHS[section.state]], section.title
        if steps:
            assert (steps[0][1], steps[-1][2]) == ("drafting", section.state)
    changes = SectionTransition.objects.get(section__submission=submission, action="request_changes")
    assert (changes.section.title, changes.actor.email) == ("Rights of the child", "coordinator@demo.example.org")
    assert changes.message.startswith("The section is over its budget: please cut it to 600 words")
    # Every step was taken by someone the rules allow to take it.
    for step in SectionTransition.objects.filter(section__submission=submission).select_related("section", "actor"):
        assert can(step.actor, SECTION_ACTIONS[step.action].rule, step.section), (step.section.title, step.action)


def test_joint_submission_sections_have_leads_and_milestones_some_late_some_on_time(coordinated):
    _report, submission, _cluster = coordinated
    now = timezone.now()
    sections = sections_of(submission)

    assert [s.lead_organisation.acronym for s in sections] == [
        "NLHRC",
        "NLHRC",
        "CAT-FI",
        "ATN",
        "CRA",
        "WSF",
        "SCHR",
        "RR",
        "NLHRC",
    ]
    late = {
        s.title: [name for name, _label, _when in s.late_milestones(now)] for s in sections if s.late_milestones(now)
    }
    assert late == {
        "Trafficking in human beings": ["review_due"],
        "Equality and non-discrimination": ["first_draft_due"],
    }
    ahead = [s.title for s in sections if s.next_milestone(now) and s.next_milestone(now)[2] > now]
    # Approved and locked sections have met all their milestones.
    assert ahead == [
        "Rights of the child",
        "Violence against women",
        "Indigenous peoples' rights",
        "Recommendations",
    ]
    for section in sections:
        assert section.first_draft_due < section.review_due < section.final_due


def test_joint_submission_has_comment_threads_with_mentions_one_resolved(coordinated):
    _report, submission, _cluster = coordinated
    threads = Comment.objects.filter(section__submission=submission, parent=None).order_by("created_at")

    assert [(t.section.title, t.replies.count(), t.is_resolved) for t in threads] == [
        ("Torture and conditions of detention", 1, True),
        ("Rights of the child", 1, False),
        ("Trafficking in human beings", 0, False),
    ]
    mentions = {
        comment.body[:30]: sorted(u.email for u in comment.mentions.all())
        for comment in Comment.objects.filter(section__submission=submission)
    }
    assert mentions == {
        "Which source gives the number ": ["lead.torture@demo.example.org"],
        "Our own monitoring visits of 2": [],
        "@Laura Nieminen the section is": ["lead.children@demo.example.org"],
        "Yes: I will shorten the part o": [],
        "@Omar Hassan @Sara Mäkinen the": ["drafter.trafficking@demo.example.org", "drafter@demo.example.org"],
    }
    resolved = threads[0]
    assert (resolved.quote, resolved.resolved_by.email) == (
        "solitary confinement of 22 hours a day or more",
        "lead.torture@demo.example.org",
    )
    assert resolved.quote in submission.sections.get(title="Torture and conditions of detention").body


def test_cluster_submission_has_its_own_sections_and_a_version_imported_from_word(coordinated):
    report, _submission, cluster_submission = coordinated

    assert (cluster_submission.cluster.name, cluster_submission.coalition, cluster_submission.status) == (
        "Torture and conditions of detention",
        report.coalition,
        Submission.Status.SIGN_OFF,
    )
    sections = sections_of(cluster_submission)
    assert [(s.title, s.state, s.version) for s in sections] == [
        ("Remand imprisonment and police cells", "approved", 2),
        ("Recommendations", "approved", 0),
    ]
    assert list(sections[0].versions.order_by("version").values_list("kind", "author__email")) == [
        (SectionVersion.Kind.SAVE, "lead.torture@demo.example.org"),
        (SectionVersion.Kind.IMPORT, "drafter@demo.example.org"),
    ]
    assert list(
        cluster_submission.transitions.order_by("created_at").values_list("source", "target", "actor__email")
    ) == [
        ("draft", "consolidation", "coordinator@demo.example.org"),
        ("consolidation", "sign_off", "coordinator@demo.example.org"),
    ]


def test_cluster_submission_recommendations_name_states_and_tick_smart_one_confirmed(coordinated):
    _report, _submission, cluster_submission = coordinated
    recommendations = list(Recommendation.objects.filter(submission=cluster_submission).order_by("position"))

    assert [(r.section.title, r.position, r.theme) for r in recommendations] == [
        ("Recommendations", 1, "Conditions of detention"),
        ("Recommendations", 2, "Conditions of detention"),
        ("Recommendations", 3, "Accountability"),
    ]
    assert [sorted(r.recommending_states.values_list("code", flat=True)) for r in recommendations] == [
        ["DEU", "NOR", "SWE"],
        ["CAN", "NZL"],
        ["MEX", "PSE", "VAT"],
    ]
    assert [len(r.smart_ticked) for r in recommendations] == [5, 4, 3]
    assert [(r.smart_confirmed_by.email if r.smart_confirmed_by else None) for r in recommendations] == [
        "reviewer@demo.example.org",
        None,
        None,
    ]


def test_cluster_submission_sign_off_is_half_collected(coordinated):
    _report, _submission, cluster_submission = coordinated
    versions = {str(s.pk): s.version for s in cluster_submission.sections.all()}
    sign_offs = list(cluster_submission.sign_offs.select_related("organisation", "person").order_by("pk"))

    assert [(s.organisation.acronym, s.person.email, s.status) for s in sign_offs] == [
        ("CAT-FI", "lead.torture@demo.example.org", SignOff.Status.ENDORSED),
        ("NLHRC", "coordinator@demo.example.org", SignOff.Status.ENDORSED),
        ("LAM", "drafter@demo.example.org", SignOff.Status.DECLINED),
        ("IHRR", "reviewer@demo.example.org", SignOff.Status.PENDING),
    ]
    assert [s.section_versions for s in sign_offs] == [versions, versions, {}, {}]
    assert [bool(s.reason) for s in sign_offs] == [False, False, True, False]
    assert [s.answered_at is not None for s in sign_offs] == [True, True, True, False]
    assert list(
        cluster_submission.signatories.order_by("position").values_list("organisation__acronym", flat=True)
    ) == ["CAT-FI", "NLHRC", "LAM", "IHRR"]
    pending = sign_offs[-1]
    assert can(pending.person, "submissions.answer_sign_off", pending)


def test_coordination_seeds_twice_add_nothing(coordinated):
    report, submission, cluster_submission = coordinated
    counted = [SectionTransition, SubmissionTransition, Comment, Recommendation, SignOff, Submission, SectionVersion]
    counts = [model.objects.count() for model in counted]

    demo_coordination_seed(submission=submission)
    again = demo_cluster_submission_seed(coalition=report.coalition, review=report.review)

    assert again.pk == cluster_submission.pk
    assert [model.objects.count() for model in counted] == counts
