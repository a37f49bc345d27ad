"""The reminder scan: which reminder is due when (in Geneva days), each claimed once, for whom."""

import datetime
import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction

from coalitions.models import Coalition, Membership, Role
from deadlines.models import ReminderClaim, ReminderMute
from deadlines.providers import Deadline, ReviewCalendarProvider
from deadlines.selectors import DEFAULT_SCHEDULE, ReminderSchedule
from deadlines.services import (
    NotMutable,
    current_occurrence,
    iso_week,
    reminder_mutes_set,
    reminders_scan,
)
from notifications.models import Notification, OutboxMessage
from reviews.models import Review
from submissions.models import Submission
from tests.deadlines.conftest import coalition_on, geneva, review_due
from tests.factories import MembershipFactory, SubmissionFactory, UserFactory
from tests.factories.deadlines import ReminderSettingsFactory

UTC = datetime.UTC


def claims() -> list[tuple[str, str, str, int | None]]:
    """Every claim as (recipient, kind, occurrence, days left), in a stable order."""
    return sorted(ReminderClaim.objects.values_list("user__email", "kind", "occurrence", "days_left"))


def deadline_at(when) -> Deadline:
    return Deadline(
        key="review-1-stakeholder_deadline",
        provider="un_calendar",
        label="Stakeholder submission deadline",
        when=when,
        coalition=Coalition(pk=1, name="Any coalition"),
        url="/",
        mutable=False,
    )


def occurrence_at(deadline: Deadline, now, schedule: ReminderSchedule = DEFAULT_SCHEDULE):
    found = current_occurrence(deadline=deadline, schedule=schedule, now=now)
    return None if found is None else (found.kind, found.name, found.days_left)


# Geneva days, across the daylight-saving changes.

SPRING_DEADLINE = geneva(2027, 3, 31, 23, 59)  # CEST; clocks went forward on 28 March at 02:00


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (geneva(2027, 3, 23, 23, 30), ("before", "2027-03-31/14", 8)),
        (geneva(2027, 3, 24, 0, 30), ("before", "2027-03-31/7", 7)),
        # 23:30 UTC on 23 March is already 24 March in Geneva (CET, UTC+1).
        (datetime.datetime(2027, 3, 23, 23, 30, tzinfo=UTC), ("before", "2027-03-31/7", 7)),
        (geneva(2027, 3, 27, 23, 30), ("before", "2027-03-31/7", 4)),
        # The day of the change has 23 hours; it still counts as one day.
        (geneva(2027, 3, 28, 0, 30), ("before", "2027-03-31/3", 3)),
        (geneva(2027, 3, 28, 23, 30), ("before", "2027-03-31/3", 3)),
        (datetime.datetime(2027, 3, 29, 22, 30, tzinfo=UTC), ("before", "2027-03-31/1", 1)),
        (geneva(2027, 3, 31, 23, 30), ("before", "2027-03-31/1", 0)),
        (geneva(2027, 4, 1, 0, 30), None),
    ],
)
def test_current_occurrence_counts_geneva_days_across_the_spring_change(now, expected):
    assert occurrence_at(deadline_at(SPRING_DEADLINE), now) == expected


AUTUMN_DEADLINE = geneva(2026, 10, 25, 23, 59)  # CET; clocks went back that day at 03:00


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (geneva(2026, 10, 23, 23, 30), ("before", "2026-10-25/3", 2)),
        (geneva(2026, 10, 24, 0, 30), ("before", "2026-10-25/1", 1)),
        (geneva(2026, 10, 24, 23, 30), ("before", "2026-10-25/1", 1)),
        # 22:30 UTC on 24 October is 00:30 on the 25th in Geneva (still CEST, UTC+2).
        (datetime.datetime(2026, 10, 24, 22, 30, tzinfo=UTC), ("before", "2026-10-25/1", 0)),
        (geneva(2026, 10, 25, 23, 30), ("before", "2026-10-25/1", 0)),
        (geneva(2026, 10, 26, 0, 30), None),
    ],
)
def test_current_occurrence_counts_geneva_days_across_the_autumn_change(now, expected):
    assert occurrence_at(deadline_at(AUTUMN_DEADLINE), now) == expected


def test_current_occurrence_on_the_day_itself_with_offset_zero():
    schedule = ReminderSchedule(offsets=(7, 0))

    assert occurrence_at(deadline_at(AUTUMN_DEADLINE), geneva(2026, 10, 25, 0, 30), schedule) == (
        "before",
        "2026-10-25/0",
        0,
    )


