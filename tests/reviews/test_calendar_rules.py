"""A calendar that cannot contradict itself: each rule refused with its message on the field it concerns
(model validation and the admin), and the boundary just inside it accepted."""

import csv
import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from reviews.models import Review, Session, State
from reviews.services import DEFAULT_DATA_DIR
from reviews.validators import ISO_3166_ALPHA3_FILE, iso3166_alpha3_codes
from tests.factories import CycleFactory, ReviewFactory, SessionFactory, StateFactory

ZURICH = ZoneInfo("Europe/Zurich")
D = datetime.date


def _clean_errors(obj) -> dict:
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    return excinfo.value.message_dict


def _form_errors(response) -> dict:
    return {field: list(errors) for field, errors in response.context["adminform"].form.errors.items()}


def _session_post(*, number, cycle, reviews=(), **overrides) -> dict:
    """A session's admin form; ``reviews``: (state, extra fields) pairs for new rows of its inline."""
    data = {
        "number": str(number),
        "cycle": cycle.pk,
        "hrc_session": "",
        "wg_start": "",
        "wg_end": "",
        "deadline_time": "23:59",
        "submission_window_opens": "",
        "stakeholder_deadline": "",
        "national_report_deadline": "",
        "pre_session": "",
        "adoption_date": "",
        "mid_term_report_due": "",
        "source": "",
        "reviews-TOTAL_FORMS": str(len(reviews)),
        "reviews-INITIAL_FORMS": "0",
        "reviews-MIN_NUM_FORMS": "0",
        "reviews-MAX_NUM_FORMS": "1000",
    }
    for index, state in enumerate(reviews):
        data |= {f"reviews-{index}-state": state.pk, f"reviews-{index}-status": "scheduled"}
    data.update(overrides)
    return data


def _review_post(*, state, session, **overrides) -> dict:
    data = {
        "state": state.pk,
        "session": session.pk,
        "order": "",
        "status": "scheduled",
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


# ISO 3166-1 alpha-3 -------------------------------------------------------------------------------


def test_iso_file_lists_the_249_assigned_codes_once_each():
    with ISO_3166_ALPHA3_FILE.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))

    codes = [row["code"] for row in rows]
    assert (len(codes), len(set(codes)), len(iso3166_alpha3_codes())) == (249, 249, 249)
    assert all(len(code) == 3 and code.isupper() and row["name"] for code, row in zip(codes, rows, strict=True))
    assert (iso3166_alpha3_codes()["KEN"], iso3166_alpha3_codes()["VAT"], iso3166_alpha3_codes()["PSE"]) == (
        "Kenya",
        "Holy See",
        "State of Palestine",
    )


def test_iso_file_covers_every_state_of_the_reference_data():
    with (DEFAULT_DATA_DIR / "states.csv").open(newline="", encoding="utf-8") as handle:
        states = [row["code"] for row in csv.DictReader(handle)]

    assert len(states) == 195
    assert sorted(set(states) - set(iso3166_alpha3_codes())) == []


def test_iso_file_source_is_documented():
    sources = (DEFAULT_DATA_DIR / "SOURCES.md").read_text(encoding="utf-8")

    assert "| `iso3166-1-alpha3.csv` |" in sources
    assert "ISO 3166 Maintenance Agency" in sources


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["QQQ", "XKX", "QAA", "ZZZ"])
def test_state_code_not_assigned_by_iso_refused(code):
    state = State(code=code, name="Nowhere")

    assert _clean_errors(state) == {"code": [f"{code} is not an ISO 3166-1 alpha-3 code."]}


@pytest.mark.django_db
def test_state_code_of_wrong_shape_gets_one_message():
    assert _clean_errors(State(code="ke", name="Kenya")) == {"code": ["Enter three capital letters, for example KEN."]}


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["KEN", "VAT", "PSE", "ZWE", "ABW"])
def test_state_code_assigned_by_iso_accepted(code):
    state = State(code=code, name="Somewhere")

    state.full_clean()

    assert state.code == code


