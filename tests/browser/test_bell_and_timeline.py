"""The bell and the coalition timeline in a real browser, driven from the keyboard where a person would.

A member with unread notifications sees their number on the bell, reaches the list with Tab and
Enter, marks everything read and the number is gone; then opens the coalition's timeline, where a
past milestone is greyed and also said to be past in words.
"""

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from coalitions.models import Role
from notifications.models import Notification
from tests.factories import MembershipFactory, NotificationFactory, ReviewFactory, StateFactory
from tests.factories.accounts import PASSWORD
from tests.factories.coalitions import new_coalition
from upr_portal.timezones import geneva_today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COALITION = "Kenya UPR Stakeholders Coalition"


def sign_in(page: Page, live_server, email: str) -> None:
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Sign in").click()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name=re.compile(r"^Sign out"))).to_be_visible()


def tab_to(page: Page, locator, limit: int = 40) -> None:
    """Presses Tab from where focus is until the element has it, as a keyboard user would."""
    for _ in range(limit):
        if locator.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    expect(locator).to_be_focused()


def test_member_marks_notifications_read_and_sees_a_past_milestone_on_the_timeline(live_server, page: Page):
    coalition = new_coalition(name=COALITION)
    member = MembershipFactory(coalition=coalition, role=Role.DRAFTER, user__full_name="Amina Diallo").user
    today = geneva_today()
    review = ReviewFactory(
        state=StateFactory(name="Kenya", code="KEN"),
        pre_session=today - datetime.timedelta(days=10),
        review_date=today + datetime.timedelta(days=30),
    )
    coalition.reviews.add(review)
    for title in ("You joined the Kenya coalition", "Stakeholder deadline in 7 days", "A section is yours"):
        NotificationFactory(user=member, title=title, url=f"/coalitions/{coalition.pk}/")

    sign_in(page, live_server, member.email)
    main_nav = page.get_by_role("navigation", name="Main navigation")
    bell = main_nav.get_by_role("link", name="3 unread notifications")
    expect(bell).to_be_visible()
    expect(bell.locator(".badge")).to_have_text("3")

    # To the list with the keyboard only.
    page.get_by_role("link", name="Skip to main content").focus()
    tab_to(page, bell)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    notifications = page.get_by_role("list", name="Notifications, newest first")
    expect(notifications.get_by_role("listitem")).to_have_count(3)
    expect(notifications.get_by_text("Unread", exact=True)).to_have_count(3)

    mark_all = page.get_by_role("button", name="Mark all as read")
    tab_to(page, mark_all)
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("All your notifications are marked as read.")
    expect(main_nav.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    expect(main_nav.locator(".notification-bell .badge")).to_have_count(0)
    expect(notifications.get_by_text("Unread", exact=True)).to_have_count(0)
    assert Notification.objects.unread().filter(user=member).count() == 0

    # The coalition's timeline.
    main_nav.get_by_role("link", name="My coalitions").click()
    page.get_by_role("link", name=COALITION).click()
    page.get_by_role("navigation", name="Coalition").get_by_role("link", name="Timeline").click()
    expect(page.get_by_role("heading", name="Deadlines and milestones")).to_be_visible()

    past = page.get_by_role("listitem").filter(has_text="Pre-session")
    ahead = page.get_by_role("listitem").filter(has_text="Review in the Working Group")
    expect(past).to_contain_text("Past:")
    expect(past).to_have_class(re.compile(r"\btimeline-past\b"))
    expect(ahead).not_to_contain_text("Past:")
    # Greyed: Bootstrap's secondary text colour, not the body's.
    past_colour = past.evaluate("element => getComputedStyle(element).color")
    ahead_colour = ahead.evaluate("element => getComputedStyle(element).color")
    assert (past_colour, ahead_colour) == ("rgba(33, 37, 41, 0.75)", "rgb(33, 37, 41)")
    # "Past:" is for screen readers: it takes no room on the screen.
    hidden = past.get_by_text("Past:")
    assert hidden.evaluate("element => element.getBoundingClientRect().width") <= 1
    expect(page.locator('[aria-current="date"]')).to_contain_text("Today")
