"""Moving a review to another session: the service, the admin action's pages, refusals, the "rescheduled" mark."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from notifications.models import Notification, OutboxMessage
from reviews.models import Review
from reviews.services import review_move
from reviews.services.calendar import MILESTONES_SESSION, MILESTONES_SHIFT
from reviews.signals import review_moved
from tests.factories import (
    CycleFactory,
    MembershipFactory,
    ReviewFactory,
    SessionFactory,
    StateFactory,
    SubmissionFactory,
    UserFactory,
)
from tests.factories.coalitions import new_coalition
from upr_portal.timezones import GENEVA

CHANGELIST = "admin:reviews_review_changelist"
ACTION = "move_to_another_session"


def geneva(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=GENEVA)


def day(*args) -> datetime.date:
    return datetime.date(*args)


def milestones(review: Review) -> dict:
    """The review's milestones, moments on the Geneva wall clock."""
    review.refresh_from_db()
    return {
        "submission_window_opens": review.submission_window_opens and review.submission_window_opens.astimezone(GENEVA),
        "stakeholder_deadline": review.stakeholder_deadline and review.stakeholder_deadline.astimezone(GENEVA),
        "national_report_deadline": review.national_report_deadline
        and review.national_report_deadline.astimezone(GENEVA),
        "pre_session": review.pre_session,
        "review_date": review.review_date,
        "adoption_date": review.adoption_date,
        "mid_term_report_due": review.mid_term_report_due,
    }


# Session 50 opens 4 May 2026, session 53 182 days later; the milestones cross both clock changes.
OWN_MILESTONES = {
    "submission_window_opens": geneva(2025, 9, 1, 0, 0),
    "stakeholder_deadline": geneva(2025, 10, 13, 23, 59),
    "national_report_deadline": geneva(2026, 2, 2, 12, 0),
    "pre_session": day(2026, 3, 25),
    "review_date": day(2026, 5, 6),
    "adoption_date": day(2026, 9, 21),
    "mid_term_report_due": day(2028, 9, 30),
}
SHIFTED_182_DAYS = {
    "submission_window_opens": geneva(2026, 3, 2, 0, 0),
    "stakeholder_deadline": geneva(2026, 4, 13, 23, 59),
    "national_report_deadline": geneva(2026, 8, 3, 12, 0),
    "pre_session": day(2026, 9, 23),
    "review_date": day(2026, 11, 4),
    "adoption_date": day(2027, 3, 22),
    "mid_term_report_due": day(2029, 3, 31),
}


@pytest.fixture
def sessions(db):
    cycle = CycleFactory(number=4)
    return {
        50: SessionFactory(number=50, cycle=cycle, wg_start=day(2026, 5, 4), wg_end=day(2026, 5, 15)),
        51: SessionFactory(number=51, cycle=cycle, wg_start=None, wg_end=None),
        53: SessionFactory(
            number=53,
            cycle=cycle,
            wg_start=day(2026, 11, 2),
            wg_end=day(2026, 11, 13),
            dates_provisional=True,
            submission_window_opens=day(2026, 3, 16),
            stakeholder_deadline=day(2026, 4, 20),
            national_report_deadline=day(2026, 8, 10),
            pre_session=day(2026, 9, 28),
            deadline_time=datetime.time(12, 0),
        ),
        60: SessionFactory(
            number=60, cycle=CycleFactory(number=5, start_year=2028, end_year=2032), wg_start=day(2028, 11, 6)
        ),
    }


def atlantis(session, **fields) -> Review:
    return ReviewFactory(
        state=StateFactory(name="Atlantis"),
        session=session,
        **{"milestones_from_session": False, **OWN_MILESTONES, **fields},
    )


# The service


def test_review_move_shifts_its_own_milestones_with_the_session_on_the_geneva_clock(sessions):
    review = atlantis(sessions[50], order=4)
    ReviewFactory(session=sessions[53], order=1)
    ReviewFactory(session=sessions[53], order=2)

    moved = review_move(review=review, session=sessions[53])

    assert milestones(review) == SHIFTED_182_DAYS
    assert (moved.session, review.session, review.order) == (sessions[53], sessions[53], 3)
    assert (review.rescheduled_from, review.milestones_from_session) == (sessions[50], False)
    assert review.rescheduled_at is not None


