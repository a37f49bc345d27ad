"""A session's admin page on a 1,366 x 768 screen: fourteen reviews with the UN's longest State names and
their effective milestones fit the width, nothing to scroll sideways."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, expect

from reviews.models import Review
from tests.factories import CycleFactory, ReviewFactory, SessionFactory, StateFactory, UserFactory
from tests.factories.accounts import sign_in_with_two_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 1366, 768

LONG_NAMES = [
    ("GBR", "United Kingdom of Great Britain and Northern Ireland"),
    ("COD", "Democratic Republic of the Congo"),
    ("VEN", "Venezuela (Bolivarian Republic of)"),
    ("LAO", "Lao People's Democratic Republic"),
]


def test_admin_session_page_fits_a_1366_pixel_screen(live_server, browser: Browser):
    D = datetime.date
    session = SessionFactory(
        number=55,
        cycle=CycleFactory(number=5, start_year=2027, end_year=2031),
        wg_start=D(2027, 11, 1),
        wg_end=D(2027, 11, 12),
        submission_window_opens=D(2027, 2, 1),
        stakeholder_deadline=D(2027, 4, 15),
        national_report_deadline=D(2027, 8, 2),
        pre_session=D(2027, 10, 4),
        adoption_date=D(2028, 3, 24),
        mid_term_report_due=D(2030, 3, 1),
    )
    for order, (code, name) in enumerate(LONG_NAMES, start=1):
        ReviewFactory(state=StateFactory(code=code, name=name), session=session, order=order)
    for index in range(10):
        ReviewFactory(
            state__name=f"Member State {chr(65 + index)}",
            session=session,
            order=5 + index,
            status=Review.Status.SUBMISSIONS_SUSPENDED if index == 0 else Review.Status.SCHEDULED,
        )
    session.apply_milestones()
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

    page.goto(reverse("admin:reviews_session_change", args=[session.pk]))

    expect(page.locator("#reviews-group")).to_be_visible()
    rows = page.locator("#reviews-group tbody tr.has_original").count()
    first = page.locator("#reviews-group tbody tr.has_original").first
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,"
        " table: document.querySelector('#reviews-group table').scrollWidth,"
        " wrapper: document.querySelector('#reviews-group .tabular').clientWidth})"
    )
    assert (rows, widths["scroll"] <= widths["client"], widths["table"] <= widths["wrapper"]) == (14, True, True), (
        widths
    )
    expect(first.locator("td.field-stakeholder_deadline_geneva")).to_have_text("15 Apr 2027, 23:59")
