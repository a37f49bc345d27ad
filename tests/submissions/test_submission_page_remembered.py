"""The submission page remembers what it shows while the database does not change (upr_portal/freshness.py):
each change shows at once, whatever made it; each person keeps their own rights; the clock's parts (a
deadline passed, a job stuck) are asked on every visit."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains

from accounts.models import User
from coalitions.models import Membership, Organisation, Role
from submissions.models import GeneratedDocument, Section, SignOff, Submission
from submissions.services import documents as document_services
from submissions.services import workflow as workflow_services
from tests.factories.generated_documents import GeneratedDocumentFactory, finished_document
from tests.submissions.conftest import World
from tests.submissions.test_signoff_views import open_sign_off

pytestmark = pytest.mark.django_db


@pytest.fixture
def browsers(world: World) -> dict[str, Client]:
    """A browser signed in for each person, all before the first visit: signing in writes (the last
    sign-in's time), which starts a new data generation and would hide a value remembered too well."""
    signed_in = {}
    for person in ("observer", "drafter", "coordinator"):
        signed_in[person] = Client()
        signed_in[person].force_login(world.people[person])
    return signed_in


def visit(browsers: dict[str, Client], world: World, person: str):
    response = browsers[person].get(reverse("submissions:detail", args=[world.submission.pk]))
    assertContains(response, f'<h2 class="h4 mb-1">{escape(world.submission.title)}</h2>')
    return response


def access_of(response) -> list[str]:
    html = response.content.decode()
    return [html.count('data-access="edit"'), html.count('data-access="read"')]


@pytest.mark.parametrize("person", ["observer", "drafter", "coordinator"])
def test_a_second_visit_with_nothing_changed_costs_fewer_queries(person, world, browsers):
    counts = []
    for _visit in range(2):
        with CaptureQueriesContext(connection) as captured:
            visit(browsers, world, person)
        counts.append(len(captured))

    assert counts[1] < counts[0]


def test_a_section_renamed_by_a_queryset_update_shows_at_once(world, browsers):
    visit(browsers, world, "observer")

    Section.objects.filter(pk=world.section_a.pk).update(title="Trafficking, renamed")

    assertContains(visit(browsers, world, "observer"), "Trafficking, renamed</a>")


def test_the_totals_follow_a_changed_summary_at_once(world, browsers):
    visit(browsers, world, "observer")

    Submission.objects.filter(pk=world.submission.pk).update(executive_summary="<p>One two three four.</p>")

    assertContains(visit(browsers, world, "observer"), "executive summary 4.")


def test_a_new_document_shows_at_once(world, browsers):
    assertContains(visit(browsers, world, "observer"), "No documents have been generated yet.")

    finished_document(world.submission, requested_by=world.coordinator)

    response = visit(browsers, world, "observer")
    assertNotContains(response, "No documents have been generated yet.")
    assertContains(response, "Download the PDF")


def test_the_signatories_follow_a_renamed_organisation_at_once(world, browsers):
    visit(browsers, world, "observer")

    Organisation.objects.filter(pk=world.org_a.pk).update(name="Alpha Rights Watch International")

    assertContains(visit(browsers, world, "observer"), "Alpha Rights Watch International")


def test_a_step_taken_shows_at_once(world, browsers):
    assertContains(visit(browsers, world, "observer"), "No step taken yet.")

    workflow_services.submission_step(submission_id=world.submission.pk, actor=world.coordinator, action="consolidate")

    response = visit(browsers, world, "observer")
    assertNotContains(response, "No step taken yet.")
    assertContains(response, 'class="mb-1 workflow-step-taken"')


@pytest.mark.parametrize(
    ("first", "then"),
    [("coordinator", "observer"), ("observer", "coordinator"), ("drafter", "observer"), ("observer", "drafter")],
)
def test_each_person_sees_their_own_rights_whoever_came_first(first, then, world, browsers):
    visit(browsers, world, first)

    response = visit(browsers, world, then)

    assert access_of(response) == {"coordinator": [2, 0], "drafter": [1, 1], "observer": [0, 2]}[then]
    coordinates = then == "coordinator"
    for only_theirs in ("Generate documents", "Start consolidation", "Add a section", 'form="section-move"'):
        assert (only_theirs in response.content.decode()) is coordinates, only_theirs


def test_a_role_changed_by_a_queryset_update_applies_at_once(world, browsers):
    assert access_of(visit(browsers, world, "drafter")) == [1, 1]

    Membership.objects.filter(user=world.people["drafter"], coalition=world.coalition).update(role=Role.OBSERVER)

    assert access_of(visit(browsers, world, "drafter")) == [0, 2]


def test_each_language_has_its_own_words(world, browsers):
    # The same person, nothing changed in the database, the language switched (the person's own
    # setting left empty, the cookie chooses): the states' names are in the new language.
    with translation.override("fr"):
        drafting_fr = str(Section.State.DRAFTING.label)
    assert drafting_fr != "Drafting"
    User.objects.filter(pk=world.people["observer"].pk).update(language="")
    assertContains(visit(browsers, world, "observer"), 'data-state="drafting">Drafting</span>', count=2)

    browsers["observer"].cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = visit(browsers, world, "observer")

    assertContains(response, f'data-state="drafting">{drafting_fr}</span>', count=2)


def test_a_deadline_passing_between_two_visits_shows_late_with_nothing_changed(world, browsers, monkeypatch):
    now = timezone.now()
    Section.objects.filter(pk=world.section_a.pk).update(first_draft_due=now + datetime.timedelta(hours=1))
    assertNotContains(visit(browsers, world, "observer"), '<span class="badge text-bg-danger">late</span>')

    monkeypatch.setattr(timezone, "now", lambda: now + datetime.timedelta(hours=2))

    assertContains(visit(browsers, world, "observer"), '<span class="badge text-bg-danger">late</span>', count=1)


def test_a_job_that_stopped_between_two_visits_is_failed_with_nothing_changed(world, browsers, monkeypatch):
    now = timezone.now()
    GeneratedDocumentFactory(submission=world.submission, requested_by=world.coordinator)
    assertContains(visit(browsers, world, "observer"), 'data-status="queued"')

    monkeypatch.setattr(timezone, "now", lambda: now + document_services.QUEUED_TIMEOUT * 2)

    response = visit(browsers, world, "observer")
    assertContains(response, 'data-status="failed"')
    assert GeneratedDocument.objects.get(submission=world.submission).status == GeneratedDocument.Status.FAILED


def test_the_sign_off_panel_counts_an_answer_at_once_and_is_each_persons_own(world, browsers, client):
    sign_offs = open_sign_off(world)
    client.force_login(world.people["cluster lead"])  # designated for Beta Legal Aid
    detail = reverse("submissions:detail", args=[world.submission.pk])
    assertContains(client.get(detail), "You answer for Beta Legal Aid")
    observer = visit(browsers, world, "observer")
    assertContains(observer, "0 of 3 endorsed, 0 declined, 3 not answered")
    assertNotContains(observer, "You answer for")

    SignOff.objects.filter(pk=sign_offs["a"].pk).update(status=SignOff.Status.ENDORSED, answered_at=timezone.now())

    assertContains(visit(browsers, world, "observer"), "1 of 3 endorsed, 0 declined, 2 not answered")
    assertContains(client.get(detail), "You answer for Beta Legal Aid")
