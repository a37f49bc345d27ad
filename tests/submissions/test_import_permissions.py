"""docs/permissions.md's Word import matrix, one test per cell, with the machinery of test_permissions.py."""

import functools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django.asserts import assertContains

from submissions.models import Section, SectionVersion
from submissions.models.core import SectionState
from submissions.services.imports import word_import_convert, word_import_discard, word_import_pending
from tests.factories import SectionFactory, write_text
from tests.permissions_matrix import read_matrix
from tests.submissions.conftest import World
from tests.submissions.test_imports import SAMPLE_BODY_WORDS, SAMPLE_HTML, SAMPLE_NOTE_WORDS, sample_file
from tests.submissions.test_permissions import (
    Spec,
    check_cell,
    database_state,
    section_state,
    section_url,
)
from tests.submissions.word_files import word_file

pytestmark = pytest.mark.django_db

ROLES, MATRIX = read_matrix("matrix:import")
CELLS = [(action, role, outcome) for action, row in MATRIX.items() for role, outcome in row.items()]
CELL_IDS = [f"{action}-{role}" for action, role, _outcome in CELLS]

UPLOADED_HTML = "<h2>Input of Beta Legal Aid</h2><p>Three prisons hold children with adults.</p>"


@functools.cache
def sample_bytes() -> bytes:
    """The sample file, built once for the module (python-docx takes a third of a second a file)."""
    return sample_file()


@functools.cache
def uploaded_file() -> bytes:
    def build(document):
        document.add_heading("Input of Beta Legal Aid", level=1)
        document.add_paragraph("Three prisons hold children with adults.")

    return word_file(build)


@pytest.fixture
def import_world(world):
    """The world with a locked section of B's cluster (imports waiting for a choice are forgotten after
    the test: ``upload_waiting`` leaves one)."""
    world.locked_section = SectionFactory(
        submission=world.submission,
        title="Locked section of B's cluster",
        cluster=world.cluster_b,
        word_budget=500,
        assigned_organisations=[world.org_b],
    )
    write_text(world.locked_section, author=world.coordinator, body="<p>Agreed and locked.</p>")
    Section.objects.filter(pk=world.locked_section.pk).update(state=SectionState.LOCKED)
    world.locked_section.refresh_from_db()
    people = [person for person in world.people.values() if person is not None]
    yield world
    for person in people:
        for section in (world.section_a, world.section_b, world.locked_section, world.final_section):
            word_import_discard(section=section, user=person)


def pending_everywhere(world: World) -> list:
    """Every person's pending import of every section the matrix names, as the file it came from."""
    return [
        (person.pk, section.pk, pending.html if pending else None)
        for person in world.people.values()
        if person is not None
        for section in (world.section_a, world.section_b, world.locked_section, world.final_section)
        for pending in [word_import_pending(section=section, user=person)]
    ]


def _check_uploaded(which: str):
    def check(world: World, role: str, response) -> None:
        pending = word_import_pending(section=getattr(world, which), user=world.people[role])
        assert (pending.file_name, pending.html) == ("input.docx", UPLOADED_HTML)

    return check


def _upload(which: str) -> Spec:
    return Spec(
        "POST",
        section_url("section_import", which),
        rule="submissions.import_docx",
        data=lambda world: {"file": SimpleUploadedFile("input.docx", uploaded_file())},
        snapshot=pending_everywhere,
        redirects_to=section_url("section_import_preview", which),
        check=_check_uploaded(which),
    )


def _check_replaced(world: World, role: str, response) -> None:
    section = Section.objects.get(pk=world.section_b.pk)
    assert (section.body, section.version, section.body_words, section.note_words, section.last_edited_by) == (
        SAMPLE_HTML,
        3,
        SAMPLE_BODY_WORDS,
        SAMPLE_NOTE_WORDS,
        world.people[role],
    )
    assert section.versions.values_list("version", "kind", "author").first() == (
        3,
        SectionVersion.Kind.IMPORT,
        world.people[role].pk,
    )


SPECS: dict[str, Spec] = {
    "import a Word file into the section of B's cluster": _upload("section_b"),
    "import a Word file into the section of A's cluster": _upload("section_a"),
    "import a Word file into a locked section": _upload("locked_section"),
    "import a Word file into a section of a final submission": _upload("final_section"),
    "preview one's imported file": Spec(
        "GET",
        section_url("section_import_preview", "section_b"),
        rule="submissions.import_docx",
        shows=lambda world, role: [
            "Children are held with adults in three prisons.",
            f"{SAMPLE_BODY_WORDS} words, {SAMPLE_NOTE_WORDS} in notes",
            "Replace the text with this (a new version)",
        ],
    ),
    "replace the section's text with one's imported file": Spec(
        "POST",
        section_url("section_import_replace", "section_b"),
        rule="submissions.import_docx",
        data=lambda world: {"base_version": world.section_b.version},
        snapshot=section_state("section_b"),
        redirects_to=section_url("section_edit", "section_b"),
        check=_check_replaced,
    ),
}


def test_matrix_roles_are_the_people_of_the_fixture(world):
    assert list(world.people) == ROLES


def test_matrix_every_action_has_a_request_spec():
    assert sorted(set(MATRIX) ^ set(SPECS)) == []


def upload_waiting(world: World, person) -> None:
    """The person's upload of the sample file into the section of B's cluster, waiting for their choice."""
    upload = SimpleUploadedFile("sample.docx", sample_bytes())
    word_import_convert(section=world.section_b, actor=person, upload=upload)


@pytest.mark.parametrize(("action", "role", "outcome"), CELLS, ids=CELL_IDS)
def test_matrix_cell(action, role, outcome, import_world, client):
    world = import_world
    if world.people[role] is not None:
        upload_waiting(world, world.people[role])
    check_cell(client, world, SPECS[action], role, outcome, state=lambda: (database_state(), pending_everywhere(world)))


@pytest.mark.parametrize(
    "name", ["section_import", "section_import_preview", "section_import_replace", "section_import_discard"]
)
def test_import_pages_of_another_coalitions_section_answer_404(name, import_world, client):
    world = import_world
    client.force_login(world.coordinator)
    before = database_state()

    url = section_url(name, "other_section")(world)
    response = client.get(url) if name in ("section_import", "section_import_preview") else client.post(url)

    assertContains(response, "Page not found", status_code=404)
    assert database_state() == before