@pytest.mark.django_db
def test_admin_state_add_made_up_code_refused_on_code(superuser_client):
    data = {
        "code": "QQQ",
        "name": "Qland",
        "status": "member",
        "note": "",
        "group_memberships-TOTAL_FORMS": "0",
        "group_memberships-INITIAL_FORMS": "0",
        "group_memberships-MIN_NUM_FORMS": "0",
        "group_memberships-MAX_NUM_FORMS": "1000",
    }

    response = superuser_client.post(reverse("admin:reviews_state_add"), data)

    assert _form_errors(response) == {"code": ["QQQ is not an ISO 3166-1 alpha-3 code."]}
    assert State.objects.count() == 0


# Sessions: overlap and cycle years ---------------------------------------------------------------


@pytest.mark.django_db
def test_session_overlapping_another_refused_naming_it():
    cycle = CycleFactory()
    SessionFactory(number=47, cycle=cycle, wg_start=D(2024, 11, 4), wg_end=D(2024, 11, 15))
    session = Session(number=48, cycle=cycle, wg_start=D(2024, 11, 15), wg_end=D(2024, 11, 26))

    assert _clean_errors(session) == {"wg_start": ["These dates overlap session 47, from 2024-11-04 to 2024-11-15."]}


@pytest.mark.django_db
def test_session_starting_the_day_after_another_closes_accepted():
    cycle = CycleFactory()
    SessionFactory(number=47, cycle=cycle, wg_start=D(2024, 11, 4), wg_end=D(2024, 11, 15))
    session = Session(number=48, cycle=cycle, wg_start=D(2024, 11, 16), wg_end=D(2024, 11, 27))

    session.full_clean()

    assert session.wg_start == D(2024, 11, 16)


@pytest.mark.django_db
def test_session_changed_does_not_overlap_itself():
    session = SessionFactory(number=47, cycle=CycleFactory(), wg_start=D(2024, 11, 4), wg_end=D(2024, 11, 15))
    session.wg_end = D(2024, 11, 14)

    session.full_clean()

    assert session.wg_end == D(2024, 11, 14)


@pytest.mark.django_db
def test_admin_session_overlapping_another_refused_on_wg_start(superuser_client):
    cycle = CycleFactory()
    SessionFactory(number=47, cycle=cycle, wg_start=D(2024, 11, 4), wg_end=D(2024, 11, 15))

    response = superuser_client.post(
        reverse("admin:reviews_session_add"),
        _session_post(number=48, cycle=cycle, wg_start="2024-11-11", wg_end="2024-11-22"),
    )

    assert _form_errors(response) == {"wg_start": ["These dates overlap session 47, from 2024-11-04 to 2024-11-15."]}
    assert list(Session.objects.values_list("number", flat=True)) == [47]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end", "errors"),
    [
        (
            D(2021, 11, 1),
            D(2021, 11, 12),
            {
                "wg_start": ["Cycle 4 runs from 2022 to 2027: the session cannot fall in 2021."],
                "wg_end": ["Cycle 4 runs from 2022 to 2027: the session cannot fall in 2021."],
            },
        ),
        (
            D(2027, 12, 27),
            D(2028, 1, 7),
            {"wg_end": ["Cycle 4 runs from 2022 to 2027: the session cannot fall in 2028."]},
        ),
    ],
)
def test_session_outside_its_cycles_years_refused(start, end, errors):
    session = Session(
        number=60, cycle=CycleFactory(number=4, start_year=2022, end_year=2027), wg_start=start, wg_end=end
    )

    assert _clean_errors(session) == errors


@pytest.mark.django_db
def test_session_on_its_cycles_first_and_last_days_accepted():
    cycle = CycleFactory(number=4, start_year=2022, end_year=2027)
    first = Session(number=60, cycle=cycle, wg_start=D(2022, 1, 1), wg_end=D(2022, 1, 12))
    last = Session(number=61, cycle=cycle, wg_start=D(2027, 12, 20), wg_end=D(2027, 12, 31))

    first.full_clean()
    last.full_clean()

    assert (first.wg_start.year, last.wg_end.year) == (2022, 2027)


