"""The submission's page in a real browser: over-budget bars turn red, the others stay blue."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image
from playwright.sync_api import Page

from coalitions.models import Role
from submissions.services.sections import section_save
from submissions.services.submissions import section_add, submission_create
from tests.factories import DocumentLimitFactory, MembershipFactory, ReviewFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RED = (176, 42, 55)
BLUE = (13, 110, 253)


def filled_colour(page: Page, selector: str) -> tuple[int, int, int]:
    """The colour of the meter's filled part, a few pixels in from its left end."""
    image = Image.open(io.BytesIO(page.locator(selector).screenshot())).convert("RGB")
    return image.getpixel((4, image.height // 2))


def test_over_budget_bars_turn_red_and_the_others_stay_blue(live_server, page: Page):
    membership = MembershipFactory(role=Role.COORDINATOR)
    review = ReviewFactory()
    membership.coalition.reviews.add(review)
    DocumentLimitFactory(cycle=review.session.cycle, kind="joint", max_words=20)
    submission = submission_create(
        coalition=membership.coalition, review=review, actor=membership.user, title="Joint submission"
    )
    within = section_add(submission=submission, actor=membership.user, title="Within", word_budget=10)
    over = section_add(submission=submission, actor=membership.user, title="Over", word_budget=10)
    section_save(section_id=within.pk, author=membership.user, body="<p>one two three four five</p>", base_version=0)
    words = " ".join(["word"] * 30)
    section_save(section_id=over.pk, author=membership.user, body=f"<p>{words}</p>", base_version=0)
    client = Client()
    client.force_login(membership.user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )

    page.goto(live_server.url + reverse("submissions:detail", args=[submission.pk]))

    meters = page.locator("meter.budget-meter")
    assert [meters.nth(n).get_attribute("class") for n in range(3)] == [
        "budget-meter is-over",  # the whole submission: 35 of 20 words
        "budget-meter",
        "budget-meter is-over",
    ]
    colours = [filled_colour(page, f"meter.budget-meter >> nth={n}") for n in range(3)]
    assert colours == [RED, BLUE, RED]
