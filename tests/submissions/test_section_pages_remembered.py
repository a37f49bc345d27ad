"""The section editor and the section history remember what they read (upr_portal/freshness.py): a
change shows at once, each person's rights are still theirs, and a second visit reads less."""

from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from coalitions.models import Role
from submissions.comment_selectors import member_options, without_option
from submissions.models import Comment, Section, SectionTransition, SectionVersion
from submissions.services.comments import Member
from tests.factories import MembershipFactory, SectionFactory, SubmissionFactory, UserFactory, write_text
from tests.factories.accounts import sign_in_with_two_factor
from tests.factories.coalitions import new_coalition

pytestmark = pytest.mark.django_db


def editor_url(section: Section) -> str:
    return reverse("submissions:section_edit", args=[section.submission_id, section.pk])


def history_url(section: Section, **query) -> str:
    url = reverse("submissions:history", args=[section.submission_id, section.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def other_words(response) -> int:
    return response.context["other_words"]


def notify_option(user) -> str:
    return f'<option value="{user.pk}">{escape(user.full_name)}</option>'


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    # An editor or a history page of the section, as asked.
    assert (response.status_code, response.context["section"].pk) == (
        200,
        int(urlsplit(url).path.rstrip("/").split("/")[-2]),
    )
    return len(captured)


# The editor


def test_editor_shows_each_change_at_once_though_remembered(world, client):
    section = world.section_b
    client.force_login(world.people["drafter"])
    first = client.get(editor_url(section))
    assertContains(first, "Editing Section of B&#x27;s cluster")

    Section.objects.filter(pk=section.pk).update(title="Children in detention")
    Section.objects.filter(pk=world.section_a.pk).update(body_words=F("body_words") + 250)
    Comment.objects.create(section=section, author=world.people["reviewer"], body="Cite the 2023 report.")
    SectionTransition.objects.create(
        section=section, action="request_changes", source="submitted", target="drafting", message="Shorter, please."
    )
    newcomer = MembershipFactory(
        coalition=world.coalition, organisation=world.org_a, user__full_name="Nadia Newcomer"
    ).user
    again = client.get(editor_url(section))

    assertContains(again, "Editing Children in detention")
    assert other_words(again) == other_words(first) + 250
    assertContains(again, "Cite the 2023 report.")
    assertContains(again, "Shorter, please.")
    assertContains(again, notify_option(newcomer), html=True)


def test_editor_shows_a_save_at_once(world, client):
    section = world.section_b
    client.force_login(world.people["drafter"])
    client.get(editor_url(section))

    write_text(section, author=world.people["cluster lead"], body="<p>A text saved in another tab.</p>")
    response = client.get(editor_url(section))

    assertContains(response, "A text saved in another tab.")
    assertContains(response, f'name="base_version" value="{section.version}"')


def test_editor_remembered_for_one_person_keeps_every_other_persons_rights(world, client):
    section = world.section_b
    client.force_login(world.people["drafter"])
    drafters = client.get(editor_url(section))

    client.force_login(world.people["observer"])
    observers = client.get(editor_url(section))
    read_page = client.get(reverse("submissions:section", args=[section.submission_id, section.pk]))
    client.force_login(world.people["outsider"])
    outsiders = client.get(editor_url(section))

    assert (drafters.status_code, observers.status_code, read_page.status_code, outsiders.status_code) == (
        200,
        403,
        200,
        404,
    )


def test_editor_notify_list_is_each_persons_own(world, client):
    drafter, coordinator = world.people["drafter"], world.people["coordinator"]
    client.force_login(drafter)
    drafters = client.get(editor_url(world.section_b))
    client.force_login(coordinator)
    coordinators = client.get(editor_url(world.section_b))

    # Nobody is offered to notify themselves; each is offered the other.
    assertNotContains(drafters, notify_option(drafter), html=True)
    assertContains(drafters, notify_option(coordinator), html=True)
    assertNotContains(coordinators, notify_option(coordinator), html=True)
    assertContains(coordinators, notify_option(drafter), html=True)


def test_editor_and_history_refuse_a_session_without_two_factor_after_a_verified_one(client):
    coalition = new_coalition(name="Coalition asking for codes", require_two_factor=True)
    verified, unverified = (MembershipFactory(coalition=coalition, role=Role.COORDINATOR).user for _ in range(2))
    section = SectionFactory(submission=SubmissionFactory(coalition=coalition))
    write_text(section, author=verified, body="<p>First.</p>")
    sign_in_with_two_factor(client, verified)
    assert [client.get(url).status_code for url in (editor_url(section), history_url(section))] == [200, 200]

    client.force_login(unverified)

    for url in (editor_url(section), history_url(section)):
        assertRedirects(
            client.get(url), reverse("two_factor") + f"?next={url.replace('/', '%2F')}", fetch_redirect_response=False
        )


def test_editor_second_visit_with_nothing_changed_reads_less(world, client):
    client.force_login(world.people["drafter"])
    first = queries_of(client, editor_url(world.section_b))

    second = queries_of(client, editor_url(world.section_b))

    assert second < first


# The history


def test_history_shows_each_change_at_once_though_remembered(world, client):
    section = world.section_b
    client.force_login(world.people["drafter"])
    client.get(history_url(section))

    Section.objects.filter(pk=section.pk).update(title="Children in detention")
    SectionVersion.objects.filter(section=section, version=1).update(
        body_words=777, author=UserFactory(full_name="Renata Rewriter")
    )
    response = client.get(history_url(section))

    assertContains(response, "Children in detention</a> /</p>")
    assertContains(response, "<td>Renata Rewriter</td>", html=True)
    assertContains(response, "777 + ")


def test_history_remembered_for_one_person_keeps_every_other_persons_rights(world, client):
    section = world.section_b
    restore = reverse("submissions:restore", args=[section.submission_id, section.pk, 1])
    client.force_login(world.people["drafter"])
    drafters = client.get(history_url(section))

    client.force_login(world.people["observer"])
    observers = client.get(history_url(section))
    client.force_login(world.people["outsider"])
    outsiders = client.get(history_url(section))

    assertContains(drafters, restore)
    assertNotContains(observers, restore)
    assert outsiders.status_code == 404


def test_history_pages_remembered_apart(world, client):
    section = SectionFactory(submission=world.submission, assigned_organisations=[world.org_b])
    for number in range(25):
        write_text(section, author=UserFactory(full_name=f"Author {number}"), body=f"<p>Text {number}.</p>")
    client.force_login(world.people["observer"])

    first, second = client.get(history_url(section)), client.get(history_url(section, page=2))

    assertContains(first, "<td>Author 24</td>", html=True)
    assertNotContains(first, "<td>Author 0</td>", html=True)
    assertContains(second, "<td>Author 0</td>", html=True)
    assertNotContains(second, "<td>Author 24</td>", html=True)


def test_history_second_visit_with_nothing_changed_reads_less(world, client):
    client.force_login(world.people["drafter"])
    first = queries_of(client, history_url(world.section_b))

    second = queries_of(client, history_url(world.section_b))

    assert second < first


def test_notify_options_leave_out_exactly_the_person_and_escape_names():
    options = member_options([Member(12, "Ana <b>"), Member(123, "Ben"), Member(1, "Cy")])

    assert without_option(options, 12) == '<option value="123">Ben</option><option value="1">Cy</option>'
    assert without_option(options, 1) == ('<option value="12">Ana &lt;b&gt;</option><option value="123">Ben</option>')
    assert without_option(options, 7) == options
