"""The submission's page and a section's read-only page as people first meet them (issue 9, points 7-8):
which sections are theirs to edit, numbers written one way, over-budget bars, Geneva time, clusters."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from coalitions.models import Role
from submissions.models import Section, Submission
from tests.factories import ClusterFactory, MembershipFactory, SectionFactory, write_text
from tests.submissions.conftest import World

pytestmark = pytest.mark.django_db

ROW = re.compile(
    r'<a href="[^"]+">([^<]+)</a>\s*<span class="badge [^"]*section-access" data-access="(edit|read)">([^<]+)</span>'
)


def section_rows(response) -> list[tuple[str, str, str]]:
    """(section title, "edit" or "read", the marker's words) for each row of the sections table."""
    return [(title, access, words) for title, access, words in ROW.findall(response.content.decode())]


def detail(client, world: World, person: str, submission: Submission | None = None):
    client.force_login(world.people[person])
    response = client.get(reverse("submissions:detail", args=[(submission or world.submission).pk]))
    # The page's template (the view renders the sections' rows first when they are not kept yet).
    shown = {template.name for template in response.templates}
    assert (response.status_code, "submissions/submission_detail.html" in shown) == (200, True)
    return response


@pytest.mark.parametrize(
    ("person", "access"),
    [
        # Assigned through the organisation they act for, and lead of B's cluster: section B only.
        ("drafter", ["edit", "read"]),
        ("cluster lead", ["edit", "read"]),
        ("coordinator", ["edit", "edit"]),
        ("reviewer", ["read", "read"]),
        ("observer", ["read", "read"]),
    ],
)
def test_submission_page_marks_the_sections_the_person_may_edit(person, access, world, client):
    response = detail(client, world, person)

    words = {"edit": "you can edit", "read": "read only"}
    assert section_rows(response) == [
        (escape(world.section_b.title), access[0], words[access[0]]),
        (escape(world.section_a.title), access[1], words[access[1]]),
    ]


def test_submission_page_links_editable_sections_to_the_editor_and_others_to_reading(world, client):
    html = detail(client, world, "drafter").content.decode()

    b, a = world.section_b, world.section_a
    editor = reverse("submissions:section_edit", args=[world.submission.pk, b.pk])
    reader = reverse("submissions:section", args=[world.submission.pk, a.pk])
    assert (
        f'<a href="{editor}">{escape(b.title)}</a>' in html,
        f'<a href="{reader}">{escape(a.title)}</a>' in html,
    ) == (
        True,
        True,
    )


def test_final_submission_marks_every_section_read_only_even_for_its_coordinator(world, client):
    response = detail(client, world, "coordinator", world.final_submission)

    assert section_rows(response) == [(escape(world.final_section.title), "read", "read only")]


def test_submission_page_writes_large_numbers_with_thousands_separators(world, client):
    Section.objects.filter(pk=world.section_b.pk).update(body_words=4000, note_words=0)
    Section.objects.filter(pk=world.section_a.pk).update(body_words=712, note_words=0)

    html = detail(client, world, "drafter").content.decode()

    assert re.search(r"\s4,712 of 5,630 words\s", html)
    assert re.search(r"Budgets shared out: 1,800 of 5,630\.", html)
    # The meter's own values stay machine numbers.
    assert 'max="5630" value="4712" high="5630"' in html


def test_an_over_budget_section_has_a_red_bar_and_says_so(world, client):
    Section.objects.filter(pk=world.section_b.pk).update(body_words=1200, note_words=0)

    html = detail(client, world, "drafter").content.decode()

    meters = re.findall(r'<meter class="([^"]+)" min="0" max="(\d+)" value="(\d+)"', html)
    assert meters == [
        ("budget-meter", "5630", "1206"),
        ("budget-meter is-over", "1000", "1200"),
        ("budget-meter", "800", "6"),
    ]
    assert re.search(r"1,200 of 1,000\s*<meter[^>]*>[^<]*</meter>\s*<span class=\"small\">over budget</span>", html)


def test_a_submission_over_its_limit_has_a_red_bar_for_the_whole(world, client):
    Section.objects.filter(pk=world.section_b.pk).update(body_words=6000, note_words=0)

    html = detail(client, world, "drafter").content.decode()

    assert re.search(r'<meter class="budget-meter is-over" min="0" max="5630" value="6006"', html)
    assert re.search(r"6,006 of 5,630 words\s*– over the UN limit", html)


def test_cluster_named_like_its_section_is_not_repeated_under_it(world, client):
    same = ClusterFactory(coalition=world.coalition, name="Rights of the child")
    SectionFactory(submission=world.submission, title="Rights of the Child ", cluster=same)

    html = detail(client, world, "coordinator").content.decode()

    assert re.findall(r'<div class="small text-body-secondary">Cluster: ([^<]+)</div>', html) == [
        escape(world.cluster_b.name),
        escape(world.cluster_a.name),
    ]


def test_last_edit_times_say_they_are_geneva_time(world, client):
    html = detail(client, world, "drafter").content.decode()

    times = re.findall(
        r'<br><time datetime="[^"]+\+0[12]:00">(\d{1,2} \w{3} \d{4}, \d\d:\d\d) Geneva time</time>', html
    )
    assert len(times) == 2


def read_page(client, world: World, person: str, section: Section):
    client.force_login(world.people[person])
    response = client.get(reverse("submissions:section", args=[section.submission_id, section.pk]))
    assert (response.status_code, response.templates[0].name) == (200, "submissions/section_read.html")
    return response.content.decode()


def reason_on(html: str) -> str | None:
    match = re.search(
        r'<p class="alert alert-secondary py-2 read-only-reason"><strong>Read only\.</strong> ([^<]+)</p>', html
    )
    return match.group(1) if match else None


def test_read_only_section_says_whom_it_is_assigned_to(world, client):
    html = read_page(client, world, "drafter", world.section_a)

    assert reason_on(html) == escape(
        "This section is assigned to ARW. A coordinator can assign it to you or to your organisation."
    )


def test_read_only_section_tells_an_observer_their_role_reads_only(world, client):
    html = read_page(client, world, "observer", world.section_b)

    assert reason_on(html) == escape(
        "Your role in the coalition is “Observer (read only)”: you can read the sections but not edit them."
    )


def test_read_only_section_of_a_final_submission_says_it_is_final(world, client):
    html = read_page(client, world, "drafter", world.final_section)

    assert reason_on(html) == escape(
        "The submission is marked final: nobody edits it until a coordinator reopens it for drafting."
    )


def test_read_only_section_of_a_sent_submission_says_it_was_sent(world, client):
    Submission.objects.filter(pk=world.final_submission.pk).update(status=Submission.Status.SUBMITTED)

    html = read_page(client, world, "coordinator", world.final_section)

    assert reason_on(html) == escape("The submission was sent to OHCHR: it stays read-only.")


def test_read_only_section_assigned_to_nobody_says_so(world, client):
    section = SectionFactory(submission=world.submission, title="Unassigned")

    html = read_page(client, world, "drafter", section)

    assert reason_on(html) == escape(
        "This section is not assigned to anyone yet. A coordinator can assign it to you or to your organisation."
    )


def test_section_the_person_may_edit_reads_without_a_reason_and_offers_edit(world, client):
    html = read_page(client, world, "drafter", world.section_b)

    edit = reverse("submissions:section_edit", args=[world.submission.pk, world.section_b.pk])
    assert (reason_on(html), f'<a class="btn btn-primary btn-sm" href="{edit}">Edit</a>' in html) == (None, True)


def test_read_only_reason_follows_an_assignment_by_name(world, client):
    new_drafter = MembershipFactory(coalition=world.coalition, role=Role.DRAFTER, organisation=world.org_a)
    world.people["new drafter"] = new_drafter.user
    world.section_b.assigned_people.add(new_drafter.user)

    html = read_page(client, world, "new drafter", world.section_a)
    own = read_page(client, world, "new drafter", world.section_b)

    # Section A is assigned to the drafter's organisation (ARW); B by name.
    assert (reason_on(html), reason_on(own)) == (None, None)


def test_read_page_numbers_and_time_are_formatted(world, client):
    write_text(world.section_b, author=world.coordinator, body="<p>" + "word " * 1234 + "</p>")
    Section.objects.filter(pk=world.section_b.pk).update(word_budget=2500)

    html = read_page(client, world, "drafter", world.section_b)

    assert re.search(r"1,234 words, 0 in notes · budget 2,500\s*· last saved by The coordinator, <time datetime", html)
    assert re.search(r"\d\d:\d\d Geneva time</time></p>", html)
