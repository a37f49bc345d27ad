import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser

from reviews.selectors import milestones_due_for_user, upcoming_reviews
from tests.factories import (
    CoalitionFactory,
    MembershipFactory,
    ReviewFactory,
    SessionFactory,
    StateFactory,
    UserFactory,
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
def test_upcoming_reviews_ordered_by_deadline_then_session_then_state():
    later_session = _session(53, None)
    earlier_session = _session(52, None)
    zeta = ReviewFactory(state=StateFactory(name="Zeta"), session=later_session, stakeholder_deadline=_deadline(TODAY))
    beta = ReviewFactory(state=StateFactory(name="Beta"), session=later_session)
    alpha = ReviewFactory(state=StateFactory(name="Alpha"), session=later_session)
    omega = ReviewFactory(state=StateFactory(name="Omega"), session=earlier_session)

    reviews = list(upcoming_reviews(today=TODAY))

    assert reviews == [zeta, omega, alpha, beta]


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


@pytest.mark.django_db
def test_milestones_due_for_user_lists_coming_milestones_soonest_first():
    membership = MembershipFactory()
    review = ReviewFactory(
        state=StateFactory(name="Atlantis"),
        session=_session(52, datetime.date(2026, 5, 4)),
        stakeholder_deadline=_deadline(datetime.date(2025, 10, 9)),
        national_report_deadline=_deadline(datetime.date(2026, 3, 1)),
        pre_session=datetime.date(2026, 4, 1),
        review_date=datetime.date(2026, 5, 6),
        adoption_date=datetime.date(2026, 9, 30),
        mid_term_report_due=datetime.date(2028, 9, 30),
    )
    membership.coalition.reviews.add(review)

    milestones = milestones_due_for_user(user=membership.user, today=TODAY)

    assert [(str(m.label), m.when, m.is_deadline) for m in milestones] == [
        ("National report deadline", _deadline(datetime.date(2026, 3, 1)), True),
        ("Pre-session", datetime.date(2026, 4, 1), False),
        ("Review in the Working Group", datetime.date(2026, 5, 6), False),
        ("Adoption at the Human Rights Council", datetime.date(2026, 9, 30), False),
        ("Mid-term report due", datetime.date(2028, 9, 30), False),
    ]
    assert {(m.review, m.coalition) for m in milestones} == {(review, membership.coalition)}


@pytest.mark.django_db
def test_milestones_due_for_user_only_active_memberships_of_the_user():
    user = UserFactory()
    active = MembershipFactory(user=user)
    inactive = MembershipFactory(user=user, is_active=False)
    someone_else = MembershipFactory()
    for membership, name in [(active, "Mine"), (inactive, "Left"), (someone_else, "Theirs")]:
        membership.coalition.reviews.add(
            ReviewFactory(state=StateFactory(name=name), stakeholder_deadline=_deadline(TODAY))
        )

    milestones = milestones_due_for_user(user=user, today=TODAY)

    assert [(m.review.state.name, m.coalition) for m in milestones] == [("Mine", active.coalition)]


@pytest.mark.django_db
def test_milestones_due_for_user_interleaves_coalitions_by_date():
    user = UserFactory()
    first, second = MembershipFactory(user=user), MembershipFactory(user=user)
    late = ReviewFactory(stakeholder_deadline=_deadline(TODAY + datetime.timedelta(days=20)))
    early = ReviewFactory(stakeholder_deadline=_deadline(TODAY + datetime.timedelta(days=5)))
    first.coalition.reviews.add(late)
    second.coalition.reviews.add(early)

    milestones = milestones_due_for_user(user=user, today=TODAY)

    assert [(m.review, m.coalition) for m in milestones] == [(early, second.coalition), (late, first.coalition)]


@pytest.mark.django_db
def test_milestones_due_for_user_anonymous_gets_nothing():
    assert milestones_due_for_user(user=AnonymousUser()) == []


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.django_db
def test_milestones_due_for_user_constant_queries(count, django_assert_num_queries):
    user = UserFactory()
    for _ in range(count):
        coalition = CoalitionFactory()
        MembershipFactory(user=user, coalition=coalition)
        coalition.reviews.add(
            ReviewFactory(stakeholder_deadline=_deadline(TODAY), pre_session=TODAY + datetime.timedelta(days=30))
        )

    with django_assert_num_queries(1):
        milestones = milestones_due_for_user(user=user, today=TODAY)
        rendered = [(m.review.state.name, m.review.session.number, m.coalition.name) for m in milestones]

    assert len(rendered) == 2 * count
