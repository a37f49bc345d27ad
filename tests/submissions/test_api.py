"""The editor's JSON endpoints: saving a section's text and telling who else has it open."""

import json
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from coalitions.access import REFUSALS
from submissions import presence
from submissions.diff import plain_text
from submissions.models import Section, SectionVersion
from submissions.text_limits import MAX_BODY_CHARACTERS
from tests.submissions.conftest import TEXT_B_V2, World
from upr_portal.wordcount import count_html

pytestmark = pytest.mark.django_db

TEXT = '<p>Girls are held with adults<span data-footnote="">Ombudsperson, 2024.</span> in two prisons.</p>'
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def save_url(world: World, section: Section | None = None) -> str:
    section = section or world.section_b
    return reverse("submissions:section_save", args=[section.submission_id, section.pk])


def presence_url(world: World) -> str:
    return reverse("submissions:section_presence", args=[world.submission.pk, world.section_b.pk])


def post_json(client, url: str, payload) -> object:
    return client.post(url, json.dumps(payload), content_type="application/json")


def stored(section: Section) -> tuple:
    return (
        Section.objects.values_list("body", "version", "last_edited_by").get(pk=section.pk),
        SectionVersion.objects.filter(section=section).count(),
    )


@pytest.fixture
def no_presence(world):
    """The cache outlives a test (it is Redis in CI): start from nobody present."""
    keys = [presence._key(section.pk) for section in (world.section_a, world.section_b)]
    cache.delete_many(keys)
    yield
    cache.delete_many(keys)


def test_save_answers_the_new_version_and_counts(world, client):
    drafter = world.people["drafter"]
    client.force_login(drafter)

    response = post_json(client, save_url(world), {"body": TEXT, "base_version": 2, "title": "Girls in detention"})

    section = Section.objects.get(pk=world.section_b.pk)
    counts = count_html(TEXT)
    assert response.json() == {
        "version": 3,
        "changed": True,
        "body_words": counts.body,
        "note_words": counts.notes,
        "saved_by": "The drafter",
        "saved_at": section.last_edited_at.isoformat(),
    }
    assert (counts.body, counts.notes) == (8, 2)
    assert (section.body, section.title, section.version, section.last_edited_by) == (
        TEXT,
        "Girls in detention",
        3,
        drafter,
    )


def test_save_of_the_same_text_answers_unchanged(world, client):
    client.force_login(world.people["drafter"])
    before = stored(world.section_b)

    response = post_json(client, save_url(world), {"body": TEXT_B_V2, "base_version": 2})

    assert (response.json()["version"], response.json()["changed"]) == (2, False)
    assert stored(world.section_b) == before


def test_save_of_autosaves_folds_them_into_one_version(world, client):
    client.force_login(world.people["cluster lead"])

    first = post_json(client, save_url(world), {"body": "<p>Draft one.</p>", "base_version": 2, "autosave": True})
    second = post_json(client, save_url(world), {"body": "<p>Draft two.</p>", "base_version": 3, "autosave": True})

    assert (first.json()["version"], second.json()["version"]) == (3, 4)
    assert list(world.section_b.versions.values_list("version", "kind", "body")) == [
        (4, SectionVersion.Kind.AUTOSAVE, "<p>Draft two.</p>"),
        (2, SectionVersion.Kind.SAVE, TEXT_B_V2),
        (1, SectionVersion.Kind.SAVE, "<p>Children in detention are held with adults.</p>"),
    ]


def test_save_based_on_an_old_version_answers_409_with_the_stored_text(world, client):
    client.force_login(world.people["cluster lead"])
    before = stored(world.section_b)

    response = post_json(client, save_url(world), {"body": "<p>My text, written on version 1.</p>", "base_version": 1})

    section = Section.objects.get(pk=world.section_b.pk)
    answer = response.json()
    diff_html = answer.pop("diff_html")
    assert response.status_code == 409
    assert answer == {
        "error": "conflict",
        "message": "The drafter saved this section while you were writing. Your text is kept here: "
        "compare the two and merge them, then save again.",
        "version": 2,
        "title": section.title,
        "body": TEXT_B_V2,
        "saved_by": "The drafter",
        "saved_at": section.last_edited_at.isoformat(),
    }
    # The server's diff, from the stored text to the refused one: two paragraphs with no word in common.
    assert diff_html.splitlines() == [
        '<div class="diff">',
        '<p class="diff-block diff-paragraph diff-deleted"><del><span class="visually-hidden">removed: </span>'
        "Children in pre-trial detention are held with adults in three prisons.</del></p>",
        '<p class="diff-block diff-paragraph diff-inserted"><ins><span class="visually-hidden">added: </span>'
        "My text, written on version 1.</ins></p>",
        "</div>",
    ]
    assert stored(world.section_b) == before


