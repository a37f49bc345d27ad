"""The admin's lists of sessions and reviews (reviews/admin/lists.py): what their columns show, the
search by session number, the "Working Group dates" filter, and the same few queries for any number
of rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains

from coalitions.models import Coalition
from reviews.models import Review, Session, State
from tests.factories import CycleFactory, ReviewFactory, SessionFactory, StateFactory
from tests.factories.coalitions import CoalitionFactory
from upr_portal.timezones import GENEVA, geneva_today

SESSIONS = reverse("admin:reviews_session_changelist")
REVIEWS = reverse("admin:reviews_review_changelist")


def listed(response, attribute: str = "pk") -> list:
    return [getattr(obj, attribute) for obj in response.context["cl"].result_list]


@pytest.mark.django_db
def test_session_list_shows_its_number_of_reviews_deadlines_and_dates(superuser_client):
    cycle = CycleFactory(number=4, start_year=2022, end_year=2027)
    full = SessionFactory(
        number=47,
        cycle=cycle,
        wg_start=datetime.date(2024, 11, 4),
        wg_end=datetime.date(2024, 11, 15),
        stakeholder_deadline=datetime.date(2024, 4, 4),
        national_report_deadline=datetime.date(2024, 8, 5),
    )
    SessionFactory(number=48, cycle=cycle)
    for name in ("Kenya", "Ghana", "Peru"):
        ReviewFactory(state=StateFactory(name=name), session=full)

    response = superuser_client.get(SESSIONS, {"o": "-6"})  # by number of reviews, most first

    assert listed(response, "number") == [47, 48]
    assert listed(response, "review_count") == [3, 0]
    assertContains(response, '<td class="field-review_count">3</td>', html=True)
    assertContains(response, '<td class="field-session_stakeholder_deadline">4 Apr 2024, 23:59</td>', html=True)
    assertContains(response, '<td class="field-session_national_report_deadline">5 Aug 2024, 23:59</td>', html=True)
    assertContains(response, '<td class="field-opens"><span class="day">4 Nov 2024</span></td>', html=True)


@pytest.mark.django_db
def test_review_list_shows_cycle_session_order_deadlines_and_coalitions(superuser_client):
    session = SessionFactory(number=47, cycle=CycleFactory(number=4, start_year=2022, end_year=2027))
    review = ReviewFactory(
        state=StateFactory(name="Kenya"),
        session=session,
        order=3,
        stakeholder_deadline=datetime.datetime(2024, 4, 4, 23, 59, tzinfo=GENEVA),
        national_report_deadline=datetime.datetime(2024, 8, 5, 12, 0, tzinfo=GENEVA),
    )
    review.coalitions.set([CoalitionFactory(name="Kenya Coalition"), CoalitionFactory(name="Amani Network")])
    ReviewFactory(state=StateFactory(name="Ghana"), session=session, order=4)

    response = superuser_client.get(REVIEWS)

    assert listed(response, "coalition_count") == [2, 0]
    for cell, count in [
        ('<td class="field-cycle">4</td>', 2),
        ('<td class="field-session_number">47</td>', 2),
        ('<td class="field-order_in_session">3</td>', 1),
        ('<td class="field-stakeholder_deadline_geneva">4 Apr 2024, 23:59</td>', 1),
        ('<td class="field-national_report_deadline_geneva">5 Aug 2024, 12:00</td>', 1),
        ('<td class="field-coalitions_working_on_it">2: Amani Network, Kenya Coalition</td>', 1),
        ('<td class="field-coalitions_working_on_it">0</td>', 1),
    ]:
        assertContains(response, cell, count=count, html=True)


@pytest.mark.django_db
def test_review_search_by_a_number_finds_that_sessions_reviews_only(superuser_client):
    sessions = {number: SessionFactory(number=number) for number in (4, 47, 147, 470)}
    for number, name in [(47, "Kenya"), (47, "Ghana"), (147, "Peru"), (4, "Chile"), (470, "Fiji")]:
        ReviewFactory(state=StateFactory(name=name), session=sessions[number])

    by_number = superuser_client.get(REVIEWS, {"q": "47"})
    by_name = superuser_client.get(REVIEWS, {"q": "ken"})

    assert sorted(review.state.name for review in by_number.context["cl"].result_list) == ["Ghana", "Kenya"]
    assert [review.state.name for review in by_name.context["cl"].result_list] == ["Kenya"]


@pytest.mark.django_db
def test_session_search_by_a_number_finds_that_session_only(superuser_client):
    for number in (4, 47, 147, 470):
        SessionFactory(number=number)

    response = superuser_client.get(SESSIONS, {"q": "47"})

    assert listed(response, "number") == [47]


def _sessions_by_dates():
    today = geneva_today()
    return {
        "past": SessionFactory(
            number=40, wg_start=today - datetime.timedelta(days=30), wg_end=today - datetime.timedelta(days=19)
        ),
        # Closes today in Geneva: still upcoming.
        "closing": SessionFactory(number=41, wg_start=today - datetime.timedelta(days=11), wg_end=today),
        "next": SessionFactory(
            number=42, wg_start=today + datetime.timedelta(days=60), wg_end=today + datetime.timedelta(days=71)
        ),
        "undated": SessionFactory(number=43, wg_start=None, wg_end=None),
    }


@pytest.mark.django_db
def test_session_dates_filter_counts_no_undated_session_as_upcoming(superuser_client):
    _sessions_by_dates()

    numbers = {
        value: listed(superuser_client.get(SESSIONS, {"upcoming": value}), "number")
        for value in ("yes", "no", "unknown")
    }

    assert numbers == {"yes": [41, 42], "no": [40], "unknown": [43]}
    # The portal's pages keep their meaning of "upcoming": still to come, dates known or not.
    assert sorted(Session.objects.upcoming().values_list("number", flat=True)) == [41, 42, 43]


@pytest.mark.django_db
def test_review_dates_filter_counts_no_review_of_an_undated_session_as_upcoming(superuser_client):
    sessions = _sessions_by_dates()
    for key, name in [("past", "Ghana"), ("closing", "Kenya"), ("next", "Peru"), ("undated", "Chile")]:
        ReviewFactory(state=StateFactory(name=name), session=sessions[key])

    names = {
        value: sorted(
            review.state.name for review in superuser_client.get(REVIEWS, {"upcoming": value}).context["cl"].result_list
        )
        for value in ("yes", "no", "unknown")
    }

    assert names == {"yes": ["Kenya", "Peru"], "no": ["Ghana"], "unknown": ["Chile"]}
    assert sorted(Review.objects.upcoming().values_list("state__name", flat=True)) == ["Chile", "Kenya", "Peru"]


def _queries(client, url: str) -> tuple[int, int]:
    """How many queries the list costs, and how many rows it shows."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    # A refusal or a redirect has no change list: the next line fails on it.
    return len(context.captured_queries), len(response.context["cl"].result_list)


