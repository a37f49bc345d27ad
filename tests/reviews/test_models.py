import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from reviews.models import Review, Session, State
from tests.factories import (
    CycleFactory,
    DocumentLimitFactory,
    ReviewFactory,
    SessionFactory,
    StateFactory,
)

ZURICH = ZoneInfo("Europe/Zurich")


def _clean_errors(review: Review) -> dict:
    with pytest.raises(ValidationError) as excinfo:
        review.full_clean()
    return excinfo.value.message_dict


@pytest.mark.django_db
def test_state_code_unique_in_database():
    StateFactory(code="KEN", name="Kenya")

    with pytest.raises(IntegrityError), transaction.atomic():
        State.objects.create(code="KEN", name="Kenya again")


@pytest.mark.django_db
def test_state_code_must_be_three_capitals_in_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        State.objects.create(code="ke", name="Kenya")


@pytest.mark.django_db
def test_session_number_unique_in_database():
    SessionFactory(number=50)

    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.create(number=50, cycle=CycleFactory())


@pytest.mark.django_db
def test_session_dates_ordered_in_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.create(
            number=60, cycle=CycleFactory(), wg_start=datetime.date(2026, 5, 4), wg_end=datetime.date(2026, 5, 1)
        )


@pytest.mark.django_db
def test_review_presession_after_review_rejected_by_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewFactory(pre_session=datetime.date(2026, 5, 10), review_date=datetime.date(2026, 5, 5))


@pytest.mark.django_db
def test_review_stakeholder_deadline_after_national_rejected_by_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewFactory(
            stakeholder_deadline=datetime.datetime(2026, 3, 1, 23, 59, tzinfo=ZURICH),
            national_report_deadline=datetime.datetime(2026, 2, 1, 23, 59, tzinfo=ZURICH),
        )


@pytest.mark.django_db
def test_review_state_session_unique_in_database():
    review = ReviewFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(state=review.state, session=review.session)


@pytest.mark.django_db
def test_document_limit_cycle_kind_unique_in_database():
    limit = DocumentLimitFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        type(limit).objects.create(cycle=limit.cycle, kind=limit.kind, max_words=100)


@pytest.mark.django_db
def test_review_clean_accepts_a_consistent_review():
    session = SessionFactory(wg_start=datetime.date(2026, 5, 4), wg_end=datetime.date(2026, 5, 15))
    review = ReviewFactory.build(
        state=StateFactory(),
        session=session,
        stakeholder_deadline=datetime.datetime(2025, 10, 9, 23, 59, tzinfo=ZURICH),
        national_report_deadline=datetime.datetime(2026, 2, 2, 23, 59, tzinfo=ZURICH),
        pre_session=datetime.date(2026, 4, 1),
        review_date=datetime.date(2026, 5, 6),
    )

    review.full_clean()

    assert review.pk is None


@pytest.mark.django_db
def test_review_clean_rejects_observer_state():
    review = ReviewFactory.build(
        state=StateFactory(name="Holy See", status=State.Status.OBSERVER), session=SessionFactory()
    )

    assert _clean_errors(review) == {"state": ["Holy See is an observer State: observer States are not reviewed."]}


@pytest.mark.django_db
def test_review_clean_rejects_review_date_outside_session():
    session = SessionFactory(wg_start=datetime.date(2026, 5, 4), wg_end=datetime.date(2026, 5, 15))
    review = ReviewFactory.build(state=StateFactory(), session=session, review_date=datetime.date(2026, 5, 20))

    assert _clean_errors(review) == {
        "review_date": [
            "The review must take place during the Working Group session, between 2026-05-04 and 2026-05-15."
        ]
    }


@pytest.mark.django_db
def test_review_clean_accepts_review_date_when_session_dates_unknown():
    session = SessionFactory(wg_start=None, wg_end=None)
    review = ReviewFactory.build(state=StateFactory(), session=session, review_date=datetime.date(2026, 5, 20))

    review.full_clean()

    assert review.review_date == datetime.date(2026, 5, 20)


@pytest.mark.django_db
def test_review_clean_rejects_national_deadline_on_or_after_presession():
    review = ReviewFactory.build(
        state=StateFactory(),
        session=SessionFactory(),
        national_report_deadline=datetime.datetime(2026, 4, 1, 23, 59, tzinfo=ZURICH),
        pre_session=datetime.date(2026, 4, 1),
    )

    assert _clean_errors(review) == {
        "national_report_deadline": ["The national report deadline must come before the pre-session."]
    }