def test_save_conflict_diff_marks_the_words_changed_on_either_side(world, client):
    client.force_login(world.people["cluster lead"])
    mine = "<p>Children in detention are held with adults in two prisons.</p>"

    response = post_json(client, save_url(world), {"body": mine, "base_version": 1})

    assert (response.status_code, response.json()["diff_html"].splitlines()[1]) == (
        409,
        '<p class="diff-block diff-paragraph diff-changed">Children in '
        '<del><span class="visually-hidden">removed: </span>pre-trial</del> detention are held with adults in '
        '<del><span class="visually-hidden">removed: </span>three</del> '
        '<ins><span class="visually-hidden">added: </span>two</ins> prisons.</p>',
    )


# Limits: refused before anything parses the text, with the reason, nothing stored


def test_save_of_a_text_over_the_size_limit_answers_400_with_the_reason(world, client):
    client.force_login(world.people["drafter"])
    before = stored(world.section_b)

    response = post_json(
        client, save_url(world), {"body": "<p>" + "x" * MAX_BODY_CHARACTERS + "</p>", "base_version": 2}
    )

    assert (response.status_code, response.json()) == (
        400,
        {
            "error": "too_large",
            "message": "This text is too long to save: 500,007 characters with its formatting, where a section "
            "can hold 500,000 (many times a whole submission). Split it into several sections.",
        },
    )
    assert stored(world.section_b) == before


def test_save_of_a_5_mb_request_answers_400_without_reading_it(world, client):
    client.force_login(world.people["drafter"])
    before = stored(world.section_b)
    payload = json.dumps({"body": "<p>" + "x" * 5_000_000 + "</p>", "base_version": 2})

    response = client.post(save_url(world), payload, content_type="application/json")

    assert (response.status_code, response.json()["error"]) == (400, "too_large")
    assert response.json()["message"].startswith(f"This text is too long to save: {len(payload):,} characters")
    assert stored(world.section_b) == before


def test_save_of_deeply_nested_markup_answers_400_with_the_reason(world, client):
    client.force_login(world.people["drafter"])
    before = stored(world.section_b)

    response = post_json(client, save_url(world), {"body": "<div>" * 5_000, "base_version": 2})

    assert (response.status_code, response.json()) == (
        400,
        {
            "error": "too_deep",
            "message": "This text cannot be saved: its formatting is nested more than 100 levels deep. This "
            "happens when a web page or a converted document is pasted with its markup: paste the text without "
            "its formatting, then add headings, lists and bold again.",
        },
    )
    assert stored(world.section_b) == before


def test_save_of_the_nested_divs_that_stalled_a_worker_answers_400(world, client):
    client.force_login(world.people["drafter"])
    before = stored(world.section_b)

    response = post_json(client, save_url(world), {"body": "<div>" * 98_000, "base_version": 2})

    assert (response.status_code, response.json()["error"]) == (400, "too_much_markup")
    assert stored(world.section_b) == before


def test_editor_form_without_javascript_refuses_a_text_over_a_limit_and_keeps_it(world, client):
    client.force_login(world.people["drafter"])
    before = stored(world.section_b)
    body = "<p>Kept.</p>" + "<div>" * 200

    response = client.post(
        reverse("submissions:section_edit", args=[world.submission.pk, world.section_b.pk]),
        {"title": "Mine", "body": body, "base_version": 2},
    )

    assert response.status_code == 400
    assert (response.context["form"]["body"].value(), response.context["form"].errors["body"]) == (
        body,
        [
            "This text cannot be saved: its formatting is nested more than 100 levels deep. This happens when a "
            "web page or a converted document is pasted with its markup: paste the text without its formatting, "
            "then add headings, lists and bold again."
        ],
    )
    assertContains(response, '<div class="invalid-feedback d-block" id="body-errors" role="alert">', status_code=400)
    assert stored(world.section_b) == before


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"",
        b"[1, 2]",
        b'"text"',
        b'{"body": "<p>x</p>"}',
        b'{"body": "x", "base_version": "two"}',
        b'{"body": "x", "base_version": 2.9}',
        b'{"body": "x", "base_version": true}',
        b'{"body": 5, "base_version": 2}',
    ],
    ids=[
        "malformed",
        "empty",
        "array",
        "string",
        "no base version",
        "base version not a number",
        "base version a fraction",
        "base version a boolean",
        "body not text",
    ],
)
def test_save_of_an_incomplete_request_answers_400(body, world, client):
    client.force_login(world.people["drafter"])
    before = stored(world.section_b)

    response = client.post(save_url(world), body, content_type="application/json")

    assert (response.status_code, response.json()) == (
        400,
        {"error": "bad_request", "message": "The editor sent an incomplete save. Reload the page."},
    )
    assert stored(world.section_b) == before


def test_save_when_signed_out_answers_401(world, client):
    before = stored(world.section_b)

    response = post_json(client, save_url(world), {"body": TEXT, "base_version": 2})

    assert (response.status_code, response.json()) == (
        401,
        {"error": "signed_out", "message": "You are signed out. Sign in again in another tab, then retry."},
    )
    assert stored(world.section_b) == before


def test_save_by_a_reader_answers_403_with_the_reason(world, client):
    client.force_login(world.people["reviewer"])
    before = stored(world.section_b)

    response = post_json(client, save_url(world), {"body": TEXT, "base_version": 2})

    assert (response.status_code, response.json()) == (
        403,
        {"error": "forbidden", "message": str(REFUSALS["submissions.edit_section"])},
    )
    assert stored(world.section_b) == before