@pytest.mark.django_db
def test_session_before_open_ended_cycle_refused():
    session = Session(
        number=55,
        cycle=CycleFactory(number=5, start_year=2027, end_year=None),
        wg_start=D(2026, 11, 2),
        wg_end=D(2027, 1, 8),
    )

    assert _clean_errors(session) == {"wg_start": ["Cycle 5 starts in 2027: the session cannot fall in 2026."]}


@pytest.mark.django_db
def test_admin_session_outside_cycle_refused_on_wg_start(superuser_client):
    cycle = CycleFactory(number=4, start_year=2022, end_year=2027)

    response = superuser_client.post(
        reverse("admin:reviews_session_add"),
        _session_post(number=40, cycle=cycle, wg_start="2021-11-01", wg_end="2022-01-12"),
    )

    assert _form_errors(response) == {"wg_start": ["Cycle 4 runs from 2022 to 2027: the session cannot fall in 2021."]}
    assert Session.objects.count() == 0


# Sessions: milestones in their places --------------------------------------------------------------

# Working Group 4-15 May 2026; each case moves one milestone out of place and names the field and message.
_WG = {"wg_start": D(2026, 5, 4), "wg_end": D(2026, 5, 15)}
_SESSION_MILESTONE_CASES = [
    (
        {"submission_window_opens": D(2025, 10, 10), "stakeholder_deadline": D(2025, 10, 9)},
        "submission_window_opens",
        "The submission window must open before the stakeholder deadline.",
    ),
    (
        {"submission_window_opens": D(2026, 5, 4)},
        "submission_window_opens",
        "The submission window must open before the Working Group opens.",
    ),
    (
        {"stakeholder_deadline": D(2026, 2, 2), "national_report_deadline": D(2026, 2, 2)},
        "stakeholder_deadline",
        "The stakeholder deadline must come before the national report deadline.",
    ),
    (
        {"stakeholder_deadline": D(2026, 5, 4)},
        "stakeholder_deadline",
        "The stakeholder deadline must come before the Working Group opens.",
    ),
    (
        {"national_report_deadline": D(2026, 4, 1), "pre_session": D(2026, 4, 1)},
        "national_report_deadline",
        "The national report deadline must come before the pre-session.",
    ),
    (
        {"national_report_deadline": D(2026, 5, 10)},
        "national_report_deadline",
        "The national report deadline must come before the Working Group opens.",
    ),
    ({"pre_session": D(2026, 5, 4)}, "pre_session", "The pre-session must come before the Working Group opens."),
    ({"adoption_date": D(2026, 5, 15)}, "adoption_date", "The adoption must come after the Working Group closes."),
    (
        {"adoption_date": D(2026, 9, 25), "mid_term_report_due": D(2026, 9, 25)},
        "mid_term_report_due",
        "The mid-term report must be due after the adoption.",
    ),
    (
        {"mid_term_report_due": D(2026, 5, 1)},
        "mid_term_report_due",
        "The mid-term report must be due after the Working Group closes.",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("values", "field", "message"), _SESSION_MILESTONE_CASES)
def test_session_milestone_out_of_place_refused_on_its_field(values, field, message):
    session = Session(number=52, cycle=CycleFactory(), **_WG, **values)

    assert _clean_errors(session) == {field: [message]}


@pytest.mark.django_db
@pytest.mark.parametrize(("values", "field", "message"), _SESSION_MILESTONE_CASES)
def test_session_milestone_out_of_place_refused_by_database(values, field, message):
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.create(number=52, cycle=CycleFactory(), **_WG, **values)


@pytest.mark.django_db
def test_session_milestones_a_day_inside_their_limits_accepted():
    session = Session(
        number=52,
        cycle=CycleFactory(),
        **_WG,
        submission_window_opens=D(2025, 10, 8),
        stakeholder_deadline=D(2025, 10, 9),
        national_report_deadline=D(2025, 10, 10),
        pre_session=D(2026, 5, 3),
        adoption_date=D(2026, 5, 16),
        mid_term_report_due=D(2026, 5, 17),
    )

    session.full_clean()
    session.save()

    assert Session.objects.get(number=52).pre_session == D(2026, 5, 3)


@pytest.mark.django_db
def test_admin_session_deadline_after_wg_refused_on_the_deadline(superuser_client):
    response = superuser_client.post(
        reverse("admin:reviews_session_add"),
        _session_post(
            number=52,
            cycle=CycleFactory(),
            wg_start="2026-05-04",
            wg_end="2026-05-15",
            stakeholder_deadline="2026-05-04",
        ),
    )

    assert _form_errors(response) == {
        "stakeholder_deadline": ["The stakeholder deadline must come before the Working Group opens."]
    }
    assert Session.objects.count() == 0


# Reviews: deadlines before the review, window before deadline ---------------------------------------


def _session(**kwargs) -> Session:
    return SessionFactory(number=49, cycle=CycleFactory(), wg_start=D(2025, 4, 28), wg_end=D(2025, 5, 9), **kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("stakeholder_deadline", "The stakeholder deadline must come before the review (2025-05-01)."),
        ("national_report_deadline", "The national report deadline must come before the review (2025-05-01)."),
    ],
)
def test_review_deadline_on_the_review_day_in_geneva_refused(field, message):
    # 00:30 on 1 May in Geneva is still 30 April in UTC: the day is Geneva's.
    review = ReviewFactory.build(
        state=StateFactory(),
        session=_session(),
        review_date=D(2025, 5, 1),
        **{field: datetime.datetime(2025, 5, 1, 0, 30, tzinfo=ZURICH)},
    )

    assert _clean_errors(review) == {field: [message]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("stakeholder_deadline", "The stakeholder deadline must come before the Working Group opens (2025-04-28)."),
        (
            "national_report_deadline",
            "The national report deadline must come before the Working Group opens (2025-04-28).",
        ),
    ],
)
def test_review_deadline_after_wg_opens_refused_when_review_day_unknown(field, message):
    review = ReviewFactory.build(
        state=StateFactory(), session=_session(), **{field: datetime.datetime(2025, 4, 29, 23, 59, tzinfo=ZURICH)}
    )

    assert _clean_errors(review) == {field: [message]}


