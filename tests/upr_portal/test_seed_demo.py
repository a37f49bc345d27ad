"""`manage.py seed_demo`: the project-level command that `make run` calls after load_reference_data."""

import atexit
import datetime
import hashlib
import importlib.machinery
import importlib.util
import shutil
import tempfile
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from advocacy.models import Meeting
from coalitions.demo import DEMO_PASSWORD, LARGE_ORGANISATIONS, LARGE_PEOPLE, PEOPLE
from coalitions.models import CoalitionOrganisation, Membership, Role
from deadlines.demo import DEMO_OFFSETS
from deadlines.services import reminders_scan
from notifications.models import OutboxMessage
from reviews.models import Review, State
from submissions.demo import COORDINATOR, LARGE_SECTIONS, LARGE_TITLE, LARGE_VERSIONS, TITLE
from submissions.demo_coordination import CLUSTER_TITLE
from submissions.models import GeneratedDocument, Section, SectionVersion, Submission
from submissions.selectors import submission_totals
from tests.factories import CycleFactory, DocumentLimitFactory
from tests.shared_data import module_rows
from tests.upr_portal.processes import BASE_DIR

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    # seed_demo generates the demo submission's documents: their files go here, not into var/media.
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def reference_data_create() -> None:
    State.objects.create(code="FIN", name="Finland")
    DocumentLimitFactory(cycle=CycleFactory(number=4), kind="joint", max_words=5630)


@pytest.fixture
def reference_data():
    reference_data_create()


@dataclass(frozen=True)
class Seeded:
    output: str  # what the command printed
    media: Path  # where the demo's documents were written


def seed_once() -> Seeded:
    """`seed_demo --allow-without-debug` on the reference data, with SITE_URL http://127.0.0.1:8000.

    Once for the module (a seed took 15 to 25 s of the suite's time): the tests that read what the first
    run made, or run the command again on top of it, share it; each test's own writes are rolled back.
    """
    media = Path(tempfile.mkdtemp(prefix="seed-demo-media-"))
    atexit.register(shutil.rmtree, media, ignore_errors=True)
    reference_data_create()
    out = StringIO()
    with override_settings(DEBUG=False, SITE_URL="http://127.0.0.1:8000", MEDIA_ROOT=media):
        call_command("seed_demo", "--allow-without-debug", stdout=out)
    return Seeded(output=out.getvalue(), media=media)


seeded = module_rows("seeded", seed_once)


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


def test_seed_demo_prints_the_coalition_submission_and_sign_ins(seeded):
    submission = Submission.objects.get(title=TITLE)
    cluster_submission = Submission.objects.get(title=CLUSTER_TITLE)
    document = GeneratedDocument.objects.get()
    lines = seeded.output.splitlines()
    previous = Review.objects.get(session__number=41)
    meetings = Meeting.objects.count()  # the States met that the test's reference data has
    assert lines[:7] == [
        f"Demo coalition: {submission.coalition}, working on the review of {submission.review}.",
        f"Demo submission: {submission.title} ({submission.sections.count()} sections).",
        f"Cluster submission: {cluster_submission.title} (Sign-off).",
        f"Demo documents: Done (generated document {document.pk}).",
        f"Demo reminders: {', '.join(str(days) for days in DEMO_OFFSETS)} days before each deadline.",
        f"After the review of {previous}: recommendations 40, assessed 12, meetings {meetings}, "
        "factsheets 1, confirmed uptake matches 1.",
        f"Sign in at http://127.0.0.1:8000/accounts/login/ with a demo account (password for all: {DEMO_PASSWORD}):",
    ]
    signed_in = [line.split()[0] for line in lines[7:]]
    assert signed_in[: len(PEOPLE)] == [email for email, *_rest in PEOPLE]
    assert len(signed_in) == len(PEOPLE) + 1  # and the site administrator


def test_seed_demo_twice_creates_nothing_more(seeded, settings):
    settings.DEBUG = True

    call_command("seed_demo", stdout=StringIO())

    # The coalition's joint submission and the torture cluster's own.
    assert sorted(Submission.objects.values_list("title", flat=True)) == sorted([TITLE, CLUSTER_TITLE])
    assert GeneratedDocument.objects.count() == 1


def test_seed_demo_leaves_a_finished_document_made_by_the_real_job(seeded, settings):
    settings.MEDIA_ROOT = media = seeded.media

    submission = Submission.objects.get(title=TITLE)
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


def test_seed_demo_has_a_reminder_due_on_a_fresh_site_and_sends_it_once(seeded):
    """What `make run` shows in its console: the demo's UN deadline has a reminder due at once."""
    submission = Submission.objects.select_related("review").get(title=TITLE)
    # This is about the UN deadline's reminder: the sections' own milestones, which the demo sets
    # relative to the day it is seeded (submissions/demo_coordination.py), are reminded too, but the
    # scan below runs on a fixed day.
    Section.objects.update(first_draft_due=None, review_due=None, final_due=None)
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


