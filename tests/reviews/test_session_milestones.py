"""Milestones set once on the session, applied to the reviews that follow it, overridden per review."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from reviews.models import Review
from tests.factories import CycleFactory, ReviewFactory, SessionFactory, StateFactory

ZURICH = ZoneInfo("Europe/Zurich")
D = datetime.date

# Session 54's calendar: Working Group 18-29 January 2027.
MILESTONES = {
    "submission_window_opens": D(2026, 6, 5),
    "stakeholder_deadline": D(2026, 7, 17),
    "national_report_deadline": D(2026, 10, 19),
    "pre_session": D(2026, 12, 14),
    "adoption_date": D(2027, 6, 25),
    "mid_term_report_due": D(2029, 3, 1),
}


def _moment(day: datetime.date, hour: int = 23, minute: int = 59) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=ZURICH)


def _session(**kwargs):
    return SessionFactory(
        number=54, cycle=CycleFactory(), wg_start=D(2027, 1, 18), wg_end=D(2027, 1, 29), **{**MILESTONES, **kwargs}
    )


def _session_change_post(session, reviews, **overrides) -> dict:
    """The session's change form as the admin page sends it, its reviews' rows unchanged."""
    data = {
        "number": str(session.number),
        "cycle": session.cycle_id,
        "hrc_session": "",
        "wg_start": session.wg_start.isoformat(),
        "wg_end": session.wg_end.isoformat(),
        "deadline_time": session.deadline_time.strftime("%H:%M"),
        **{name: getattr(session, name).isoformat() for name in MILESTONES},
        "source": "",
        "reviews-TOTAL_FORMS": str(len(reviews)),
        "reviews-INITIAL_FORMS": str(len(reviews)),
        "reviews-MIN_NUM_FORMS": "0",
        "reviews-MAX_NUM_FORMS": "1000",
    }
    for index, review in enumerate(reviews):
        data |= {
            f"reviews-{index}-id": review.pk,
            f"reviews-{index}-session": session.pk,
            f"reviews-{index}-state": review.state_id,
            f"reviews-{index}-status": review.status,
            f"reviews-{index}-order": "" if review.order is None else str(review.order),
        }
        if review.milestones_from_session:
            data[f"reviews-{index}-milestones_from_session"] = "on"
    data.update(overrides)
    return data


def _review_post(review, **overrides) -> dict:
    data = {
        "state": review.state_id,
        "session": review.session_id,
        "order": "",
        "status": review.status,
        "submission_window_opens_0": "",
        "submission_window_opens_1": "",
        "stakeholder_deadline_0": "",
        "stakeholder_deadline_1": "",
        "national_report_deadline_0": "",
        "national_report_deadline_1": "",
        "pre_session": "",
        "review_date": "",
        "adoption_date": "",
        "mid_term_report_due": "",
        "note": "",
    }
    data.update(overrides)
    return data


def _form_errors(response) -> dict:
    return {field: list(errors) for field, errors in response.context["adminform"].form.errors.items()}


# The one rule ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_review_milestones_are_the_sessions_in_the_reviews_shape():
    session = _session(deadline_time=datetime.time(12, 0))

    assert session.review_milestones() == {
        "submission_window_opens": _moment(D(2026, 6, 5), 0, 0),
        "stakeholder_deadline": _moment(D(2026, 7, 17), 12, 0),
        "national_report_deadline": _moment(D(2026, 10, 19), 12, 0),
        "pre_session": D(2026, 12, 14),
        "adoption_date": D(2027, 6, 25),
        "mid_term_report_due": D(2029, 3, 1),
    }


@pytest.mark.django_db
def test_review_milestones_of_suspended_review_have_no_stakeholder_deadline():
    milestones = _session().review_milestones(status=Review.Status.SUBMISSIONS_SUSPENDED)

    assert (milestones["stakeholder_deadline"], milestones["national_report_deadline"]) == (
        None,
        _moment(D(2026, 10, 19)),
    )


# The session's page ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_session_save_applies_milestones_to_following_reviews_only(superuser_client):
    session = _session()
    following = ReviewFactory(state=StateFactory(name="Kenya"), session=session, order=1)
    own = ReviewFactory(
        state=StateFactory(name="Myanmar"),
        session=session,
        order=2,
        milestones_from_session=False,
        stakeholder_deadline=_moment(D(2026, 9, 1)),
    )

    response = superuser_client.post(
        reverse("admin:reviews_session_change", args=[session.pk]),
        _session_change_post(session, [following, own], national_report_deadline="2026-10-26"),
    )

    assertRedirects(response, reverse("admin:reviews_session_changelist"))
    following.refresh_from_db()
    own.refresh_from_db()
    assert (following.stakeholder_deadline, following.national_report_deadline, following.pre_session) == (
        _moment(D(2026, 7, 17)),
        _moment(D(2026, 10, 26)),
        D(2026, 12, 14),
    )
    assert (own.stakeholder_deadline, own.national_report_deadline, own.pre_session) == (
        _moment(D(2026, 9, 1)),
        None,
        None,
    )


@pytest.mark.django_db
def test_admin_session_deadline_time_change_reapplies(superuser_client):
    session = _session()
    review = ReviewFactory(session=session)
    session.apply_milestones()

    superuser_client.post(
        reverse("admin:reviews_session_change", args=[session.pk]),
        _session_change_post(session, [review], deadline_time="12:00"),
    )

    review.refresh_from_db()
    assert (review.stakeholder_deadline, review.national_report_deadline) == (
        _moment(D(2026, 7, 17), 12, 0),
        _moment(D(2026, 10, 19), 12, 0),
    )


@pytest.mark.django_db
def test_admin_session_review_added_in_inline_follows_the_session(superuser_client):
    session = _session()
    state = StateFactory(name="Kenya")
    data = _session_change_post(session, [])
    data |= {
        "reviews-TOTAL_FORMS": "1",
        "reviews-0-state": state.pk,
        "reviews-0-status": "scheduled",
        "reviews-0-order": "1",
        "reviews-0-milestones_from_session": "on",
    }

    response = superuser_client.post(reverse("admin:reviews_session_change", args=[session.pk]), data)

    assertRedirects(response, reverse("admin:reviews_session_changelist"))
    review = Review.objects.get(state=state)
    assert (review.order, review.stakeholder_deadline, review.mid_term_report_due) == (
        1,
        _moment(D(2026, 7, 17)),
        D(2029, 3, 1),
    )


@pytest.mark.django_db
def test_admin_session_re_ticked_review_takes_the_sessions_milestones(superuser_client):
    session = _session()
    review = ReviewFactory(session=session, milestones_from_session=False, stakeholder_deadline=_moment(D(2026, 9, 1)))
    data = _session_change_post(session, [review], **{"reviews-0-milestones_from_session": "on"})

    superuser_client.post(reverse("admin:reviews_session_change", args=[session.pk]), data)

    review.refresh_from_db()
    assert (review.milestones_from_session, review.stakeholder_deadline) == (True, _moment(D(2026, 7, 17)))


@pytest.mark.django_db
def test_admin_session_page_lists_reviews_in_un_order_with_effective_milestones(superuser_client):
    session = _session()
    ReviewFactory(state=StateFactory(name="Albania"), session=session, order=None)
    ReviewFactory(state=StateFactory(name="Zambia"), session=session, order=1)
    ReviewFactory(state=StateFactory(name="Kenya"), session=session, order=2)
    ReviewFactory(
        state=StateFactory(name="Myanmar"),
        session=session,
        order=3,
        status=Review.Status.SUBMISSIONS_SUSPENDED,
    )
    session.apply_milestones()

    response = superuser_client.get(reverse("admin:reviews_session_change", args=[session.pk]))

    formset = response.context["inline_admin_formsets"][0].formset
    assert [form.instance.state.name for form in formset.forms] == ["Zambia", "Kenya", "Myanmar", "Albania"]
    # Myanmar (submissions suspended) has no stakeholder deadline, nor has the blank row for a new review.
    assertContains(
        response, '<td class="field-stakeholder_deadline_geneva"><p>17 Jul 2026, 23:59</p></td>', 3, html=True
    )
    assertContains(response, '<td class="field-stakeholder_deadline_geneva"><p>–</p></td>', 2, html=True)
    assertContains(response, '<td class="field-pre_session_day"><p>14 Dec 2026</p></td>', 4, html=True)
    assertContains(response, 'name="reviews-0-milestones_from_session"')


# The review's page -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_review_added_to_session_with_milestones_follows_them(superuser_client):
    session = _session()
    state = StateFactory()

    response = superuser_client.post(
        reverse("admin:reviews_review_add"),
        _review_post(Review(state=state, session=session), milestones_from_session="on"),
    )

    assertRedirects(response, reverse("admin:reviews_review_changelist"))
    review = Review.objects.get(state=state)
    assert (review.submission_window_opens, review.stakeholder_deadline, review.adoption_date) == (
        _moment(D(2026, 6, 5), 0, 0),
        _moment(D(2026, 7, 17)),
        D(2027, 6, 25),
    )


@pytest.mark.django_db
def test_admin_review_following_session_date_typed_over_refused_on_field(superuser_client):
    session = _session()
    review = ReviewFactory(session=session)
    session.apply_milestones()

    response = superuser_client.post(
        reverse("admin:reviews_review_change", args=[review.pk]),
        _review_post(
            review,
            milestones_from_session="on",
            stakeholder_deadline_0="2026-07-24",
            national_report_deadline_0="2026-10-19",
            pre_session="2026-12-14",
        ),
    )

    assert _form_errors(response) == {
        "stakeholder_deadline": [
            "Session 54 sets this date for its reviews. Untick “milestones from the session” to give this "
            "review its own."
        ]
    }
    review.refresh_from_db()
    assert review.stakeholder_deadline == _moment(D(2026, 7, 17))


@pytest.mark.django_db
def test_admin_review_unticked_keeps_its_own_dates_and_later_session_saves(superuser_client):
    session = _session()
    review = ReviewFactory(session=session)
    session.apply_milestones()

    response = superuser_client.post(
        reverse("admin:reviews_review_change", args=[review.pk]),
        _review_post(review, stakeholder_deadline_0="2026-07-24", stakeholder_deadline_1="12:00"),
    )
    superuser_client.post(reverse("admin:reviews_session_change", args=[session.pk]), _session_change_post(session, []))

    assertRedirects(response, reverse("admin:reviews_review_changelist"))
    review.refresh_from_db()
    assert (review.milestones_from_session, review.stakeholder_deadline, review.pre_session) == (
        False,
        _moment(D(2026, 7, 24), 12, 0),
        None,
    )


@pytest.mark.django_db
def test_admin_review_following_session_keeps_a_milestone_the_session_lacks(superuser_client):
    session = _session(pre_session=None)
    review = ReviewFactory(session=session)

    superuser_client.post(
        reverse("admin:reviews_review_change", args=[review.pk]),
        _review_post(review, milestones_from_session="on", pre_session="2026-12-07"),
    )

    review.refresh_from_db()
    assert (review.pre_session, review.stakeholder_deadline) == (D(2026, 12, 7), _moment(D(2026, 7, 17)))


@pytest.mark.django_db
def test_admin_review_page_says_which_session_sets_the_dates(superuser_client):
    session = _session()
    review = ReviewFactory(session=session)

    response = superuser_client.get(reverse("admin:reviews_review_change", args=[review.pk]))

    assertContains(response, "Set by session 54 while “milestones from the session” is ticked.", 6)


@pytest.mark.django_db
def test_a_session_milestone_that_breaks_a_following_review_is_refused_on_the_field_naming_the_state():
    """The review's own day is after the session's new stakeholder deadline? No: before it. Saving such a
    session would make the database refuse the update of its reviews; the form says why instead."""
    session = SessionFactory(
        number=47,
        wg_start=datetime.date(2026, 11, 2),
        wg_end=datetime.date(2026, 11, 13),
        deadline_time=datetime.time(23, 59),
    )
    kenya = ReviewFactory(
        session=session, state=StateFactory(name="Kenya", code="KEN"), review_date=datetime.date(2026, 11, 3)
    )
    session.national_report_deadline = datetime.date(2026, 11, 5)

    with pytest.raises(ValidationError) as refused:
        session.full_clean()

    assert refused.value.message_dict["national_report_deadline"] == [
        "Kenya's review: The national report deadline must come before the review (2026-11-03)."
    ]
    kenya.refresh_from_db()
    assert kenya.national_report_deadline is None
