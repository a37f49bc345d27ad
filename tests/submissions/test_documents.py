"""The "Generate documents" job: queueing, its steps, failures, the sweep, downloads and the page.

The job renders for real (WeasyPrint and the DOCX writer) on a small submission; files go to a
temporary MEDIA_ROOT. Tasks run in-process (tests/settings.py); on-commit callbacks run only where
a test captures them.
"""

import datetime
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains

from coalitions.models import Role
from notifications.models import Notification
from submissions.errors import SubmissionError
from submissions.models import GeneratedDocument, Submission
from submissions.services import documents as services
from submissions.services.workflow import submission_step
from submissions.tasks import generate_documents
from tests.factories import MembershipFactory, UserFactory, write_text
from tests.factories.documents import DocumentWorld, document_world
from tests.factories.generated_documents import GeneratedDocumentFactory, finished_document, report_figures

pytestmark = pytest.mark.django_db

Status = GeneratedDocument.Status
PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class People:
    coordinator: object
    observer: object
    outsider: object


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(db) -> DocumentWorld:
    return document_world()


@pytest.fixture
def people(world) -> People:
    coalition, secretariat = world.coalition, world.organisations[0]
    # An existing State: document_world()'s State codes lie in StateFactory's sequence, so a new one could collide.
    outsider = MembershipFactory(
        role=Role.COORDINATOR, user__full_name="Olga Outsider", coalition__secretariat__country=secretariat.country
    ).user
    return People(
        coordinator=MembershipFactory(
            coalition=coalition, organisation=secretariat, role=Role.COORDINATOR, user__full_name="Amina Diallo"
        ).user,
        observer=MembershipFactory(
            coalition=coalition, organisation=world.organisations[1], role=Role.OBSERVER, user__full_name="Otto Obs"
        ).user,
        outsider=outsider,
    )


def stored_files(media) -> list[str]:
    return sorted(str(path.relative_to(media)) for path in media.rglob("*") if path.is_file()) if media.exists() else []


def statuses_written(captured) -> list[str]:
    """The statuses the job wrote to its row, in order, from the SQL it sent."""
    found = []
    for query in captured:
        sql = query["sql"]
        if sql.startswith('UPDATE "submissions_generateddocument" SET'):
            match = re.search(r'SET "status" = \'?(\w+)\'?', sql)
            if match:
                found.append(match.group(1))
    return found


def run_job(world: DocumentWorld, people: People) -> GeneratedDocument:
    document = GeneratedDocumentFactory(submission=world.submission, requested_by=people.coordinator)
    return services.document_generate(document_id=document.pk)


# Queueing.


