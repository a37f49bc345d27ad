"""A French-speaking coordinator, in a real browser: the language switcher, sign-in, the submission,
and the editor's counts, numbers and save status, all in French."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from coalitions.models import Role
from submissions.services.submissions import section_add, submission_create
from tests.factories import DocumentLimitFactory, MembershipFactory, ReviewFactory
from tests.factories.accounts import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EDITABLE = ".ProseMirror[contenteditable=true]"
NNBSP = "\u202f"  # French thousands: 5 630
ENGLISH = re.compile(r"\b(Saved|Unsaved|words?|Submission|This section|Geneva time)\b")


@pytest.fixture
def page(page: Page):
    yield page
    # The editor's last requests (presence) end before the database is emptied.
    page.goto("about:blank")
    page.wait_for_timeout(500)


def test_french_coordinator_signs_in_opens_the_submission_and_writes(live_server, page: Page):
    membership = MembershipFactory(
        role=Role.COORDINATOR, user__full_name="Aminata Diop", user__email="aminata@example.org", user__language="fr"
    )
    review = ReviewFactory(state__name="Senegal", state__name_fr="Sénégal")
    membership.coalition.reviews.add(review)
    DocumentLimitFactory(cycle=review.session.cycle, kind="joint", max_words=5630)
    submission = submission_create(
        coalition=membership.coalition, review=review, actor=membership.user, title="Contribution conjointe"
    )
    section = section_add(submission=submission, actor=membership.user, title="Détention", word_budget=400)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))

    # Signed out, the browser asks for English; the footer's switcher turns the portal French.
    page.goto(live_server.url + reverse("login"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_label("Langue")).to_have_value("fr")

    page.locator("#id_username").fill("aminata@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("link", name="Mes coalitions")).to_be_visible()
    # Their settings say French (an invitation accepted in French sets it); the switcher keeps it there.
    page.get_by_role("link", name="Paramètres").click()
    expect(page.get_by_label("Langue", exact=True).first).to_have_value("fr")

    page.goto(live_server.url + reverse("submissions:detail", args=[submission.pk]))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    main = page.locator("main")
    expect(main).to_contain_text("Sénégal")
    expect(main).to_contain_text(f"5{NNBSP}630")
    expect(main).not_to_contain_text("5,630")

    page.goto(live_server.url + reverse("submissions:section_edit", args=[submission.pk, section.pk]))
    editor = page.locator(EDITABLE)
    expect(editor).to_be_visible()
    status = page.locator("#save-status")
    expect(status).to_have_text("Enregistré")
    # The toolbar speaks French too (static/js/menu-labels.js).
    expect(page.locator(".prose-menubar").get_by_role("button", name="Gras", exact=True)).to_have_count(1)
    expect(page.locator(".prose-menubar").get_by_role("button", name="Liste à puces", exact=True)).to_have_count(1)

    editor.click()
    page.keyboard.type("L'État a ratifié la Convention.")
    expect(status).to_have_text("Modifications non enregistrées")
    # The same word count as in English: l'État is one word.
    section_count = page.locator("#section-count")
    expect(section_count).to_have_text(re.compile(r"^Cette section\s: 5 mots \(5 dans le texte, 0 dans les notes\)"))
    expect(page.locator("#submission-count")).to_contain_text(f"5 sur 5{NNBSP}630 mots")
    expect(status).to_have_text(re.compile(r"^Enregistré à \d\d:\d\d, heure de Genève$"), timeout=15_000)

    section.refresh_from_db()
    assert section.body_words == 5
    for text in (status, section_count, page.locator("#submission-count")):
        assert not ENGLISH.search(text.inner_text()), text.inner_text()
    assert not problems, problems