def test_current_occurrence_none_before_the_first_reminder_day():
    assert occurrence_at(deadline_at(SPRING_DEADLINE), geneva(2027, 2, 28, 23, 30)) is None


@pytest.mark.django_db
def test_reminders_scan_sends_each_default_reminder_once_around_the_spring_change():
    coalition_on(review_due(SPRING_DEADLINE), "a@example.org")
    day = datetime.date(2027, 2, 27)

    # Two scans a day, just after and just before Geneva midnight, for five weeks.
    while day <= datetime.date(2027, 4, 2):
        for hour, minute in [(0, 30), (23, 30)]:
            reminders_scan(now=geneva(day.year, day.month, day.day, hour, minute))
        day += datetime.timedelta(days=1)

    assert claims() == [
        ("a@example.org", "before", "2027-03-31/1", 1),
        ("a@example.org", "before", "2027-03-31/14", 14),
        ("a@example.org", "before", "2027-03-31/3", 3),
        ("a@example.org", "before", "2027-03-31/30", 30),
        ("a@example.org", "before", "2027-03-31/7", 7),
    ]
    first_of_each = dict(ReminderClaim.objects.values_list("occurrence", "as_of"))
    assert first_of_each["2027-03-31/7"] == datetime.date(2027, 3, 24)
    assert first_of_each["2027-03-31/3"] == datetime.date(2027, 3, 28)


# Catching up, moves, and who is reminded.

DEADLINE = geneva(2026, 3, 9, 23, 59)


@pytest.mark.django_db
def test_reminders_scan_after_missed_days_sends_the_latest_due_reminder_once():
    coalition_on(review_due(DEADLINE), "a@example.org")
    reminders_scan(now=geneva(2026, 2, 7, 8))  # 30 days before

    # The beat was down from 22 February (14 days before) to 4 March (5 days before).
    late = reminders_scan(now=geneva(2026, 3, 4, 8))
    again = reminders_scan(now=geneva(2026, 3, 4, 9))
    later = reminders_scan(now=geneva(2026, 3, 6, 8))

    assert (late.queued, again.queued, again.already_claimed, later.queued) == (1, 0, 1, 1)
    assert claims() == [
        ("a@example.org", "before", "2026-03-09/3", 3),
        ("a@example.org", "before", "2026-03-09/30", 30),
        ("a@example.org", "before", "2026-03-09/7", 5),
    ]


@pytest.mark.django_db
def test_reminders_scan_after_a_review_moved_reminds_for_the_new_date():
    review = review_due(DEADLINE)
    coalition_on(review, "a@example.org")
    reminders_scan(now=geneva(2026, 3, 2, 8))  # 7 days before the first date

    Review.objects.filter(pk=review.pk).update(stakeholder_deadline=DEADLINE + datetime.timedelta(days=14))
    moved = reminders_scan(now=geneva(2026, 3, 2, 9))
    week_before_new_date = reminders_scan(now=geneva(2026, 3, 16, 8))

    assert (moved.queued, week_before_new_date.queued) == (1, 1)
    assert claims() == [
        ("a@example.org", "before", "2026-03-09/7", 7),
        ("a@example.org", "before", "2026-03-23/30", 21),
        ("a@example.org", "before", "2026-03-23/7", 7),
    ]


@pytest.mark.django_db
def test_reminders_scan_reaches_active_members_with_an_address_only():
    review = review_due(DEADLINE)
    coalition = coalition_on(review, "a@example.org", "b@example.org")
    MembershipFactory(coalition=coalition, user=UserFactory(email="left@example.org"), is_active=False)
    MembershipFactory(coalition=coalition, user=UserFactory(email="disabled@example.org", is_active=False))
    coalition_on(None, "elsewhere@example.org")

    report = reminders_scan(now=geneva(2026, 3, 2, 8))

    assert report.queued == 2
    assert sorted(OutboxMessage.objects.values_list("to_email", "kind")) == [
        ("a@example.org", "deadlines.reminder"),
        ("b@example.org", "deadlines.reminder"),
    ]


