import datetime
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertRedirects

from reviews.models import DocumentLimit
from submissions.errors import SectionConflict, SubmissionError, TextRefused
from submissions.models import Section, SectionVersion, Submission
from submissions.sanitize import clean_html
from submissions.services import sections as sections_services
from submissions.services.sections import AUTOSAVE_FOLD_WINDOW, section_restore, section_save
from submissions.services.submissions import (
    section_add,
    section_delete,
    section_move,
    section_update_settings,
    submission_create,
    submission_update,
)
from tests.factories import (
    ClusterFactory,
    CoalitionFactory,
    DocumentLimitFactory,
    ReviewFactory,
    SectionFactory,
    SubmissionFactory,
    UserFactory,
    write_text,
)
from upr_portal.wordcount import count_html

DEMO_TEXTS = Path(__file__).resolve().parents[2] / "submissions" / "demo_texts"
TEXT = (
    '<p>Children in detention<span data-footnote="">Report of the Ombudsperson, 2024.</span> are held '
    "with adults.</p><script>alert('x')</script>"
)
TEXT_CLEAN = (
    '<p>Children in detention<span data-footnote="">Report of the Ombudsperson, 2024.</span> are held with adults.</p>'
)


def stored(section: Section) -> tuple:
    return Section.objects.values_list("body", "version", "body_words", "note_words", "last_edited_by").get(
        pk=section.pk
    )


def versions(section: Section) -> list[tuple]:
    return list(
        SectionVersion.objects.filter(section=section)
        .order_by("version")
        .values_list("version", "kind", "body", "author", "restored_from")
    )


@pytest.fixture
def author(db):
    return UserFactory(full_name="Amina Author")


@pytest.fixture
def section(db):
    return SectionFactory(title="Torture and conditions of detention")


# section_save


def test_section_save_stores_cleaned_text_and_cached_counts(section, author):
    result = section_save(section_id=section.pk, author=author, body=TEXT, base_version=0)

    counts = count_html(TEXT_CLEAN)
    assert (counts.body, counts.notes) == (7, 5)
    assert stored(section) == (TEXT_CLEAN, 1, counts.body, counts.notes, author.pk)
    assert (result.changed, result.version.version, result.version.body, result.version.author) == (
        True,
        1,
        TEXT_CLEAN,
        author,
    )
    assert (result.version.body_words, result.version.note_words) == (counts.body, counts.notes)


def test_section_save_increments_the_version_on_each_change(section, author):
    write_text(section, author=author, body="<p>One.</p>")
    write_text(section, author=author, body="<p>Two.</p>")

    assert (section.version, section.body) == (2, "<p>Two.</p>")
    assert [row[:3] for row in versions(section)] == [
        (1, SectionVersion.Kind.SAVE, "<p>One.</p>"),
        (2, SectionVersion.Kind.SAVE, "<p>Two.</p>"),
    ]


def test_section_save_changes_the_title_and_keeps_it_when_blank(section, author):
    section_save(section_id=section.pk, author=author, body="<p>One.</p>", base_version=0, title="  New title ")
    section_save(section_id=section.pk, author=author, body="<p>Two.</p>", base_version=1, title="   ")

    assert Section.objects.values_list("title", "version").get(pk=section.pk) == ("New title", 2)


def test_section_save_with_an_old_base_version_raises_conflict_and_stores_nothing(section, author):
    write_text(section, author=author, body="<p>First.</p>")
    write_text(section, author=author, body="<p>Second.</p>")
    before = (stored(section), versions(section))

    with pytest.raises(SectionConflict) as caught:
        section_save(section_id=section.pk, author=UserFactory(), body="<p>Stale.</p>", base_version=1)

    assert (caught.value.section.version, caught.value.section.body) == (2, "<p>Second.</p>")
    assert (stored(section), versions(section)) == before


def test_section_save_of_two_writers_on_the_same_version_lets_exactly_one_win(section, author):
    other = UserFactory()
    outcomes = []
    for writer, text in ((author, "<p>Mine.</p>"), (other, "<p>Theirs.</p>")):
        try:
            section_save(section_id=section.pk, author=writer, body=text, base_version=0)
        except SectionConflict:
            outcomes.append("conflict")
        else:
            outcomes.append("saved")

    assert outcomes == ["saved", "conflict"]
    assert stored(section) == ("<p>Mine.</p>", 1, 1, 0, author.pk)
    assert [row[:4] for row in versions(section)] == [(1, SectionVersion.Kind.SAVE, "<p>Mine.</p>", author.pk)]


