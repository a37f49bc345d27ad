"""Comments in a real browser: comment on a selected passage, @mention a member from the keyboard."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from coalitions.models import Role
from submissions.models import Comment
from submissions.services.sections import section_save
from submissions.services.submissions import section_add, submission_create
from tests.browser.test_section_editor import sign_in
from tests.factories import MembershipFactory, ReviewFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def section_page(live_server, context, page: Page):
    coordinator = MembershipFactory(role=Role.COORDINATOR, user__full_name="Amina Diallo")
    coalition = coordinator.coalition
    MembershipFactory(
        coalition=coalition, organisation=coordinator.organisation, user__full_name="Joseph Mwangi", role=Role.DRAFTER
    )
    MembershipFactory(
        coalition=coalition,
        organisation=coordinator.organisation,
        user__full_name="Josephine Baker",
        role=Role.REVIEWER,
    )
    MembershipFactory(user__full_name="Joseph Outsider")  # another coalition's
    review = ReviewFactory()
    coalition.reviews.add(review)
    submission = submission_create(coalition=coalition, review=review, actor=coordinator.user, title="Joint")
    section = section_add(submission=submission, actor=coordinator.user, title="Detention", word_budget=400)
    section_save(
        section_id=section.pk,
        author=coordinator.user,
        body="<p>Children are held with adults in three prisons.</p>",
        title=None,
        base_version=0,
    )
    sign_in(context, live_server, coordinator.user)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(live_server.url + reverse("submissions:section", args=[submission.pk, section.pk]))
    yield page
    assert problems == []
    page.goto("about:blank")
    page.wait_for_timeout(300)


def test_comment_on_a_selected_passage_with_a_mention_chosen_from_the_keyboard(section_page: Page):
    page = section_page
    page.evaluate(
        """() => {
          const paragraph = document.querySelector(".submission-text p");
          const range = document.createRange();
          const text = paragraph.firstChild;
          range.setStart(text, text.data.indexOf("three"));
          range.setEnd(text, text.data.indexOf("three") + "three prisons".length);
          const selection = document.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
        }"""
    )
    page.get_by_role("button", name="Comment on selection").click()
    expect(page.get_by_label("Passage commented on (optional)")).to_have_value("three prisons")
    expect(page.locator("#comments-status")).to_have_text(
        "The selected passage is in the quote field. Write your comment."
    )
    body = page.locator("#comment-body-read")
    expect(body).to_be_focused()

    body.press_sequentially("Which ones, @jose")
    listbox = page.get_by_role("listbox", name="Members to mention")
    options = listbox.get_by_role("option")
    # Members of this coalition only, by name, each with their organisation.
    expect(options).to_have_text([re.compile(r"^Joseph Mwangi \(.+\)$"), re.compile(r"^Josephine Baker \(.+\)$")])
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(body).to_have_attribute("aria-activedescendant", options.nth(0).get_attribute("id"))
    body.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    body.press("ArrowUp")
    body.press("Enter")
    expect(listbox).to_be_hidden()
    expect(body).to_have_value("Which ones, @Joseph Mwangi ")
    expect(page.locator("#comments-status")).to_have_text("Joseph Mwangi will be told of your comment.")
    body.press_sequentially("?")
    page.get_by_role("button", name="Add the comment").click()

    expect(page.locator("blockquote.comment-quote")).to_have_text("three prisons")
    comment = Comment.objects.get()
    assert (comment.body, comment.quote, list(comment.mentions.values_list("full_name", flat=True))) == (
        "Which ones, @Joseph Mwangi ?",
        "three prisons",
        ["Joseph Mwangi"],
    )


def test_escape_closes_the_member_list(section_page: Page):
    page = section_page
    body = page.locator("#comment-body-read")
    body.press_sequentially("@jos")
    listbox = page.get_by_role("listbox", name="Members to mention")
    expect(listbox.get_by_role("option")).to_have_count(2)

    body.press("Escape")

    expect(listbox).to_be_hidden()
    expect(body).to_have_value("@jos")