def test_document_generate_queue_twice_makes_one_job(world, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = services.document_generate_queue(submission=world.submission, actor=people.coordinator)
        second = services.document_generate_queue(submission=world.submission, actor=people.observer)

    assert second.pk == first.pk
    assert list(GeneratedDocument.objects.values_list("status", "requested_by")) == [
        (Status.QUEUED, people.coordinator.pk)
    ]
    assert first.task_id != ""
    assert len(callbacks) == 1  # one task sent, once the transaction commits


def test_document_generate_queue_after_a_finished_job_makes_a_new_one(world, people):
    done = finished_document(world.submission, requested_by=people.coordinator)

    queued = services.document_generate_queue(submission=world.submission, actor=people.coordinator)

    assert queued.pk != done.pk
    assert queued.status == Status.QUEUED


def test_one_running_job_per_submission_is_kept_by_the_database(world, people):
    GeneratedDocumentFactory(submission=world.submission, status=Status.RENDERING_PDF)

    with pytest.raises(IntegrityError), transaction.atomic():
        GeneratedDocumentFactory(submission=world.submission)


def test_document_generate_queue_runs_the_job_once_committed(world, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queued = services.document_generate_queue(submission=world.submission, actor=people.coordinator)

    document = GeneratedDocument.objects.get(pk=queued.pk)
    assert (document.status, document.error) == (Status.DONE, "")


# The job.


def test_document_generate_goes_through_each_status_and_stores_both_files(world, people, media):
    document = GeneratedDocumentFactory(submission=world.submission, requested_by=people.coordinator)

    with CaptureQueriesContext(connection) as captured:
        services.document_generate(document_id=document.pk)

    document.refresh_from_db()
    assert statuses_written(captured) == ["counting", "rendering_pdf", "rendering_docx", "done"]
    assert (document.status, document.error) == (Status.DONE, "")
    assert document.started_at <= document.finished_at
    pdf, docx = document.pdf.read(), document.docx.read()
    assert pdf.startswith(b"%PDF-")
    assert "word/document.xml" in zipfile.ZipFile(io.BytesIO(docx)).namelist()
    assert (document.pdf_sha256, document.docx_sha256) == (
        hashlib.sha256(pdf).hexdigest(),
        hashlib.sha256(docx).hexdigest(),
    )
    assert sorted(name.rsplit("/", 1)[1] for name in stored_files(media)) == [
        "JS-KUC-Finlandia-UPR52.docx",
        "JS-KUC-Finlandia-UPR52.pdf",
    ]
    assert document.section_versions == {str(section.pk): 1 for section in world.sections}


def test_document_generate_records_the_figures(world, people):
    sections = list(world.submission.sections.all())
    body, notes = sum(s.body_words for s in sections), sum(s.note_words for s in sections)

    document = run_job(world, people)

    report = document.report
    # The executive summary's 8 words count as body words.
    assert (report["words_body"], report["words_notes"], report["words_counted"]) == (body + 8, notes, body + 8 + notes)
    assert (report["max_words"], report["max_pages"], report["notes_count"]) == (5630, 10, True)
    assert report["pages"] >= 1
    assert (report["is_over"], report["over_words"], report["over_pages"], report["paragraphs_beyond"]) == (
        False,
        0,
        0,
        [],
    )


def test_document_generate_tells_who_asked_when_done(world, people):
    document = run_job(world, people)

    notification = Notification.objects.get(user=people.coordinator)
    assert (notification.kind, notification.title, notification.url) == (
        services.DONE_NOTIFICATION,
        "The documents of “Joint submission on detention” are ready",
        reverse("submissions:detail", args=[world.submission.pk]) + "#documents",
    )
    assert notification.body.startswith("Words: ")
    assert f"Pages: {document.report['pages']}" in notification.body


def test_document_generate_over_the_word_limit_is_done_and_says_where(db):
    world = document_world(max_words=20)
    document = run_job(world, people_for(world))

    assert (document.status, document.report["is_over"]) == (Status.DONE, True)
    reasons = services.over_reasons(document.report)
    counted = document.report["words_counted"]
    assert reasons[0] == f"{counted - 20} words over the limit of 20 ({counted} counted)."
    # "Detention" has a budget of 20 words and more than that.
    detention = document.report["sections_over"][0]
    assert reasons[1] == f"“Detention”: {detention['words']} words, {detention['over_by']} over its budget of 20."


def people_for(world: DocumentWorld) -> People:
    return People(
        coordinator=MembershipFactory(
            coalition=world.coalition, organisation=world.organisations[0], role=Role.COORDINATOR
        ).user,
        observer=None,
        outsider=None,
    )


def test_document_generate_of_a_job_already_claimed_does_nothing(world, people):
    document = GeneratedDocumentFactory(submission=world.submission, status=Status.RENDERING_PDF)

    assert services.document_generate(document_id=document.pk) is None

    document.refresh_from_db()
    assert (document.status, document.started_at) == (Status.RENDERING_PDF, None)


def test_document_generate_of_a_missing_job_does_nothing():
    assert services.document_generate(document_id=999_999) is None


def test_document_generate_failure_keeps_the_reason_and_no_file(world, people, media, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "tests.submissions.storages.DocxRefusingStorage"},
    }
    document = GeneratedDocumentFactory(submission=world.submission, requested_by=people.coordinator)

    services.document_generate(document_id=document.pk)

    document.refresh_from_db()
    assert (document.status, document.error, document.pdf.name, document.docx.name) == (
        Status.FAILED,
        "The documents were made but could not be stored (No space left on device). Tell the site's administrators.",
        "",
        "",
    )
    assert document.finished_at is not None
    # The PDF had been stored before the DOCX was refused: it is not kept.
    assert stored_files(media) == []
    notification = Notification.objects.get(user=people.coordinator)
    assert (notification.kind, notification.title, notification.body) == (
        services.FAILED_NOTIFICATION,
        "The documents of “Joint submission on detention” could not be made",
        document.error,
    )


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (
            SoftTimeLimitExceeded(),
            "Making the documents took longer than 120 seconds and was stopped. Try again; if it happens again, "
            "tell the site's administrators.",
        ),
        (
            MemoryError(),
            "Making the documents needed more memory than a worker may use. Tell the site's administrators.",
        ),
        (ValidationError("The submission has no sections yet."), "The submission has no sections yet."),
        (
            KeyError("x"),
            "The documents could not be made because of an error in the portal (KeyError). The site's "
            "administrators can find the details in the worker's log.",
        ),
    ],
)
def test_failure_reason_in_plain_words(error, reason):
    assert services.failure_reason(error) == reason