if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
    # SQLite serialises writers by locking the whole file, so only PostgreSQL shows the row lock at work.

    @pytest.mark.django_db(transaction=True)
    def test_section_save_of_two_concurrent_writers_lets_exactly_one_win():
        section = SectionFactory()
        writers = [UserFactory(), UserFactory()]
        barrier = threading.Barrier(2)
        outcomes: dict[int, str] = {}

        def save(writer):
            try:
                barrier.wait(timeout=10)
                section_save(section_id=section.pk, author=writer, body=f"<p>By {writer.pk}.</p>", base_version=0)
                outcomes[writer.pk] = "saved"
            except SectionConflict:
                outcomes[writer.pk] = "conflict"
            finally:
                connections.close_all()

        threads = [threading.Thread(target=save, args=(writer,)) for writer in writers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

        assert sorted(outcomes.values()) == ["conflict", "saved"]
        winner = next(pk for pk, outcome in outcomes.items() if outcome == "saved")
        assert Section.objects.values_list("body", "version", "last_edited_by").get(pk=section.pk) == (
            f"<p>By {winner}.</p>",
            1,
            winner,
        )
        assert list(SectionVersion.objects.filter(section=section).values_list("version", "author")) == [(1, winner)]


def test_section_save_of_identical_text_is_not_a_new_version(section, author):
    write_text(section, author=author, body="<p>Same words.</p>")
    before = (stored(section), versions(section))

    result = section_save(
        section_id=section.pk, author=UserFactory(), body="<p>Same words.</p><script>x()</script>", base_version=1
    )

    assert (result.changed, result.version.version) == (False, 1)
    assert (stored(section), versions(section)) == before


def test_section_save_autosaves_of_one_author_within_the_window_fold_into_one_version(section, author):
    write_text(section, author=author, body="<p>Draft one.</p>", autosave=True)
    write_text(section, author=author, body="<p>Draft two.</p>", autosave=True)
    result = write_text(section, author=author, body="<p>Draft three.</p>", autosave=True)

    assert section.version == 3
    assert versions(section) == [(3, SectionVersion.Kind.AUTOSAVE, "<p>Draft three.</p>", author.pk, None)]
    assert result.version.version == 3


def test_section_save_autosave_by_another_author_is_a_new_version(section, author):
    other = UserFactory()
    write_text(section, author=author, body="<p>Draft one.</p>", autosave=True)
    write_text(section, author=other, body="<p>Draft two.</p>", autosave=True)

    assert [row[:4] for row in versions(section)] == [
        (1, SectionVersion.Kind.AUTOSAVE, "<p>Draft one.</p>", author.pk),
        (2, SectionVersion.Kind.AUTOSAVE, "<p>Draft two.</p>", other.pk),
    ]


def test_section_save_that_is_not_an_autosave_is_a_new_version(section, author):
    write_text(section, author=author, body="<p>Draft one.</p>", autosave=True)
    write_text(section, author=author, body="<p>Saved.</p>")
    write_text(section, author=author, body="<p>Draft after the save.</p>", autosave=True)

    assert [row[:3] for row in versions(section)] == [
        (1, SectionVersion.Kind.AUTOSAVE, "<p>Draft one.</p>"),
        (2, SectionVersion.Kind.SAVE, "<p>Saved.</p>"),
        (3, SectionVersion.Kind.AUTOSAVE, "<p>Draft after the save.</p>"),
    ]


def test_section_save_autosave_after_the_window_is_a_new_version(section, author):
    write_text(section, author=author, body="<p>Draft one.</p>", autosave=True)
    SectionVersion.objects.filter(section=section).update(
        created_at=timezone.now() - AUTOSAVE_FOLD_WINDOW - datetime.timedelta(seconds=1)
    )
    write_text(section, author=author, body="<p>Draft two.</p>", autosave=True)

    assert [row[:3] for row in versions(section)] == [
        (1, SectionVersion.Kind.AUTOSAVE, "<p>Draft one.</p>"),
        (2, SectionVersion.Kind.AUTOSAVE, "<p>Draft two.</p>"),
    ]


def test_section_save_in_a_final_submission_raises_and_stores_nothing(section, author):
    write_text(section, author=author, body="<p>Agreed.</p>")
    Submission.objects.filter(pk=section.submission_id).update(status=Submission.Status.FINAL)
    before = (stored(section), versions(section))

    with pytest.raises(SubmissionError) as caught:
        section_save(section_id=section.pk, author=author, body="<p>Late change.</p>", base_version=1)

    assert caught.value.message == "This submission is marked final: it is read-only until a coordinator reopens it."
    assert (stored(section), versions(section)) == before


# section_restore


def test_section_restore_makes_a_new_version_with_the_old_text(section, author):
    other = UserFactory()
    write_text(section, author=author, body="<p>First words.</p>")
    write_text(section, author=other, body="<p>Second words, longer.</p>")

    result = section_restore(section_id=section.pk, author=other, version=1)

    assert stored(section) == ("<p>First words.</p>", 3, 2, 0, other.pk)
    assert versions(section) == [
        (1, SectionVersion.Kind.SAVE, "<p>First words.</p>", author.pk, None),
        (2, SectionVersion.Kind.SAVE, "<p>Second words, longer.</p>", other.pk, None),
        (3, SectionVersion.Kind.RESTORE, "<p>First words.</p>", other.pk, 1),
    ]
    assert (result.changed, result.version.version) == (True, 3)


def test_section_restore_then_save_based_on_the_restored_version(section, author):
    write_text(section, author=author, body="<p>First.</p>")
    write_text(section, author=author, body="<p>Second.</p>")
    section_restore(section_id=section.pk, author=author, version=1)

    with pytest.raises(SectionConflict):
        section_save(section_id=section.pk, author=author, body="<p>Based on 2.</p>", base_version=2)
    section_save(section_id=section.pk, author=author, body="<p>Based on 3.</p>", base_version=3)

    assert stored(section)[:2] == ("<p>Based on 3.</p>", 4)


def test_section_restore_of_a_missing_version_raises_and_stores_nothing(section, author):
    write_text(section, author=author, body="<p>First.</p>")
    before = (stored(section), versions(section))

    with pytest.raises(SubmissionError) as caught:
        section_restore(section_id=section.pk, author=author, version=7)

    assert caught.value.message == "There is no version 7 of this section."
    assert (stored(section), versions(section)) == before


def test_section_restore_in_a_final_submission_raises_and_stores_nothing(section, author):
    write_text(section, author=author, body="<p>First.</p>")
    write_text(section, author=author, body="<p>Second.</p>")
    Submission.objects.filter(pk=section.submission_id).update(status=Submission.Status.SUBMITTED)
    before = (stored(section), versions(section))

    with pytest.raises(SubmissionError):
        section_restore(section_id=section.pk, author=author, version=1)

    assert (stored(section), versions(section)) == before


# The row lock covers the version check and the writes, nothing else


@contextmanager
def recorded(monkeypatch):
    """What section_save and section_restore do, in order, and how many atomic blocks deep.

    The checker, cleaner and counter are wrapped to note each call before running it as it is; the
    SQL is noted by a database execute wrapper. Depth 0 is outside the service's transaction, 1 inside
    it, where the section's row is locked (SELECT ... FOR UPDATE on PostgreSQL, the whole database on
    SQLite). Savepoints, which open and close the block itself, are left out.
    """
    events: list[tuple[str, int]] = []
    baseline = len(connection.atomic_blocks)

    def noting(name, function):
        def wrapper(*args, **kwargs):
            events.append((name, len(connection.atomic_blocks) - baseline))
            return function(*args, **kwargs)

        return wrapper

    for name in ("check_text", "clean_html", "count_html"):
        monkeypatch.setattr(sections_services, name, noting(name, getattr(sections_services, name)))

    def note_sql(execute, sql, params, many, context):
        if not sql.startswith(("SAVEPOINT", "RELEASE")):
            events.append((sql, len(connection.atomic_blocks) - baseline))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note_sql):
        yield events