@pytest.mark.django_db
def test_review_clean_rejects_second_review_in_same_cycle():
    first = ReviewFactory(state=StateFactory(name="Atlantis"), session=SessionFactory(number=50))
    review = ReviewFactory.build(state=first.state, session=SessionFactory(number=53))

    assert _clean_errors(review) == {"state": ["Atlantis is already reviewed in session 50 of this cycle."]}


@pytest.mark.django_db
def test_review_clean_accepts_review_in_another_cycle():
    first = ReviewFactory(session=SessionFactory(number=41, cycle=CycleFactory(number=4)))
    review = ReviewFactory.build(
        state=first.state, session=SessionFactory(number=27, cycle=CycleFactory(number=3, start_year=2017))
    )

    review.full_clean()

    assert review.session.cycle.number == 3


@pytest.mark.django_db
def test_review_clean_reports_constraint_in_plain_language():
    review = ReviewFactory.build(
        state=StateFactory(),
        session=SessionFactory(wg_start=None, wg_end=None),
        review_date=datetime.date(2026, 5, 6),
        adoption_date=datetime.date(2026, 5, 1),
    )

    assert _clean_errors(review) == {"adoption_date": ["The adoption must come after the review."]}


@pytest.mark.django_db
def test_review_status_defaults_to_scheduled():
    review = ReviewFactory()

    review.refresh_from_db()
    assert (review.status, review.get_status_display()) == (Review.Status.SCHEDULED, "Scheduled")


@pytest.mark.django_db
def test_review_status_unknown_rejected_by_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewFactory(status="cancelled")


def test_review_status_labels_in_order():
    assert Review.Status.labels == ["Scheduled", "Postponed", "Submissions suspended", "Held", "Outcome adopted"]


@pytest.mark.django_db
def test_session_deadline_time_defaults_to_2359():
    session = SessionFactory()

    session.refresh_from_db()
    assert session.deadline_time == datetime.time(23, 59)


@pytest.mark.django_db
def test_upcoming_keeps_sessions_closing_today_and_undated_ones():
    today = datetime.date(2026, 3, 2)
    ReviewFactory(session=SessionFactory(wg_start=datetime.date(2026, 2, 16), wg_end=datetime.date(2026, 3, 1)))
    closing_today = ReviewFactory(session=SessionFactory(wg_start=datetime.date(2026, 2, 19), wg_end=today))
    undated = ReviewFactory(session=SessionFactory(wg_start=None, wg_end=None))

    reviews = list(Review.objects.upcoming(today=today).order_by("session__number"))
    sessions = list(Session.objects.upcoming(today=today).order_by("number"))

    assert reviews == [closing_today, undated]
    assert sessions == [closing_today.session, undated.session]


@pytest.mark.django_db
def test_review_label_names_the_state_and_session():
    review = ReviewFactory(state=StateFactory(name="Kenya"), session=SessionFactory(number=49))

    assert str(review) == "Kenya, session 49"


def _dated_session(number: int, start: datetime.date | None, **fields) -> Session:
    end = start + datetime.timedelta(days=11) if start else None
    return SessionFactory(number=number, wg_start=start, wg_end=end, **fields)


@pytest.mark.django_db
def test_reviews_in_date_order_follow_the_sessions_dates_not_their_numbers():
    today = datetime.date(2026, 3, 1)
    undated = ReviewFactory(state=StateFactory(name="Undated"), session=_dated_session(901, None))
    later = ReviewFactory(state=StateFactory(name="Later"), session=_dated_session(902, datetime.date(2027, 11, 1)))
    sooner = ReviewFactory(state=StateFactory(name="Sooner"), session=_dated_session(903, datetime.date(2027, 1, 18)))
    past = ReviewFactory(state=StateFactory(name="Past"), session=_dated_session(904, datetime.date(2025, 11, 3)))

    ordered = list(Review.objects.in_date_order())
    upcoming = list(Review.objects.upcoming(today=today).in_date_order())
    gone = list(Review.objects.past(today=today).in_date_order())

    assert (ordered, upcoming, gone) == ([past, sooner, later, undated], [sooner, later, undated], [past])


@pytest.mark.django_db
def test_review_dates_are_provisional_with_its_sessions():
    provisional = ReviewFactory(session=_dated_session(905, datetime.date(2027, 1, 18), dates_provisional=True))
    confirmed = ReviewFactory(session=_dated_session(906, datetime.date(2027, 5, 3)))

    assert (provisional.dates_provisional, confirmed.dates_provisional) == (True, False)


@pytest.mark.django_db
def test_document_limit_label_writes_the_words_with_a_thousands_separator():
    limit = DocumentLimitFactory(cycle=CycleFactory(number=4), kind="joint", max_words=5630)

    assert str(limit) == "Joint stakeholder submission, cycle 4: 5,630 words"