# Jobs that never finish.


def test_documents_fail_stale_reports_jobs_past_the_hard_limit_and_lost_messages(world, people):
    now = timezone.now()
    stuck = GeneratedDocumentFactory(
        submission=world.submission,
        requested_by=people.coordinator,
        status=Status.RENDERING_PDF,
        started_at=now - services.RUNNING_TIMEOUT - datetime.timedelta(seconds=1),
    )
    other = document_world_second_submission(world)
    lost = GeneratedDocumentFactory(submission=other, requested_by=people.coordinator)
    GeneratedDocument.objects.filter(pk=lost.pk).update(created_at=now - services.QUEUED_TIMEOUT * 2)

    assert services.documents_fail_stale(now=now) == 2

    stuck.refresh_from_db()
    lost.refresh_from_db()
    assert (stuck.status, stuck.error) == (
        Status.FAILED,
        "The job stopped without finishing: it ran longer than 150 seconds or its worker stopped. Try again; if "
        "it happens again, tell the site's administrators.",
    )
    assert (lost.status, lost.error) == (
        Status.FAILED,
        "No worker started the job within 10 minutes, so it was given up. Press “Generate documents” again; if "
        "it happens again, tell the site's administrators.",
    )
    assert Notification.objects.filter(user=people.coordinator, kind=services.FAILED_NOTIFICATION).count() == 2


def document_world_second_submission(world: DocumentWorld) -> Submission:
    return Submission.objects.create(coalition=world.coalition, review=world.submission.review, title="Second")


def test_documents_fail_stale_leaves_running_jobs_within_the_limit(world, people):
    running = GeneratedDocumentFactory(
        submission=world.submission, status=Status.RENDERING_DOCX, started_at=timezone.now()
    )

    assert services.documents_fail_stale() == 0

    running.refresh_from_db()
    assert running.status == Status.RENDERING_DOCX


def test_submission_page_marks_a_stuck_job_failed(world, people, client):
    GeneratedDocumentFactory(
        submission=world.submission,
        requested_by=people.coordinator,
        status=Status.COUNTING,
        started_at=timezone.now() - datetime.timedelta(hours=1),
    )
    client.force_login(people.observer)

    response = client.get(reverse("submissions:detail", args=[world.submission.pk]))

    assertContains(response, "The job stopped without finishing: it ran longer than 150 seconds")
    assert GeneratedDocument.objects.get().status == Status.FAILED


def test_generate_documents_task_has_its_time_limits():
    assert (generate_documents.name, generate_documents.soft_time_limit, generate_documents.time_limit) == (
        "submissions.generate_documents",
        120,
        150,
    )


def test_documents_sweep_task_is_in_the_beat_schedule():
    from upr_portal.celery import app

    assert app.conf.beat_schedule["documents-sweep"] == {"task": "submissions.documents_sweep", "schedule": 300.0}


# "Final" and the latest document.


def out_for_sign_off(submission) -> None:
    """“Mark final” is the step after sign-off (submissions/models/workflow.py)."""
    Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.SIGN_OFF)


