"""Factsheets: the choices offered, the two-or-three rule, concurrency, and the one-page PDF."""

import copy
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains

from advocacy.models import Factsheet
from advocacy.services.factsheets import factsheet_create, factsheet_update
from reviews.models import UPRRecommendation
from submissions.documents.content import ordinal
from submissions.models import GeneratedDocument
from submissions.services.documents import document_generate, document_queue_kind
from tests.advocacy.lobbying_world import FIRST, SECOND, THIRD, TORTURE_THEME, build_lobbying_world
from tests.advocacy.matrix_world import add_upr_recommendations
from tests.shared_data import module_rows
from tests.submissions.pdf_text import pdf_reader
from tests.submissions.test_document_pdf_safety import server  # noqa: F401 - the counting web server

pytestmark = pytest.mark.django_db

factsheets_world_rows = module_rows("factsheets_world_rows", build_lobbying_world)
# The session and the person, the coalition, the factsheets and their latest PDFs (with the tabs):
# the same for one factsheet or three.
LIST_QUERIES = 7
TWO_OR_THREE = (
    "Choose two or three of the coalition's recommendations (%d chosen): a one-page factsheet carries no "
    "more, and one alone is not a set of asks."
)


@pytest.fixture
def world(factsheets_world_rows, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return copy.deepcopy(factsheets_world_rows)


def add_page(client, world, theme: str):
    client.force_login(world.people["drafter"])
    return client.get(
        reverse("advocacy:factsheet_add", args=[world.coalition.pk]), {"review": world.review.pk, "theme": theme}
    )


@pytest.mark.parametrize("asks", [1, 4])
def test_factsheet_refuses_fewer_than_two_or_more_than_three_asks(asks, world):
    fourth = world.section_b.recommendations.create(submission=world.submission, position=4, text="A fourth ask.")
    chosen = [world.first, world.second, world.third, fourth][:asks]

    with pytest.raises(ValidationError) as refused:
        factsheet_create(
            coalition=world.coalition,
            review=world.review,
            actor=world.coordinator,
            theme="Right to health",
            asks=[r.pk for r in chosen],
        )

    assert refused.value.messages == [TWO_OR_THREE % asks]


def test_form_shows_the_two_or_three_rule_and_keeps_the_key_facts(world, client):
    add_page(client, world, "Right to health")

    response = client.post(
        reverse("advocacy:factsheet_add", args=[world.coalition.pk])
        + f"?review={world.review.pk}&theme=Right+to+health",
        {"theme": "Right to health", "key_facts": "One clinic per district.", "asks": [world.first.pk], "version": 0},
    )

    assertContains(response, escape(TWO_OR_THREE % 1))
    assertContains(response, "One clinic per district.</textarea>")
    assert Factsheet.objects.count() == 1


def test_stale_save_is_refused_and_keeps_the_persons_text(world, client):
    factsheet_update(
        factsheet=world.factsheet,
        actor=world.coordinator,
        version=0,
        theme=TORTURE_THEME,
        key_facts="Saved first by the coordinator.",
        asks=[world.first.pk, world.second.pk],
    )
    client.force_login(world.people["drafter"])

    response = client.post(
        reverse("advocacy:factsheet_edit", args=[world.coalition.pk, world.factsheet.pk]),
        {"theme": TORTURE_THEME, "key_facts": "My late edit.", "asks": [world.first.pk, world.third.pk], "version": 0},
    )

    assertContains(response, "Someone saved this factsheet while you were editing it.")
    assertContains(response, "My late edit.</textarea>")
    assert Factsheet.objects.values_list("key_facts", "version").get(pk=world.factsheet.pk) == (
        "Saved first by the coordinator.",
        1,
    )


def test_previous_recommendations_follow_the_theme_when_it_is_a_uhri_theme(world, client):
    on_health = add_page(client, world, "right to health")
    any_theme = add_page(client, world, "Children in detention")

    assertContains(on_health, "A/HRC/44/9, para. 140.10")
    assertNotContains(on_health, "A/HRC/44/9, para. 140.7")
    for citation in ("140.7", "140.9", "140.10"):
        assertContains(any_theme, f"A/HRC/44/9, para. {citation}")
    # The position and the coalition's assessment beside each.
    assertContains(any_theme, "(session 44, Supported; Partially implemented)")
    assertContains(any_theme, "A/HRC/44/9, para. 140.10 (session 44, Noted): Increase the health budget")


def test_suggestions_are_the_clusters_and_the_states_previous_themes(world, client):
    response = add_page(client, world, "Children in detention")

    assert response.context["themes"] == [
        "A's cluster",
        "B's cluster",
        "Right to health",
        "Torture and other cruel treatment",
    ]


def test_asks_offer_smart_confirmed_recommendations_first(world, client):
    response = add_page(client, world, "Children in detention")

    assert response.context["form"].fields["asks"].choices == [
        (world.first.pk, f"{FIRST} (SMART confirmed)"),
        (world.third.pk, THIRD),
        (world.second.pk, SECOND),
    ]


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (120, 60), (20, 90, 160)).save(out, format="PNG")
    return out.getvalue()


