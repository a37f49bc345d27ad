import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from reviews.models import DocumentLimit, Review, Session, State
from tests.factories import (
    CycleFactory,
    DocumentLimitFactory,
    RegionalGroupFactory,
    ReviewFactory,
    SessionFactory,
    StateFactory,
)

ZURICH = ZoneInfo("Europe/Zurich")


def _review_post(*, state, session, **overrides) -> dict:
    data = {
        "state": state.pk,
        "session": session.pk,
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
        "status": "scheduled",
        "note": "",
    }
    data.update(overrides)
    return data


def _form_errors(response) -> dict:
    return {field: list(errors) for field, errors in response.context["adminform"].form.errors.items()}


@pytest.mark.django_db
def test_admin_review_add_with_date_only_deadlines_saves_2359_geneva(superuser_client):
    state, session = StateFactory(), SessionFactory()

    response = superuser_client.post(
        reverse("admin:reviews_review_add"),
        _review_post(
            state=state,
            session=session,
            stakeholder_deadline_0="2026-03-31",
            national_report_deadline_0="2026-08-10",
            national_report_deadline_1="12:00",
        ),
    )

    review = Review.objects.get(state=state)
    assertRedirects(response, reverse("admin:reviews_review_changelist"))
    assert review.stakeholder_deadline == datetime.datetime(2026, 3, 31, 23, 59, tzinfo=ZURICH)
    assert review.national_report_deadline == datetime.datetime(2026, 8, 10, 12, 0, tzinfo=ZURICH)


@pytest.mark.django_db
def test_admin_review_add_with_date_only_deadline_takes_the_sessions_time(superuser_client):
    state = StateFactory()
    session = SessionFactory(number=40, cycle=CycleFactory(number=3, start_year=2017), deadline_time="12:00")

    superuser_client.post(
        reverse("admin:reviews_review_add"),
        _review_post(
            state=state,
            session=session,
            stakeholder_deadline_0="2021-07-15",
            national_report_deadline_0="2021-10-18",
            national_report_deadline_1="23:59",
        ),
    )

    review = Review.objects.get(state=state)
    assert review.stakeholder_deadline == datetime.datetime(2021, 7, 15, 12, 0, tzinfo=ZURICH)
    assert review.national_report_deadline == datetime.datetime(2021, 10, 18, 23, 59, tzinfo=ZURICH)


@pytest.mark.django_db
def test_admin_session_inline_review_takes_the_sessions_deadline_at_its_time(superuser_client):
    # The inline shows the milestones read-only: the session sets them, at its own time of day.
    state = StateFactory()
    data = {
        "number": "40",
        "cycle": CycleFactory(number=3, start_year=2017).pk,
        "wg_start": "",
        "wg_end": "",
        "hrc_session": "",
        "deadline_time": "12:00",
        "stakeholder_deadline": "2021-07-15",
        "source": "",
        "reviews-TOTAL_FORMS": "1",
        "reviews-INITIAL_FORMS": "0",
        "reviews-MIN_NUM_FORMS": "0",
        "reviews-MAX_NUM_FORMS": "1000",
        "reviews-0-state": state.pk,
        "reviews-0-status": "scheduled",
        "reviews-0-milestones_from_session": "on",
    }

    response = superuser_client.post(reverse("admin:reviews_session_add"), data)

    assertRedirects(response, reverse("admin:reviews_session_changelist"))
    assert Review.objects.get(state=state).stakeholder_deadline == datetime.datetime(2021, 7, 15, 12, 0, tzinfo=ZURICH)


@pytest.mark.django_db
def test_admin_review_changelist_shows_and_filters_status(superuser_client):
    ReviewFactory(state=StateFactory(name="Myanmar"), status=Review.Status.SUBMISSIONS_SUSPENDED)
    ReviewFactory(state=StateFactory(name="Togo"))
    url = reverse("admin:reviews_review_changelist")

    everything = superuser_client.get(url)
    suspended = superuser_client.get(url, {"status__exact": "submissions_suspended"})

    assertContains(everything, '<td class="field-status">Submissions suspended</td>', html=True)
    assertContains(everything, '<td class="field-status">Scheduled</td>', html=True)
    assert [r.state.name for r in suspended.context["cl"].result_list] == ["Myanmar"]