@pytest.mark.django_db
def test_review_deadlines_the_evening_before_the_review_accepted():
    review = ReviewFactory.build(
        state=StateFactory(),
        session=_session(),
        review_date=D(2025, 5, 1),
        stakeholder_deadline=datetime.datetime(2025, 4, 29, 23, 59, tzinfo=ZURICH),
        national_report_deadline=datetime.datetime(2025, 4, 30, 23, 59, tzinfo=ZURICH),
    )

    review.full_clean()

    assert review.national_report_deadline.date() == D(2025, 4, 30)


@pytest.mark.django_db
def test_review_window_opening_after_deadline_refused_on_window():
    review = ReviewFactory.build(
        state=StateFactory(),
        session=_session(),
        submission_window_opens=datetime.datetime(2024, 10, 11, 0, 0, tzinfo=ZURICH),
        stakeholder_deadline=datetime.datetime(2024, 10, 10, 23, 59, tzinfo=ZURICH),
    )

    assert _clean_errors(review) == {
        "submission_window_opens": ["The submission window must open before the stakeholder deadline."]
    }


@pytest.mark.django_db
def test_admin_review_deadline_after_review_refused_on_the_deadline(superuser_client):
    session = _session()

    response = superuser_client.post(
        reverse("admin:reviews_review_add"),
        _review_post(
            state=StateFactory(),
            session=session,
            review_date="2025-05-01",
            national_report_deadline_0="2025-05-02",
        ),
    )

    assert _form_errors(response) == {
        "national_report_deadline": ["The national report deadline must come before the review (2025-05-01)."]
    }
    assert Review.objects.count() == 0


