"""The mid-term report: started from the implementation matrix, drafted and generated as a submission."""

import copy
import io

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertRedirects

from advocacy.services.mid_term import mid_term_start, mid_term_title
from submissions.documents.content import document_content
from submissions.forms import SubmissionCreateForm
from submissions.models import GeneratedDocument, SectionVersion, Submission
from submissions.services.documents import document_generate_now
from tests.advocacy.uptake_world import build_uptake_world
from tests.shared_data import module_rows
from tests.submissions.pdf_text import pdf_reader

pytestmark = pytest.mark.django_db

mid_term_rows = module_rows("mid_term_rows", build_uptake_world)

TITLE = "Mid-term report on the implementation of the recommendations of {state}'s review, 100th session"


@pytest.fixture
def world(mid_term_rows, db):
    world = copy.deepcopy(mid_term_rows)
    world.review.session.number = 100  # SessionFactory's first number; set here so the title is known
    world.review.session.save(update_fields=["number"])
    return world


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_start_creates_a_mid_term_submission_titled_after_the_review(world):
    report = mid_term_start(coalition=world.coalition, review=world.review, actor=world.coordinator)

    assert (report.kind, report.review, report.status, report.title) == (
        Submission.Kind.MID_TERM,
        world.review,
        Submission.Status.DRAFT,
        TITLE.format(state=world.review.state.name),
    )


def test_start_makes_one_section_per_cluster_then_theme_then_other(world):
    report = mid_term_start(coalition=world.coalition, review=world.review, actor=world.coordinator)

    sections = list(report.sections.order_by("position"))
    assert [(s.title, s.cluster_id, s.version) for s in sections] == [
        ("B's cluster", world.cluster_b.pk, 1),
        ("Rights of the child", None, 1),
        ("Other recommendations", None, 1),
    ]
    assert SectionVersion.objects.filter(section__submission=report).count() == 3


def test_start_writes_each_assessed_recommendation_as_a_paragraph(world):
    report = mid_term_start(coalition=world.coalition, review=world.review, actor=world.coordinator)

    bodies = [s.body for s in report.sections.order_by("position")]
    assert bodies == [
        "<p><strong>A/HRC/60/12, para. 150.1 (Supported):</strong> "
        "Ratify the Optional Protocol to the Convention against Torture and establish a national preventive "
        "mechanism <em>Assessment: Partially implemented.</em> Evidence: The bill was tabled in 2026 but not "
        "adopted. Indicator: OPCAT ratified (baseline: not ratified; target: ratified by 2027).</p>",
        # The evidence is plain text: its markup is shown, never applied.
        "<p><strong>A/HRC/60/12, para. 150.2 (Noted):</strong> Ensure that children deprived of liberty are "
        "separated from adults in all detention facilities <em>Assessment: Not implemented.</em> Evidence: "
        "Children are held with adults in three prisons &lt;b&gt;still&lt;/b&gt;.</p>",
        "<p><strong>A/HRC/60/12, para. 150.3 (Supported):</strong> Increase the budget allocated to primary "
        "education in rural areas <em>Assessment: Implemented.</em></p>",
    ]
    # 150.4 is not relevant to the coalition: left out.
    assert all("150.4" not in body for body in bodies)


def test_the_document_title_of_a_mid_term_report(world):
    report = mid_term_start(coalition=world.coalition, review=world.review, actor=world.coordinator)

    content = document_content(report)

    assert (content.title, content.limit.max_words) == (TITLE.format(state=world.review.state.name), None)


def test_mid_term_title_is_translated_as_one_sentence(world):
    with translation.override("fr"):
        title = mid_term_title(world.review)

    assert "100e" in title


def test_generated_pdf_and_docx_carry_the_title_and_a_citation(world):
    from docx import Document

    report = mid_term_start(coalition=world.coalition, review=world.review, actor=world.coordinator)

    document = document_generate_now(submission=report, actor=world.coordinator)

    assert (document.status, document.report["is_over"], document.report["max_words"]) == (
        GeneratedDocument.Status.DONE,
        False,
        None,
    )
    title = TITLE.format(state=world.review.state.name)
    pdf_text = " ".join(" ".join(page.extract_text().split()) for page in pdf_reader(document.pdf.read()).pages)
    assert title in pdf_text
    assert "A/HRC/60/12, para. 150.1 (Supported):" in pdf_text
    docx_text = [p.text for p in Document(io.BytesIO(document.docx.read())).paragraphs]
    assert title in docx_text
    assert any("A/HRC/60/12, para. 150.2 (Noted):" in text for text in docx_text)


def test_start_through_the_page_opens_the_report_and_a_second_start_opens_it_again(world, client):
    client.force_login(world.coordinator)
    url = reverse("advocacy:mid_term_start", args=[world.coalition.pk, world.review.pk])

    first = client.post(url)
    report = Submission.objects.get(coalition=world.coalition, kind=Submission.Kind.MID_TERM)
    second = client.post(url)

    assertRedirects(first, reverse("submissions:detail", args=[report.pk]), fetch_redirect_response=False)
    assertRedirects(second, reverse("submissions:detail", args=[report.pk]), fetch_redirect_response=False)
    assert Submission.objects.filter(coalition=world.coalition, kind=Submission.Kind.MID_TERM).count() == 1


def test_overview_panel_links_the_report_or_offers_to_start_it(world, client):
    client.force_login(world.coordinator)
    overview = reverse("advocacy:overview", args=[world.coalition.pk])
    start = reverse("advocacy:mid_term_start", args=[world.coalition.pk, world.review.pk])

    before = client.get(overview)
    report = mid_term_start(coalition=world.coalition, review=world.review, actor=world.coordinator)
    after = client.get(overview)

    assertContains(before, f'action="{start}"', count=1)
    assertContains(before, "3 recommendations asked, 0 made, 0 supported.")
    assertContains(after, f'href="{reverse("submissions:detail", args=[report.pk])}"')
    assert start not in after.content.decode()


def test_the_report_opens_in_the_submission_page_and_the_same_editor(world, client):
    report = mid_term_start(coalition=world.coalition, review=world.review, actor=world.coordinator)
    section = report.sections.order_by("position").first()
    client.force_login(world.coordinator)

    detail = client.get(reverse("submissions:detail", args=[report.pk]))
    editor = client.get(reverse("submissions:section_edit", args=[report.pk, section.pk]))

    assertContains(detail, escape(report.title))
    assertContains(editor, "A/HRC/60/12, para. 150.1 (Supported):")


def test_the_start_a_submission_form_does_not_offer_a_mid_term_report(world):
    form = SubmissionCreateForm(coalition=world.coalition)

    assert [value for value, _label in form.fields["kind"].choices] == ["joint", "individual"]
