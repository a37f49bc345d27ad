import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from submissions.models import Section, SectionVersion, Submission
from submissions.views.history import VERSIONS_PER_PAGE
from tests.factories import SectionFactory, UserFactory, write_text
from upr_portal import freshness

pytestmark = pytest.mark.django_db

OLD = "<p>The State detains children with adults.</p>"
NEW = "<p>The State detains girls with adults in two prisons.</p>"
ADDED = '<ins><span class="visually-hidden">added: </span>'
REMOVED = '<del><span class="visually-hidden">removed: </span>'


@pytest.fixture
def section(world):
    """A section of B's cluster saved three times: by the drafter, the cluster lead, the drafter again."""
    section = SectionFactory(
        submission=world.submission, title="Conditions of detention", assigned_organisations=[world.org_b]
    )
    write_text(section, author=world.people["drafter"], body=OLD)
    write_text(section, author=world.people["cluster lead"], body=NEW)
    write_text(section, author=world.people["drafter"], body="<p>The State detains girls.</p>")
    return section


def saved_versions(world, versions: int, body=lambda n: f"<p>Text {n}.</p>") -> Section:
    section = SectionFactory(
        submission=world.submission, title=f"{versions} versions", assigned_organisations=[world.org_b]
    )
    for number in range(versions):
        # A different author each time, so every save is a version of its own.
        write_text(section, author=UserFactory(full_name=f"Author {number}"), body=body(number))
    return section


