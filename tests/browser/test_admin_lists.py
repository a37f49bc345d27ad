"""The admin's lists of sessions and reviews on a 1,366 x 768 screen, the commonest laptop screen: the
whole list fits its width, nothing to scroll sideways, with the UN's longest State names and long
coalition names in it; and "Export CSV" downloads the list as the page shows it.
"""

import csv
import datetime
import io

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from reviews.models import Review
from tests.factories import CycleFactory, ReviewFactory, SessionFactory, StateFactory, UserFactory
from tests.factories.accounts import sign_in_with_two_factor
from tests.factories.coalitions import CoalitionFactory
from upr_portal.timezones import GENEVA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 1366, 768

LONG_NAMES = [
    ("GBR", "United Kingdom of Great Britain and Northern Ireland"),
    ("COD", "Democratic Republic of the Congo"),
    ("VEN", "Venezuela (Bolivarian Republic of)"),
    ("LAO", "Lao People's Democratic Republic"),
    ("MKD", "North Macedonia"),
]


def build_calendar() -> None:
    """Fourteen sessions of the 5th cycle, long State and coalition names among their reviews."""
    cycle = CycleFactory(number=5, start_year=2027, end_year=2031)
    first = datetime.date(2027, 11, 1)
    sessions = []
    for index in range(14):
        opens = first + datetime.timedelta(days=120 * index)
        sessions.append(
            SessionFactory(
                number=50 + index,
                cycle=cycle,
                wg_start=opens,
                wg_end=opens + datetime.timedelta(days=11),
                dates_provisional=True,
                hrc_session=66 + index,
                submission_window_opens=opens - datetime.timedelta(days=300),
                stakeholder_deadline=opens - datetime.timedelta(days=200),
                national_report_deadline=opens - datetime.timedelta(days=90),
            )
        )
    coalitions = [
        CoalitionFactory(name="Coalition of Civil Society Organisations for the Universal Periodic Review"),
        CoalitionFactory(name="Human Rights Defenders' Network for the Great Lakes Region"),
    ]
    for order, (code, name) in enumerate(LONG_NAMES, start=1):
        review = ReviewFactory(state=StateFactory(code=code, name=name), session=sessions[0], order=order)
        review.stakeholder_deadline = datetime.datetime(2027, 4, 15, 23, 59, tzinfo=GENEVA)
        review.national_report_deadline = datetime.datetime(2027, 8, 2, 23, 59, tzinfo=GENEVA)
        review.save()
        review.coalitions.set(coalitions)
    # A State moved from another session, whose stakeholder submissions OHCHR suspended.
    ReviewFactory(
        state=StateFactory(code="MHL", name="Marshall Islands"),
        session=sessions[13],
        order=3,
        status=Review.Status.SUBMISSIONS_SUSPENDED,
        rescheduled_from=sessions[0],
        rescheduled_at=timezone.now(),
    )
    for index in range(20):
        ReviewFactory(
            state__name=f"Member State {chr(65 + index)}", session=sessions[1 + index % 13], order=1 + index // 13
        )


def admin_page(browser: Browser, live_server) -> Page:
    """A page at 1,366 x 768, signed in as a site administrator who passed two-factor sign-in."""
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
    return context.new_page()


def widths(page: Page) -> dict[str, list[int]]:
    """The page's and the list's scrolling and visible widths: the admin puts the list in a box that
    scrolls sideways of its own when the table is too wide, which the page's width alone would hide."""
    return page.evaluate(
        """() => {
            const results = document.querySelector("#changelist .results");
            return {
                page: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
                list: [results.scrollWidth, results.clientWidth],
            };
        }"""
    )


@pytest.mark.parametrize("model", ["session", "review"])
def test_admin_list_fits_a_1366_pixel_screen(live_server, browser: Browser, model):
    build_calendar()
    page = admin_page(browser, live_server)

    page.goto(reverse(f"admin:reviews_{model}_changelist"))

    expect(page.locator("#result_list")).to_be_visible()
    rows = page.locator("#result_list tbody tr").count()
    measured = widths(page)
    page_scroll, page_visible = measured["page"]
    list_scroll, list_visible = measured["list"]
    assert rows == {"session": 14, "review": 26}[model]
    assert (page_scroll <= WIDTH, page_scroll <= page_visible, list_scroll <= list_visible) == (True, True, True), (
        measured
    )


def test_export_csv_link_downloads_the_filtered_list(live_server, browser: Browser):
    build_calendar()
    page = admin_page(browser, live_server)
    page.goto(reverse("admin:reviews_review_changelist") + "?q=50")

    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()

    text = download.value.path().read_text(encoding="utf-8-sig")
    header, *rows = csv.reader(io.StringIO(text))
    first = dict(zip(header, rows[0], strict=True))
    assert download.value.suggested_filename.startswith("reviews-review-")
    assert [row[0] for row in rows] == [name for _, name in LONG_NAMES]
    assert (first["session"], first["stakeholder deadline (Geneva)"], first["number of coalitions"]) == (
        "50",
        "2027-04-15 23:59+02:00",
        "2",
    )
    assert first["coalitions"] == (
        "Coalition of Civil Society Organisations for the Universal Periodic Review, "
        "Human Rights Defenders' Network for the Great Lakes Region"
    )
