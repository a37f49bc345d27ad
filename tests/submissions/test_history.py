import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from submissions.diff import Segment, html_to_text, word_diff
from submissions.models import Section, SectionVersion, Submission
from tests.factories import SectionFactory, write_text

pytestmark = pytest.mark.django_db

OLD = "<p>The State detains children with adults.</p>"
NEW = "<p>The State detains girls with adults in two prisons.</p>"


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


def history_url(section: Section, **query) -> str:
    url = reverse("submissions:history", args=[section.submission_id, section.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def restore_url(section: Section, version: int) -> str:
    return reverse("submissions:restore", args=[section.submission_id, section.pk, version])


def test_history_lists_every_version_with_its_author(world, section, client):
    client.force_login(world.people["observer"])

    response = client.get(history_url(section))

    rows = [(v.version, str(v.author), v.body_words) for v in response.context["versions"]]
    assert rows == [(3, "The drafter", 4), (2, "The cluster lead", 9), (1, "The drafter", 6)]
    assertContains(response, "<td>The cluster lead</td>", count=1)
    assertContains(response, "<td>The drafter</td>", count=2)
    assertContains(response, '3 <span class="badge text-bg-success">current</span>', html=False)


def test_history_shows_the_latest_change_by_default(world, section, client):
    client.force_login(world.people["observer"])

    response = client.get(history_url(section))

    assert (response.context["older"].version, response.context["newer"].version) == (2, 3)
    assertContains(response, "Changes from version 2 to version 3")
    assertContains(response, "The State detains <del>girls with adults in two prisons.</del><ins>girls.</ins>")


def test_history_diff_of_two_versions_marks_added_and_removed_words(world, section, client):
    client.force_login(world.people["observer"])

    response = client.get(history_url(section, a=2, b=1))

    assertContains(response, "Changes from version 1 to version 2")
    assertContains(
        response,
        '<div class="diff submission-text">The State detains <del>children</del><ins>girls</ins> with '
        "<del>adults.</del><ins>adults in two prisons.</ins></div>",
    )


def test_history_diff_of_a_missing_version_answers_404(world, section, client):
    client.force_login(world.people["observer"])

    response = client.get(history_url(section, a=1, b=9))

    assertContains(response, "Page not found", status_code=404)


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


def test_history_of_a_section_never_saved_says_so(world, client):
    section = SectionFactory(submission=world.submission, title="Empty")
    client.force_login(world.people["observer"])

    response = client.get(history_url(section))

    assertContains(response, "Nothing has been saved in this section yet.")


def test_restore_page_shows_what_changes_compared_with_the_current_text(world, section, client):
    client.force_login(world.people["drafter"])

    response = client.get(restore_url(section, 1))

    assertContains(response, "Restore version 1?")
    assertContains(
        response,
        '<div class="diff submission-text">The State detains <del>girls.</del><ins>children with adults.</ins></div>',
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
    assertContains(response, "The State detains <del>girls.</del><ins>children with adults.</ins>")


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


# word_diff


def test_word_diff_of_one_changed_word_is_one_delete_and_one_insert():
    assert word_diff(
        "<p>The State detains children with adults.</p>", "<p>The State detains girls with adults.</p>"
    ) == [
        Segment("equal", "The State detains "),
        Segment("delete", "children"),
        Segment("insert", "girls"),
        Segment("equal", " with adults."),
    ]


def test_word_diff_of_an_added_word_is_one_insert():
    assert word_diff("<p>Children are detained.</p>", "<p>Children are arbitrarily detained.</p>") == [
        Segment("equal", "Children are "),
        Segment("insert", "arbitrarily "),
        Segment("equal", "detained."),
    ]


def test_word_diff_of_the_same_text_is_all_equal():
    assert word_diff("<p>No <strong>change</strong>.</p>", "<p>No change.</p>") == [Segment("equal", "No change.")]


def test_word_diff_from_nothing_is_one_insert():
    assert word_diff("", "<p>First words.</p>") == [Segment("insert", "First words.")]


def test_html_to_text_separates_blocks_and_brackets_footnotes():
    html = '<h2>Detention</h2><p>Children<span data-footnote="">Ombudsperson, 2024.</span> are held.</p>'

    assert html_to_text(html) == "Detention\n\nChildren [Ombudsperson, 2024.] are held."


def test_history_diff_escapes_text_that_looks_like_markup(world, client):
    section = SectionFactory(submission=world.submission, assigned_organisations=[world.org_b])
    write_text(section, author=world.people["drafter"], body="<p>Safe.</p>")
    write_text(section, author=world.people["drafter"], body="<p>Safe &lt;img src=x onerror=alert(1)&gt;</p>")
    client.force_login(world.people["observer"])

    response = client.get(history_url(section))

    assertContains(response, "<del>Safe.</del><ins>Safe &lt;img src=x onerror=alert(1)&gt;</ins>")
    assertNotContains(response, "<img src=x")