def test_save_in_a_final_submission_answers_403(world, client):
    client.force_login(world.coordinator)
    before = stored(world.final_section)

    response = post_json(client, save_url(world, world.final_section), {"body": TEXT, "base_version": 1})

    assert (response.status_code, response.json()["error"]) == (403, "forbidden")
    assert stored(world.final_section) == before


def test_save_answers_405_to_get(world, client):
    client.force_login(world.people["drafter"])

    response = client.get(save_url(world))

    assert (response.status_code, response["Allow"]) == (405, "POST")


def test_save_without_the_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people["drafter"])
    before = stored(world.section_b)

    response = post_json(client, save_url(world), {"body": TEXT, "base_version": 2})

    assert response.status_code == 403
    assert b"CSRF" in response.content
    assert stored(world.section_b) == before


def test_save_with_the_csrf_token_in_the_header_succeeds(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people["drafter"])
    page = client.get(reverse("submissions:section_edit", args=[world.submission.pk, world.section_b.pk]))
    token = CSRF_INPUT.search(page.content.decode()).group(1)

    response = client.post(
        save_url(world),
        json.dumps({"body": TEXT, "base_version": 2}),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )

    assert (response.status_code, response.json()["version"]) == (200, 3)
    assert stored(world.section_b)[0][:2] == (TEXT, 3)


# Presence


def test_presence_of_two_people_on_one_section_shows_each_the_other(world, no_presence):
    drafter, lead = Client(), Client()
    drafter.force_login(world.people["drafter"])
    lead.force_login(world.people["cluster lead"])

    alone = drafter.post(presence_url(world))
    joined = lead.post(presence_url(world))
    again = drafter.post(presence_url(world))

    assert alone.json() == {
        "others": [],
        "version": 2,
        "saved_by": "The drafter",
        "saved_at": Section.objects.get(pk=world.section_b.pk).last_edited_at.isoformat(),
    }
    assert (joined.json()["others"], again.json()["others"]) == (["The drafter"], ["The cluster lead"])


def test_presence_answers_the_current_version_after_a_save(world, no_presence, client):
    client.force_login(world.people["observer"])
    first = client.post(presence_url(world))
    saver = Client()
    saver.force_login(world.people["drafter"])
    post_json(saver, save_url(world), {"body": TEXT, "base_version": 2})

    second = client.post(presence_url(world))

    assert (first.json()["version"], second.json()["version"]) == (2, 3)


def test_presence_of_someone_who_left_is_gone(world, no_presence):
    drafter, lead = Client(), Client()
    drafter.force_login(world.people["drafter"])
    lead.force_login(world.people["cluster lead"])
    drafter.post(presence_url(world))

    drafter.post(presence_url(world), {"leaving": "1"})
    response = lead.post(presence_url(world))

    assert response.json()["others"] == []


def test_presence_on_another_section_is_not_shared(world, no_presence):
    drafter, lead = Client(), Client()
    drafter.force_login(world.people["drafter"])
    lead.force_login(world.people["cluster lead"])
    drafter.post(reverse("submissions:section_presence", args=[world.submission.pk, world.section_a.pk]))

    response = lead.post(presence_url(world))

    assert response.json()["others"] == []


def test_presence_answers_401_when_signed_out_and_404_to_an_outsider(world, no_presence, client):
    signed_out = client.post(presence_url(world))
    client.force_login(world.people["outsider"])
    outsider = client.post(presence_url(world))

    assert (signed_out.status_code, signed_out.json()["error"]) == (401, "signed_out")
    assert (outsider.status_code, outsider.json()["error"]) == (404, "not_found")
    assert cache.get(presence._key(world.section_b.pk)) is None


def test_save_of_a_title_longer_than_the_field_answers_400(world, client):
    client.force_login(world.people["drafter"])
    before = stored(world.section_b)

    response = post_json(client, save_url(world), {"body": TEXT, "base_version": 2, "title": "t" * 301})

    assert (response.status_code, response.json()) == (
        400,
        {"error": "bad_request", "message": "The section title is too long."},
    )
    assert stored(world.section_b) == before


def test_editor_form_without_javascript_refuses_a_stale_save_with_409(world, client):
    client.force_login(world.people["cluster lead"])
    before = stored(world.section_b)

    response = client.post(
        reverse("submissions:section_edit", args=[world.submission.pk, world.section_b.pk]),
        {"title": "Mine", "body": "<p>Written on version 1.</p>", "base_version": 1},
    )

    assert response.status_code == 409
    assert (response.context["conflict"].version, response.context["conflict"].body) == (2, TEXT_B_V2)
    assert plain_text(response.context["conflict_diff"]) == (
        "[-Children in pre-trial detention are held with adults in three prisons.-]\n{+Written on version 1.+}"
    )
    assert (response.context["form"]["body"].value(), response.context["form"]["base_version"].value()) == (
        "<p>Written on version 1.</p>",
        2,
    )
    assert stored(world.section_b) == before