def history_url(section: Section, **query) -> str:
    url = reverse("submissions:history", args=[section.submission_id, section.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def restore_url(section: Section, version: int) -> str:
    return reverse("submissions:restore", args=[section.submission_id, section.pk, version])


def diff_of(response) -> str:
    """The diff's paragraphs as the page shows them, one a line."""
    html = response.content.decode()
    diff = html[html.index('<div class="diff">') : html.index("</div>", html.index('<div class="diff">'))]
    return "\n".join(line for line in diff.splitlines()[1:] if line)


# The list of versions


def test_history_lists_every_version_with_its_author_and_words(world, section, client):
    client.force_login(world.people["observer"])

    response = client.get(history_url(section))

    rows = [(row.version.version, row.version.author, row.version.body_words) for row in response.context["rows"]]
    assert rows == [(3, "The drafter", 4), (2, "The cluster lead", 9), (1, "The drafter", 6)]
    assertContains(response, "<td>The cluster lead</td>", count=1)
    assertContains(response, "<td>The drafter</td>", count=2)
    assertContains(response, '3 <span class="badge text-bg-success">current</span>', html=False)


def test_history_explains_the_two_word_counts(world, client):
    section = saved_versions(
        world, 1, body=lambda n: '<p>Four words of text<span data-footnote="">Two notes.</span></p>'
    )
    client.force_login(world.people["observer"])

    response = client.get(history_url(section))

    assertContains(response, '<th scope="col">Words (text + notes)</th>', count=1)
    assertContains(response, "1 saved version, newest first. Words: in the text + in the footnotes.</caption>")
    assertContains(
        response,
        '<td><span aria-hidden="true">4 + 2</span><span class="visually-hidden">4 words in the text, 2 in the '
        "footnotes</span></td>",
        count=1,
    )


def test_history_labels_its_compare_controls(world, section, client):
    client.force_login(world.people["observer"])

    response = client.get(history_url(section))

    html = response.content.decode()
    labels = dict(re.findall(r'<label class="form-label mb-1" for="([^"]+)">([^<]+)</label>', html))
    assert labels == {"compare-from": "From version", "compare-to": "To version"}
    assert re.findall(r'<select [^>]*name="(\w)" id="([^"]+)"', html) == [("a", "compare-from"), ("b", "compare-to")]
    assertContains(
        response,
        '<a class="btn btn-sm btn-outline-secondary" href="?a=2&amp;b=3&amp;page=1#diff-heading">'
        '<span aria-hidden="true">Changes</span><span class="visually-hidden">Changes in version 3</span></a>',
    )


def test_history_pages_the_versions_newest_first(world, client):
    section = saved_versions(world, VERSIONS_PER_PAGE + 5)
    client.force_login(world.people["observer"])

    first, second = client.get(history_url(section)), client.get(history_url(section, page=2))

    assert [row.version.version for row in first.context["rows"]] == list(range(25, 5, -1))
    assert [row.version.version for row in second.context["rows"]] == [5, 4, 3, 2, 1]
    assert [row.previous for row in first.context["rows"]][-1] == 5  # its changes, from the next page
    assertContains(first, '<span class="page-link">Page 1 of 2</span>')
    assertContains(first, '<a class="page-link" href="?page=2">Older</a>')


def test_history_pages_keep_the_chosen_comparison(world, client):
    section = saved_versions(world, VERSIONS_PER_PAGE + 5)
    client.force_login(world.people["observer"])

    response = client.get(history_url(section, a=3, b=20))

    assertContains(response, '<a class="page-link" href="?a=3&amp;b=20&amp;page=2">Older</a>')
    assertContains(response, "Changes from version 3 to version 20")


def test_history_of_a_section_never_saved_says_so(world, client):
    section = SectionFactory(submission=world.submission, title="Empty")
    client.force_login(world.people["observer"])

    response = client.get(history_url(section))

    assertContains(response, "Nothing has been saved in this section yet.")


# The diff


def test_history_shows_the_latest_change_by_default(world, section, client):
    client.force_login(world.people["observer"])

    response = client.get(history_url(section))

    assert (response.context["older"], response.context["newer"]) == (2, 3)
    assertContains(response, "Changes from version 2 to version 3")
    assert diff_of(response) == (
        f'<p class="diff-block diff-paragraph diff-changed">The State detains {REMOVED}girls with adults in two '
        f"prisons.</del> {ADDED}girls.</ins></p>"
    )


def test_history_diff_of_two_versions_marks_added_and_removed_words(world, section, client):
    client.force_login(world.people["observer"])

    response = client.get(history_url(section, a=2, b=1))

    assertContains(response, "Changes from version 1 to version 2")
    assert diff_of(response) == (
        f'<p class="diff-block diff-paragraph diff-changed">The State detains {REMOVED}children</del> '
        f"{ADDED}girls</ins> with {REMOVED}adults.</del> {ADDED}adults in two prisons.</ins></p>"
    )


def test_history_diff_of_a_missing_version_answers_404(world, section, client):
    client.force_login(world.people["observer"])

    response = client.get(history_url(section, a=1, b=9))

    assertContains(response, "Page not found", status_code=404)


def test_history_diff_folds_unchanged_paragraphs(world, client):
    section = saved_versions(
        world, 2, body=lambda n: "".join(f"<p>Paragraph {k}.</p>" for k in range(8)) + f"<p>Version {n}.</p>"
    )
    client.force_login(world.people["observer"])

    response = client.get(history_url(section))

    assertContains(response, '<details class="diff-fold"><summary>7 unchanged paragraphs</summary>', count=1)
    assert diff_of(response).splitlines()[-2:] == [
        '<p class="diff-block diff-paragraph diff-equal">Paragraph 7.</p>',
        f'<p class="diff-block diff-paragraph diff-changed">Version {REMOVED}0.</del> {ADDED}1.</ins></p>',
    ]


def test_history_diff_escapes_text_that_looks_like_markup(world, client):
    section = SectionFactory(submission=world.submission, assigned_organisations=[world.org_b])
    write_text(section, author=world.people["drafter"], body="<p>Safe words.</p>")
    write_text(section, author=world.people["drafter"], body="<p>Safe words &lt;img src=x onerror=alert(1)&gt;</p>")
    client.force_login(world.people["observer"])

    response = client.get(history_url(section))

    assertContains(response, f"{ADDED}words &lt;img src=x onerror=alert(1)&gt;</ins>")
    assertNotContains(response, "<img src=x")


# Queries: constant in the number of versions, no text read for the list, the diff read once


def page_queries(client, section: Section) -> list[str]:
    """The queries of a visit in a new data generation: nothing the page remembers is reused."""
    freshness.bump()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(history_url(section))
    assertContains(response, f"{section.title}</a> /</p>")
    return [query["sql"] for query in captured]


def reading_bodies(queries: list[str]) -> list[str]:
    return [sql for sql in queries if '"submissions_sectionversion"."body"' in sql]


def test_history_page_queries_stay_flat_and_read_only_the_two_compared_texts(world, client):
    one, three, many = (saved_versions(world, n) for n in (1, 3, VERSIONS_PER_PAGE + 10))
    client.force_login(world.people["drafter"])

    counts = {n: page_queries(client, s) for n, s in ((1, one), (3, three), (30, many))}

    # One version: no diff. More: once, the two compared texts (the save times that make the diff's
    # cache key come with the version numbers, in the same query).
    assert {n: len(queries) for n, queries in counts.items()} == {
        1: len(counts[1]),
        3: len(counts[1]) + 1,
        30: len(counts[1]) + 1,
    }
    assert [len(reading_bodies(queries)) for queries in counts.values()] == [0, 1, 1]
    assert re.search(r"IN \((29|30), (29|30)\)", reading_bodies(counts[30])[0])


def test_history_diff_is_cached_for_good(world, client):
    section = saved_versions(world, 3)
    client.force_login(world.people["observer"])
    first = page_queries(client, section)

    again = page_queries(client, section)

    assert (len(again), reading_bodies(again)) == (len(first) - 1, [])


def test_history_diff_cache_tells_apart_texts_saved_under_the_same_numbers(world, client):
    client.force_login(world.people["observer"])
    section = saved_versions(world, 2, body=lambda n: f"<p>First text {n}.</p>")
    client.get(history_url(section))
    # The same section and numbers with another text, as a database built again would have them.
    second = SectionVersion.objects.get(section=section, version=2)
    SectionVersion.objects.filter(pk=second.pk).update(
        body="<p>Another text.</p>", saved_at=second.saved_at + datetime.timedelta(seconds=1)
    )

    response = client.get(history_url(section))

    assertContains(response, f"{ADDED}Another text.</ins>")


# Restore


def test_history_of_a_reader_offers_no_restore(world, section, client):
    client.force_login(world.people["reviewer"])

    response = client.get(history_url(section))

    assert response.context["can_restore"] is False
    assertNotContains(response, restore_url(section, 1))


def test_history_of_an_editor_offers_restore_of_every_version_but_the_current(world, section, client):
    client.force_login(world.people["drafter"])

    response = client.get(history_url(section))

    assertContains(response, restore_url(section, 1), count=1)
    assertContains(response, restore_url(section, 2), count=1)
    assertNotContains(response, restore_url(section, 3))


def test_restore_page_shows_what_changes_compared_with_the_current_text(world, section, client):
    client.force_login(world.people["drafter"])

    response = client.get(restore_url(section, 1))

    assertContains(response, "Restore version 1?")
    assert diff_of(response) == (
        f'<p class="diff-block diff-paragraph diff-changed">The State detains {REMOVED}girls.</del> '
        f"{ADDED}children with adults.</ins></p>"
    )
    assert Section.objects.values_list("version", flat=True).get(pk=section.pk) == 3


def test_restore_makes_the_old_text_current_as_a_new_version(world, section, client):
    lead = world.people["cluster lead"]
    client.force_login(lead)

    response = client.post(restore_url(section, 1))

    assertRedirects(response, history_url(section), fetch_redirect_response=False)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Version 1 is restored as version 4. Nothing was lost: every version stays in the history."
    ]
    assert Section.objects.values_list("body", "version", "last_edited_by").get(pk=section.pk) == (OLD, 4, lead.pk)
    assert list(section.versions.order_by("version").values_list("version", "kind", "restored_from")) == [
        (1, SectionVersion.Kind.SAVE, None),
        (2, SectionVersion.Kind.SAVE, None),
        (3, SectionVersion.Kind.SAVE, None),
        (4, SectionVersion.Kind.RESTORE, 1),
    ]


def test_restore_is_shown_in_the_history(world, section, client):
    client.force_login(world.people["drafter"])
    client.post(restore_url(section, 1))

    response = client.get(history_url(section))

    assertContains(response, "restored from version 1", count=1)
    assertContains(response, "Changes from version 3 to version 4")
    assert diff_of(response) == (
        f'<p class="diff-block diff-paragraph diff-changed">The State detains {REMOVED}girls.</del> '
        f"{ADDED}children with adults.</ins></p>"
    )


def test_restore_of_a_missing_version_answers_404(world, section, client):
    client.force_login(world.people["coordinator"])

    get = client.get(restore_url(section, 9))
    post = client.post(restore_url(section, 9))

    assertContains(get, "Page not found", status_code=404)
    assertContains(post, "Page not found", status_code=404)
    assert Section.objects.values_list("version", flat=True).get(pk=section.pk) == 3


def test_restore_in_a_final_submission_is_refused(world, section, client):
    Submission.objects.filter(pk=world.submission.pk).update(status=Submission.Status.FINAL)
    client.force_login(world.people["coordinator"])

    response = client.post(restore_url(section, 1))

    assertContains(response, "the submission is final and read-only", status_code=403)
    assert Section.objects.values_list("body", "version").get(pk=section.pk) == ("<p>The State detains girls.</p>", 3)


def test_history_shows_a_new_version_at_once_though_its_list_and_changes_are_cached(world, section, client):
    client.force_login(world.people["drafter"])
    client.get(history_url(section))
    write_text(section, author=world.people["cluster lead"], body="<p>The State detains no child.</p>")

    response = client.get(history_url(section))

    assert [row.version.version for row in response.context["rows"]] == [4, 3, 2, 1]
    assertContains(response, '4 <span class="badge text-bg-success">current</span>', html=False)
    assertContains(response, restore_url(section, 3), count=1)
    assertContains(response, f"{ADDED}no child.</ins>")
