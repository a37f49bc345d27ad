"""The admin sets up the 5th cycle and moves a review in the browser, on a 1,366-pixel screen (issue 10).

Roll cycle 4 forward with the keyboard where it matters: the action, the form found by its labels, the
preview, the confirmation, then the new sessions with their provisional dates on the session list. Then
move one of the new reviews, which a coalition already works on, to the next session: the page lists
the coalition before confirming, and its members are told (a notification and an email in the outbox).
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, expect

from notifications.models import Notification, OutboxMessage
from reviews.models import Cycle, Review, Session
from reviews.services import reference_data_load
from tests.factories import MembershipFactory, UserFactory
from tests.factories.accounts import sign_in_with_two_factor
from tests.factories.coalitions import new_coalition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 1366, 768


def test_admin_rolls_cycle_4_forward_then_moves_a_review_in_the_browser(live_server, browser: Browser):
    reference_data_load()
    client = Client()
    sign_in_with_two_factor(client, UserFactory(is_staff=True, is_superuser=True))
    context = browser.new_context(base_url=live_server.url, viewport={"width": WIDTH, "height": HEIGHT})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.goto(reverse("admin:reviews_cycle_changelist"))

    page.get_by_role("row", name="Cycle 4").get_by_role("checkbox").check()
    page.get_by_label("Action:").select_option(label="Roll forward to the next cycle…")
    page.get_by_role("button", name="Run").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Roll cycle 4 forward")
    expect(page.get_by_label("Number of the first session")).to_have_value("55")
    page.get_by_label("First day of the first session").fill("2027-11-01")
    # Enter submits the form with its first button: the preview.
    page.get_by_label("First day of the first session").press("Enter")

    preview = page.locator("#roll-forward-sessions")
    expect(preview.get_by_role("row")).to_have_count(15)
    expect(preview.get_by_role("row", name="55")).to_contain_text("2027-11-01")
    widths = page.evaluate(
        "() => ({page: document.documentElement.scrollWidth, screen: document.documentElement.clientWidth})"
    )
    assert widths["page"] <= widths["screen"], widths
    assert not Cycle.objects.filter(number=5).exists()

    page.get_by_role("button", name="Roll forward: create cycle 5").click()

    expect(page.locator(".messagelist")).to_contain_text("sessions: 14 created, 0 kept")
    expect(page.locator("#result_list tbody tr")).to_have_count(14)
    assert Session.objects.filter(cycle__number=5, dates_provisional=True).count() == 14

    # A coalition starts on Finland's 5th-cycle review; then OHCHR moves that review one session on.
    finland = Review.objects.select_related("session").get(state__code="FIN", session__cycle__number=5)
    coalition = new_coalition(name="Finnish UPR Coalition")
    coalition.reviews.add(finland)
    member = MembershipFactory(coalition=coalition, organisation=coalition.secretariat).user
    target = Session.objects.get(number=finland.session.number + 1)

    page.goto(reverse("admin:reviews_review_changelist") + f"?q={finland.session.number}")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(Review.objects.filter(session=finland.session).count())
    rows.filter(has=page.get_by_role("link", name="Finland", exact=True)).get_by_role("checkbox").check()
    page.get_by_label("Action:").select_option(label="Move to another session…")
    page.get_by_role("button", name="Run").click()
    expect(page.locator("#review-move-coalitions")).to_contain_text("Finnish UPR Coalition")
    page.get_by_label("Move to session").select_option(value=str(target.pk))
    page.get_by_label("Take the new session's milestones").check()
    page.get_by_role("button", name="Preview the move").click()
    page.get_by_role("button", name="Confirm the move").click()

    expect(page.locator(".messagelist")).to_contain_text(
        f"Finland moved from session {finland.session.number} to session {target.number}."
    )
    finland.refresh_from_db()
    assert (finland.session_id, finland.rescheduled_from.number) == (target.pk, target.number - 1)
    assert finland.stakeholder_deadline.date() == target.stakeholder_deadline
    assert Notification.objects.filter(user=member, coalition_id=coalition.pk).count() == 1
    assert OutboxMessage.objects.filter(to_email=member.email, kind="deadlines.review_moved").count() == 1
