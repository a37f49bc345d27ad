import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from reviews.services import geneva_deadline, normalise_name, review_move
from tests.factories import CycleFactory, ReviewFactory, SessionFactory, StateFactory

ZURICH = ZoneInfo("Europe/Zurich")


def test_geneva_deadline_defaults_to_2359_zurich_in_summer_and_winter():
    summer = geneva_deadline(datetime.date(2026, 7, 1))
    winter = geneva_deadline(datetime.date(2026, 1, 15))

    assert summer == datetime.datetime(2026, 7, 1, 21, 59, tzinfo=datetime.UTC)
    assert winter == datetime.datetime(2026, 1, 15, 22, 59, tzinfo=datetime.UTC)
    assert summer.astimezone(ZURICH).time() == datetime.time(23, 59)


def test_geneva_deadline_takes_another_time():
    assert geneva_deadline(datetime.date(2026, 7, 1), at=datetime.time(12, 0)) == datetime.datetime(
        2026, 7, 1, 12, 0, tzinfo=ZURICH
    )


@pytest.mark.django_db
def test_geneva_deadline_takes_the_sessions_time_of_day():
    cycle_3 = SessionFactory(number=40, cycle=CycleFactory(number=3, start_year=2017), deadline_time=datetime.time(12))
    cycle_4 = SessionFactory(number=54)

    noon = geneva_deadline(datetime.date(2021, 7, 15), session=cycle_3)
    late = geneva_deadline(datetime.date(2026, 7, 17), session=cycle_4)

    assert noon == datetime.datetime(2021, 7, 15, 12, 0, tzinfo=ZURICH)
    assert late == datetime.datetime(2026, 7, 17, 23, 59, tzinfo=ZURICH)
    assert [noon.astimezone(ZURICH).time(), late.astimezone(ZURICH).time()] == [
        datetime.time(12, 0),
        datetime.time(23, 59),
    ]


@pytest.mark.django_db
def test_geneva_deadline_given_time_wins_over_the_sessions():
    session = SessionFactory(deadline_time=datetime.time(12))

    assert geneva_deadline(datetime.date(2026, 7, 17), at=datetime.time(18, 0), session=session) == (
        datetime.datetime(2026, 7, 17, 18, 0, tzinfo=ZURICH)
    )


def test_normalise_name_ignores_accents_case_and_curly_apostrophes():
    assert normalise_name("Türkiye") == normalise_name("TURKIYE")
    assert normalise_name("Côte d\u2019Ivoire") == normalise_name("Cote d'Ivoire")


@pytest.mark.django_db
def test_review_move_moves_review_within_cycle():
    review = ReviewFactory(session=SessionFactory(number=50))
    target = SessionFactory(number=53)

    moved = review_move(review=review, session=target)

    review.refresh_from_db()
    assert (moved.session, review.session) == (target, target)


@pytest.mark.django_db
def test_review_move_refuses_a_second_review_in_the_cycle():
    state = StateFactory(name="Atlantis")
    review = ReviewFactory(state=state, session=SessionFactory(number=50))
    ReviewFactory(state=state, session=SessionFactory(number=53))

    with pytest.raises(ValidationError) as excinfo:
        review_move(review=review, session=SessionFactory(number=54))

    review.refresh_from_db()
    assert excinfo.value.message_dict == {"state": ["Atlantis is already reviewed in session 53 of this cycle."]}
    assert review.session.number == 50