def statement(sql: str) -> str:
    return sql.split()[0] + (" FOR UPDATE" if sql.endswith("FOR UPDATE") else "")


LOCKING_SELECT = "SELECT FOR UPDATE" if connection.features.has_select_for_update else "SELECT"


def test_section_save_cleans_and_counts_before_it_takes_the_lock(section, author, monkeypatch):
    with recorded(monkeypatch) as events:
        section_save(section_id=section.pk, author=author, body=TEXT, base_version=0)

    assert [(statement(name), depth) for name, depth in events] == [
        ("check_text", 0),
        ("clean_html", 0),
        ("check_text", 0),  # the cleaned text, as it will be stored
        ("count_html", 0),
        (LOCKING_SELECT, 1),  # the section, locked: the version check
        ("UPDATE", 1),  # the section's text
        ("SELECT", 1),  # the last version, in case an autosave folds into it
        ("INSERT", 1),  # the new version
    ]


def test_section_restore_cleans_and_counts_before_it_takes_the_lock(section, author, monkeypatch):
    write_text(section, author=author, body="<p>First.</p>")
    write_text(section, author=author, body="<p>Second.</p>")

    with recorded(monkeypatch) as events:
        section_restore(section_id=section.pk, author=author, version=1)

    assert [(statement(name), depth) for name, depth in events] == [
        ("SELECT", 0),  # the old version's text: a version never changes
        ("check_text", 0),
        ("clean_html", 0),
        ("check_text", 0),
        ("count_html", 0),
        (LOCKING_SELECT, 1),
        ("UPDATE", 1),
        ("SELECT", 1),
        ("INSERT", 1),
    ]