def test_seed_demo_sign_in_line_names_the_address_given(seeded):
    out = StringIO()

    call_command("seed_demo", "--allow-without-debug", "--site-url", "http://10.0.0.5:8080/", stdout=out)

    line = next(line for line in out.getvalue().splitlines() if line.startswith("Sign in at "))
    assert (
        line
        == f"Sign in at http://10.0.0.5:8080/accounts/login/ with a demo account (password for all: {DEMO_PASSWORD}):"
    )


def load_run_dev():
    """scripts/run-dev as a module (it has no .py suffix), without running its main()."""
    path = BASE_DIR / "scripts" / "run-dev"
    loader = importlib.machinery.SourceFileLoader("run_dev", str(path))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader("run_dev", loader))
    loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("host_port", "url"),
    [
        ("127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("0.0.0.0:8001", "http://127.0.0.1:8001"),
        ("localhost:9000", "http://localhost:9000"),
        ("8002", "http://127.0.0.1:8002"),
    ],
)
def test_run_dev_site_url_is_an_address_to_open(host_port, url):
    assert load_run_dev().site_url(host_port) == url


def test_run_dev_banner_lists_the_sign_in_address_and_every_demo_account(seeded):
    lines = load_run_dev().sign_in_banner("0.0.0.0:8001").splitlines()

    rule = "=" * max(len(line) for line in lines[1:-1])
    assert (lines[0], lines[-1]) == (rule, rule)
    assert lines[1] == (
        f"Sign in at http://127.0.0.1:8001/accounts/login/ with a demo account (password for all: {DEMO_PASSWORD}):"
    )
    accounts = [line.split()[0] for line in lines[2:-1]]
    assert accounts == [email for email, *_rest in PEOPLE] + ["admin@demo.example.org"]
    assert lines[2] == f"  {'coordinator@demo.example.org':42} {Role.COORDINATOR.label}"


def test_run_dev_banner_without_demo_accounts_still_gives_the_address():
    lines = load_run_dev().sign_in_banner("127.0.0.1:8000").splitlines()

    assert lines[1:-1] == [
        f"Sign in at http://127.0.0.1:8000/accounts/login/ with a demo account (password for all: {DEMO_PASSWORD}):"
    ]


# `seed_demo --scale large`: the demo coalition at the size of a national coalition (issue 9).


def large_counts(coalition) -> tuple[int, int, int, list[int]]:
    large = Submission.objects.get(coalition=coalition, title=LARGE_TITLE)
    return (
        CoalitionOrganisation.objects.current().filter(coalition=coalition).count(),
        Membership.objects.filter(coalition=coalition, is_active=True).count(),
        large.sections.count(),
        sorted(set(SectionVersion.objects.filter(section__submission=large).values_list("version", flat=True))),
    )


def test_seed_demo_scale_large_builds_a_national_coalition(seeded):
    # On top of the demo already seeded (as `make run` again with --scale large): the demo part of the
    # command on a fresh site is the shared seed, and seeding it again is test_seed_demo_twice_creates_nothing_more.
    out = StringIO()

    call_command("seed_demo", "--allow-without-debug", "--scale", "large", stdout=out)

    submission = Submission.objects.get(title=TITLE)
    assert large_counts(submission.coalition) == (
        LARGE_ORGANISATIONS,
        LARGE_PEOPLE,
        LARGE_SECTIONS,
        list(range(1, LARGE_VERSIONS + 1)),
    )
    assert SectionVersion.objects.filter(section__submission__title=LARGE_TITLE).count() == 30 * 100
    lines = out.getvalue().splitlines()
    assert lines[-2:] == [
        "National scale: 90 organisations, 250 people, 30 clusters.",
        f"National-scale submission: {LARGE_TITLE} (30 sections, 3000 versions).",
    ]


def test_seed_demo_scale_large_twice_creates_nothing_more(seeded):
    call_command("seed_demo", "--allow-without-debug", "--scale", "large", stdout=StringIO())
    counts = (Membership.objects.count(), CoalitionOrganisation.objects.count(), SectionVersion.objects.count())

    call_command("seed_demo", "--allow-without-debug", "--scale", "large", stdout=StringIO())

    assert (Membership.objects.count(), CoalitionOrganisation.objects.count(), SectionVersion.objects.count()) == counts


def test_seed_demo_without_scale_builds_only_the_demo(seeded):
    assert (Submission.objects.filter(title=LARGE_TITLE).exists(), Membership.objects.count()) == (False, len(PEOPLE))