def test_mark_final_refused_while_the_latest_document_is_over(world, people):
    out_for_sign_off(world.submission)
    finished_document(world.submission, report=report_figures(counted=1200))
    finished_document(world.submission, report=report_figures(counted=5700, pages=12, over=[("Detention", 20, 43)]))

    with pytest.raises(SubmissionError) as raised:
        submission_step(submission_id=world.submission.pk, actor=people.coordinator, action="mark_final")

    assert raised.value.messages == [
        "The submission cannot be marked final: its latest documents are over a limit. 70 words over the limit "
        "of 5,630 (5,700 counted). 2 pages over the limit of 10 (12 pages). “Detention”: 43 words, 23 over its "
        "budget of 20. Shorten the text, generate the documents again, then mark it final."
    ]
    assert Submission.objects.get(pk=world.submission.pk).status == Submission.Status.SIGN_OFF


def test_mark_final_allowed_once_the_latest_document_is_within(world, people):
    out_for_sign_off(world.submission)
    finished_document(world.submission, report=report_figures(counted=5700))
    finished_document(world.submission, report=report_figures(counted=5600))
    # A job that failed afterwards does not count: the latest *generated* document is within.
    GeneratedDocumentFactory(
        submission=world.submission, status=Status.FAILED, error="Stopped.", finished_at=timezone.now()
    )

    submission_step(submission_id=world.submission.pk, actor=people.coordinator, action="mark_final")

    assert Submission.objects.get(pk=world.submission.pk).status == Submission.Status.FINAL


def test_mark_final_allowed_without_any_document(world, people):
    out_for_sign_off(world.submission)
    submission_step(submission_id=world.submission.pk, actor=people.coordinator, action="mark_final")

    assert Submission.objects.get(pk=world.submission.pk).status == Submission.Status.FINAL


def test_mark_final_button_says_why_it_is_refused(world, people, client):
    out_for_sign_off(world.submission)
    finished_document(world.submission, report=report_figures(counted=5700, max_words=5630))
    client.force_login(people.coordinator)
    url = reverse("submissions:submission_step", args=[world.submission.pk])

    response = client.post(url, {"action": "mark_final"}, follow=True)

    assertContains(
        response,
        escape(
            "The submission cannot be marked final: its latest documents are over a limit. 70 words over the "
            "limit of 5,630 (5,700 counted). Shorten the text, generate the documents again, then mark it final."
        ),
    )
    assert Submission.objects.get(pk=world.submission.pk).status == Submission.Status.SIGN_OFF


# The button.


def test_generate_button_queues_a_job_and_shows_it(world, people, client):
    client.force_login(people.coordinator)

    response = client.post(reverse("submissions:documents_generate", args=[world.submission.pk]), follow=True)

    document = GeneratedDocument.objects.get()
    assert (document.status, document.requested_by) == (Status.QUEUED, people.coordinator)
    assertContains(response, "The documents are being made. This page shows how far they are.")
    assertContains(response, '<span class="document-status-label">Queued</span>', html=False)
    assertContains(response, 'data-running="true"')


def test_generate_button_pressed_again_shows_the_running_job(world, people, client):
    running = GeneratedDocumentFactory(
        submission=world.submission, status=Status.RENDERING_PDF, started_at=timezone.now()
    )
    client.force_login(people.coordinator)

    response = client.post(reverse("submissions:documents_generate", args=[world.submission.pk]), follow=True)

    assert list(GeneratedDocument.objects.values_list("pk", flat=True)) == [running.pk]
    assertContains(response, "The documents are already being made (Rendering the PDF).")
    assertContains(response, '<span class="document-status-label">Rendering the PDF</span>', html=False)


def test_generate_button_shown_to_coordinators_only(world, people, client):
    url = reverse("submissions:detail", args=[world.submission.pk])
    client.force_login(people.coordinator)
    assertContains(client.get(url), "Generate documents</button>")
    client.force_login(people.observer)
    response = client.get(url)
    assertNotContains(response, "Generate documents</button>")
    assertContains(response, "No documents have been generated yet.")