def test_section_save_refuses_the_body_that_stalled_a_worker_without_a_query(section, author, monkeypatch):
    body = "<div>" * 98_000  # 490 KB: 40 s of the cleaner inside the lock before the limits

    with recorded(monkeypatch) as events, pytest.raises(TextRefused) as caught:
        section_save(section_id=section.pk, author=author, body=body, base_version=0)

    assert (len(body), caught.value.code, events) == (490_000, "too_much_markup", [("check_text", 0)])
    assert stored(section) == ("", 0, 0, 0, None)


def test_section_restore_refuses_an_old_text_over_a_limit_and_stores_nothing(section, author):
    write_text(section, author=author, body="<p>First.</p>")
    write_text(section, author=author, body="<p>Second.</p>")
    # Stored before the limits existed, behind the service's back.
    SectionVersion.objects.filter(section=section, version=1).update(body="<div>" * 5_000)
    before = (stored(section), versions(section))

    with pytest.raises(TextRefused) as caught:
        section_restore(section_id=section.pk, author=author, version=1)

    assert caught.value.code == "too_deep"
    assert (stored(section), versions(section)) == before


# A long text being cleaned holds up nobody: on SQLite (one writer at a time) and on PostgreSQL (row locks).
LONG_TEXT = "\n".join(path.read_text() for path in sorted(DEMO_TEXTS.glob("*.html")))


def save_in_a_thread(section_id: int, author, outcome: dict) -> threading.Thread:
    def save():
        try:
            outcome["version"] = section_save(
                section_id=section_id, author=author, body=LONG_TEXT, base_version=0
            ).section.version
        except SectionConflict as conflict:
            outcome["conflict"] = conflict
        finally:
            connections.close_all()

    thread = threading.Thread(target=save)
    thread.start()
    return thread


@pytest.fixture
def slow_cleaner(monkeypatch):
    """The cleaner, made to finish LONG_TEXT only after the test says another save is done.

    Had the service cleaned inside its locked transaction, that other save would wait for the lock
    (SQLite: the database, PostgreSQL: the same row), the wait below would run out, and the test fail.
    """
    cleaning, other_saved, waited = threading.Event(), threading.Event(), {}

    def clean(html):
        if html == LONG_TEXT:
            cleaning.set()
            waited["in time"] = other_saved.wait(timeout=10)
        return clean_html(html)

    monkeypatch.setattr(sections_services, "clean_html", clean)
    return cleaning, other_saved, waited


