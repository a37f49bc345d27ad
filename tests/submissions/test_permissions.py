"""docs/permissions.md's submissions matrix is the contract: every cell of it is one test here.

The table is read when this module is imported, so a new row or column in the document is a new
test at once; a row without a request spec below fails instead of passing unnoticed.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertRedirects

from coalitions.access import REFUSALS
from submissions.models import GeneratedDocument, Section, SectionVersion, Submission, SubmissionSignatory
from submissions.sanitize import clean_html
from tests.factories import UserFactory
from tests.factories.generated_documents import STAND_IN_PDF, finished_document
from tests.permissions_matrix import read_matrix
from tests.submissions.conftest import LIMIT_WORDS, TEXT_A, TEXT_B_V1, TEXT_FINAL, World
from upr_portal.wordcount import count_html

pytestmark = pytest.mark.django_db

MISSING = 999_999


ROLES, MATRIX = read_matrix("matrix:submissions")
CELLS = [(action, role, outcome) for action, row in MATRIX.items() for role, outcome in row.items()]
CELL_IDS = [f"{action}-{role}" for action, role, _outcome in CELLS]


def database_state() -> dict:
    """Everything a submission page could change: compared before and after every refused request."""
    return {
        "submissions": list(
            Submission.objects.order_by("pk").values_list(
                "pk", "title", "status", "kind", "language", "keywords", "executive_summary", "review_id"
            )
        ),
        "sections": list(
            Section.objects.order_by("pk").values_list(
                "pk",
                "submission_id",
                "position",
                "title",
                "cluster_id",
                "word_budget",
                "body",
                "version",
                "body_words",
                "note_words",
                "last_edited_by_id",
                "last_edited_at",
            )
        ),
        "assigned organisations": list(
            Section.assigned_organisations.through.objects.order_by("pk").values_list("section_id", "organisation_id")
        ),
        "assigned people": list(
            Section.assigned_people.through.objects.order_by("pk").values_list("section_id", "user_id")
        ),
        "versions": list(
            SectionVersion.objects.order_by("pk").values_list(
                "pk", "section_id", "version", "kind", "title", "body", "author_id", "restored_from", "saved_at"
            )
        ),
    }


# What one action of the matrix is, as a request.


@dataclass(frozen=True)
class Spec:
    """How to attempt one action of the matrix, and how to tell that it happened.

    ``method`` is GET, POST (a form) or JSON (a POST to the editor's API, which answers in JSON).
    ``rule`` names the rule whose explanation (coalitions/access.py REFUSALS) a 403 shows. For a GET,
    ``shows`` gives the texts a page that answers 200 must contain. For a write, ``snapshot`` reads the
    state the action changes, ``redirects_to`` where a form's success sends the person (a JSON success
    answers 200) and ``check`` asserts the change itself, given the response.
    """

    method: str
    url: Callable[[World], str]
    rule: str | None = None
    shows: Callable[[World, str], list[str]] | None = None
    data: Callable[[World], dict] = field(default=lambda world: {})
    snapshot: Callable[[World], object] | None = None
    redirects_to: Callable[[World], str] | None = None
    check: Callable[[World, str, object], None] | None = None
    # Puts the world in the state the action starts from (a submission out for sign-off), before the
    # request and before the database is read for comparison.
    arrange: Callable[[World], None] | None = None


def submission_url(name: str, which: str = "submission") -> Callable[[World], str]:
    return lambda world: reverse(f"submissions:{name}", args=[getattr(world, which).pk])


def section_url(name: str, which: str, *extra: int) -> Callable[[World], str]:
    def url(world: World) -> str:
        section = getattr(world, which)
        return reverse(f"submissions:{name}", args=[section.submission_id, section.pk, *extra])

    return url


def section_state(which: str) -> Callable[[World], object]:
    return lambda world: (
        Section.objects.filter(pk=getattr(world, which).pk).values_list("title", "body", "version").get(),
        SectionVersion.objects.filter(section=getattr(world, which)).count(),
    )


NEW_TITLE = "Joint submission on the right to education"
EDITED_BODY = "<p>Children are held with adults in <strong>three</strong> prisons.</p><script>alert(1)</script>"
EDITED_CLEAN = "<p>Children are held with adults in <strong>three</strong> prisons.</p>"


def _check_started(world: World, role: str, response) -> None:
    submission = Submission.objects.get(title=NEW_TITLE)
    assert (submission.coalition, submission.review, submission.kind, submission.language, submission.status) == (
        world.coalition,
        world.review,
        Submission.Kind.JOINT,
        Submission.Language.FRENCH,
        Submission.Status.DRAFT,
    )
    assert list(submission.sections.values_list("position", "title")) == [(1, "Introduction"), (2, "Education")]


def _check_details_changed(world: World, role: str, response) -> None:
    world.submission.refresh_from_db()
    assert (
        world.submission.title,
        world.submission.language,
        world.submission.keyword_list,
        world.submission.executive_summary,
    ) == ("Children deprived of liberty", Submission.Language.SPANISH, ["detention", "children"], "Three prisons.")


def _check_status(which: str, status: str) -> Callable[[World, str, object], None]:
    def check(world: World, role: str, response) -> None:
        assert Submission.objects.values_list("status", flat=True).get(pk=getattr(world, which).pk) == status

    return check


def _check_section_added(world: World, role: str, response) -> None:
    section = world.submission.sections.get(title="Rights of persons with disabilities")
    assert (section.position, section.cluster, section.word_budget, section.version, section.body) == (
        3,
        world.cluster_a,
        500,
        0,
        "",
    )
    assert list(section.assigned_organisations.all()) == [world.org_a]
    assert list(section.assigned_people.all()) == [world.people["drafter"]]


def _check_settings_changed(world: World, role: str, response) -> None:
    section = Section.objects.get(pk=world.section_b.pk)
    assert (section.title, section.cluster, section.word_budget, section.version) == (
        "Children in detention",
        world.cluster_b,
        1200,
        2,
    )
    assert list(section.assigned_organisations.all()) == [world.org_b]
    assert list(section.assigned_people.all()) == [world.people["cluster lead"]]


def _check_edited(which: str, version: int) -> Callable[[World, str, object], None]:
    def check(world: World, role: str, response) -> None:
        section = Section.objects.get(pk=getattr(world, which).pk)
        assert (section.title, section.body, section.version, section.last_edited_by) == (
            "Edited title",
            EDITED_CLEAN,
            version,
            world.people[role],
        )
        assert section.versions.values_list("version", "kind", "author").first() == (
            version,
            SectionVersion.Kind.SAVE,
            world.people[role].pk,
        )

    return check


def _check_saved_through_api(world: World, role: str, response) -> None:
    section = Section.objects.get(pk=world.section_b.pk)
    assert (section.body, section.version, section.last_edited_by) == (EDITED_CLEAN, 3, world.people[role])
    assert response.json() == {
        "version": 3,
        "changed": True,
        "body_words": count_html(EDITED_CLEAN).body,
        "note_words": 0,
        "saved_by": str(world.people[role]),
        "saved_at": section.last_edited_at.isoformat(),
    }


def _check_restored(world: World, role: str, response) -> None:
    section = Section.objects.get(pk=world.section_b.pk)
    assert (section.body, section.version, section.last_edited_by) == (clean_html(TEXT_B_V1), 3, world.people[role])
    assert list(section.versions.values_list("version", "kind", "restored_from", "author")) == [
        (3, SectionVersion.Kind.RESTORE, 1, world.people[role].pk),
        (2, SectionVersion.Kind.SAVE, None, world.people["drafter"].pk),
        (1, SectionVersion.Kind.SAVE, None, world.coordinator.pk),
    ]


def _edit_data(which: str) -> Callable[[World], dict]:
    return lambda world: {
        "title": "Edited title",
        "body": EDITED_BODY,
        "base_version": getattr(world, which).version,
    }


def _generated_document(world: World) -> GeneratedDocument:
    return GeneratedDocument.objects.filter(submission=world.submission, status=GeneratedDocument.Status.DONE).get()


def _signatories_state(world: World) -> tuple:
    return (
        list(SubmissionSignatory.objects.filter(submission=world.submission).values_list("organisation", "position")),
        Submission.objects.values_list("contact_name", "contact_email").get(pk=world.submission.pk),
    )


def _check_signatories(world: World, role: str, response) -> None:
    assert _signatories_state(world) == (
        [(world.org_b.pk, 1), (world.secretariat.pk, 2)],
        ("Amina Diallo", "amina@example.org"),
    )


def _queued_documents(world: World) -> list:
    return list(
        GeneratedDocument.objects.filter(
            submission=world.submission, status=GeneratedDocument.Status.QUEUED
        ).values_list("requested_by", flat=True)
    )


def _check_queued(world: World, role: str, response) -> None:
    assert _queued_documents(world) == [world.people[role].pk]


def _detail_documents(world: World) -> str:
    return reverse("submissions:detail", args=[world.submission.pk]) + "#documents"


SPECS: dict[str, Spec] = {
    "list the coalition's submissions": Spec(
        "GET",
        lambda world: reverse("submissions:list", args=[world.coalition.pk]),
        shows=lambda world, role: [escape(world.submission.title), escape(world.final_submission.title)],
    ),
    "start a submission": Spec(
        "POST",
        lambda world: reverse("submissions:create", args=[world.coalition.pk]),
        rule="submissions.create_submission",
        data=lambda world: {
            "review": world.review.pk,
            "kind": Submission.Kind.JOINT,
            "title": NEW_TITLE,
            "language": Submission.Language.FRENCH,
            "keywords": "education",
            "section_titles": "Introduction\n\nEducation\n",
        },
        snapshot=lambda world: list(Submission.objects.order_by("pk").values_list("title", flat=True)),
        redirects_to=lambda world: reverse("submissions:detail", args=[Submission.objects.get(title=NEW_TITLE).pk]),
        check=_check_started,
    ),
    "view a submission's overview": Spec(
        "GET",
        submission_url("detail"),
        shows=lambda world, role: [
            escape(world.submission.title),
            escape(world.section_b.title),
            escape(world.section_a.title),
            f"{world.section_b.body_words + world.section_a.body_words} of {LIMIT_WORDS:,} words",
        ],
    ),
    "change the submission's details": Spec(
        "POST",
        submission_url("edit"),
        rule="submissions.change_submission",
        data=lambda world: {
            "title": "Children deprived of liberty",
            "language": Submission.Language.SPANISH,
            "keywords": "detention, children",
            "executive_summary": "Three prisons.",
        },
        snapshot=lambda world: (
            Submission.objects.filter(pk=world.submission.pk)
            .values_list("title", "language", "keywords", "executive_summary")
            .get()
        ),
        redirects_to=submission_url("detail"),
        check=_check_details_changed,
    ),
    # The workflow's buttons (submissions/views/workflow.py); the other steps: test_permissions_workflow.py.
    "mark the submission final": Spec(
        "POST",
        submission_url("submission_step"),
        rule="submissions.change_status",
        data=lambda world: {"action": "mark_final"},
        snapshot=lambda world: Submission.objects.values_list("status", flat=True).get(pk=world.submission.pk),
        redirects_to=lambda world: reverse("submissions:detail", args=[world.submission.pk]) + "#workflow",
        check=_check_status("submission", Submission.Status.FINAL),
        arrange=lambda world: Submission.objects.filter(pk=world.submission.pk).update(
            status=Submission.Status.SIGN_OFF
        ),
    ),
    "reopen a final submission": Spec(
        "POST",
        submission_url("submission_step", "final_submission"),
        rule="submissions.change_status",
        data=lambda world: {"action": "reopen", "message": "The Ministry sent new figures."},
        snapshot=lambda world: Submission.objects.values_list("status", flat=True).get(pk=world.final_submission.pk),
        redirects_to=lambda world: reverse("submissions:detail", args=[world.final_submission.pk]) + "#workflow",
        check=_check_status("final_submission", Submission.Status.DRAFT),
    ),
    "add a section": Spec(
        "POST",
        submission_url("section_add"),
        rule="submissions.manage_sections",
        data=lambda world: {
            "title": "Rights of persons with disabilities",
            "cluster": world.cluster_a.pk,
            "word_budget": 500,
            "assigned_organisations": [world.org_a.pk],
            "assigned_people": [world.people["drafter"].pk],
        },
        snapshot=lambda world: list(world.submission.sections.values_list("title", "position", "word_budget")),
        redirects_to=submission_url("detail"),
        check=_check_section_added,
    ),
    "change a section's settings and budget": Spec(
        "POST",
        section_url("section_settings", "section_b"),
        rule="submissions.manage_sections",
        data=lambda world: {
            "title": "Children in detention",
            "cluster": world.cluster_b.pk,
            "word_budget": 1200,
            "assigned_organisations": [world.org_b.pk],
            "assigned_people": [world.people["cluster lead"].pk],
        },
        snapshot=lambda world: (
            Section.objects.filter(pk=world.section_b.pk).values_list("title", "word_budget").get(),
            list(world.section_b.assigned_people.values_list("pk", flat=True)),
        ),
        redirects_to=submission_url("detail"),
        check=_check_settings_changed,
    ),
    "read a section": Spec(
        "GET",
        section_url("section", "section_a"),
        shows=lambda world, role: [escape(world.section_a.title), clean_html(TEXT_A)],
    ),
    "edit the section of B's cluster": Spec(
        "POST",
        section_url("section_edit", "section_b"),
        rule="submissions.edit_section",
        data=_edit_data("section_b"),
        snapshot=section_state("section_b"),
        redirects_to=section_url("section_edit", "section_b"),
        check=_check_edited("section_b", 3),
    ),
    "edit the section of A's cluster": Spec(
        "POST",
        section_url("section_edit", "section_a"),
        rule="submissions.edit_section",
        data=_edit_data("section_a"),
        snapshot=section_state("section_a"),
        redirects_to=section_url("section_edit", "section_a"),
        check=_check_edited("section_a", 2),
    ),
    "save text through the editor's API": Spec(
        "JSON",
        section_url("section_save", "section_b"),
        rule="submissions.edit_section",
        data=lambda world: {"body": EDITED_BODY, "base_version": world.section_b.version},
        snapshot=section_state("section_b"),
        check=_check_saved_through_api,
    ),
    "edit a section of a final submission": Spec(
        "POST",
        section_url("section_edit", "final_section"),
        rule="submissions.edit_section",
        data=_edit_data("final_section"),
        snapshot=section_state("final_section"),
        redirects_to=section_url("section_edit", "final_section"),
        check=_check_edited("final_section", 2),
    ),
    "see a section's history": Spec(
        "GET",
        section_url("history", "section_b"),
        shows=lambda world, role: [
            escape(world.section_b.title),
            "<td>The drafter</td>",
            "<td>The coordinator</td>",
            'Children in <ins><span class="visually-hidden">added: </span>pre-trial</ins> detention',
        ],
    ),
    "restore an earlier version": Spec(
        "POST",
        section_url("restore", "section_b", 1),
        rule="submissions.edit_section",
        snapshot=section_state("section_b"),
        redirects_to=section_url("history", "section_b"),
        check=_check_restored,
    ),
    "change the signatories and contact person": Spec(
        "POST",
        submission_url("signatories"),
        rule="submissions.change_submission",
        data=lambda world: {
            f"position_{world.org_b.pk}": "1",
            f"position_{world.secretariat.pk}": "2",
            "contact_name": "Amina Diallo",
            "contact_email": "amina@example.org",
        },
        snapshot=_signatories_state,
        redirects_to=_detail_documents,
        check=_check_signatories,
    ),
    "generate the documents": Spec(
        "POST",
        submission_url("documents_generate"),
        rule="submissions.generate_documents",
        snapshot=_queued_documents,
        redirects_to=_detail_documents,
        check=_check_queued,
    ),
    "see the documents' status": Spec(
        "GET",
        submission_url("documents_status"),
        shows=lambda world, role: ['"status": "done"', '"running": false', "Download the PDF"],
    ),
    "download a generated document": Spec(
        "GET",
        lambda world: reverse("submissions:document_pdf", args=[world.submission.pk, _generated_document(world).pk]),
        shows=lambda world, role: [STAND_IN_PDF.decode()],
    ),
}

# The page a person opens before sending an action's form: it answers as the action does.
FORM_PAGES: dict[str, tuple[Callable[[World], str], Callable[[World], list[str]]]] = {
    "start a submission": (
        SPECS["start a submission"].url,
        lambda world: ["Start a submission", world.review.state.name],
    ),
    "change the submission's details": (
        SPECS["change the submission's details"].url,
        lambda world: [f"Details of {escape(world.submission.title)}"],
    ),
    "add a section": (SPECS["add a section"].url, lambda world: ["Add a section", 'value="Save the section"']),
    "change a section's settings and budget": (
        SPECS["change a section's settings and budget"].url,
        lambda world: [f"Settings of {escape(world.section_b.title)}", 'value="1000"'],
    ),
    "edit the section of B's cluster": (
        SPECS["edit the section of B's cluster"].url,
        lambda world: [f"Editing {escape(world.section_b.title)}", 'name="base_version" value="2"'],
    ),
    "edit the section of A's cluster": (
        SPECS["edit the section of A's cluster"].url,
        lambda world: [f"Editing {escape(world.section_a.title)}", 'name="base_version" value="1"'],
    ),
    "edit a section of a final submission": (
        SPECS["edit a section of a final submission"].url,
        lambda world: [f"Editing {escape(world.final_section.title)}", escape(TEXT_FINAL)],
    ),
    "restore an earlier version": (
        SPECS["restore an earlier version"].url,
        lambda world: ["Restore version 1?", "<ins>", "Restore this version"],
    ),
    "change the signatories and contact person": (
        SPECS["change the signatories and contact person"].url,
        lambda world: ["Organisations and contact person", f'name="position_{world.org_b.pk}"'],
    ),
}
PAGE_CELLS = [cell for cell in CELLS if cell[0] in FORM_PAGES]
PAGE_CELL_IDS = [f"{action} (page)-{role}" for action, role, _outcome in PAGE_CELLS]


def login_url(next_url: str) -> str:
    return f"{resolve_url('login')}?{urlencode({'next': next_url}, safe='/')}"


def assert_refused(response, outcome: str, url: str, spec: Spec) -> None:
    if spec.method == "JSON":
        expected = {
            "login": (401, "signed_out"),
            "404": (404, "not_found"),
            "403": (403, "forbidden"),
        }[outcome]
        assert (response.status_code, response.json()["error"]) == expected
        if outcome == "403":
            assert response.json()["message"] == str(REFUSALS[spec.rule])
    elif outcome == "login":
        assertRedirects(response, login_url(url), fetch_redirect_response=False)
    elif outcome == "404":
        assertContains(response, "Page not found", status_code=404)
    else:
        assert spec.rule is not None, "a 403 cell needs the rule whose explanation the page shows"
        assertContains(response, escape(str(REFUSALS[spec.rule])), status_code=403)


def send(client, spec: Spec, world: World, url: str):
    if spec.method == "GET":
        return client.get(url)
    if spec.method == "JSON":
        return client.post(url, json.dumps(spec.data(world)), content_type="application/json")
    return client.post(url, spec.data(world))


@pytest.fixture(autouse=True)
def generated_document(request, settings, tmp_path):
    """A finished document of the world's submission (stand-in files in a temporary MEDIA_ROOT), for
    the cells about documents; the job itself is tested in test_documents.py."""
    settings.MEDIA_ROOT = tmp_path / "media"
    if "world" not in request.fixturenames:
        return None
    world = request.getfixturevalue("world")
    return finished_document(world.submission, requested_by=world.coordinator)


# The matrix itself.


def test_matrix_roles_are_the_people_of_the_fixture(world):
    assert list(world.people) == ROLES


def test_matrix_every_action_has_a_request_spec():
    assert sorted(set(MATRIX) - set(SPECS)) == []
    assert sorted(set(SPECS) - set(MATRIX)) == []


def test_matrix_every_write_spec_can_check_its_change():
    incomplete = [
        action
        for action, spec in SPECS.items()
        if spec.method != "GET"
        and (spec.snapshot is None or spec.check is None or (spec.method == "POST" and spec.redirects_to is None))
    ]

    assert incomplete == []


@pytest.mark.parametrize(("action", "role", "outcome"), CELLS, ids=CELL_IDS)
def test_matrix_cell(action, role, outcome, world, client):
    assert action in SPECS, f"docs/permissions.md has {action!r} but test_permissions.py has no request for it"
    check_cell(client, world, SPECS[action], role, outcome)


def check_cell(client, world: World, spec: Spec, role: str, outcome: str, *, state=database_state) -> None:
    """One cell of a matrix: the person of ``role`` sends ``spec``'s request and gets ``outcome``.

    A refusal, and a page that is only read, change nothing that ``state()`` reads (the database's rows
    by default); an allowed request changes its ``snapshot`` and passes its ``check``. Every matrix
    module's cells use this.
    """
    if world.people[role] is not None:
        client.force_login(world.people[role])
    url = spec.url(world)
    if spec.arrange is not None:
        spec.arrange(world)
    before = state()
    action_before = spec.snapshot(world) if spec.snapshot else None

    response = send(client, spec, world, url)

    if outcome != "yes":
        assert_refused(response, outcome, url, spec)
        assert state() == before
    elif spec.method == "GET":
        for text in spec.shows(world, role):
            assertContains(response, text)
        assert state() == before
    else:
        if spec.method == "POST":
            assertRedirects(response, spec.redirects_to(world), fetch_redirect_response=False)
        else:
            assert (response.status_code, response["Content-Type"]) == (200, "application/json")
        assert spec.snapshot(world) != action_before
        spec.check(world, role, response)


@pytest.mark.parametrize(("action", "role", "outcome"), PAGE_CELLS, ids=PAGE_CELL_IDS)
def test_matrix_form_page(action, role, outcome, world, client):
    url_of, texts_of = FORM_PAGES[action]
    if world.people[role] is not None:
        client.force_login(world.people[role])
    url = url_of(world)
    before = database_state()

    response = client.get(url)

    if outcome == "yes":
        for text in texts_of(world):
            assertContains(response, text)
    else:
        assert_refused(response, outcome, url, SPECS[action])
    assert database_state() == before


# Hidden and missing objects answer alike.

SECTION_PAGES = ["section", "section_edit", "section_settings", "history", "section_delete"]


@pytest.mark.parametrize("name", SECTION_PAGES)
def test_section_of_another_coalition_under_this_submissions_url_answers_404(name, world, client):
    """A coordinator cannot reach another coalition's section by swapping ids in the URL."""
    client.force_login(world.coordinator)

    response = client.get(reverse(f"submissions:{name}", args=[world.submission.pk, world.other_section.pk]))

    assertContains(response, "Page not found", status_code=404)


