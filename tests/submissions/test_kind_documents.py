"""The document job's other kinds (submissions.services.documents.register_document_kind): one job per
key, a failure reported to who asked, and the status and download views closed to outsiders."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from submissions.models import GeneratedDocument
from submissions.services import documents as services
from tests.advocacy.matrix_world import build_matrix_world

pytestmark = pytest.mark.django_db

MATRIX = GeneratedDocument.Kind.MATRIX


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_matrix_world()


def queue(world, *, subject=None):
    return services.document_queue_kind(
        kind=MATRIX, coalition=world.coalition, subject_id=subject or world.previous.pk, actor=world.coordinator
    )


def test_the_key_names_kind_coalition_and_subject_and_one_job_runs_per_key(world):
    first = queue(world)
    again = queue(world)
    other_subject = queue(world, subject=world.review.pk)

    assert first.job_key == f"matrix:{world.coalition.pk}:{world.previous.pk}"
    assert (again.pk, first.submission_id, first.coalition_id) == (first.pk, None, world.coalition.pk)
    assert other_subject.pk != first.pk


def test_a_submission_kind_or_an_unknown_kind_cannot_be_registered():
    for kind in ("submission", "poster"):
        with pytest.raises(ValueError, match=kind):
            services.register_document_kind(
                kind, produce=lambda d: None, view_rule="x", page_url=lambda d: "", title=lambda d: ""
            )


def test_a_failing_producer_fails_the_job_with_a_reason_and_tells_who_asked(world, monkeypatch):
    kind = services.document_kind(MATRIX)

    def broken(document):
        raise RuntimeError("boom")

    monkeypatch.setitem(services._KINDS, MATRIX, kind.__class__(**{**kind.__dict__, "produce": broken}))
    document = services.document_generate(document_id=queue(world).pk)

    assert (document.status, bool(document.error), document.pdf.name) == ("failed", True, "")
    note = Notification.objects.get(user=world.coordinator, kind=services.FAILED_NOTIFICATION)
    assert note.url == kind.page_url(document)
    assert "RuntimeError" in document.error


def test_a_job_no_worker_started_is_failed_when_its_status_is_asked(world, client):
    document = queue(world)
    GeneratedDocument.objects.filter(pk=document.pk).update(
        created_at=timezone.now() - services.QUEUED_TIMEOUT - datetime.timedelta(minutes=1)
    )
    client.force_login(world.people["observer"])

    data = client.get(reverse("submissions:kind_document_status", args=[document.pk])).json()

    assert (data["status"], data["running"]) == ("failed", False)
    assert "No worker started the job" in data["html"]


@pytest.mark.parametrize(
    ("role", "status"), [("coordinator", 200), ("observer", 200), ("outsider", 404), ("anonymous", 302)]
)
def test_status_and_download_answer_members_only(world, client, role, status):
    document = services.document_generate(document_id=queue(world).pk)
    assert document.status == "done"
    if world.people[role] is not None:
        client.force_login(world.people[role])

    answers = [
        client.get(reverse(name, args=[document.pk]))
        for name in ("submissions:kind_document_status", "submissions:kind_document_download")
    ]

    assert [answer.status_code for answer in answers] == [status, status]
    if status == 200:
        assert answers[0].json()["status"] == "done"
        assert b"".join(answers[1].streaming_content).startswith(b"%PDF")


def test_a_submission_document_is_not_served_by_the_kind_views(world, client):
    from tests.factories.generated_documents import finished_document

    document = finished_document(world.submission)
    client.force_login(world.coordinator)

    answer = client.get(reverse("submissions:kind_document_download", args=[document.pk]))

    assert answer.status_code == 404