@pytest.mark.django_db
def test_admin_review_change_shows_deadline_in_geneva_time(superuser_client, settings):
    settings.TIME_ZONE = "UTC"
    review = ReviewFactory(stakeholder_deadline=datetime.datetime(2026, 3, 31, 23, 59, tzinfo=ZURICH))

    response = superuser_client.get(reverse("admin:reviews_review_change", args=[review.pk]))

    assertContains(response, 'name="stakeholder_deadline_0" value="2026-03-31"')
    assertContains(response, 'name="stakeholder_deadline_1" value="23:59:00"')


@pytest.mark.django_db
def test_admin_review_add_observer_state_shows_plain_error(superuser_client):
    observer = StateFactory(name="Holy See", status=State.Status.OBSERVER)

    response = superuser_client.post(
        reverse("admin:reviews_review_add"), _review_post(state=observer, session=SessionFactory())
    )

    message = "Holy See is an observer State: observer States are not reviewed."
    assertContains(response, escape(message))
    assert _form_errors(response) == {"state": [message]}
    assert Review.objects.count() == 0


@pytest.mark.django_db
def test_admin_review_add_constraint_violation_shows_plain_error(superuser_client):
    response = superuser_client.post(
        reverse("admin:reviews_review_add"),
        _review_post(
            state=StateFactory(),
            session=SessionFactory(wg_start=None, wg_end=None),
            pre_session="2026-05-10",
            review_date="2026-05-05",
        ),
    )

    message = "The pre-session must come before the review."
    assertContains(response, escape(message))
    assert _form_errors(response) == {"pre_session": [message]}
    assert Review.objects.count() == 0


@pytest.mark.django_db
def test_admin_review_add_stakeholder_after_national_deadline_shows_plain_error(superuser_client):
    response = superuser_client.post(
        reverse("admin:reviews_review_add"),
        _review_post(
            state=StateFactory(),
            session=SessionFactory(),
            stakeholder_deadline_0="2026-09-01",
            national_report_deadline_0="2026-08-10",
        ),
    )

    message = "The stakeholder deadline must come before the national report deadline."
    assertContains(response, escape(message))
    assert _form_errors(response) == {"stakeholder_deadline": [message]}
    assert Review.objects.count() == 0


@pytest.mark.django_db
def test_admin_review_add_time_without_date_shows_error(superuser_client):
    response = superuser_client.post(
        reverse("admin:reviews_review_add"),
        _review_post(state=StateFactory(), session=SessionFactory(), stakeholder_deadline_1="12:00"),
    )

    assert _form_errors(response) == {"stakeholder_deadline": ["Enter the date of the deadline."]}
    assert Review.objects.count() == 0


@pytest.mark.django_db
def test_admin_review_change_to_second_session_in_cycle_names_the_other_session(superuser_client):
    state = StateFactory(name="Atlantis")
    ReviewFactory(state=state, session=SessionFactory(number=50))
    review = ReviewFactory(state=StateFactory(), session=SessionFactory(number=53))

    response = superuser_client.post(
        reverse("admin:reviews_review_change", args=[review.pk]), _review_post(state=state, session=review.session)
    )

    message = "Atlantis is already reviewed in session 50 of this cycle."
    assertContains(response, escape(message))
    assert _form_errors(response) == {"state": [message]}
    review.refresh_from_db()
    assert review.state.name != "Atlantis"


@pytest.mark.django_db
def test_admin_review_add_review_date_outside_session_shows_error(superuser_client):
    session = SessionFactory(wg_start=datetime.date(2026, 5, 4), wg_end=datetime.date(2026, 5, 15))

    response = superuser_client.post(
        reverse("admin:reviews_review_add"),
        _review_post(state=StateFactory(), session=session, review_date="2026-06-01"),
    )

    assert _form_errors(response) == {
        "review_date": [
            "The review must take place during the Working Group session, between 2026-05-04 and 2026-05-15."
        ]
    }
    assert Review.objects.count() == 0


@pytest.mark.django_db
def test_admin_session_add_with_closing_before_opening_shows_error(superuser_client):
    data = {
        "number": "60",
        "cycle": CycleFactory().pk,
        "wg_start": "2026-05-15",
        "wg_end": "2026-05-04",
        "hrc_session": "",
        "deadline_time": "23:59",
        "source": "",
        "reviews-TOTAL_FORMS": "0",
        "reviews-INITIAL_FORMS": "0",
        "reviews-MIN_NUM_FORMS": "0",
        "reviews-MAX_NUM_FORMS": "1000",
    }

    response = superuser_client.post(reverse("admin:reviews_session_add"), data)

    message = (
        "Give both the opening and closing dates of the Working Group, the closing date on or after the "
        "opening date, or leave both empty."
    )
    assertContains(response, escape(message))
    assert _form_errors(response) == {"wg_end": [message]}
    assert Session.objects.count() == 0


