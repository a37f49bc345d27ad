"""After the review, end to end (issue 12), as a coordinator tries it: import a UHRI export of the
previous review with a preview, assess a recommendation in the implementation matrix, download the
matrix (CSV and XLSX), make a factsheet and download its PDF, log a meeting with an embassy, then
import the review's outcome, have matches proposed, confirm one and see it taken up.

The starting point is what a coalition has before it begins: the reference data (States, their
other names, the 4th-cycle calendar), the demo coalition and its torture cluster's submission with
three recommendations (coalitions/demo.py, submissions/demo_coordination.py). Everything after
that goes through the pages, with accessible locators. The files imported are the demo's own
(reviews/data/demo/). The factsheet's PDF is made by a real Celery worker, as in test_documents.py.
"""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import User
from advocacy.demo import OUTCOME_FILE, PREVIOUS_FILE
from advocacy.models import Assessment, Factsheet, Meeting, UptakeMatch
from coalitions.demo import demo_seed
from reviews.models import UPRRecommendation
from reviews.services import reference_data_load
from submissions.demo import COORDINATOR
from submissions.demo_coordination import RECOMMENDATIONS, demo_cluster_submission_seed
from submissions.models import GeneratedDocument
from tests.browser.test_documents import sign_in, worker  # noqa: F401 - worker: the fixture, by usefixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POLICE_CUSTODY = RECOMMENDATIONS[0][0]  # "Amend the law by the end of 2028 to limit ... to four days."
EVIDENCE = "Police cells still held 1,100 remand prisoners for more than four days in 2025."


@pytest.fixture
def page(page: Page):
    page.set_default_timeout(15_000)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.problems = problems
    yield page
    # The live server shares the test's SQLite connection: no request may still run during the flush.
    page.goto("about:blank")
    page.wait_for_timeout(500)


@pytest.fixture
def world():
    reference_data_load()
    report = demo_seed()
    demo_cluster_submission_seed(coalition=report.coalition, review=report.review)
    return report


def said(page: Page):
    """The message a page opens with (base.html: Django's messages, each a status in a live region)."""
    return page.locator("main div.alert[role=status]")