def test_generate_button_refused_to_an_observer(world, people, client):
    client.force_login(people.observer)

    response = client.post(reverse("submissions:documents_generate", args=[world.submission.pk]))

    assertContains(
        response, escape("Only the coalition's coordinators can generate the submission's documents."), status_code=403
    )
    assert GeneratedDocument.objects.count() == 0


# The status endpoint.


@pytest.mark.parametrize(
    ("status", "label"),
    [
        (Status.QUEUED, "Queued"),
        (Status.COUNTING, "Counting words"),
        (Status.RENDERING_PDF, "Rendering the PDF"),
        (Status.RENDERING_DOCX, "Rendering the DOCX"),
    ],
)
def test_status_endpoint_shows_a_running_job(status, label, world, people, client):
    GeneratedDocumentFactory(
        submission=world.submission, requested_by=people.coordinator, status=status, started_at=timezone.now()
    )
    client.force_login(people.observer)

    response = client.get(reverse("submissions:documents_status", args=[world.submission.pk]))

    data = response.json()
    assert (response["Content-Type"], data["status"], data["running"], "history_html" in data) == (
        "application/json",
        status,
        True,
        False,
    )
    assert f'<span class="document-status-label">{label}</span>' in data["html"]
    assert "Refresh</a>" in data["html"]


def test_status_endpoint_of_a_finished_job_gives_the_downloads_and_the_history(world, people, client):
    document = finished_document(world.submission, requested_by=people.coordinator)
    client.force_login(people.observer)

    data = client.get(reverse("submissions:documents_status", args=[world.submission.pk])).json()

    assert (data["status"], data["running"]) == (Status.DONE, False)
    assert reverse("submissions:document_pdf", args=[world.submission.pk, document.pk]) in data["html"]
    assert reverse("submissions:document_docx", args=[world.submission.pk, document.pk]) in data["html"]
    assert "Within the limits." in data["html"]
    assert '<div id="documents-history">' in data["history_html"]


def test_status_endpoint_of_a_failed_job_gives_the_reason(world, people, client):
    GeneratedDocumentFactory(
        submission=world.submission, status=Status.FAILED, error="The disk is full.", finished_at=timezone.now()
    )
    client.force_login(people.coordinator)

    data = client.get(reverse("submissions:documents_status", args=[world.submission.pk])).json()

    assert (data["status"], data["running"]) == (Status.FAILED, False)
    assert '<p class="mb-0 text-danger">The disk is full.</p>' in data["html"]


def test_status_endpoint_without_any_job(world, people, client):
    client.force_login(people.coordinator)

    data = client.get(reverse("submissions:documents_status", args=[world.submission.pk])).json()

    assert (data["status"], data["running"]) == (None, False)
    assert "No documents have been generated yet." in data["html"]


def test_status_endpoint_answers_404_to_an_outsider(world, people, client):
    GeneratedDocumentFactory(submission=world.submission)
    client.force_login(people.outsider)

    response = client.get(reverse("submissions:documents_status", args=[world.submission.pk]))

    assertContains(response, "Page not found", status_code=404)


# Downloads.


@pytest.mark.parametrize(
    ("name", "content_type", "extension"), [("document_pdf", PDF_TYPE, "pdf"), ("document_docx", DOCX_TYPE, "docx")]
)
@pytest.mark.parametrize("who", ["coordinator", "observer"])
def test_download_serves_the_file_with_its_type_and_name(name, content_type, extension, who, world, people, client):
    document = run_job(world, people)
    client.force_login(getattr(people, who))

    response = client.get(reverse(f"submissions:{name}", args=[world.submission.pk, document.pk]))

    body = b"".join(response.streaming_content)
    assert (response.status_code, response["Content-Type"], response["Content-Disposition"]) == (
        200,
        content_type,
        f'attachment; filename="JS-KUC-Finlandia-UPR52.{extension}"',
    )
    assert hashlib.sha256(body).hexdigest() == getattr(document, f"{extension}_sha256")


@pytest.mark.parametrize("name", ["document_pdf", "document_docx"])
def test_download_answers_404_to_an_outsider(name, world, people, client):
    document = finished_document(world.submission)
    client.force_login(people.outsider)

    response = client.get(reverse(f"submissions:{name}", args=[world.submission.pk, document.pk]))

    assertContains(response, "Page not found", status_code=404)