@pytest.mark.django_db
def test_admin_session_inline_review_of_observer_shows_error(superuser_client):
    observer = StateFactory(name="Holy See", status=State.Status.OBSERVER)
    data = {
        "number": "60",
        "cycle": CycleFactory().pk,
        "wg_start": "",
        "wg_end": "",
        "hrc_session": "",
        "deadline_time": "23:59",
        "source": "",
        "reviews-TOTAL_FORMS": "1",
        "reviews-INITIAL_FORMS": "0",
        "reviews-MIN_NUM_FORMS": "0",
        "reviews-MAX_NUM_FORMS": "1000",
        "reviews-0-state": observer.pk,
        "reviews-0-status": "scheduled",
        "reviews-0-stakeholder_deadline_0": "2026-03-31",
        "reviews-0-stakeholder_deadline_1": "",
        "reviews-0-national_report_deadline_0": "",
        "reviews-0-national_report_deadline_1": "",
        "reviews-0-review_date": "",
    }

    response = superuser_client.post(reverse("admin:reviews_session_add"), data)

    message = "Holy See is an observer State: observer States are not reviewed."
    assertContains(response, escape(message))
    assert response.context["inline_admin_formsets"][0].formset.errors == [{"state": [message]}]
    assert (Session.objects.count(), Review.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_admin_state_add_duplicate_code_shows_error(superuser_client):
    StateFactory(code="KEN", name="Kenya")
    data = {
        "code": "KEN",
        "name": "Kenya again",
        "status": "member",
        "note": "",
        "group_memberships-TOTAL_FORMS": "0",
        "group_memberships-INITIAL_FORMS": "0",
        "group_memberships-MIN_NUM_FORMS": "0",
        "group_memberships-MAX_NUM_FORMS": "1000",
    }

    response = superuser_client.post(reverse("admin:reviews_state_add"), data)

    assert _form_errors(response) == {"code": ["State with this ISO 3166-1 alpha-3 code already exists."]}
    assert State.objects.count() == 1


@pytest.mark.django_db
def test_admin_document_limit_duplicate_shows_error(superuser_client):
    limit = DocumentLimitFactory()
    data = {"cycle": limit.cycle.pk, "kind": limit.kind, "max_words": "100", "max_pages": "", "note": ""}

    response = superuser_client.post(reverse("admin:reviews_documentlimit_add"), data)

    message = "This cycle already has a limit for this kind of document."
    assertContains(response, escape(message))
    assert _form_errors(response) == {"__all__": [message]}
    assert DocumentLimit.objects.count() == 1


@pytest.mark.django_db
def test_admin_review_changelist_shows_geneva_deadline_and_searches_by_code(superuser_client):
    ReviewFactory(
        state=StateFactory(code="ATL", name="Atlantis"),
        stakeholder_deadline=datetime.datetime(2026, 3, 31, 23, 59, tzinfo=ZURICH),
    )
    ReviewFactory(state=StateFactory(code="ELD", name="Eldorado"))

    response = superuser_client.get(reverse("admin:reviews_review_changelist"), {"q": "ATL"})

    assertContains(response, "31 Mar 2026, 23:59")
    assertNotContains(response, "Eldorado")
    assert [review.state.name for review in response.context["cl"].result_list] == ["Atlantis"]


@pytest.mark.django_db
def test_admin_review_changelist_filters_upcoming_and_regional_group(superuser_client):
    group = RegionalGroupFactory(code="african", name="African Group")
    kenya = StateFactory(name="Kenya")
    kenya.group_memberships.create(group=group)
    past = SessionFactory(wg_start=datetime.date(2020, 1, 6), wg_end=datetime.date(2020, 1, 17))
    ReviewFactory(state=kenya)
    ReviewFactory(state=StateFactory(name="Ghana"), session=past)
    ReviewFactory(state=StateFactory(name="Peru"))
    url = reverse("admin:reviews_review_changelist")

    upcoming = superuser_client.get(url, {"upcoming": "yes"})
    african = superuser_client.get(url, {"state__regional_groups__id__exact": group.pk})

    assert sorted(r.state.name for r in upcoming.context["cl"].result_list) == ["Kenya", "Peru"]
    assert [r.state.name for r in african.context["cl"].result_list] == ["Kenya"]


@pytest.mark.django_db
def test_admin_session_changelist_upcoming_leaves_out_unknown_dates(superuser_client):
    SessionFactory(number=40, wg_start=datetime.date(2022, 11, 7), wg_end=datetime.date(2022, 11, 18))
    SessionFactory(number=53, wg_start=None, wg_end=None)
    SessionFactory(number=52)

    response = superuser_client.get(reverse("admin:reviews_session_changelist"), {"upcoming": "yes"})

    # The admin's "Upcoming" counts dated sessions only (reviews/admin/lists.py); "Dates unknown" has 53.
    assert sorted(s.number for s in response.context["cl"].result_list) == [52]


@pytest.mark.django_db
def test_admin_state_changelist_searches_and_filters(superuser_client):
    group = RegionalGroupFactory(code="weog", name="WEOG")
    StateFactory(code="TUR", name="Türkiye").group_memberships.create(group=group)
    StateFactory(code="VAT", name="Holy See", status=State.Status.OBSERVER)
    url = reverse("admin:reviews_state_changelist")

    by_name = superuser_client.get(url, {"q": "Türk"})
    observers = superuser_client.get(url, {"status__exact": "observer"})
    in_weog = superuser_client.get(url, {"regional_groups__id__exact": group.pk})

    assert [s.code for s in by_name.context["cl"].result_list] == ["TUR"]
    assert [s.code for s in observers.context["cl"].result_list] == ["VAT"]
    assertContains(in_weog, "WEOG")
    assert [s.code for s in in_weog.context["cl"].result_list] == ["TUR"]


@pytest.mark.django_db
def test_admin_state_autocomplete_for_review_inline(superuser_client):
    StateFactory(code="KEN", name="Kenya")
    StateFactory(code="GHA", name="Ghana")

    response = superuser_client.get(
        reverse("admin:autocomplete"),
        {"term": "ken", "app_label": "reviews", "model_name": "review", "field_name": "state"},
    )

    assert [item["text"] for item in response.json()["results"]] == ["Kenya"]


@pytest.mark.parametrize(
    "name",
    [
        "reviews_state",
        "reviews_regionalgroup",
        "reviews_cycle",
        "reviews_session",
        "reviews_review",
        "reviews_documentlimit",
    ],
)
@pytest.mark.django_db
def test_admin_changelists_render(superuser_client, name):
    ReviewFactory(state=StateFactory(name="Atlantis"))
    DocumentLimitFactory()

    response = superuser_client.get(reverse(f"admin:{name}_changelist"))

    assert (response.status_code, response.context["cl"].model._meta.db_table) == (200, name)


@pytest.mark.django_db
def test_admin_cycle_change_shows_limits_inline(superuser_client):
    limit = DocumentLimitFactory(max_words=5630)

    response = superuser_client.get(reverse("admin:reviews_cycle_change", args=[limit.cycle.pk]))

    assertContains(response, 'name="limits-0-max_words" value="5630"')


@pytest.mark.django_db
def test_admin_session_changelist_searches_by_state_under_review(superuser_client):
    ReviewFactory(state=StateFactory(name="Kenya"), session=SessionFactory(number=49))
    ReviewFactory(state=StateFactory(name="Ghana"), session=SessionFactory(number=42))

    response = superuser_client.get(reverse("admin:reviews_session_changelist"), {"q": "Kenya"})

    assert [s.number for s in response.context["cl"].result_list] == [49]


@pytest.mark.django_db
def test_admin_review_changelist_past_filter_leaves_out_upcoming_and_undated(superuser_client):
    past = SessionFactory(wg_start=datetime.date(2020, 1, 6), wg_end=datetime.date(2020, 1, 17))
    ReviewFactory(state=StateFactory(name="Ghana"), session=past)
    ReviewFactory(state=StateFactory(name="Kenya"))
    ReviewFactory(state=StateFactory(name="Peru"), session=SessionFactory(wg_start=None, wg_end=None))

    response = superuser_client.get(reverse("admin:reviews_review_changelist"), {"upcoming": "no"})

    assert [r.state.name for r in response.context["cl"].result_list] == ["Ghana"]


@pytest.mark.django_db
def test_admin_session_changelist_past_filter_leaves_out_upcoming_and_undated(superuser_client):
    SessionFactory(number=40, wg_start=datetime.date(2022, 11, 7), wg_end=datetime.date(2022, 11, 18))
    SessionFactory(number=53, wg_start=None, wg_end=None)
    SessionFactory(number=52)

    response = superuser_client.get(reverse("admin:reviews_session_changelist"), {"upcoming": "no"})

    assert [s.number for s in response.context["cl"].result_list] == [40]