@pytest.mark.parametrize("name", SECTION_PAGES)
def test_section_of_another_submission_under_this_submissions_url_answers_404(name, world, client):
    client.force_login(world.coordinator)

    response = client.get(reverse(f"submissions:{name}", args=[world.submission.pk, world.final_section.pk]))

    assertContains(response, "Page not found", status_code=404)


def test_api_save_of_another_coalitions_section_answers_404_and_stores_nothing(world, client):
    client.force_login(world.coordinator)
    before = database_state()

    response = client.post(
        reverse("submissions:section_save", args=[world.other_submission.pk, world.other_section.pk]),
        json.dumps({"body": "<p>Overwritten.</p>", "base_version": 1}),
        content_type="application/json",
    )

    assert (response.status_code, response.json()["error"]) == (404, "not_found")
    assert database_state() == before


# The CSRF token changes with each response, and the language switcher names the page's own path.
PER_RESPONSE = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|<input name="next" type="hidden" value="[^"]+">')


@pytest.mark.parametrize("name", ["detail", "edit", "section_add", "signatories", "documents_status"])
def test_outsider_gets_the_same_404_for_existing_and_missing_submission(name, world, client):
    client.force_login(world.people["outsider"])

    existing = client.get(reverse(f"submissions:{name}", args=[world.submission.pk]))
    missing = client.get(reverse(f"submissions:{name}", args=[MISSING]))

    assertContains(existing, "Page not found", status_code=404)
    assert PER_RESPONSE.sub("", existing.content.decode()) == PER_RESPONSE.sub("", missing.content.decode())


