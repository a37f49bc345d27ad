"""The matrix's PDF, made by the document job's producer (rendered here in the test's process)."""

import pytest
from django.urls import reverse

from advocacy.services.matrix import AssessmentValues, assessment_save
from submissions.models import GeneratedDocument
from submissions.services.documents import document_generate, document_queue_kind
from tests.advocacy.matrix_world import build_matrix_world
from tests.submissions.pdf_text import pdf_reader

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_matrix_world()


def test_matrix_pdf_holds_the_paragraphs_and_their_levels(world, client):
    assessment_save(
        coalition=world.coalition,
        recommendation=world.upr_health,
        actor=world.coordinator,
        values=AssessmentValues(level="not_implemented", evidence="The budget fell to 4%.", indicator="Budget share"),
        expected_version=0,
    )
    client.force_login(world.people["drafter"])
    client.post(reverse("advocacy:matrix_pdf", args=[world.coalition.pk, world.previous.pk]))
    queued = GeneratedDocument.objects.get(kind=GeneratedDocument.Kind.MATRIX, coalition=world.coalition)

    document = document_generate(document_id=queued.pk)

    assert (document.status, document.subject_id, document.report["pages"] > 0) == ("done", world.previous.pk, True)
    reader = pdf_reader(document.pdf.read())
    text = " ".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) == document.report["pages"]
    for expected in (
        "140.7",
        "140.10",
        "Partially implemented",
        "Not implemented",
        "Maldives, Portugal",
        "Budget share",
    ):
        assert expected in text
    # The recommendation marked not relevant is left out, as on the page.
    assert "140.9" not in text
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height
    download = client.get(reverse("submissions:kind_document_download", args=[document.pk]))
    assert (download.status_code, download["Content-Type"]) == (200, "application/pdf")


def test_matrix_pdf_queue_is_one_job_per_review(world):
    first = document_queue_kind(
        kind=GeneratedDocument.Kind.MATRIX,
        coalition=world.coalition,
        subject_id=world.previous.pk,
        actor=world.coordinator,
    )
    second = document_queue_kind(
        kind=GeneratedDocument.Kind.MATRIX,
        coalition=world.coalition,
        subject_id=world.previous.pk,
        actor=world.coordinator,
    )

    assert first.pk == second.pk