def test_review_move_takes_the_new_sessions_milestones_and_shifts_the_rest(sessions):
    review = atlantis(sessions[50], milestones_from_session=True)

    review_move(review=review, session=sessions[53], milestones=MILESTONES_SESSION)

    assert milestones(review) == {
        # The session's, at its time of day (noon) in Geneva; the window opens at midnight.
        "submission_window_opens": geneva(2026, 3, 16, 0, 0),
        "stakeholder_deadline": geneva(2026, 4, 20, 12, 0),
        "national_report_deadline": geneva(2026, 8, 10, 12, 0),
        "pre_session": day(2026, 9, 28),
        # Not set by the session: shifted with it.
        "review_date": day(2026, 11, 4),
        "adoption_date": day(2027, 3, 22),
        "mid_term_report_due": day(2029, 3, 31),
    }
    assert review.milestones_from_session is True


def test_review_move_by_default_a_review_following_its_session_takes_the_new_ones(sessions):
    follows = atlantis(sessions[50], milestones_from_session=True)
    own = ReviewFactory(session=sessions[50], milestones_from_session=False, **OWN_MILESTONES)

    review_move(review=follows, session=sessions[53])
    review_move(review=own, session=sessions[53])

    assert milestones(follows)["stakeholder_deadline"] == geneva(2026, 4, 20, 12, 0)
    assert milestones(own)["stakeholder_deadline"] == geneva(2026, 4, 13, 23, 59)
    assert (follows.milestones_from_session, own.milestones_from_session) == (True, False)


def test_review_move_suspended_submissions_take_no_stakeholder_deadline_from_the_session(sessions):
    review = atlantis(sessions[50], status=Review.Status.SUBMISSIONS_SUSPENDED, stakeholder_deadline=None)

    review_move(review=review, session=sessions[53], milestones=MILESTONES_SESSION)

    moved = milestones(review)
    assert (moved["stakeholder_deadline"], moved["national_report_deadline"]) == (None, geneva(2026, 8, 10, 12, 0))


def test_review_move_again_keeps_the_first_session_and_back_there_is_no_longer_rescheduled(sessions):
    review = atlantis(sessions[50])
    review_move(review=review, session=sessions[53])
    first_moved_at = Review.objects.get(pk=review.pk).rescheduled_at

    review_move(review=review, session=sessions[51], milestones=MILESTONES_SESSION)
    review.refresh_from_db()
    again = (review.session.number, review.rescheduled_from.number, review.rescheduled_at > first_moved_at)
    review_move(review=review, session=sessions[50], milestones=MILESTONES_SESSION)
    review.refresh_from_db()

    assert again == (51, 50, True)
    assert (review.session.number, review.rescheduled_from, review.rescheduled_at) == (50, None, None)


def test_review_move_refuses_a_state_already_reviewed_in_the_target_and_changes_nothing(
    sessions, django_capture_on_commit_callbacks
):
    review = atlantis(sessions[50])
    ReviewFactory(state=review.state, session=sessions[53])

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ValidationError) as refused:
        review_move(review=review, session=sessions[53])

    assert refused.value.message_dict == {"state": ["Atlantis is already reviewed in session 53 of this cycle."]}
    assert callbacks == []
    assert milestones(review) == OWN_MILESTONES
    assert (review.session.number, review.rescheduled_from, review.rescheduled_at) == (50, None, None)


def test_review_move_refuses_to_shift_towards_a_session_without_dates(sessions):
    review = atlantis(sessions[50])

    with pytest.raises(ValidationError) as refused:
        review_move(review=review, session=sessions[51], milestones=MILESTONES_SHIFT)

    assert refused.value.message_dict == {
        "milestones": [
            "The milestones cannot be shifted: session 50 or session 51 has no dates yet. "
            "Take the new session's milestones instead."
        ]
    }
    review.refresh_from_db()
    assert review.session.number == 50


@pytest.fixture
def heard():
    """What a receiver of review_moved is told, as (review, old session number, actor)."""
    calls = []

    def receiver(sender, *, review, old_session, actor, **kwargs):
        calls.append((review.pk, review.session.number, old_session.number, actor))
        return 2

    review_moved.connect(receiver, dispatch_uid="test_review_move.heard")
    yield calls
    review_moved.disconnect(dispatch_uid="test_review_move.heard")


def test_review_move_tells_the_receivers_once_committed_and_counts_the_people_told(
    sessions, heard, django_capture_on_commit_callbacks
):
    review = atlantis(sessions[50])
    admin = UserFactory(email="admin@example.org")
    told = []

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        review_move(review=review, session=sessions[53], actor=admin, on_announced=told.append)
    before_commit = list(heard)
    for callback in callbacks:
        callback()

    assert (before_commit, len(callbacks)) == ([], 1)
    assert heard == [(review.pk, 53, 50, admin)]
    # The test's receiver told 2; nobody works on the review, so the deadlines app told none.
    assert told == [2]