@pytest.mark.usefixtures("worker")
def test_a_coordinator_goes_from_the_previous_review_to_the_uptake(live_server, page: Page, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    coalition, review = world.coalition, world.review
    coordinator = User.objects.get(email=COORDINATOR)
    sign_in(page, live_server, coordinator)
    overview_url = live_server.url + reverse("advocacy:overview", args=[coalition.pk])

    # 1. The previous review's recommendations, from UHRI's CSV: the preview first, then confirmed.
    page.goto(overview_url)
    expect(page.get_by_role("heading", name="After the review", level=2)).to_be_visible()
    page.get_by_role("link", name="Import recommendations").click()
    page.get_by_label("State under review").select_option(label="Finland")
    page.get_by_label("Working Group session").fill("41")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Into the review of Finland, session 41.")).to_be_visible()
    page.get_by_label("File of recommendations").set_input_files(PREVIOUS_FILE)
    page.get_by_role("button", name="Preview the import").click()
    figures = page.get_by_role("region", name="What the import would do")
    expect(figures).to_contain_text("Nothing is saved yet.")
    expect(figures.get_by_role("definition")).to_have_text(["40", "40", "0", "0", "31", "8", "59", "0"])
    # "Turkey" is Türkiye's other name: nothing is left unrecognised.
    preview_row = page.get_by_role("row").filter(has=page.get_by_role("cell", name="81.40", exact=True))
    expect(preview_row).to_contain_text("Portugal; Turkey")
    assert UPRRecommendation.objects.count() == 0
    page.get_by_role("button", name="Confirm the import").click()

    # 2. The import ends on the previous review's matrix.
    expect(page.get_by_role("heading", name="Implementation matrix: Finland, session 41", level=2)).to_be_visible()
    expect(said(page)).to_have_text(
        f"{PREVIOUS_FILE.name} was imported: recommendations 40 · new 40 · updated 0 · unchanged 0 · "
        "supported 31 · noted 8 · links 59 · unresolved 0"
    )
    expect(page.locator("#matrix-total")).to_have_text("40 recommendations shown.")
    page.get_by_role("link", name="Assess 81.5", exact=True).click()
    page.get_by_label("Implementation").select_option(label="Partially implemented")
    page.get_by_label("Evidence").fill(EVIDENCE)
    page.get_by_label("Sources").fill("Parliamentary Ombudsman, annual report 2025")
    page.get_by_label("Indicator").fill("Remand prisoners held in police cells for more than four days, per year")
    page.get_by_label("Baseline").fill("1,150 (2022)")
    page.get_by_label("Target").fill("0 by the end of 2028")
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.get_by_role("heading", name="Implementation matrix: Finland, session 41", level=2)).to_be_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Assess 81.5", exact=True))
    expect(row.locator(".matrix-level")).to_have_text("Partially implemented")
    expect(row).to_contain_text(EVIDENCE)
    expect(page.locator("#matrix-counts")).to_contain_text("Partially implemented: 1 of 40")

    # 3. The matrix downloaded, as CSV (UTF-8 with a BOM, for Excel) and as XLSX.
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Download the filtered matrix (CSV)").click()
    raw = csv_download.value.path().read_bytes()
    assert raw[:3] == b"\xef\xbb\xbf"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 41  # the header and the 40 recommendations
    assessed = [line for line in rows if "81.5" in line]
    assert len(assessed) == 1
    assert {"Partially implemented", EVIDENCE} <= set(assessed[0])
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Download the filtered matrix (XLSX)").click()
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_download.value.path().read_bytes()), read_only=True).active
    cells = [[str(value) for value in line if value is not None] for line in sheet.iter_rows(values_only=True)]
    assert any("81.5" in line and "Partially implemented" in line for line in cells)

    # 4. A factsheet on conditions of detention for the coming review, and its one-page PDF.
    page.goto(overview_url)
    page.get_by_role("link", name="Factsheets").first.click()
    page.get_by_role("link", name="New factsheet").click()
    page.get_by_label("Review").select_option(label=str(review))
    page.get_by_label("Theme").fill("Conditions of detention")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Key facts").fill("Seven in ten remand prisoners are placed under contact restrictions.")
    page.get_by_role("checkbox", name=re.compile(r"^A\/HRC\/52\/9, para\. 81\.5 ")).check()
    page.get_by_role("checkbox", name=re.compile(rf"^{re.escape(POLICE_CUSTODY)}")).check()
    page.get_by_role("checkbox", name=re.compile(rf"^{re.escape(RECOMMENDATIONS[1][0])}")).check()
    page.get_by_role("button", name="Create the factsheet").click()
    expect(page.get_by_role("heading", name="Factsheet: Conditions of detention", level=2)).to_be_visible()
    page.get_by_role("button", name="Make the PDF").click()
    download_link = page.get_by_role("link", name="Download the PDF")
    expect(download_link).to_be_visible(timeout=60_000)
    with page.expect_download() as pdf_download:
        download_link.click()
    assert pdf_download.value.path().read_bytes()[:5] == b"%PDF-"

    # 5. A meeting with Sweden's embassy, raising the recommendation on police custody.
    page.goto(overview_url)
    page.get_by_role("link", name="Log a meeting").first.click()
    page.get_by_label("State met").select_option(label="Sweden")
    page.get_by_label("Review lobbied for").select_option(label=str(review))
    page.get_by_label("Met through").select_option(label="Embassy in the country")
    held_on = datetime.date.today() - datetime.timedelta(days=3)
    page.get_by_label("Date").fill(held_on.isoformat())
    page.get_by_label("People").fill("Aino Virtanen; the Embassy's human rights officer")
    page.get_by_role("checkbox", name=re.compile(rf"^1\. {re.escape(POLICE_CUSTODY)}")).check()
    page.get_by_label("Outcome").fill("Sweden will consider the recommendation.")
    page.get_by_role("button", name="Log the meeting").click()
    expect(page.get_by_role("heading", name="Lobbying log", level=2)).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Sweden")).to_contain_text(
        "Sweden will consider the recommendation."
    )

    # 6. After the review: its outcome imported, matches proposed, one confirmed, and taken up.
    page.goto(overview_url)
    page.get_by_role("link", name=f"Uptake after the review (session {review.session.number})").click()
    expect(page.get_by_text("0 recommendations made at the review are imported.")).to_be_visible()
    page.get_by_role("link", name="Import the review's outcome").click()
    expect(page.get_by_text(f"Into the review of Finland, session {review.session.number}.")).to_be_visible()
    page.get_by_label("File of recommendations").set_input_files(OUTCOME_FILE)
    page.get_by_role("button", name="Preview the import").click()
    outcome_figures = page.get_by_role("region", name="What the import would do")
    expect(outcome_figures.get_by_role("definition").first).to_have_text("8")
    page.get_by_role("button", name="Confirm the import").click()
    page.goto(overview_url)
    page.get_by_role("link", name=f"Uptake after the review (session {review.session.number})").click()
    page.get_by_role("button", name="Propose matches").click()
    made = UPRRecommendation.objects.get(review=review, paragraph="99.1")
    page.get_by_role("button", name=f"Confirm the match with {made.citation}").click()
    expect(page.get_by_role("heading", name="Which of our asks were taken up, and by whom")).to_be_visible()
    taken_up = page.get_by_role("table", name="Our recommendations and the recommendations made that take them up")
    row = taken_up.get_by_role("row").filter(has=page.get_by_role("rowheader", name=POLICE_CUSTODY, exact=True))
    expect(row.get_by_role("cell")).to_have_text(
        [re.compile(r"^A\/HRC\/67\/9, para\. 99\.1 Amend legislation"), "Germany, Sweden", "Supported"]
    )
    others = taken_up.get_by_role("row").filter(has_text="Not taken up (no confirmed match)")
    expect(others).to_have_count(len(RECOMMENDATIONS) - 1)

    # What the journey left behind.
    assessment = Assessment.objects.get(coalition=coalition)
    assert (assessment.recommendation.paragraph, assessment.level, assessment.evidence) == (
        "81.5",
        Assessment.Level.PARTIALLY,
        EVIDENCE,
    )
    meeting = Meeting.objects.get(coalition=coalition)
    assert (meeting.state.code, meeting.held_on, [r.text for r in meeting.raised.all()]) == (
        "SWE",
        held_on,
        [POLICE_CUSTODY],
    )
    factsheet = Factsheet.objects.get(coalition=coalition)
    assert [r.paragraph for r in factsheet.previous.all()] == ["81.5"]
    document = GeneratedDocument.objects.get(kind=GeneratedDocument.Kind.FACTSHEET)
    assert (document.status, document.subject_id) == (GeneratedDocument.Status.DONE, factsheet.pk)
    match = UptakeMatch.objects.get(coalition=coalition, status=UptakeMatch.Status.CONFIRMED)
    assert (match.asked.text, match.made, match.decided_by) == (POLICE_CUSTODY, made, coordinator)
    assert page.problems == []
