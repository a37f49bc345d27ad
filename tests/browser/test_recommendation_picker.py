"""The section editor's "Insert a previous recommendation" in a real browser, by keyboard only: open the
dialog, search, choose with the arrows, insert with Enter, close with Escape (focus goes back)."""

from dataclasses import dataclass

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from coalitions.models import Role
from reviews.models import RecommendationPosition, State, UPRRecommendation
from submissions.models import Section
from submissions.services.submissions import section_add, submission_create
from tests.browser.test_section_editor import EDITABLE, SAVED_AT, leave, open_editor, sign_in
from tests.factories import DocumentLimitFactory, MembershipFactory, ReviewFactory, SessionFactory, StateFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TORTURE = "Ratify the Optional Protocol to the Convention against Torture"
DETENTION = "Improve the conditions of detention and end the torture of detainees"


@pytest.fixture
def page(page: Page):
    yield page
    leave(page)


@dataclass
class Setup:
    section: Section
    url: str
    user: object


@pytest.fixture
def setup(live_server) -> Setup:
    membership = MembershipFactory(role=Role.COORDINATOR, user__full_name="Amina Diallo")
    state = StateFactory(name="Kenya", code="KEN")
    review = ReviewFactory(state=state)
    membership.coalition.reviews.add(review)
    DocumentLimitFactory(cycle=review.session.cycle, kind="joint", max_words=5630)
    earlier = ReviewFactory(
        state=state, session=SessionFactory(number=review.session.number - 14, cycle=review.session.cycle)
    )
    states = [StateFactory(name="Portugal"), StateFactory(name="Holy See", status=State.Status.OBSERVER)]
    for paragraph, text, position in (
        ("140.7", TORTURE, RecommendationPosition.SUPPORTED),
        ("140.8", DETENTION, RecommendationPosition.NOTED),
    ):
        row = UPRRecommendation.objects.create(
            review=earlier, report_symbol="A/HRC/44/9", paragraph=paragraph, text=text, position=position
        )
        row.recommending_states.set(states)
    submission = submission_create(
        coalition=membership.coalition, review=review, actor=membership.user, title="Joint submission"
    )
    section = section_add(submission=submission, actor=membership.user, title="Detention", word_budget=400)
    url = live_server.url + reverse("submissions:section_edit", args=[submission.pk, section.pk])
    return Setup(section=section, url=url, user=membership.user)


def test_insert_a_previous_recommendation_with_the_keyboard(live_server, page: Page, setup: Setup):
    problems: list[str] = []
    sign_in(page.context, live_server, setup.user)
    editor = open_editor(page, setup.url, problems)
    editor.click()
    page.keyboard.type("Kenya supported ")

    opener = page.get_by_role("button", name="Insert a previous recommendation")
    opener.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Insert a previous recommendation")
    expect(dialog).to_be_visible()
    search = dialog.get_by_role("combobox", name="Search the recommendations")
    expect(search).to_be_focused()
    page.keyboard.type("torture")
    expect(dialog.get_by_role("status")).to_have_text("2 recommendations found.")
    options = dialog.get_by_role("option")
    expect(options).to_have_count(2)
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")

    # Escape closes the dialog and gives the focus back to the button; nothing is inserted.
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()
    expect(editor).to_have_text("Kenya supported")

    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    # Opening searches again: the keys go to the list the answer shows (it selects the first again).
    expect(dialog.get_by_role("status")).to_have_text("2 recommendations found.")
    expect(options).to_have_count(2)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    expect(search).to_have_attribute("aria-activedescendant", options.nth(0).get_attribute("id"))
    page.keyboard.press("Enter")

    expect(dialog).to_be_hidden()
    citation = f"A/HRC/44/9, para. 140.7 (supported): “{TORTURE}”"
    expect(editor).to_have_text(f"Kenya supported {citation}")
    # The cursor is after the citation, in the editor: typing goes on there.
    page.keyboard.type(" in 2020.")
    expect(editor).to_have_text(f"Kenya supported {citation} in 2020.")
    expect(page.locator("#picker-announce")).to_have_text("Inserted A/HRC/44/9, para. 140.7.")

    expect(page.locator("#save-status")).to_have_text(SAVED_AT, timeout=15_000)
    setup.section.refresh_from_db()
    assert (citation in setup.section.body, problems) == (True, [])


def test_choose_the_second_result_with_the_arrow_key(live_server, page: Page, setup: Setup):
    sign_in(page.context, live_server, setup.user)
    editor = open_editor(page, setup.url)
    editor.click()

    page.get_by_role("button", name="Insert a previous recommendation").focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Insert a previous recommendation")
    expect(dialog.get_by_role("option")).to_have_count(2)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")

    expect(page.locator(EDITABLE)).to_have_text(f"A/HRC/44/9, para. 140.8 (noted): “{DETENTION}”")
