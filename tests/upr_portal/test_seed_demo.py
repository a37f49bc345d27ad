"""`manage.py seed_demo`: the project-level command that `make run` calls after load_reference_data."""

import datetime
import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from coalitions.demo import DEMO_PASSWORD, PEOPLE
from coalitions.models import Membership, Role
from deadlines.demo import DEMO_OFFSETS
from deadlines.services import reminders_scan
from notifications.models import OutboxMessage
from reviews.models import State
from submissions.demo import COORDINATOR
from submissions.models import GeneratedDocument, Submission
from submissions.selectors import submission_totals
from tests.factories import CycleFactory, DocumentLimitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    # seed_demo generates the demo submission's documents: their files go here, not into var/media.
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def reference_data():
    State.objects.create(code="FIN", name="Finland")
    DocumentLimitFactory(cycle=CycleFactory(number=4), kind="joint", max_words=5630)


def test_seed_demo_with_debug_off_refuses(reference_data, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError) as raised:
        call_command("seed_demo", stdout=StringIO())

    assert str(raised.value) == "Refusing to create demo accounts with DJANGO_DEBUG off: their password is public."
    assert Submission.objects.count() == 0


def test_seed_demo_without_states_asks_for_the_reference_data(settings):
    settings.DEBUG = True

    with pytest.raises(CommandError) as raised:
        call_command("seed_demo", stdout=StringIO())

    assert str(raised.value) == "No States in the database: run `python manage.py load_reference_data` first."


def test_seed_demo_prints_the_coalition_submission_and_sign_ins(reference_data):
    out = StringIO()

    call_command("seed_demo", "--allow-without-debug", stdout=out)

    submission = Submission.objects.get()
    document = GeneratedDocument.objects.get()
    lines = out.getvalue().splitlines()
    assert lines[:5] == [
        f"Demo coalition: {submission.coalition}, working on the review of {submission.review}.",
        f"Demo submission: {submission.title} ({submission.sections.count()} sections).",
        f"Demo documents: Done (generated document {document.pk}).",
        f"Demo reminders: {', '.join(str(days) for days in DEMO_OFFSETS)} days before each deadline.",
        f"Demo sign-ins (password for all: {DEMO_PASSWORD}):",
    ]
    signed_in = [line.split()[0] for line in lines[5:]]
    assert signed_in[: len(PEOPLE)] == [email for email, *_rest in PEOPLE]
    assert len(signed_in) == len(PEOPLE) + 1  # and the site administrator


def test_seed_demo_twice_creates_nothing_more(reference_data, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())

    call_command("seed_demo", stdout=StringIO())

    assert Submission.objects.count() == 1
    assert GeneratedDocument.objects.count() == 1


def test_seed_demo_leaves_a_finished_document_made_by_the_real_job(reference_data, media):
    call_command("seed_demo", "--allow-without-debug", stdout=StringIO())

    submission = Submission.objects.get()
    document = GeneratedDocument.objects.select_related("requested_by").get()
    assert (document.submission, document.status, document.error, document.requested_by.email) == (
        submission,
        GeneratedDocument.Status.DONE,
        "",
        COORDINATOR,
    )
    pdf, docx = document.pdf.read(), document.docx.read()
    assert (pdf[:5], docx[:2]) == (b"%PDF-", b"PK")
    assert (hashlib.sha256(pdf).hexdigest(), hashlib.sha256(docx).hexdigest()) == (
        document.pdf_sha256,
        document.docx_sha256,
    )
    assert document.section_versions == {str(s.pk): s.version for s in submission.sections.all()}
    # The counted words are the submission page's own count.
    totals = submission_totals(submission=submission, sections=list(submission.sections.all()))
    assert document.report["words_counted"] == totals.counted
    assert document.report["pages"] >= 1
    # The files are in the temporary media folder, under the names OHCHR's staff will see.
    assert sorted(path.name for path in media.rglob("*.*")) == [
        f"JS-DNUC-Finland-UPR{submission.review.session.number}.docx",
        f"JS-DNUC-Finland-UPR{submission.review.session.number}.pdf",
    ]


def test_seed_demo_has_a_reminder_due_on_a_fresh_site_and_sends_it_once(reference_data, settings):
    """What `make run` shows in its console: the demo's UN deadline has a reminder due at once."""
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    submission = Submission.objects.select_related("review").get()
    # The first scan of the fresh site, any day up to the demo deadline.
    now = submission.review.stakeholder_deadline - datetime.timedelta(days=121)
    members = set(
        Membership.objects.filter(coalition=submission.coalition, is_active=True).values_list("user__email", flat=True)
    )

    first = reminders_scan(now=now)
    second = reminders_scan(now=now)

    recipients = set(OutboxMessage.objects.filter(kind="deadlines.reminder").values_list("to_email", flat=True))
    coordinators = Membership.objects.filter(
        coalition=submission.coalition, is_active=True, role=Role.COORDINATOR
    ).count()
    # The second scan finds every reminder claimed, and this week's (empty, unsent) digests too.
    assert (first.queued, second.queued, second.already_claimed) == (len(members), 0, len(members) + coordinators)
    assert recipients == members