@pytest.mark.django_db
def test_reminders_scan_one_reminder_for_a_person_in_two_coalitions_on_the_review():
    review = review_due(DEADLINE)
    both = UserFactory(email="both@example.org")
    for name in ["First coalition", "Second coalition"]:
        MembershipFactory(coalition=coalition_on(review, name=name), user=both)

    report = reminders_scan(now=geneva(2026, 3, 2, 8))

    assert report.queued == 1
    assert claims() == [("both@example.org", "before", "2026-03-09/7", 7)]
    assert list(OutboxMessage.objects.values_list("to_email", flat=True)) == ["both@example.org"]


@pytest.mark.django_db
def test_reminders_scan_uses_each_coalitions_reminder_days():
    review = review_due(DEADLINE)
    own_days = coalition_on(review, "ten@example.org", name="Ten days ahead")
    coalition_on(review, "default@example.org", name="Default days")
    ReminderSettingsFactory(coalition=own_days, offsets=[10])

    reminders_scan(now=geneva(2026, 2, 27, 8))  # 10 days before

    assert claims() == [
        ("default@example.org", "before", "2026-03-09/14", 10),
        ("ten@example.org", "before", "2026-03-09/10", 10),
    ]


@pytest.mark.django_db
def test_reminders_scan_merges_the_days_of_a_persons_two_coalitions():
    review = review_due(DEADLINE)
    both = UserFactory(email="both@example.org")
    ten = coalition_on(review, name="Ten days ahead")
    ReminderSettingsFactory(coalition=ten, offsets=[10])
    MembershipFactory(coalition=ten, user=both)
    MembershipFactory(coalition=coalition_on(review, name="Default days"), user=both)

    for day in range(23, 28):  # 14 to 10 days before
        reminders_scan(now=geneva(2026, 2, day, 8))

    assert claims() == [
        ("both@example.org", "before", "2026-03-09/10", 10),
        ("both@example.org", "before", "2026-03-09/14", 14),
    ]


@pytest.mark.django_db
def test_reminders_scan_leaves_out_a_review_whose_submissions_are_suspended():
    coalition_on(review_due(DEADLINE, status=Review.Status.SUBMISSIONS_SUSPENDED), "a@example.org")

    report = reminders_scan(now=geneva(2026, 3, 2, 8))

    assert (report.queued, claims()) == (0, [])


@pytest.mark.django_db
def test_reminders_scan_leaves_out_a_coalition_that_sent_its_submission():
    review = review_due(DEADLINE)
    sent = coalition_on(review, "sent@example.org", name="Sent already")
    SubmissionFactory(coalition=sent, review=review, status=Submission.Status.SUBMITTED)
    drafting = coalition_on(review, "drafting@example.org", name="Still drafting")
    SubmissionFactory(coalition=drafting, review=review)

    report = reminders_scan(now=geneva(2026, 3, 2, 8))

    assert (report.queued, [c[0] for c in claims()]) == (1, ["drafting@example.org"])


@pytest.mark.django_db
def test_reminders_scan_puts_the_reminder_under_the_bell_with_the_link_to_act(site_url):
    review = review_due(DEADLINE, state="Atlantis")
    coalition = coalition_on(review, "a@example.org")
    submission = SubmissionFactory(coalition=coalition, review=review)

    reminders_scan(now=geneva(2026, 3, 2, 8))

    assert list(Notification.objects.values_list("user__email", "kind", "title", "url", "coalition_id")) == [
        (
            "a@example.org",
            "deadlines.reminder",
            f"Stakeholder submission deadline – Atlantis, session {review.session.number}: in 7 days",
            f"/submissions/{submission.pk}/",
            coalition.pk,
        )
    ]
    claim = ReminderClaim.objects.get()
    assert (claim.url, claim.message.kind, claim.message.context) == (
        f"/submissions/{submission.pk}/",
        "deadlines.reminder",
        {"claim": claim.pk},
    )


# Muting.


@pytest.mark.django_db
def test_reminders_scan_skips_muted_optional_reminders_but_never_the_un_deadline(drafts):
    review = review_due(DEADLINE)
    coalition = coalition_on(review, "muted@example.org", "keeps@example.org")
    drafts.add(coalition, DEADLINE)
    muted = Membership.objects.get(user__email="muted@example.org").user
    reminder_mutes_set(user=muted, muted={drafts.name})
    # Even a mute of the UN calendar written straight into the database changes nothing.
    ReminderMute.objects.create(user=muted, provider=ReviewCalendarProvider.name)

    reminders_scan(now=geneva(2026, 3, 2, 8))

    assert sorted(ReminderClaim.objects.values_list("user__email", "provider")) == [
        ("keeps@example.org", "test_first_drafts"),
        ("keeps@example.org", "un_calendar"),
        ("muted@example.org", "un_calendar"),
    ]