def make_pdf(world) -> GeneratedDocument:
    queued = document_queue_kind(
        kind=GeneratedDocument.Kind.FACTSHEET,
        coalition=world.coalition,
        subject_id=world.factsheet.pk,
        actor=world.coordinator,
    )
    return document_generate(document_id=queued.pk)


def test_pdf_is_one_page_with_the_logo_and_fetches_nothing(world, settings, server):  # noqa: F811
    base, hits = server
    # Were the logo linked by its URL, WeasyPrint would ask this server for it.
    settings.MEDIA_URL = f"{base}/media/"
    world.coalition.logo.save("logo.png", ContentFile(_png()), save=True)

    document = make_pdf(world)

    reader = pdf_reader(document.pdf.read())
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    title = f"{TORTURE_THEME}: {world.review.state.name}'s UPR review, {ordinal(world.review.session.number)} session"
    assert (document.status, document.report, len(reader.pages), hits) == ("done", {"pages": 1}, 1, [])
    for expected in (
        world.coalition.name,
        title,
        "A/HRC/44/9, para. 140.7, Supported",
        "our assessment: Partially implemented",
        "Three prisons hold children.",
        FIRST,
        SECOND,
    ):
        assert expected in text
    images = [
        xobject
        for xobject in reader.pages[0]["/Resources"]["/XObject"].values()
        if xobject.get_object()["/Subtype"] == "/Image"
    ]
    assert len(images) == 1


def test_pdf_over_one_page_is_reported_and_the_page_warns(world, client):
    extra = add_upr_recommendations(world.previous, 30, start=20)
    world.factsheet.previous.add(*extra)
    Factsheet.objects.filter(pk=world.factsheet.pk).update(key_facts="\n".join(["Children wait years for trial."] * 60))

    document = make_pdf(world)
    client.force_login(world.people["observer"])
    page = client.get(reverse("advocacy:factsheet_edit", args=[world.coalition.pk, world.factsheet.pk]))

    assert (document.status, document.report["pages"] > 1) == ("done", True)
    assertContains(page, "so that it fits on one page.")
    assert UPRRecommendation.objects.filter(review=world.previous).count() == 33


@pytest.mark.parametrize("extra", [0, 2])
def test_list_reads_in_a_constant_number_of_queries(extra, world, client, django_assert_max_num_queries):
    for n in range(extra):
        factsheet = Factsheet.objects.create(coalition=world.coalition, review=world.review, theme=f"Theme {n}")
        document_queue_kind(
            kind=GeneratedDocument.Kind.FACTSHEET,
            coalition=world.coalition,
            subject_id=factsheet.pk,
            actor=world.coordinator,
        )
    client.force_login(world.people["observer"])

    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(reverse("advocacy:factsheets", args=[world.coalition.pk]))

    assert len(response.context["rows"]) == 1 + extra
