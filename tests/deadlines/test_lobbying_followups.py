"""The lobbying log's follow-up dates as deadlines: who they concern, their key, the reminder scan."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from advocacy.models import Meeting
from coalitions.models import Role
from deadlines import selectors
from deadlines.lobbying_followups import LobbyingFollowUpProvider
from deadlines.models import ReminderClaim
from deadlines.services import reminders_scan
from tests.deadlines.conftest import geneva
from tests.factories import MembershipFactory, ReviewFactory, StateFactory, UserFactory
from tests.factories.coalitions import new_coalition

pytestmark = pytest.mark.django_db

FOLLOW_UP = datetime.date(2027, 1, 14)


def lobbying_team(name: str = "Kenya UPR Coalition"):
    coalition = new_coalition(name=name)
    review = ReviewFactory(state=StateFactory(name=f"Reviewland {name}"))
    coalition.reviews.add(review)
    people = {}
    for key, role in (
        ("coordinator", Role.COORDINATOR),
        ("author", Role.DRAFTER),
        ("other drafter", Role.DRAFTER),
        ("reviewer", Role.REVIEWER),
    ):
        people[key] = UserFactory(email=f"{key.replace(' ', '.')}.{coalition.pk}@example.org", full_name=key)
        MembershipFactory(coalition=coalition, user=people[key], role=role)
    meeting = Meeting.objects.create(
        coalition=coalition,
        review=review,
        state=StateFactory(name=f"Norway {name}"),
        held_on=datetime.date(2027, 1, 4),
        follow_up_on=FOLLOW_UP,
        created_by=people["author"],
    )
    return coalition, meeting, people


def follow_ups(deadlines):
    return [d for d in deadlines if d.provider == "lobbying_followups"]


def test_coalition_deadlines_list_the_follow_up_for_its_author_and_the_coordinators():
    coalition, meeting, people = lobbying_team()

    (deadline,) = follow_ups(selectors.deadlines_for_coalition(coalition=coalition))

    assert (
        deadline.key,
        str(deadline.label),
        deadline.when,
        deadline.url,
        deadline.audience,
        deadline.remind_overdue,
        deadline.mutable,
        deadline.done,
        deadline.review,
    ) == (
        f"meeting-{meeting.pk}-follow_up",
        f"Follow up the meeting with {meeting.state.name} of 2027-01-04",
        FOLLOW_UP,
        reverse("advocacy:meeting_edit", args=[coalition.pk, meeting.pk]),
        frozenset({people["author"].pk, people["coordinator"].pk}),
        True,
        True,
        False,
        meeting.review,
    )


def test_person_deadlines_show_the_follow_up_only_to_its_audience():
    _coalition, _meeting, people = lobbying_team()

    seen = {key: len(follow_ups(selectors.deadlines_for_user(user=user))) for key, user in people.items()}

    assert seen == {"coordinator": 1, "author": 1, "other drafter": 0, "reviewer": 0}


def test_moved_follow_up_keeps_its_key_and_a_done_one_is_not_reminded():
    coalition, meeting, _people = lobbying_team()
    (before,) = follow_ups(selectors.deadlines_for_coalition(coalition=coalition))

    Meeting.objects.filter(pk=meeting.pk).update(follow_up_on=FOLLOW_UP + datetime.timedelta(days=7))
    (moved,) = follow_ups(selectors.deadlines_for_coalition(coalition=coalition))
    Meeting.objects.filter(pk=meeting.pk).update(follow_up_done=True)
    (done,) = follow_ups(selectors.deadlines_for_coalition(coalition=coalition))

    assert (moved.key, moved.when, done.done, done.is_reminded, before.is_reminded) == (
        before.key,
        datetime.date(2027, 1, 21),
        True,
        False,
        True,
    )
    assert follow_ups(selectors.deadlines_to_remind(start=FOLLOW_UP, end=datetime.date(2027, 1, 31))) == []


def test_meetings_without_follow_up_and_outside_the_days_asked_are_left_out():
    coalition, meeting, people = lobbying_team()
    Meeting.objects.create(
        coalition=coalition, review=meeting.review, state=meeting.state, held_on=FOLLOW_UP, created_by=people["author"]
    )

    inside = follow_ups(selectors.deadlines_for_coalition(coalition=coalition, start=FOLLOW_UP, end=FOLLOW_UP))
    after = follow_ups(
        selectors.deadlines_for_coalition(coalition=coalition, start=FOLLOW_UP + datetime.timedelta(days=1))
    )

    assert ([d.key for d in inside], after) == ([f"meeting-{meeting.pk}-follow_up"], [])


def test_reminder_scan_reminds_a_late_follow_up_daily_until_done():
    _coalition, meeting, people = lobbying_team()

    reminders_scan(now=geneva(2027, 1, 16, 8))
    Meeting.objects.filter(pk=meeting.pk).update(follow_up_done=True)
    reminders_scan(now=geneva(2027, 1, 17, 8))

    assert sorted(
        ReminderClaim.objects.filter(deadline_key=f"meeting-{meeting.pk}-follow_up").values_list(
            "user__email", "occurrence"
        )
    ) == sorted((people[key].email, "2027-01-14/overdue/2027-01-16") for key in ("author", "coordinator"))


def test_provider_reads_in_two_queries_whatever_the_meetings():
    for name in ("First coalition", "Second coalition", "Third coalition"):
        lobbying_team(name)

    with CaptureQueriesContext(connection) as queries:
        found = LobbyingFollowUpProvider().deadlines(coalition_ids=None, start=None, end=None)

    assert (len(found), len(queries)) == (3, 2)
