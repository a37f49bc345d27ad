"""docs/permissions.md's implementation-matrix block, one test per cell, with the machinery of
tests/submissions/test_permissions.py."""

import copy

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from advocacy.models import Assessment, AssessmentVersion
from submissions.models import GeneratedDocument
from tests.advocacy.matrix_world import build_matrix_world
from tests.factories.generated_documents import STAND_IN_PDF
from tests.permissions_matrix import read_matrix
from tests.shared_data import module_rows
from tests.submissions.test_permissions import Spec, check_cell, database_state

pytestmark = pytest.mark.django_db

ROLES, MATRIX = read_matrix("matrix:implementation-matrix")
CELLS = [(action, role, outcome) for action, row in MATRIX.items() for role, outcome in row.items()]
CELL_IDS = [f"{action}-{role}" for action, role, _outcome in CELLS]

matrix_world_rows = module_rows("matrix_world_rows", build_matrix_world)


@pytest.fixture
def world(matrix_world_rows, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return copy.deepcopy(matrix_world_rows)


def state() -> dict:
    return {
        **database_state(),
        "assessments": list(
            Assessment.objects.order_by("pk").values_list("pk", "recommendation_id", "level", "evidence", "version")
        ),
        "assessment versions": list(AssessmentVersion.objects.order_by("pk").values_list("pk", "number", "data")),
        "documents": list(GeneratedDocument.objects.order_by("pk").values_list("pk", "kind", "status")),
    }


def matrix_url(name: str):
    return lambda world: reverse(f"advocacy:{name}", args=[world.coalition.pk, world.previous.pk])


def assessment_url(name: str, *extra):
    return lambda world: reverse(f"advocacy:{name}", args=[world.coalition.pk, world.upr_torture.pk, *extra])


def _torture(world):
    return Assessment.objects.values_list("level", "evidence", "version").get(pk=world.assessment.pk)


def _check_assessed(world, role, response):
    assessment = Assessment.objects.get(pk=world.assessment.pk)
    assert (assessment.level, assessment.evidence, assessment.version, assessment.updated_by) == (
        "implemented",
        "Ratified in 2025.",
        2,
        world.people[role],
    )


def _check_restored(world, role, response):
    assessment = Assessment.objects.get(pk=world.assessment.pk)
    latest = assessment.versions.order_by("-number").first()
    assert (assessment.version, assessment.level, latest.number, latest.saved_by) == (
        3,
        "partially",
        3,
        world.people[role],
    )


def _arrange_second_version(world):
    """The assessment changed once after its first version, so that restoring version 1 changes it."""
    from advocacy.services.matrix import AssessmentValues, assessment_save

    assessment_save(
        coalition=world.coalition,
        recommendation=world.upr_torture,
        actor=world.coordinator,
        values=AssessmentValues(level="not_implemented", section_ids=(world.section_b.pk,)),
        expected_version=1,
    )


def _check_queued(world, role, response):
    document = GeneratedDocument.objects.get(kind=GeneratedDocument.Kind.MATRIX)
    assert (document.coalition, document.subject_id, document.requested_by) == (
        world.coalition,
        world.previous.pk,
        world.people[role],
    )


def _arrange_finished_pdf(world):
    from django.core.files.base import ContentFile

    document = GeneratedDocument(
        kind=GeneratedDocument.Kind.MATRIX,
        coalition=world.coalition,
        subject_id=world.previous.pk,
        job_key=GeneratedDocument.key_for(GeneratedDocument.Kind.MATRIX, world.coalition.pk, world.previous.pk),
        requested_by=world.coordinator,
        status=GeneratedDocument.Status.DONE,
        finished_at=timezone.now(),
    )
    document.pdf.save("matrix.pdf", ContentFile(STAND_IN_PDF), save=False)
    document.save()
    world.matrix_document = document


SPECS: dict[str, Spec] = {
    "view the matrix of the previous review": Spec(
        "GET",
        matrix_url("matrix"),
        shows=lambda world, role: [
            escape("Ratify the Optional Protocol to the Convention against Torture."),
            "Partially implemented",
            "Maldives, Portugal",
        ],
    ),
    "download the matrix as CSV": Spec(
        "GET",
        matrix_url("matrix_csv"),
        shows=lambda world, role: ["140.7,A/HRC/44/9,Ratify the Optional Protocol"],
    ),
    "download the matrix as XLSX": Spec(
        "GET",
        matrix_url("matrix_xlsx"),
        shows=lambda world, role: [],
    ),
    "open the form of an assessment": Spec(
        "GET",
        assessment_url("assessment_edit"),
        rule="advocacy.change_assessment",
        shows=lambda world, role: ["A bill was tabled in 2024.", 'name="version" value="1"'],
    ),
    "assess a recommendation": Spec(
        "POST",
        assessment_url("assessment_edit"),
        rule="advocacy.change_assessment",
        data=lambda world: {"level": "implemented", "evidence": "Ratified in 2025.", "relevant": "on", "version": 1},
        snapshot=_torture,
        redirects_to=lambda world: (
            reverse("advocacy:matrix", args=[world.coalition.pk, world.previous.pk]) + f"#row-{world.upr_torture.pk}"
        ),
        check=_check_assessed,
    ),
    "view the history of an assessment": Spec(
        "GET",
        assessment_url("assessment_history"),
        shows=lambda world, role: ["The coordinator", "Partially implemented"],
    ),
    "restore a version of an assessment": Spec(
        "POST",
        assessment_url("assessment_restore", 1),
        rule="advocacy.change_assessment",
        snapshot=_torture,
        redirects_to=assessment_url("assessment_history"),
        check=_check_restored,
        arrange=_arrange_second_version,
    ),
    "make the PDF of the matrix": Spec(
        "POST",
        matrix_url("matrix_pdf"),
        rule="advocacy.generate_documents",
        snapshot=lambda world: GeneratedDocument.objects.filter(kind=GeneratedDocument.Kind.MATRIX).count(),
        redirects_to=lambda world: (
            reverse("advocacy:matrix", args=[world.coalition.pk, world.previous.pk]) + "#documents"
        ),
        check=_check_queued,
    ),
    "download the PDF of the matrix": Spec(
        "GET",
        lambda world: reverse("submissions:kind_document_download", args=[world.matrix_document.pk]),
        shows=lambda world, role: [],
        arrange=_arrange_finished_pdf,
    ),
}


def test_matrix_roles_are_the_people_of_the_fixture(world):
    assert list(world.people) == ROLES


def test_matrix_every_action_has_a_request_spec():
    assert (sorted(set(MATRIX) - set(SPECS)), sorted(set(SPECS) - set(MATRIX))) == ([], [])


# Downloads that are not text: an allowed one is checked on its bytes, not with assertContains.
BINARY = {
    "download the matrix as XLSX": lambda world, body: body.startswith(b"PK"),
    "download the PDF of the matrix": lambda world, body: body == STAND_IN_PDF,
}


@pytest.mark.parametrize(("action", "role", "outcome"), CELLS, ids=CELL_IDS)
def test_matrix_cell(action, role, outcome, world, client):
    spec = SPECS[action]
    if spec.arrange is not None and spec.method == "GET":
        # The document is written before its URL can be known.
        spec.arrange(world)
        spec = Spec("GET", spec.url, shows=spec.shows)
    if action in BINARY and outcome == "yes":
        before = state()
        client.force_login(world.people[role])
        response = client.get(spec.url(world))
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert (response.status_code, BINARY[action](world, body)) == (200, True)
        assert state() == before
        return
    check_cell(client, world, spec, role, outcome, state=state)


def test_matrix_of_a_review_of_another_state_answers_404(world, client):
    from tests.factories import ReviewFactory

    elsewhere = ReviewFactory()
    client.force_login(world.coordinator)

    response = client.get(reverse("advocacy:matrix", args=[world.coalition.pk, elsewhere.pk]))

    assert response.status_code == 404


def test_outsider_cannot_reach_the_assessment_through_their_own_coalition(world, client):
    """The other coalition works on the same review: its coordinator sees their own (empty) row, never ours."""
    client.force_login(world.people["outsider"])

    response = client.get(reverse("advocacy:assessment_edit", args=[world.other.pk, world.upr_torture.pk]))

    page = response.content.decode()
    assert (response.status_code, "A bill was tabled in 2024." in page, 'name="version" value="0"' in page) == (
        200,
        False,
        True,
    )
