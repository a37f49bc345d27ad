"""The documents job through the real queue: a Celery worker on Redis when REDIS_URL is set (CI),
in-process otherwise. The mode shows in the test's id; neither is ever skipped.

Transactional: the worker thread has a database connection of its own and sees only committed rows.
"""

import io
import time
import zipfile

import pytest
from django.urls import reverse

from coalitions.models import Role
from notifications.models import Notification
from submissions.models import GeneratedDocument
from submissions.services.documents import document_generate_queue
from tests.conftest import celery_mode
from tests.factories import MembershipFactory
from tests.factories.documents import document_world

MODE = celery_mode()

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_until_finished(document_id: int, timeout: float = 60) -> GeneratedDocument:
    deadline = time.monotonic() + timeout
    while True:
        document = GeneratedDocument.objects.get(pk=document_id)
        if not document.is_running or time.monotonic() > deadline:
            return document
        time.sleep(0.2)


@pytest.mark.parametrize("mode", [MODE])
def test_generate_documents_job_runs_on_the_worker(mode, celery_worker, settings, tmp_path):
    assert celery_worker.mode == mode
    settings.MEDIA_ROOT = tmp_path / "media"
    world = document_world()
    coordinator = MembershipFactory(
        coalition=world.coalition, organisation=world.organisations[0], role=Role.COORDINATOR
    ).user

    queued = document_generate_queue(submission=world.submission, actor=coordinator)
    document = wait_until_finished(queued.pk)

    assert (document.status, document.error) == (GeneratedDocument.Status.DONE, "")
    assert document.task_id == queued.task_id
    assert document.pdf.read()[:5] == b"%PDF-"
    assert "word/document.xml" in zipfile.ZipFile(io.BytesIO(document.docx.read())).namelist()
    notification = Notification.objects.get(user=coordinator)
    assert (notification.title, notification.url) == (
        "The documents of “Joint submission on detention” are ready",
        reverse("submissions:detail", args=[world.submission.pk]) + "#documents",
    )