def test_download_of_a_running_job_answers_404(world, people, client):
    document = GeneratedDocumentFactory(submission=world.submission, status=Status.RENDERING_DOCX)
    client.force_login(people.coordinator)

    response = client.get(reverse("submissions:document_pdf", args=[world.submission.pk, document.pk]))

    assertContains(response, "Page not found", status_code=404)


def test_download_of_another_submissions_document_under_this_url_answers_404(world, people, client):
    other = document_world_second_submission(world)
    document = finished_document(other)
    client.force_login(people.coordinator)

    response = client.get(reverse("submissions:document_pdf", args=[world.submission.pk, document.pk]))

    assertContains(response, "Page not found", status_code=404)


# The history on the submission page.


def test_history_shows_who_when_figures_checksum_and_versions(world, people, client):
    document = finished_document(
        world.submission,
        requested_by=people.coordinator,
        report=report_figures(counted=5700, pages=12, over=[("Detention", 20, 43)]),
    )
    write_text(world.sections[0], author=people.coordinator, body="<p>Changed since.</p>")
    client.force_login(people.observer)

    response = client.get(reverse("submissions:detail", args=[world.submission.pk]))

    assertContains(response, "<td>Amina Diallo<br>")
    assertContains(response, "5,500 / 200 / 5,700")
    assertContains(response, '<strong class="text-danger">Over a limit</strong>')
    assertContains(response, "<li>70 words over the limit of 5,630 (5,700 counted).</li>")
    assertContains(response, "<li>2 pages over the limit of 10 (12 pages).</li>")
    assertContains(response, f"<code>{document.pdf_sha256[:12]}</code>")
    assertContains(response, "Introduction v1; Detention v1; Recommendations v1")
    assertContains(response, "The text has changed since.")


def test_history_names_the_versions_of_a_deleted_section(world, people, client):
    finished_document(world.submission, section_versions={"999999": 4, str(world.sections[0].pk): 1})
    client.force_login(people.coordinator)

    response = client.get(reverse("submissions:detail", args=[world.submission.pk]))

    assertContains(response, "Introduction v1; a section deleted since v4")


def test_submission_page_answers_404_to_an_outsider_with_documents(world, people, client):
    finished_document(world.submission)
    client.force_login(people.outsider)

    response = client.get(reverse("submissions:detail", args=[world.submission.pk]))

    assertContains(response, "Page not found", status_code=404)


def page_queries(client, submission: Submission) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("submissions:detail", args=[submission.pk]))
    assertContains(response, "Documents generated so far")
    return len(captured)


@pytest.mark.parametrize("who", ["coordinator", "observer"])
def test_submission_page_queries_do_not_grow_with_documents(who, world, people, client):
    client.force_login(getattr(people, who))
    finished_document(world.submission, requested_by=people.coordinator)
    one = page_queries(client, world.submission)
    finished_document(world.submission, requested_by=UserFactory())
    finished_document(world.submission, report=report_figures(counted=5700, over=[("Detention", 20, 43)]))

    three = page_queries(client, world.submission)

    assert one == three


@pytest.mark.parametrize(
    ("status", "age", "stale"),
    [
        (Status.QUEUED, services.QUEUED_TIMEOUT + datetime.timedelta(seconds=1), True),
        (Status.QUEUED, services.QUEUED_TIMEOUT - datetime.timedelta(seconds=1), False),
        (Status.RENDERING_PDF, services.RUNNING_TIMEOUT + datetime.timedelta(seconds=1), True),
        (Status.COUNTING, services.RUNNING_TIMEOUT - datetime.timedelta(seconds=1), False),
    ],
)
def test_document_is_stale_as_documents_fail_stale_decides(status, age, stale, world):
    now = timezone.now()
    document = GeneratedDocumentFactory(submission=world.submission, status=status, started_at=now - age)
    GeneratedDocument.objects.filter(pk=document.pk).update(created_at=now - age)
    document.refresh_from_db()

    assert (services.document_is_stale(document, now=now), services.documents_fail_stale(now=now)) == (
        stale,
        int(stale),
    )