@pytest.mark.django_db
def test_reminder_mutes_set_refuses_the_un_deadline():
    user = UserFactory()

    with pytest.raises(NotMutable):
        reminder_mutes_set(user=user, muted={ReviewCalendarProvider.name})

    assert list(ReminderMute.objects.all()) == []


@pytest.mark.django_db
def test_reminder_mutes_set_unmutes_what_is_not_given(drafts):
    user = UserFactory()
    reminder_mutes_set(user=user, muted={drafts.name, "digest"})

    reminder_mutes_set(user=user, muted={"digest"})

    assert list(ReminderMute.objects.filter(user=user).values_list("provider", flat=True)) == ["digest"]


# A new kind of deadline: one small provider, reminded daily once late.


@pytest.mark.django_db
def test_reminders_scan_reminds_daily_once_a_provider_deadline_is_late(drafts):
    coalition = coalition_on(None, "a@example.org")
    drafts.add(coalition, geneva(2026, 3, 9, 12))
    coalition.reviews.add(review_due(geneva(2026, 3, 9, 12)))  # the UN's: never reminded once passed

    for moment in [
        geneva(2026, 3, 9, 11),  # before: the 1-day reminder
        geneva(2026, 3, 9, 13),  # passed an hour ago
        geneva(2026, 3, 10, 9),
        geneva(2026, 3, 10, 18),  # same day: nothing new
        geneva(2026, 3, 13, 9),  # 11 and 12 March were missed: only today's
        geneva(2026, 3, 23, 9),  # 14 days late: the last one
        geneva(2026, 3, 24, 9),  # past the horizon
    ]:
        reminders_scan(now=moment)

    assert sorted(ReminderClaim.objects.filter(provider=drafts.name).values_list("occurrence", "days_left")) == [
        ("2026-03-09/1", 0),
        ("2026-03-09/overdue/2026-03-09", 0),
        ("2026-03-09/overdue/2026-03-10", -1),
        ("2026-03-09/overdue/2026-03-13", -4),
        ("2026-03-09/overdue/2026-03-23", -14),
    ]
    assert list(ReminderClaim.objects.filter(provider="un_calendar").values_list("occurrence", flat=True)) == [
        "2026-03-09/1"
    ]


@pytest.mark.django_db
def test_reminders_scan_no_overdue_reminder_when_the_coalition_turned_them_off(drafts):
    coalition = coalition_on(None, "a@example.org")
    ReminderSettingsFactory(coalition=coalition, remind_overdue=False)
    drafts.add(coalition, geneva(2026, 3, 9, 12))

    report = reminders_scan(now=geneva(2026, 3, 10, 9))

    assert (report.queued, claims()) == (0, [])


@pytest.mark.django_db
def test_reminders_scan_reminds_only_the_deadlines_audience(drafts):
    coalition = coalition_on(None, "lead@example.org", "other@example.org")
    lead = Membership.objects.get(user__email="lead@example.org").user
    drafts.add(coalition, DEADLINE, audience=[lead.pk])

    reminders_scan(now=geneva(2026, 3, 2, 8))

    assert claims() == [("lead@example.org", "before", "2026-03-09/7", 7)]


# The weekly digest.


@pytest.mark.django_db
def test_reminders_scan_sends_the_digest_once_a_week_to_coordinators():
    review = review_due(geneva(2026, 3, 14, 23, 59))  # 12 days after the first Monday
    coalition = coalition_on(review, "coordinator@example.org", role=Role.COORDINATOR)
    MembershipFactory(coalition=coalition, user=UserFactory(email="drafter@example.org"))
    # One reminder each, on the first Monday, so the digests stand out in what the scans queue.
    ReminderSettingsFactory(coalition=coalition, offsets=[30])
    monday = geneva(2026, 3, 2, 0, 15)

    first = reminders_scan(now=monday)
    week = [reminders_scan(now=monday + datetime.timedelta(days=days)) for days in range(1, 7)]
    next_monday = reminders_scan(now=monday + datetime.timedelta(days=7))

    digests = ReminderClaim.objects.filter(kind="digest")
    assert sorted(digests.values_list("user__email", "occurrence")) == [
        ("coordinator@example.org", f"2026-W10/coalition-{coalition.pk}"),
        ("coordinator@example.org", f"2026-W11/coalition-{coalition.pk}"),
    ]
    assert all(claim.message.kind == "deadlines.digest" for claim in digests)
    assert [len(report.queued_message_ids) for report in [first, *week, next_monday]] == [3, 0, 0, 0, 0, 0, 0, 1]
    assert iso_week(datetime.date(2026, 3, 8)) == "2026-W10"