def test_review_move_rolled_back_tells_nobody(sessions, heard, django_capture_on_commit_callbacks):
    review = atlantis(sessions[50])

    def move_then_fail():
        with transaction.atomic():
            review_move(review=review, session=sessions[53])
            raise RuntimeError("the caller's next step failed")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        move_then_fail()

    review.refresh_from_db()
    assert (callbacks, heard, review.session.number) == ([], [], 50)


# The admin action


def select(client, *reviews):
    return client.post(
        reverse(CHANGELIST),
        {"action": ACTION, ACTION_CHECKBOX_NAME: [r.pk for r in reviews], "index": "0"},
        follow=True,
    )


def move_post(review, *, session, mode=MILESTONES_SHIFT, **extra) -> dict:
    return {
        "action": ACTION,
        ACTION_CHECKBOX_NAME: [review.pk],
        "move-session": session.pk,
        "move-milestones": mode,
        **extra,
    }


def preview(client, review, **kwargs):
    return client.post(reverse(CHANGELIST), move_post(review, move_preview="1", **kwargs))


def confirm(client, review, *, session, mode=MILESTONES_SHIFT, previewed=None):
    previewed = previewed or f"{session.pk}:{mode}"
    data = move_post(review, session=session, mode=mode, move_confirm="1", move_previewed=previewed)
    return client.post(reverse(CHANGELIST), data)


def working_on(review):
    """Two coalitions on the review: 3 active people (one in both), one who left; a submission."""
    first = new_coalition(name="Atlantis UPR Coalition")
    second = new_coalition(name="Blue Ocean Network")
    first.reviews.add(review)
    second.reviews.add(review)
    both = UserFactory(email="both@example.org")
    MembershipFactory(coalition=first, user=both)
    MembershipFactory(coalition=first, user=UserFactory(email="amina@example.org"))
    MembershipFactory(coalition=first, user=UserFactory(email="left@example.org"), is_active=False)
    MembershipFactory(coalition=second, user=both)
    MembershipFactory(coalition=second, user=UserFactory(email="ocean@example.org"))
    SubmissionFactory(coalition=first, review=review, title="Joint submission on the right to water")
    return first, second


def test_move_action_with_two_reviews_selected_asks_for_one(superuser_client, sessions):
    one, two = atlantis(sessions[50]), ReviewFactory(session=sessions[50])

    response = select(superuser_client, one, two)

    assertRedirects(response, reverse(CHANGELIST))
    assert [str(m) for m in response.context["messages"]] == ["Select one review to move it to another session."]
    assert list(Review.objects.filter(rescheduled_from__isnull=False)) == []


def test_move_action_page_shows_the_sessions_of_the_cycle_and_what_depends_on_the_review(superuser_client, sessions):
    review = atlantis(sessions[50])
    working_on(review)

    response = superuser_client.post(
        reverse(CHANGELIST), {"action": ACTION, ACTION_CHECKBOX_NAME: [review.pk], "index": "0"}
    )

    assert response.templates[0].name == "admin/reviews/review/move.html"
    form = response.context["form"]
    assert [label for _value, label in form.fields["session"].choices] == [
        "- Select an option -",
        "Session 51 – dates not announced",
        "Session 53 – 2 Nov 2026 to 13 Nov 2026 (provisional)",
    ]
    assert form["milestones"].value() == MILESTONES_SHIFT
    assertContains(response, "<tr><td>Atlantis UPR Coalition</td><td>2</td></tr>", html=True)
    assertContains(response, "<tr><td>Blue Ocean Network</td><td>2</td></tr>", html=True)
    assertContains(
        response,
        "<tr><td>Joint submission on the right to water</td><td>Atlantis UPR Coalition</td><td>Drafting</td></tr>",
        html=True,
    )
    assertContains(response, "Preview the move")
    assertNotContains(response, "Confirm the move")


def test_move_action_preview_shows_milestones_before_and_after_and_changes_nothing(superuser_client, sessions):
    review = atlantis(sessions[50])

    response = preview(superuser_client, review, session=sessions[53])

    rows = {str(label): (before, after) for label, before, after in response.context["milestones"]}
    assert rows["stakeholder submission deadline"] == (
        OWN_MILESTONES["stakeholder_deadline"],
        SHIFTED_182_DAYS["stakeholder_deadline"],
    )
    assert rows["review in the Working Group"] == (day(2026, 5, 6), day(2026, 11, 4))
    assertContains(
        response,
        '<tr><th scope="row">Stakeholder submission deadline</th>'
        '<td><time datetime="2025-10-13T23:59+02:00">13 Oct 2025, 23:59 Geneva time</time></td>'
        '<td><time datetime="2026-04-13T23:59+02:00">13 Apr 2026, 23:59 Geneva time</time></td></tr>',
        html=True,
    )
    assertContains(response, f'<input type="hidden" name="move_previewed" value="{sessions[53].pk}:shift">', html=True)
    assertContains(response, "Confirm the move")
    assert milestones(review) == OWN_MILESTONES
    assert review.session.number == 50