@pytest.mark.django_db
def test_admin_review_window_after_deadline_refused_on_window(superuser_client):
    response = superuser_client.post(
        reverse("admin:reviews_review_add"),
        _review_post(
            state=StateFactory(),
            session=_session(),
            submission_window_opens_0="2024-10-11",
            submission_window_opens_1="00:00",
            stakeholder_deadline_0="2024-10-10",
        ),
    )

    assert _form_errors(response) == {
        "submission_window_opens": ["The submission window must open before the stakeholder deadline."]
    }
    assert Review.objects.count() == 0


# Duplicates name the State ------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_session_inline_state_twice_refused_naming_the_state(superuser_client):
    kenya = StateFactory(code="KEN", name="Kenya")

    response = superuser_client.post(
        reverse("admin:reviews_session_add"),
        _session_post(number=47, cycle=CycleFactory(), reviews=[kenya, kenya]),
    )

    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.errors == [{}, {"state": ["Kenya is already reviewed in session 47 of this cycle."]}]
    assert formset.non_form_errors() == []
    assert (Session.objects.count(), Review.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_admin_session_inline_same_place_twice_refused_on_order(superuser_client):
    data = _session_post(number=47, cycle=CycleFactory(), reviews=[StateFactory(), StateFactory()])
    data |= {"reviews-0-order": "3", "reviews-1-order": "3"}

    response = superuser_client.post(reverse("admin:reviews_session_add"), data)

    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.errors == [{}, {"order": ["Another State already has this place in the session's order."]}]
    assert Review.objects.count() == 0


@pytest.mark.django_db
def test_admin_session_inline_state_reviewed_in_another_session_of_cycle_refused(superuser_client):
    cycle = CycleFactory()
    kenya = StateFactory(code="KEN", name="Kenya")
    ReviewFactory(state=kenya, session=SessionFactory(number=47, cycle=cycle, wg_start=None, wg_end=None))

    response = superuser_client.post(
        reverse("admin:reviews_session_add"), _session_post(number=48, cycle=cycle, reviews=[kenya])
    )

    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.errors == [{"state": ["Kenya is already reviewed in session 47 of this cycle."]}]
    assert Session.objects.count() == 1


@pytest.mark.django_db
def test_admin_review_add_state_already_in_session_refused_on_state(superuser_client):
    kenya = StateFactory(code="KEN", name="Kenya")
    existing = ReviewFactory(state=kenya, session=SessionFactory(number=47))

    response = superuser_client.post(
        reverse("admin:reviews_review_add"), _review_post(state=kenya, session=existing.session)
    )

    assert _form_errors(response) == {"state": ["Kenya is already reviewed in session 47 of this cycle."]}
    assert Review.objects.count() == 1


@pytest.mark.django_db
def test_review_full_clean_same_state_and_session_names_the_state_once():
    kenya = StateFactory(code="KEN", name="Kenya")
    existing = ReviewFactory(state=kenya, session=SessionFactory(number=47))

    assert _clean_errors(Review(state=kenya, session=existing.session)) == {
        "state": ["Kenya is already reviewed in session 47 of this cycle."]
    }


# Dates typed day-first, never month-first ---------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["01/04/2027", "1.4.2027", "2027-04-01"])
def test_admin_review_pre_session_typed_day_first_or_iso_stored_as_1_april(superuser_client, typed):
    review = ReviewFactory(session=SessionFactory(wg_start=None, wg_end=None))

    response = superuser_client.post(
        reverse("admin:reviews_review_change", args=[review.pk]),
        _review_post(state=review.state, session=review.session, pre_session=typed),
    )

    assert response.status_code == 302
    review.refresh_from_db()
    assert review.pre_session == D(2027, 4, 1)


@pytest.mark.django_db
def test_admin_review_pre_session_typed_month_first_refused(superuser_client):
    review = ReviewFactory(session=SessionFactory(wg_start=None, wg_end=None))

    response = superuser_client.post(
        reverse("admin:reviews_review_change", args=[review.pk]),
        _review_post(state=review.state, session=review.session, pre_session="04/31/2027"),
    )

    assert _form_errors(response) == {"pre_session": ["Enter a valid date."]}
    review.refresh_from_db()
    assert review.pre_session is None