@pytest.mark.django_db(transaction=True)
def test_section_save_of_another_section_goes_through_while_a_long_text_is_cleaned(slow_cleaner):
    cleaning, other_saved, waited = slow_cleaner
    long, other, author = SectionFactory(), SectionFactory(), UserFactory()
    outcome = {}

    thread = save_in_a_thread(long.pk, author, outcome)
    assert cleaning.wait(timeout=10)
    meanwhile = section_save(section_id=other.pk, author=author, body="<p>Meanwhile.</p>", base_version=0)
    other_saved.set()
    thread.join(timeout=30)

    assert (waited, outcome, meanwhile.section.version) == ({"in time": True}, {"version": 1}, 1)
    assert Section.objects.get(pk=long.pk).body == clean_html(LONG_TEXT)


@pytest.mark.django_db(transaction=True)
def test_section_save_of_the_same_section_goes_through_while_a_long_text_is_cleaned(slow_cleaner):
    cleaning, other_saved, waited = slow_cleaner
    section, author = SectionFactory(), UserFactory()
    outcome = {}

    thread = save_in_a_thread(section.pk, author, outcome)
    assert cleaning.wait(timeout=10)
    section_save(section_id=section.pk, author=author, body="<p>Saved first.</p>", base_version=0)
    other_saved.set()
    thread.join(timeout=30)

    # The long save then finds version 1 and is refused as a conflict, its cleaned text kept for the writer.
    assert (waited, outcome["conflict"].section.version, outcome["conflict"].attempted) == (
        {"in time": True},
        1,
        clean_html(LONG_TEXT),
    )
    assert stored(section)[:2] == ("<p>Saved first.</p>", 1)


# Submissions


def test_submission_create_makes_numbered_sections(author):
    review = ReviewFactory()
    coalition = CoalitionFactory()
    coalition.reviews.add(review)

    submission = submission_create(
        coalition=coalition, review=review, actor=author, title="Joint submission", section_titles=["One", "Two"]
    )

    assert (submission.kind, submission.status) == (Submission.Kind.JOINT, Submission.Status.DRAFT)
    assert list(submission.sections.values_list("position", "title", "version")) == [(1, "One", 0), (2, "Two", 0)]


def test_submission_create_refuses_a_review_the_coalition_does_not_work_on(author):
    coalition = CoalitionFactory()

    with pytest.raises(SubmissionError) as caught:
        submission_create(coalition=coalition, review=ReviewFactory(), actor=author, title="Joint submission")

    assert caught.value.message == "Choose one of the reviews the coalition works on."
    assert Submission.objects.count() == 0


def test_submission_update_refuses_a_final_submission(author):
    submission = SubmissionFactory(title="Before", status=Submission.Status.FINAL)

    with pytest.raises(SubmissionError):
        submission_update(submission=submission, actor=author, title="After")

    assert Submission.objects.values_list("title", flat=True).get(pk=submission.pk) == "Before"


# Budgets and arranging sections


@pytest.fixture
def budgeted(db):
    """A submission limited to 5630 words whose two sections share out 1800 of them."""
    submission = SubmissionFactory()
    DocumentLimitFactory(cycle=submission.review.session.cycle, kind=DocumentLimit.Kind.JOINT, max_words=5630)
    first = SectionFactory(submission=submission, title="First", word_budget=1000)
    second = SectionFactory(submission=submission, title="Second", word_budget=800)
    return submission, first, second


def budgets(submission: Submission) -> list[tuple]:
    return list(submission.sections.order_by("position").values_list("title", "word_budget"))


def test_section_add_refuses_a_budget_over_the_limit(budgeted, author):
    submission, _first, _second = budgeted

    with pytest.raises(SubmissionError) as caught:
        section_add(submission=submission, actor=author, title="Third", word_budget=3831)

    assert caught.value.message == (
        "The sections' budgets would add up to 5,631 words, more than the limit of 5,630. "
        "3,830 words are left to share out."
    )
    assert budgets(submission) == [("First", 1000), ("Second", 800)]


def test_section_add_accepts_a_budget_of_exactly_the_limit(budgeted, author):
    submission, _first, _second = budgeted
    cluster = ClusterFactory(coalition=submission.coalition)

    section = section_add(submission=submission, actor=author, title="Third", word_budget=3830, cluster=cluster)

    assert (section.position, section.cluster) == (3, cluster)
    assert budgets(submission) == [("First", 1000), ("Second", 800), ("Third", 3830)]