@pytest.mark.django_db(transaction=True)
def test_move_action_confirmed_moves_logs_and_says_how_many_people_were_told(superuser_client, sessions):
    review = atlantis(sessions[50])
    working_on(review)

    response = confirm(superuser_client, review, session=sessions[53])

    assertRedirects(response, reverse(CHANGELIST))
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Atlantis moved from session 50 to session 53. 3 people working on it were told."]
    assert milestones(review) == SHIFTED_182_DAYS
    assert (review.session.number, review.rescheduled_from.number) == (53, 50)
    assert sorted(Notification.objects.values_list("user__email", flat=True)) == [
        "amina@example.org",
        "both@example.org",
        "ocean@example.org",
    ]
    assert OutboxMessage.objects.filter(kind="deadlines.review_moved").count() == 3
    assert LogEntry.objects.get(object_id=str(review.pk)).get_change_message() == "Moved from session 50 to session 53."


def test_move_action_refusal_is_shown_on_the_session_field_and_nothing_changes(superuser_client, sessions):
    review = atlantis(sessions[50])
    ReviewFactory(state=review.state, session=sessions[53])

    response = confirm(superuser_client, review, session=sessions[53])

    assert response.context["form"].errors == {"session": ["Atlantis is already reviewed in session 53 of this cycle."]}
    assertContains(response, "Atlantis is already reviewed in session 53 of this cycle.", count=1)
    assert milestones(review) == OWN_MILESTONES
    assert (review.session.number, review.rescheduled_from) == (50, None)


def test_move_action_shift_towards_an_undated_session_is_refused_on_the_milestones_field(superuser_client, sessions):
    review = atlantis(sessions[50])

    response = preview(superuser_client, review, session=sessions[51])

    assert list(response.context["form"].errors) == ["milestones"]
    assertNotContains(response, "Confirm the move")
    review.refresh_from_db()
    assert review.session.number == 50


def test_move_action_confirming_another_choice_than_previewed_previews_it_first(superuser_client, sessions):
    review = atlantis(sessions[50])

    response = confirm(
        superuser_client, review, session=sessions[53], mode=MILESTONES_SESSION, previewed=f"{sessions[53].pk}:shift"
    )

    assert response.context["previewed"] == f"{sessions[53].pk}:session"
    review.refresh_from_db()
    assert (review.session.number, review.rescheduled_from) == (50, None)


def test_move_action_refuses_a_session_of_another_cycle(superuser_client, sessions):
    review = atlantis(sessions[50])

    response = preview(superuser_client, review, session=sessions[60])

    assert list(response.context["form"].errors) == ["session"]
    review.refresh_from_db()
    assert review.session.number == 50


# The "rescheduled" mark

RESCHEDULED_BADGE = '<span class="badge text-bg-secondary review-rescheduled">Rescheduled (from session 50)</span>'


def test_review_list_in_the_admin_marks_and_filters_rescheduled_reviews(superuser_client, sessions):
    moved = atlantis(sessions[53], rescheduled_from=sessions[50], **SHIFTED_182_DAYS)
    ReviewFactory(state=StateFactory(name="Borduria"), session=sessions[53])

    everything = superuser_client.get(reverse(CHANGELIST))
    rescheduled = superuser_client.get(reverse(CHANGELIST), {"rescheduled": "yes"})
    not_moved = superuser_client.get(reverse(CHANGELIST), {"rescheduled": "no"})

    assertContains(everything, '<td class="field-rescheduled">Rescheduled (from session 50)</td>', html=True)
    assert [r.state.name for r in rescheduled.context["cl"].result_list] == [moved.state.name]
    assert [r.state.name for r in not_moved.context["cl"].result_list] == ["Borduria"]


def test_portal_pages_show_a_rescheduled_review_as_such(client, sessions):
    upcoming = SessionFactory(number=54)  # its dates ahead, whatever today is
    review = ReviewFactory(state=StateFactory(name="Atlantis"), session=upcoming, rescheduled_from=sessions[50])
    ReviewFactory(state=StateFactory(name="Borduria"), session=upcoming)
    user = UserFactory()
    coalition = new_coalition(name="Atlantis UPR Coalition")
    MembershipFactory(coalition=coalition, user=user)
    coalition.reviews.add(review)

    home = client.get(reverse("home"))
    client.force_login(user)
    coalition_home = client.get(reverse("coalitions:home", args=[coalition.pk]))

    assertContains(home, RESCHEDULED_BADGE, count=1, html=True)
    assertContains(coalition_home, RESCHEDULED_BADGE, count=1, html=True)