def _add_reviews(cycle, *, sessions: int, reviews: int, coalitions: list[Coalition], first_number: int) -> None:
    """``reviews`` reviews spread over ``sessions`` new sessions, each worked on by the coalitions."""
    made = [SessionFactory(number=first_number + index, cycle=cycle) for index in range(sessions)]
    states = State.objects.bulk_create(
        State(
            code=f"{chr(65 + first_number % 26)}{chr(65 + index // 26)}{chr(65 + index % 26)}",
            name=f"Member State {first_number}-{index}",
        )
        for index in range(reviews)
    )
    rows = Review.objects.bulk_create(
        Review(state=state, session=made[index % sessions], order=1 + index // sessions)
        for index, state in enumerate(states)
    )
    links = Coalition.reviews.through
    links.objects.bulk_create(links(coalition=coalition, review=review) for review in rows for coalition in coalitions)


@pytest.mark.django_db
def test_lists_cost_the_same_queries_for_one_row_and_for_a_whole_cycle(superuser_client):
    cycle = CycleFactory(number=5, start_year=2027, end_year=2031)
    coalitions = [CoalitionFactory(), CoalitionFactory()]
    _add_reviews(cycle, sessions=1, reviews=1, coalitions=coalitions, first_number=50)
    small = {"sessions": _queries(superuser_client, SESSIONS), "reviews": _queries(superuser_client, REVIEWS)}

    # A whole cycle: 14 sessions, 200 reviews, each worked on by two coalitions.
    _add_reviews(cycle, sessions=13, reviews=199, coalitions=coalitions, first_number=51)
    large = {"sessions": _queries(superuser_client, SESSIONS), "reviews": _queries(superuser_client, REVIEWS)}

    assert {name: rows for name, (_, rows) in small.items()} == {"sessions": 1, "reviews": 1}
    assert {name: rows for name, (_, rows) in large.items()} == {"sessions": 14, "reviews": 100}
    # The same queries for 1 row as for 100: the user (the session comes from the cache), the counts,
    # the filters' choices, the rows, the coalitions of the rows (prefetched).
    assert {name: queries for name, (queries, _) in small.items()} == {"sessions": 6, "reviews": 11}
    assert {name: queries for name, (queries, _) in large.items()} == {"sessions": 6, "reviews": 11}


@pytest.mark.django_db
def test_counts_leave_the_autocompletes_in_their_models_order(superuser_client):
    sessions = {number: SessionFactory(number=number) for number in (49, 47, 48)}
    ReviewFactory(state=StateFactory(name="Peru"), session=sessions[47], order=2)
    ReviewFactory(state=StateFactory(name="Kenya"), session=sessions[49], order=1)
    ReviewFactory(state=StateFactory(name="Chile"), session=sessions[47], order=1)

    def texts(app_label: str, model_name: str, field_name: str) -> list[str]:
        params = {"term": "", "app_label": app_label, "model_name": model_name, "field_name": field_name}
        return [item["text"] for item in superuser_client.get(reverse("admin:autocomplete"), params).json()["results"]]

    assert texts("reviews", "review", "session") == ["Session 47", "Session 48", "Session 49"]
    assert texts("coalitions", "coalition", "reviews") == ["Chile, session 47", "Peru, session 47", "Kenya, session 49"]
