import datetime
from zoneinfo import ZoneInfo

import pytest

from reviews.selectors import upcoming_reviews
from tests.factories import (
    ReviewFactory,
    SessionFactory,
    StateFactory,
)

ZURICH = ZoneInfo("Europe/Zurich")
TODAY = datetime.date(2026, 3, 1)


def _deadline(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(23, 59), tzinfo=ZURICH)


def _session(number: int, start: datetime.date | None):
    end = start + datetime.timedelta(days=11) if start else None
    return SessionFactory(number=number, wg_start=start, wg_end=end)


@pytest.mark.django_db
def test_upcoming_reviews_leaves_out_ended_sessions_and_keeps_unknown_dates():
    past = ReviewFactory(session=_session(50, datetime.date(2025, 11, 3)))
    ending_today = ReviewFactory(session=_session(51, TODAY - datetime.timedelta(days=11)))
    unknown = ReviewFactory(session=_session(53, None))

    reviews = list(upcoming_reviews(today=TODAY))

    assert reviews == [ending_today, unknown]
    assert past.session.wg_end < TODAY


@pytest.mark.django_db
def test_upcoming_reviews_ordered_by_session_date_then_deadline_then_state():
    undated = _session(56, None)
    later = _session(55, datetime.date(2027, 11, 1))
    # Numbered after `later` but dated before it: the dates decide.
    earliest = _session(57, datetime.date(2027, 1, 18))
    suspended = ReviewFactory(state=StateFactory(name="Alpha"), session=earliest)
    zeta = ReviewFactory(state=StateFactory(name="Zeta"), session=earliest, stakeholder_deadline=_deadline(TODAY))
    beta = ReviewFactory(state=StateFactory(name="Beta"), session=earliest, stakeholder_deadline=_deadline(TODAY))
    finland = ReviewFactory(
        state=StateFactory(name="Finland"), session=later, stakeholder_deadline=_deadline(datetime.date(2027, 3, 31))
    )
    omega = ReviewFactory(state=StateFactory(name="Omega"), session=undated)

    reviews = list(upcoming_reviews(today=TODAY))

    # A review without a deadline stays with its session instead of sinking below later sessions.
    assert reviews == [beta, zeta, suspended, finland, omega]


@pytest.mark.django_db
def test_upcoming_reviews_respects_limit():
    session = _session(53, None)
    ReviewFactory.create_batch(3, session=session)

    assert len(upcoming_reviews(today=TODAY, limit=2)) == 2


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.django_db
def test_upcoming_reviews_one_query(count, django_assert_num_queries):
    ReviewFactory.create_batch(count, session=_session(53, None))

    with django_assert_num_queries(1):
        names = [(review.state.name, review.session.number) for review in upcoming_reviews(today=TODAY)]

    assert len(names) == count
