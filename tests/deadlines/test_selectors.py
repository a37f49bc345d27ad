"""Reads of deadlines for a person and for the reminder scan (moved here from reviews.selectors)."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from deadlines.selectors import (
    DEFAULT_SCHEDULE,
    ReminderSchedule,
    deadlines_for_user,
    deadlines_to_remind,
    due_next_for_user,
    reminder_schedules,
    sections_due_for_user,
    unique_by_key,
)
from reviews.models import Review
from submissions.models import Submission
from tests.factories import (
    CoalitionFactory,
    MembershipFactory,
    ReviewFactory,
    SectionFactory,
    SessionFactory,
    StateFactory,
    SubmissionFactory,
    UserFactory,
)
from tests.factories.deadlines import ReminderSettingsFactory
from upr_portal.timezones import GENEVA

TODAY = datetime.date(2026, 3, 1)


def _deadline(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(23, 59), tzinfo=GENEVA)


@pytest.mark.django_db
def test_due_next_for_user_lists_coming_milestones_soonest_first():
    membership = MembershipFactory()
    review = ReviewFactory(
        state=StateFactory(name="Atlantis"),
        session=SessionFactory(wg_start=datetime.date(2026, 5, 4)),
        stakeholder_deadline=_deadline(datetime.date(2025, 10, 9)),
        national_report_deadline=_deadline(datetime.date(2026, 3, 1)),
        pre_session=datetime.date(2026, 4, 1),
        review_date=datetime.date(2026, 5, 6),
        adoption_date=datetime.date(2026, 9, 30),
        mid_term_report_due=datetime.date(2028, 9, 30),
    )
    membership.coalition.reviews.add(review)

    due = due_next_for_user(user=membership.user, today=TODAY)

    assert [(str(d.label), d.when, d.is_deadline) for d in due] == [
        ("National report deadline", _deadline(datetime.date(2026, 3, 1)), False),
        ("Pre-session", datetime.date(2026, 4, 1), False),
        ("Review in the Working Group", datetime.date(2026, 5, 6), False),
        ("Adoption at the Human Rights Council", datetime.date(2026, 9, 30), False),
        ("Mid-term report due", datetime.date(2028, 9, 30), False),
    ]
    assert {(d.review, d.coalition) for d in due} == {(review, membership.coalition)}


@pytest.mark.django_db
def test_due_next_for_user_only_active_memberships_of_the_user():
    user = UserFactory()
    active = MembershipFactory(user=user)
    inactive = MembershipFactory(user=user, is_active=False)
    someone_else = MembershipFactory()
    for membership, name in [(active, "Mine"), (inactive, "Left"), (someone_else, "Theirs")]:
        membership.coalition.reviews.add(
            ReviewFactory(state=StateFactory(name=name), stakeholder_deadline=_deadline(TODAY))
        )

    due = due_next_for_user(user=user, today=TODAY)

    assert [(d.review.state.name, d.coalition) for d in due] == [("Mine", active.coalition)]


@pytest.mark.django_db
def test_due_next_for_user_interleaves_coalitions_by_date():
    user = UserFactory()
    first, second = MembershipFactory(user=user), MembershipFactory(user=user)
    late = ReviewFactory(stakeholder_deadline=_deadline(TODAY + datetime.timedelta(days=20)))
    early = ReviewFactory(stakeholder_deadline=_deadline(TODAY + datetime.timedelta(days=5)))
    first.coalition.reviews.add(late)
    second.coalition.reviews.add(early)

    due = due_next_for_user(user=user, today=TODAY)

    assert [(d.review, d.coalition) for d in due] == [(early, second.coalition), (late, first.coalition)]


@pytest.mark.django_db
def test_deadlines_for_user_anonymous_gets_nothing():
    assert deadlines_for_user(user=AnonymousUser()) == []


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.django_db
def test_due_next_for_user_constant_queries(count, django_assert_num_queries):
    user = UserFactory()
    for _ in range(count):
        coalition = CoalitionFactory()
        MembershipFactory(user=user, coalition=coalition)
        coalition.reviews.add(
            ReviewFactory(stakeholder_deadline=_deadline(TODAY), pre_session=TODAY + datetime.timedelta(days=30))
        )

    # Memberships, review links with their reviews, the submissions the stakeholder deadlines link to,
    # the sections with milestones, the meetings with a follow-up (none here).
    with django_assert_num_queries(5):
        due = due_next_for_user(user=user, today=TODAY)
        rendered = [(d.review.state.name, d.review.session.number, d.coalition.name, d.url) for d in due]

    assert len(rendered) == 2 * count


@pytest.mark.django_db
def test_unique_by_key_keeps_one_per_deadline_shared_by_two_coalitions():
    user = UserFactory()
    review = ReviewFactory(stakeholder_deadline=_deadline(TODAY))
    for name in ["Beta coalition", "Alpha coalition"]:
        coalition = CoalitionFactory(name=name)
        coalition.reviews.add(review)
        MembershipFactory(user=user, coalition=coalition)

    due = due_next_for_user(user=user, today=TODAY)

    assert [d.coalition.name for d in due] == ["Alpha coalition", "Beta coalition"]
    assert [d.coalition.name for d in unique_by_key(due)] == ["Alpha coalition"]


@pytest.mark.django_db
def test_deadlines_to_remind_only_deadlines_of_reviews_taking_submissions():
    for status in [Review.Status.SCHEDULED, Review.Status.POSTPONED, Review.Status.SUBMISSIONS_SUSPENDED]:
        CoalitionFactory().reviews.add(
            ReviewFactory(
                state=StateFactory(name=status.label),
                stakeholder_deadline=_deadline(TODAY),
                review_date=TODAY,
                status=status,
            )
        )

    found = deadlines_to_remind(start=TODAY, end=TODAY)

    assert [(d.review.state.name, str(d.label)) for d in found] == [("Scheduled", "Stakeholder submission deadline")]


@pytest.mark.django_db
def test_reminder_schedules_only_for_coalitions_that_changed_them():
    changed = CoalitionFactory()
    CoalitionFactory()
    ReminderSettingsFactory(coalition=changed, offsets=[3, 21], send_digest=False)

    assert reminder_schedules() == {
        changed.pk: ReminderSchedule(offsets=(21, 3), remind_overdue=True, send_digest=False)
    }
    assert ReminderSchedule(offsets=(30, 14, 7, 3, 1), remind_overdue=True, send_digest=True) == DEFAULT_SCHEDULE


def test_reminder_schedule_merged_keeps_every_day_of_both():
    merged = ReminderSchedule(offsets=(10,), remind_overdue=False, send_digest=False).merged(DEFAULT_SCHEDULE)

    assert merged == ReminderSchedule(offsets=(30, 14, 10, 7, 3, 1), remind_overdue=True, send_digest=True)


# The home page's "my sections": each with its next deadline and the days left to the UN deadline.


def _section_for(user, *, state: str, days: int | None, title: str):
    """A section assigned to ``user`` by name, in a coalition of theirs working on a review of ``state``."""
    membership = MembershipFactory(user=user)
    review = ReviewFactory(
        state=StateFactory(name=state),
        stakeholder_deadline=_deadline(TODAY + datetime.timedelta(days=days)) if days is not None else None,
    )
    submission = SubmissionFactory(coalition=membership.coalition, review=review)
    return SectionFactory(submission=submission, title=title, assigned_people=[user])


@pytest.mark.django_db
def test_sections_due_for_user_pairs_each_section_with_its_own_reviews_deadline():
    user = UserFactory()
    later = _section_for(user, state="Latvia", days=40, title="Housing")
    sooner = _section_for(user, state="Kenya", days=10, title="Detention")
    unknown = _section_for(user, state="Myanmar", days=None, title="Press freedom")

    rows = sections_due_for_user(user=user, today=TODAY)

    assert [
        (row.section, row.next_deadline and (row.next_deadline.review, str(row.next_deadline.label)), row.days_left)
        for row in rows
    ] == [
        (sooner, (sooner.submission.review, "Stakeholder submission deadline"), 10),
        (later, (later.submission.review, "Stakeholder submission deadline"), 40),
        (unknown, None, None),
    ]
    assert [row.un_deadline for row in rows] == [
        _deadline(TODAY + datetime.timedelta(days=10)),
        _deadline(TODAY + datetime.timedelta(days=40)),
        None,
    ]


@pytest.mark.django_db
def test_sections_due_for_user_counts_down_to_a_passed_deadline_with_nothing_next():
    user = UserFactory()
    _section_for(user, state="Kenya", days=-2, title="Detention")

    [row] = sections_due_for_user(user=user, today=TODAY)

    assert (row.next_deadline, row.days_left, row.un_deadline_passed) == (None, -2, True)


@pytest.mark.django_db
def test_sections_due_for_user_nothing_next_once_the_coalition_sent_its_submission():
    user = UserFactory()
    section = _section_for(user, state="Kenya", days=10, title="Detention")
    # The coalition's first submission for the review went to OHCHR; this one is a later draft.
    sent = SubmissionFactory(coalition=section.submission.coalition, review=section.submission.review)
    Submission.objects.filter(pk=sent.pk).update(
        status=Submission.Status.SUBMITTED, created_at=section.submission.created_at - datetime.timedelta(days=1)
    )

    [row] = sections_due_for_user(user=user, today=TODAY)

    assert (row.section, row.next_deadline, row.days_left) == (section, None, 10)


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.django_db
def test_sections_due_for_user_constant_queries(count, django_assert_num_queries):
    user = UserFactory()
    for n in range(count):
        _section_for(user, state=f"State {n}", days=n, title=f"Section {n}")

    # Memberships, the sections, their assigned people and organisations (one query), and
    # due_next_for_user's 4 (it reads the same memberships; then sections with milestones and meetings
    # with a follow-up).
    with django_assert_num_queries(7):
        rows = sections_due_for_user(user=user, today=TODAY)
        rendered = [(r.section.title, r.section.submission.review.state.name, r.section.cluster) for r in rows]

    assert len(rendered) == count