def test_missing_version_restore_answers_404_to_coordinator(world, client):
    client.force_login(world.coordinator)
    before = database_state()

    response = client.post(reverse("submissions:restore", args=[world.submission.pk, world.section_b.pk, 99]))

    assertContains(response, "Page not found", status_code=404)
    assert database_state() == before


def test_site_administrator_who_is_no_member_gets_404(world, client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get(reverse("submissions:detail", args=[world.submission.pk]))

    assertContains(response, "Page not found", status_code=404)


def test_person_named_on_a_section_edits_it_though_their_organisation_is_not_assigned(world, client):
    """A drafter of organisation B named on the section of A's cluster may edit that section."""
    drafter = world.people["drafter"]
    world.section_a.assigned_people.add(drafter)
    client.force_login(drafter)

    response = client.post(
        reverse("submissions:section_edit", args=[world.submission.pk, world.section_a.pk]),
        _edit_data("section_a")(world),
    )

    assertRedirects(
        response,
        reverse("submissions:section_edit", args=[world.submission.pk, world.section_a.pk]),
        fetch_redirect_response=False,
    )
    assert Section.objects.values_list("body", "version").get(pk=world.section_a.pk) == (EDITED_CLEAN, 2)


def test_reviewer_named_on_a_section_still_cannot_edit_it(world, client):
    reviewer = world.people["reviewer"]
    world.section_a.assigned_people.add(reviewer)
    client.force_login(reviewer)
    before = database_state()

    response = client.post(
        reverse("submissions:section_edit", args=[world.submission.pk, world.section_a.pk]),
        _edit_data("section_a")(world),
    )

    assertContains(response, escape(str(REFUSALS["submissions.edit_section"])), status_code=403)
    assert database_state() == before
