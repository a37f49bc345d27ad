"""A review moved to another session: its coalitions' members are told once each, and reminded of the new date."""

import datetime

import pytest
from django.core import mail
from django.db import transaction

from deadlines.models import ReminderClaim
from deadlines.review_moves import review_moved_tell_members
from deadlines.services import reminders_scan
from notifications.models import Notification, OutboxMessage
from notifications.services import outbox_send_pending
from reviews.services import review_move
from tests.deadlines.conftest import coalition_on, geneva
from tests.factories import MembershipFactory, ReviewFactory, SessionFactory, StateFactory, UserFactory

pytestmark = pytest.mark.django_db

MOVED = "deadlines.review_moved"


@pytest.fixture
def moved_review():
    """Atlantis's review in session 50 (May 2026), with its own dates, and session 53 (November 2026)."""
    old = SessionFactory(number=50, wg_start=datetime.date(2026, 5, 4), wg_end=datetime.date(2026, 5, 15))
    new = SessionFactory(number=53, wg_start=datetime.date(2026, 11, 2), wg_end=datetime.date(2026, 11, 13))
    review = ReviewFactory(
        state=StateFactory(name="Atlantis"),
        session=old,
        milestones_from_session=False,
        stakeholder_deadline=geneva(2025, 10, 13, 23, 59),
    )
    return review, new


def people_on(review):
    """Two coalitions on the review: "both" is in the two, one member left, one works on another review."""
    first = coalition_on(review, "amina@example.org", name="Atlantis UPR Coalition")
    second = coalition_on(review, "ocean@example.org", name="Blue Ocean Network")
    both = UserFactory(email="both@example.org", full_name="Bo Th")
    MembershipFactory(coalition=second, user=both)
    MembershipFactory(coalition=first, user=both)
    MembershipFactory(coalition=first, user=UserFactory(email="left@example.org"), is_active=False)
    coalition_on(ReviewFactory(), "elsewhere@example.org", name="Elsewhere")
    return first, second


def test_review_moved_tells_each_member_once_with_a_notification_and_an_email(
    moved_review, site_url, django_capture_on_commit_callbacks
):
    review, new = moved_review
    first, second = people_on(review)
    told = []

    with django_capture_on_commit_callbacks(execute=True):
        review_move(review=review, session=new, on_announced=told.append)

    assert told == [3]
    assert sorted(Notification.objects.filter(kind=MOVED).values_list("user__email", "coalition_id", "title")) == [
        ("amina@example.org", first.pk, "The UPR review of Atlantis moved to session 53"),
        # In both coalitions: told once, as a member of the first by name.
        ("both@example.org", first.pk, "The UPR review of Atlantis moved to session 53"),
        ("ocean@example.org", second.pk, "The UPR review of Atlantis moved to session 53"),
    ]
    assert Notification.objects.get(user__email="amina@example.org").body == (
        "It was planned for session 50. The stakeholder submission deadline is now 13 April 2026, 23:59 Geneva time."
    )
    assert sorted(OutboxMessage.objects.filter(kind=MOVED).values_list("to_email", "status")) == [
        ("amina@example.org", "sent"),
        ("both@example.org", "sent"),
        ("ocean@example.org", "sent"),
    ]
    email = next(m for m in mail.outbox if m.to == ["both@example.org"])
    assert email.subject == "UPR review of Atlantis moved to session 53"
    assert email.body.splitlines()[:10] == [
        "Dear Bo Th,",
        "",
        "The UPR review of Atlantis has moved from Working Group session 50 to session 53.",
        "Session 53 meets from 2 November 2026 to 13 November 2026.",
        "The stakeholder submission deadline is now 13 April 2026, 23:59, Geneva time.",
        "Your reminders follow the new date.",
        "",
        "You receive this message as a member of Atlantis UPR Coalition, which works on this review.",
        "",
        "See the coalition's deadlines:",
    ]
    timeline = f"{site_url}/coalitions/{first.pk}/timeline/"
    assert f'<a href="{timeline}"' in email.alternatives[0].content
    assert len(mail.outbox) == 3


def test_review_moved_and_rolled_back_tells_nobody(moved_review, django_capture_on_commit_callbacks):
    review, new = moved_review
    people_on(review)

    def move_then_fail():
        with transaction.atomic():
            review_move(review=review, session=new)
            raise RuntimeError("the caller's next step failed")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        move_then_fail()

    assert (Notification.objects.count(), OutboxMessage.objects.count(), mail.outbox) == (0, 0, [])


def test_review_moved_email_is_cancelled_when_the_review_moved_again_before_it_was_sent(moved_review):
    review, new = moved_review
    coalition_on(review, "amina@example.org")
    # Not captured: the moves commit with the test, so nothing is told and sent here; told by hand.
    review_move(review=review, session=new)
    review.refresh_from_db()
    review_moved_tell_members(review=review, old_session=review.rescheduled_from)
    review_move(review=review, session=SessionFactory(number=54, wg_start=datetime.date(2027, 5, 3)))

    assert outbox_send_pending() == {"cancelled": 1}
    assert mail.outbox == []


DEADLINE = geneva(2026, 3, 9, 23, 59)


def test_reminders_after_a_move_follow_the_new_date_and_none_is_sent_for_the_old_one(
    django_capture_on_commit_callbacks,
):
    old = SessionFactory(number=50, wg_start=datetime.date(2026, 5, 4), wg_end=datetime.date(2026, 5, 15))
    two_weeks_later = SessionFactory(number=53, wg_start=datetime.date(2026, 5, 18), wg_end=datetime.date(2026, 5, 29))
    review = ReviewFactory(
        state=StateFactory(name="Remindland"), session=old, milestones_from_session=False, stakeholder_deadline=DEADLINE
    )
    coalition_on(review, "a@example.org")
    old_reminder = reminders_scan(now=geneva(2026, 3, 2, 8))  # 7 days before the old date; queued, not sent yet

    with django_capture_on_commit_callbacks(execute=True):
        review_move(review=review, session=two_weeks_later)
    old_reminder_sent = outbox_send_pending(message_ids=old_reminder.queued_message_ids)
    day_before_old_date = reminders_scan(now=geneva(2026, 3, 8, 8))
    week_before_new_date = reminders_scan(now=geneva(2026, 3, 16, 8))
    day_before_new_date = reminders_scan(now=geneva(2026, 3, 22, 8))

    # The reminder claimed for the old date is not sent once the date moved: it would tell the old date.
    assert old_reminder_sent == {"cancelled": 1}
    assert [r.queued for r in (day_before_old_date, week_before_new_date, day_before_new_date)] == [1, 1, 1]
    assert sorted(ReminderClaim.objects.values_list("occurrence", "days_left")) == [
        ("2026-03-09/7", 7),
        ("2026-03-23/1", 1),
        ("2026-03-23/30", 15),
        ("2026-03-23/7", 7),
    ]
    sent = outbox_send_pending(
        message_ids=[
            *day_before_old_date.queued_message_ids,
            *week_before_new_date.queued_message_ids,
            *day_before_new_date.queued_message_ids,
        ]
    )
    assert sent == {"sent": 3}
    assert [m.subject for m in mail.outbox] == [
        "UPR review of Remindland moved to session 53",
        "Action needed: UPR review of Remindland: stakeholder deadline in 15 days",
        "Action needed: UPR review of Remindland: stakeholder deadline in 7 days",
        "Action needed: UPR review of Remindland: stakeholder deadline tomorrow",
    ]