@pytest.mark.django_db
def test_reminders_scan_claims_an_empty_weeks_digest_without_an_email():
    coalition = coalition_on(None, "coordinator@example.org", role=Role.COORDINATOR)

    report = reminders_scan(now=geneva(2026, 3, 2, 0, 15))

    assert report.queued == 0
    assert list(ReminderClaim.objects.values_list("kind", "occurrence", "message")) == [
        ("digest", f"2026-W10/coalition-{coalition.pk}", None)
    ]


@pytest.mark.django_db
def test_reminders_scan_no_digest_when_turned_off_or_muted():
    off = coalition_on(review_due(DEADLINE), "off@example.org", role=Role.COORDINATOR)
    ReminderSettingsFactory(coalition=off, send_digest=False)
    coalition_on(review_due(DEADLINE), "muted@example.org", role=Role.COORDINATOR)
    reminder_mutes_set(user=Membership.objects.get(user__email="muted@example.org").user, muted={"digest"})

    reminders_scan(now=geneva(2026, 3, 2, 0, 15))

    assert list(ReminderClaim.objects.filter(kind="digest")) == []


# Claimed once, whatever runs at the same time.


@pytest.mark.django_db
def test_reminder_claim_unique_in_database():
    coalition_on(review_due(DEADLINE), "a@example.org")
    reminders_scan(now=geneva(2026, 3, 2, 8))
    claim = ReminderClaim.objects.get()

    with pytest.raises(IntegrityError), transaction.atomic():
        ReminderClaim.objects.create(
            deadline_key=claim.deadline_key,
            user=claim.user,
            kind=claim.kind,
            occurrence=claim.occurrence,
            coalition=claim.coalition,
            title="Again",
            as_of=claim.as_of,
        )


@pytest.mark.parametrize("coalitions", [1, 3])
@pytest.mark.django_db
def test_reminders_scan_reads_in_constant_queries(coalitions, django_assert_num_queries):
    for number in range(coalitions):
        review = review_due(DEADLINE)
        coalition_on(review, f"a{number}@example.org", f"b{number}@example.org", role=Role.COORDINATOR)
        SubmissionFactory(coalition=Coalition.objects.get(reviews=review), review=review)
    reminders_scan(now=geneva(2026, 3, 2, 8))

    # Everything is claimed: what is left is reading. Settings, review links, submissions, sections
    # with milestones and meetings with a follow-up (none here), members, mutes, claims, digest claims,
    # coalitions.
    with django_assert_num_queries(10):
        report = reminders_scan(now=geneva(2026, 3, 2, 9))

    assert (report.queued, report.already_claimed) == (0, 4 * coalitions)


@pytest.mark.django_db(transaction=True)
def test_reminders_scan_twice_at_once_queues_each_reminder_once():
    review = review_due(DEADLINE)
    emails = [f"member{number}@example.org" for number in range(40)]
    coalition_on(review, *emails)
    now = geneva(2026, 3, 2, 8)
    reports = []

    def scan(start: threading.Barrier | None = None):
        try:
            if start is not None:
                start.wait(timeout=10)
            reports.append(reminders_scan(now=now))
        finally:
            connections.close_all()

    if connection.vendor == "postgresql":
        # Two scans on two connections at the same moment: the second one's inserts wait on the
        # first's unique index entries, then fail, and are counted as already claimed.
        start = threading.Barrier(2)
        threads = [threading.Thread(target=scan, args=(start,)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    else:
        # SQLite lets one writer in at a time: the two scans run one after the other.
        scan()
        scan()

    assert sorted(report.queued + report.already_claimed for report in reports) == [40, 40]
    assert sum(report.queued for report in reports) == 40
    assert sorted(ReminderClaim.objects.values_list("user__email", flat=True)) == sorted(emails)
    assert sorted(OutboxMessage.objects.values_list("to_email", flat=True)) == sorted(emails)
    assert Notification.objects.count() == 40