def test_section_add_refuses_a_final_submission(budgeted, author):
    submission, _first, _second = budgeted
    Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.FINAL)
    submission.refresh_from_db()

    with pytest.raises(SubmissionError):
        section_add(submission=submission, actor=author, title="Third")

    assert budgets(submission) == [("First", 1000), ("Second", 800)]


def test_section_update_settings_refuses_a_budget_over_the_limit(budgeted, author):
    submission, first, _second = budgeted

    with pytest.raises(SubmissionError) as caught:
        section_update_settings(
            section=first, actor=author, title="First", cluster=None, word_budget=4831, organisations=[], people=[]
        )

    assert caught.value.message == (
        "The sections' budgets would add up to 5,631 words, more than the limit of 5,630. "
        "4,830 words are left to share out."
    )
    assert budgets(submission) == [("First", 1000), ("Second", 800)]


def test_section_update_settings_accepts_a_budget_of_exactly_the_limit(budgeted, author):
    submission, first, _second = budgeted
    person = UserFactory()

    section_update_settings(
        section=first, actor=author, title="Renamed", cluster=None, word_budget=4830, organisations=[], people=[person]
    )

    assert budgets(submission) == [("Renamed", 4830), ("Second", 800)]
    assert list(first.assigned_people.all()) == [person]


def test_section_move_swaps_a_section_with_its_neighbour(budgeted, author):
    submission, _first, _second = budgeted
    third = SectionFactory(submission=submission, title="Third")

    section_move(section=third, actor=author, offset=-1)

    assert list(submission.sections.order_by("position").values_list("title", "position")) == [
        ("First", 1),
        ("Third", 2),
        ("Second", 3),
    ]


def test_section_move_of_the_first_section_up_changes_nothing(budgeted, author):
    submission, first, _second = budgeted

    section_move(section=first, actor=author, offset=-1)

    assert list(submission.sections.order_by("position").values_list("title", "position")) == [
        ("First", 1),
        ("Second", 2),
    ]


def test_section_move_in_a_final_submission_is_refused(budgeted, author):
    submission, _first, second = budgeted
    Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.FINAL)
    second.refresh_from_db()

    with pytest.raises(SubmissionError):
        section_move(section=second, actor=author, offset=-1)

    assert list(submission.sections.order_by("position").values_list("title", "position")) == [
        ("First", 1),
        ("Second", 2),
    ]


def test_section_delete_refuses_a_section_with_history(budgeted, author):
    submission, first, _second = budgeted
    write_text(first, author=author, body="<p>Some words.</p>")

    with pytest.raises(SubmissionError) as caught:
        section_delete(section=first, actor=author)

    assert caught.value.message == (
        "This section has been saved before, and deleting it would delete its history. "
        "Rename it, or empty it and leave it out of the budget, instead."
    )
    assert budgets(submission) == [("First", 1000), ("Second", 800)]


def test_section_delete_removes_a_never_saved_section(budgeted, author):
    submission, first, _second = budgeted

    section_delete(section=first, actor=author)

    assert budgets(submission) == [("Second", 800)]


def test_section_add_page_shows_the_budget_refusal_and_adds_nothing(world, client):
    client.force_login(world.coordinator)

    response = client.post(
        reverse("submissions:section_add", args=[world.submission.pk]),
        {"title": "Third", "word_budget": 3831, "assigned_organisations": [], "assigned_people": []},
    )

    assertContains(response, "The sections&#x27; budgets would add up to 5,631 words, more than the limit of 5,630.")
    assert budgets(world.submission) == [("Section of B's cluster", 1000), ("Section of A's cluster", 800)]


def test_section_settings_page_accepts_exactly_the_limit(world, client):
    client.force_login(world.coordinator)

    response = client.post(
        reverse("submissions:section_settings", args=[world.submission.pk, world.section_a.pk]),
        {"title": "Section of A's cluster", "cluster": world.cluster_a.pk, "word_budget": 4630},
    )

    assertRedirects(response, reverse("submissions:detail", args=[world.submission.pk]), fetch_redirect_response=False)
    assert budgets(world.submission) == [("Section of B's cluster", 1000), ("Section of A's cluster", 4630)]
