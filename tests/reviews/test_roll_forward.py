"""Rolling cycle 4 forward into cycle 5 with the project's own reference data (reviews/data/), loaded
once for the module (tests/reviews/conftest.py) and rolled back after it."""

import datetime
import re
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command
from django.db.models.functions import Coalesce
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from reviews.models import Cycle, DocumentLimit, Review, Session, State
from reviews.services.roll_forward import (
    RollForwardError,
    cycle_roll_forward,
    cycle_roll_forward_plan,
    cycle_roll_forward_preview,
)
from tests.factories.accounts import UserFactory, sign_in_with_two_factor

ZURICH = ZoneInfo("Europe/Zurich")
FIRST_DAY = datetime.date(2027, 11, 1)
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FRESH_LINES = [
    "cycles: 1 created, 0 kept",
    "sessions: 14 created, 0 kept",
    "reviews: 192 created, 0 kept",
    "limits: 4 created, 0 kept",
]
SECOND_RUN_LINES = [
    "cycles: 0 created, 1 kept",
    "sessions: 0 created, 14 kept",
    "reviews: 0 created, 192 kept",
    "limits: 0 created, 4 kept",
]


def _roll(**overrides):
    arguments = {"source": Cycle.objects.get(number=4), "first_session": 55, "first_day": FIRST_DAY, **overrides}
    return cycle_roll_forward(**arguments)


def _places(cycle_number: int, first_session: int) -> dict[str, int]:
    """Each State's session place in the cycle (0 for the cycle's first session, 1 for the next...): the
    place of its original session when its review was moved."""
    reviews = Review.objects.filter(session__cycle__number=cycle_number).annotate(
        place=Coalesce("rescheduled_from__number", "session__number")
    )
    return {code: place - first_session for code, place in reviews.values_list("state__code", "place")}


def _cycle_5_rows() -> dict:
    return {
        "cycles": list(Cycle.objects.filter(number=5).values()),
        "sessions": list(Session.objects.filter(cycle__number=5).order_by("number").values()),
        "reviews": list(Review.objects.filter(session__cycle__number=5).order_by("pk").values()),
        "limits": list(DocumentLimit.objects.filter(cycle__number=5).order_by("kind").values()),
    }


def _set_orders(session_number: int, orders: dict[str, int]) -> None:
    Review.objects.filter(session__number=session_number).update(order=None)
    for code, order in orders.items():
        Review.objects.filter(session__number=session_number, state__code=code).update(order=order)


def _in_name_order(session_number: int) -> list[str]:
    return list(
        Review.objects.filter(session__number=session_number)
        .order_by("state__name")
        .values_list("state__code", flat=True)
    )


# The service


@pytest.mark.django_db
def test_roll_forward_cycle_4_creates_cycle_5_with_exact_counts(reference_data):
    report = _roll()

    cycle = Cycle.objects.get(number=5)
    assert report.lines() == FRESH_LINES
    assert report.cycle == cycle
    assert (cycle.start_year, cycle.end_year) == (2027, 2032)
    assert list(cycle.sessions.values_list("number", flat=True)) == list(range(55, 69))
    assert Review.objects.filter(session__cycle=cycle).count() == 192


@pytest.mark.django_db
def test_roll_forward_puts_every_member_state_in_its_session_place(reference_data):
    _roll()

    cycle_4 = _places(4, 41)
    cycle_5 = _places(5, 55)
    assert cycle_5 == cycle_4
    assert len(cycle_5) == 192
    assert State.objects.filter(status=State.Status.MEMBER).exclude(code__in=cycle_5).count() == 1  # Ukraine
    assert cycle_5["MMR"] == 13  # Myanmar: session 54's place, as in cycle 4
    assert Review.objects.get(state__code="USA", session__cycle__number=5).session.number == 64  # session 50's
    # Every State that stayed in its session keeps its order (none while the loader stores no order).
    stayed = Review.objects.filter(session__cycle__number=4, rescheduled_from__isnull=True)
    orders_4 = dict(stayed.values_list("state__code", "order"))
    orders_5 = dict(
        Review.objects.filter(session__cycle__number=5, state__code__in=orders_4).values_list("state__code", "order")
    )
    assert orders_5 == orders_4
    assert Review.objects.filter(session__cycle__number=5, state__status=State.Status.OBSERVER).count() == 0


@pytest.mark.django_db
def test_roll_forward_skips_observer_states_reviewed_in_the_source(reference_data):
    Review.objects.create(state=State.objects.get(code="VAT"), session=Session.objects.get(number=41))

    report = _roll()

    assert report.reviews_created == 192
    assert not Review.objects.filter(state__code="VAT", session__cycle__number=5).exists()


@pytest.mark.django_db
def test_roll_forward_sessions_follow_the_source_pattern_provisionally(reference_data):
    # A Thursday: the first session opens on the Monday after it.
    _roll(first_day=datetime.date(2027, 10, 28))

    sessions = {s.number: s for s in Session.objects.filter(cycle__number=5)}
    assert (sessions[55].wg_start, sessions[55].wg_end) == (datetime.date(2027, 11, 1), datetime.date(2027, 11, 12))
    assert (sessions[56].wg_start, sessions[56].wg_end) == (datetime.date(2028, 1, 17), datetime.date(2028, 1, 28))
    assert (sessions[57].wg_start, sessions[57].wg_end) == (datetime.date(2028, 4, 24), datetime.date(2028, 5, 5))
    assert (sessions[68].wg_start, sessions[68].wg_end) == (datetime.date(2032, 1, 12), datetime.date(2032, 1, 23))
    # Three HRC sessions a year: five years on, each session's outcomes are adopted 15 HRC sessions later.
    assert [sessions[n].hrc_session for n in (55, 56, 68)] == [67, 68, 80]
    assert {s.wg_start.weekday() for s in sessions.values()} == {0}
    assert {s.dates_provisional for s in sessions.values()} == {True}
    assert {s.deadline_time for s in sessions.values()} == {datetime.time(23, 59)}
    assert sessions[55].source.startswith(
        "Provisional dates derived by rolling cycle 4 forward: the pattern of session 41"
    )


@pytest.mark.django_db
def test_roll_forward_derives_session_and_review_milestones(reference_data):
    _roll()

    session = Session.objects.get(number=55)
    bahrain = Review.objects.get(session=session, state__code="BHR")
    # Session 41's deadlines at the same distance from its opening; the others at the typical offsets.
    assert {
        "submission_window_opens": session.submission_window_opens,
        "stakeholder_deadline": session.stakeholder_deadline,
        "national_report_deadline": session.national_report_deadline,
        "pre_session": session.pre_session,
        "adoption_date": session.adoption_date,
        "mid_term_report_due": session.mid_term_report_due,
    } == {
        "submission_window_opens": datetime.date(2027, 2, 11),
        "stakeholder_deadline": datetime.date(2027, 3, 25),
        "national_report_deadline": datetime.date(2027, 8, 2),
        "pre_session": datetime.date(2027, 10, 4),
        "adoption_date": datetime.date(2028, 3, 6),
        "mid_term_report_due": datetime.date(2030, 9, 2),
    }
    assert bahrain.milestones_from_session is True
    assert bahrain.submission_window_opens == datetime.datetime(2027, 2, 11, 0, 0, tzinfo=ZURICH)
    assert bahrain.stakeholder_deadline == datetime.datetime(2027, 3, 25, 23, 59, tzinfo=ZURICH)
    assert bahrain.national_report_deadline == datetime.datetime(2027, 8, 2, 23, 59, tzinfo=ZURICH)
    assert (bahrain.pre_session, bahrain.adoption_date, bahrain.mid_term_report_due) == (
        datetime.date(2027, 10, 4),
        datetime.date(2028, 3, 6),
        datetime.date(2030, 9, 2),
    )
    assert "Taken from session 41's dates: stakeholder submission deadline, national report deadline." in session.source


@pytest.mark.django_db
def test_roll_forward_uses_typical_offsets_where_the_source_has_no_milestones(reference_data):
    _roll()

    # Session 48 has no published deadline in the data: every milestone of session 62 is typical.
    session = Session.objects.get(number=62)
    assert session.wg_start == datetime.date(2030, 1, 14)
    assert [
        session.submission_window_opens,
        session.stakeholder_deadline,
        session.national_report_deadline,
        session.pre_session,
        session.adoption_date,
        session.mid_term_report_due,
    ] == [
        datetime.date(2029, 5, 7),
        datetime.date(2029, 6, 18),
        datetime.date(2029, 10, 15),
        datetime.date(2029, 12, 17),
        datetime.date(2030, 5, 20),
        datetime.date(2032, 11, 15),
    ]
    assert Review.objects.get(session=session, state__code="ITA").stakeholder_deadline == datetime.datetime(
        2029, 6, 18, 23, 59, tzinfo=ZURICH
    )


@pytest.mark.django_db
def test_roll_forward_takes_the_source_sessions_own_milestones_first(reference_data):
    Session.objects.filter(number=41).update(
        stakeholder_deadline=datetime.date(2022, 4, 4), pre_session=datetime.date(2022, 10, 17)
    )

    _roll()

    session = Session.objects.get(number=55)
    assert (session.stakeholder_deadline, session.pre_session) == (
        datetime.date(2027, 3, 29),
        datetime.date(2027, 10, 11),
    )


@pytest.mark.django_db
def test_roll_forward_takes_the_reviews_most_common_milestone_when_the_session_has_none(reference_data):
    Session.objects.filter(number=41).update(stakeholder_deadline=None)
    first_two = Review.objects.filter(session__number=41).order_by("pk").values_list("pk", flat=True)[:2]
    Review.objects.filter(pk__in=list(first_two)).update(
        stakeholder_deadline=datetime.datetime(2022, 4, 15, 23, 59, tzinfo=ZURICH)
    )

    _roll()

    # Twelve reviews have 31 March 2022, two 15 April: 31 March, 221 days before the opening, wins.
    assert Session.objects.get(number=55).stakeholder_deadline == datetime.date(2027, 3, 25)


@pytest.mark.django_db
def test_roll_forward_copies_the_order_of_each_session(reference_data):
    # The loader may not store the order yet: give session 41 one, the reverse of name order.
    codes = _in_name_order(41)
    _set_orders(41, {code: len(codes) - index for index, code in enumerate(codes)})

    _roll()

    cycle_4 = dict(Review.objects.filter(session__number=41).values_list("state__code", "order"))
    cycle_5 = dict(Review.objects.filter(session__number=55).values_list("state__code", "order"))
    assert cycle_5 == cycle_4
    assert sorted(cycle_5.values()) == list(range(1, 15))
    assert [r.state.code for r in Review.objects.filter(session__number=55)] == list(reversed(codes))


@pytest.mark.django_db
def test_roll_forward_without_source_order_lists_states_by_name(reference_data):
    Review.objects.filter(session__number=42).update(order=None)

    _roll()

    new_reviews = Review.objects.filter(session__number=56)
    assert {review.order for review in new_reviews} == {None}
    assert [review.state.code for review in new_reviews] == _in_name_order(42)


@pytest.mark.django_db
def test_roll_forward_puts_a_rescheduled_state_back_in_its_original_place(reference_data):
    usa = Review.objects.get(state__code="USA", session__cycle__number=4)
    # Session 50 without the USA, which left place 11; the USA 14th in session 53, moved from 50.
    fifty = [code for code in _in_name_order(50) if code != "USA"]
    _set_orders(50, dict(zip(fifty, [*range(1, 11), 12, 13, 14], strict=True)))
    fifty_three = [code for code in _in_name_order(53) if code != "USA"]
    _set_orders(53, {**dict(zip(fifty_three, range(1, 14), strict=True)), "USA": 14})
    Review.objects.filter(pk=usa.pk).update(rescheduled_from=Session.objects.get(number=50))

    _roll()

    moved = Review.objects.get(state__code="USA", session__cycle__number=5)
    assert (moved.session.number, moved.order) == (64, 11)
    assert moved.rescheduled_from is None
    assert sorted(Review.objects.filter(session__number=64).values_list("order", flat=True)) == list(range(1, 15))
    assert not Review.objects.filter(session__number=67, state__code="USA").exists()
    assert Review.objects.filter(session__number=67).count() == 13


@pytest.mark.django_db
def test_roll_forward_copies_the_limits_with_a_note(reference_data):
    _roll()

    copied = list(DocumentLimit.objects.filter(cycle__number=5).order_by("kind"))
    source = {limit.kind: limit for limit in DocumentLimit.objects.filter(cycle__number=4)}
    assert [limit.kind for limit in copied] == ["individual", "joint", "national", "nhri"]
    for limit in copied:
        original = source[limit.kind]
        assert (limit.max_words, limit.max_pages, limit.notes_count) == (
            original.max_words,
            original.max_pages,
            original.notes_count,
        )
        assert limit.note == f"Carried over from cycle 4; check OHCHR's current guidelines.\n{original.note}"


@pytest.mark.django_db
def test_roll_forward_second_run_changes_nothing(reference_data):
    _roll()
    before = _cycle_5_rows()

    report = _roll()

    assert report.lines() == SECOND_RUN_LINES
    assert _cycle_5_rows() == before
    assert Review.objects.filter(session__cycle__number=5).count() == 192


@pytest.mark.django_db
def test_roll_forward_keeps_a_review_an_admin_entered(reference_data):
    cycle = Cycle.objects.create(number=5, start_year=2027, end_year=2032)
    session = Session.objects.create(
        number=55,
        cycle=cycle,
        wg_start=datetime.date(2027, 11, 8),
        wg_end=datetime.date(2027, 11, 19),
        stakeholder_deadline=datetime.date(2027, 4, 1),
    )
    deadline = datetime.datetime(2027, 4, 20, 12, 0, tzinfo=ZURICH)
    kept = Review.objects.create(
        state=State.objects.get(code="BHR"), session=session, order=3, stakeholder_deadline=deadline, note="By hand."
    )
    DocumentLimit.objects.create(cycle=cycle, kind="joint", max_words=6000, note="Set by OHCHR.")

    report = _roll()

    kept.refresh_from_db()
    session.refresh_from_db()
    assert report.lines() == [
        "cycles: 0 created, 1 kept",
        "sessions: 13 created, 1 kept",
        "reviews: 191 created, 1 kept",
        "limits: 3 created, 1 kept",
    ]
    assert Review.objects.filter(state__code="BHR", session__cycle=cycle).count() == 1
    assert (kept.order, kept.stakeholder_deadline, kept.note) == (3, deadline, "By hand.")
    assert (session.wg_start, session.dates_provisional, session.source) == (datetime.date(2027, 11, 8), False, "")
    others = Review.objects.filter(session=session).exclude(pk=kept.pk)
    assert others.count() == 13
    # The new reviews follow the kept session's milestones; no order is given twice.
    assert {r.stakeholder_deadline for r in others} == {datetime.datetime(2027, 4, 1, 23, 59, tzinfo=ZURICH)}
    orders = [order for order in Review.objects.filter(session=session).values_list("order", flat=True) if order]
    assert len(orders) == len(set(orders))
    assert DocumentLimit.objects.get(cycle=cycle, kind="joint").max_words == 6000


@pytest.mark.django_db
def test_roll_forward_refuses_a_first_session_of_another_cycle(reference_data):
    with pytest.raises(RollForwardError) as refusal:
        _roll(first_session=50)

    assert str(refusal.value) == (
        "Session 50 already exists in cycle 4; cycle 5 needs sessions 50 to 63. Choose another first session number."
    )
    assert not Cycle.objects.filter(number=5).exists()


@pytest.mark.django_db
def test_roll_forward_refuses_a_first_day_before_the_source_closes(reference_data):
    with pytest.raises(RollForwardError) as refusal:
        _roll(first_day=datetime.date(2027, 1, 29))

    assert str(refusal.value) == (
        "The first day 2027-01-29 must come after the last session of cycle 4 closes (2027-01-29)."
    )
    assert not Cycle.objects.filter(number=5).exists()


@pytest.mark.django_db
def test_roll_forward_refuses_a_cycle_without_sessions(reference_data):
    with pytest.raises(RollForwardError) as refusal:
        cycle_roll_forward(source=Cycle.objects.get(number=1), first_session=100, first_day=FIRST_DAY)

    assert str(refusal.value) == "Cycle 1 has no sessions: there is nothing to roll forward."
    assert Session.objects.filter(number=100).count() == 0


@pytest.mark.django_db
def test_roll_forward_refuses_milestones_that_would_come_out_of_order(reference_data):
    # Session 48's own stakeholder deadline 80 days before it opens; its national report deadline takes
    # the typical 13 weeks (91 days): it would fall before the stakeholder deadline.
    Session.objects.filter(number=48).update(stakeholder_deadline=datetime.date(2024, 11, 1))

    with pytest.raises(RollForwardError) as refusal:
        _roll()

    assert str(refusal.value) == (
        "Session 62: the dates derived from session 48 are out of order (stakeholder submission deadline on "
        "2029-10-26, national report deadline on 2029-10-15). Correct session 48's milestones and try again."
    )
    assert not Cycle.objects.filter(number=5).exists()


@pytest.mark.django_db
def test_roll_forward_refused_midway_leaves_nothing(reference_data):
    # Cycle 4 said to end in 2026: cycle 5 then ends in 2031, and session 68 (January 2032) falls outside it.
    Cycle.objects.filter(number=4).update(end_year=2026)

    with pytest.raises(RollForwardError) as refusal:
        _roll()

    assert str(refusal.value) == (
        "Session 68 cannot be created: Cycle 5 runs from 2027 to 2031: the session cannot fall in 2032."
    )
    assert not Cycle.objects.filter(number=5).exists()
    assert not Session.objects.filter(number__gte=55).exists()


@pytest.mark.django_db
def test_roll_forward_plan_and_preview_write_nothing(reference_data):
    source = Cycle.objects.get(number=4)
    counts = (Cycle.objects.count(), Session.objects.count(), Review.objects.count(), DocumentLimit.objects.count())

    plan = cycle_roll_forward_plan(source=source, first_session=55, first_day=FIRST_DAY)
    previewed = cycle_roll_forward_preview(source=source, first_session=55, first_day=FIRST_DAY)

    assert plan.report().lines() == FRESH_LINES
    assert previewed.report().lines() == FRESH_LINES
    assert [(s.number, s.wg_start) for s in previewed.sessions][:2] == [
        (55, datetime.date(2027, 11, 1)),
        (56, datetime.date(2028, 1, 17)),
    ]
    assert (
        Cycle.objects.count(),
        Session.objects.count(),
        Review.objects.count(),
        DocumentLimit.objects.count(),
    ) == counts


# The command


@pytest.mark.django_db
def test_roll_forward_cycle_command_prints_the_counts(reference_data):
    first, second = StringIO(), StringIO()

    call_command("roll_forward_cycle", "4", "--first-session", "55", "--first-day", "2027-11-01", stdout=first)
    call_command("roll_forward_cycle", "4", "--first-session", "55", "--first-day", "2027-11-01", stdout=second)

    assert first.getvalue().splitlines() == FRESH_LINES
    assert second.getvalue().splitlines() == SECOND_RUN_LINES


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["9", "--first-session", "55", "--first-day", "2027-11-01"], "There is no cycle “9”."),
        (
            ["4", "--first-session", "fifty", "--first-day", "2027-11-01"],
            "--first-session: “fifty” is not a whole number.",
        ),
        (
            ["4", "--first-session", "55", "--first-day", "01/11/2027"],
            "--first-day: “01/11/2027” is not a date; give it as YYYY-MM-DD.",
        ),
        (
            ["4", "--first-session", "41", "--first-day", "2027-11-01"],
            "Session 41 already exists in cycle 4; cycle 5 needs sessions 41 to 54. "
            "Choose another first session number.",
        ),
    ],
)
def test_roll_forward_cycle_command_refuses_bad_input(reference_data, arguments, message):
    with pytest.raises(CommandError) as refusal:
        call_command("roll_forward_cycle", *arguments, stdout=StringIO())

    assert str(refusal.value) == message
    assert not Cycle.objects.filter(number=5).exists()


# The admin action


@pytest.fixture
def csrf_admin_client(db):
    client = Client(enforce_csrf_checks=True)
    user = UserFactory(is_staff=True, is_superuser=True)
    sign_in_with_two_factor(client, user)
    return client


def _token(response) -> str:
    return CSRF_INPUT.search(response.content.decode()).group(1)


def _action_page(client, cycle: Cycle):
    """The cycle list, then the action chosen on ``cycle``: the form page."""
    url = reverse("admin:reviews_cycle_changelist")
    listing = client.get(url)
    return client.post(
        url,
        {"csrfmiddlewaretoken": _token(listing), "action": "roll_forward", "_selected_action": [cycle.pk], "index": 0},
    )


def _step(client, page, cycle: Cycle, button: str, **fields):
    data = {
        "csrfmiddlewaretoken": _token(page),
        "action": "roll_forward",
        "_selected_action": [cycle.pk],
        button: "yes",
        **fields,
    }
    return client.post(reverse("admin:reviews_cycle_changelist"), data)


@pytest.mark.django_db
def test_admin_cycle_list_counts_sessions_and_offers_the_action(reference_data, csrf_admin_client):
    response = csrf_admin_client.get(reverse("admin:reviews_cycle_changelist"))

    assertContains(response, '<option value="roll_forward">Roll forward to the next cycle…</option>', html=True)
    counts = {cycle.number: cycle.session_count for cycle in response.context["cl"].result_list}
    assert counts == {1: 0, 2: 0, 3: 14, 4: 14}
    assertContains(response, '<td class="field-session_count">14</td>', html=True)


@pytest.mark.django_db
def test_admin_roll_forward_form_preview_and_confirm(reference_data, csrf_admin_client):
    source = Cycle.objects.get(number=4)

    form_page = _action_page(csrf_admin_client, source)
    preview = _step(csrf_admin_client, form_page, source, "_preview", first_session="55", first_day="2027-11-01")
    nothing_yet = Cycle.objects.filter(number=5).exists()
    confirmed = _step(csrf_admin_client, preview, source, "_confirm", first_session="55", first_day="2027-11-01")

    form_html = form_page.content.decode()
    assert form_page.templates[0].name == "admin/reviews/cycle/roll_forward.html"
    assert "<h1>Roll cycle 4 forward</h1>" in form_html
    assertContains(
        form_page, '<label class="required" for="id_first_session">Number of the first session:</label>', html=True
    )
    assert 'name="first_session" value="55"' in form_html
    assertContains(
        form_page, '<label class="required" for="id_first_day">First day of the first session:</label>', html=True
    )
    assert 'name="_confirm"' not in form_html

    preview_html = preview.content.decode()
    assert nothing_yet is False
    assertContains(preview, "<li>sessions: 14 created, 0 kept</li>", html=True)
    assertContains(preview, "<li>reviews: 192 created, 0 kept</li>", html=True)
    assertContains(preview, "<td>2027-11-01</td><td>2027-11-12</td>", html=True)
    assertContains(preview, "<td>2032-01-12</td><td>2032-01-23</td>", html=True)
    assertContains(preview, '<input type="hidden" name="first_day" value="2027-11-01">', html=True)
    assert 'name="_confirm"' in preview_html

    cycle = Cycle.objects.get(number=5)
    assert confirmed.status_code == 302
    assert confirmed["Location"] == f"{reverse('admin:reviews_session_changelist')}?cycle__id__exact={cycle.pk}"
    assert [str(m) for m in get_messages(confirmed.wsgi_request)] == [
        "Cycle 4 rolled forward to cycle 5: cycles: 1 created, 0 kept; sessions: 14 created, 0 kept; "
        "reviews: 192 created, 0 kept; limits: 4 created, 0 kept. Check the provisional dates."
    ]
    assert cycle.sessions.filter(dates_provisional=True).count() == 14
    session_list = csrf_admin_client.get(confirmed["Location"])
    assert [s.number for s in session_list.context["cl"].result_list] == list(range(55, 69))


@pytest.mark.django_db
def test_admin_roll_forward_reads_the_first_day_day_first(reference_data, csrf_admin_client):
    source = Cycle.objects.get(number=4)

    form_page = _action_page(csrf_admin_client, source)
    preview = _step(csrf_admin_client, form_page, source, "_preview", first_session="55", first_day="01/11/2027")

    assert preview.context["form"].cleaned_data["first_day"] == datetime.date(2027, 11, 1)
    assertContains(preview, '<input type="hidden" name="first_day" value="2027-11-01">', html=True)
    assert [s.wg_start for s in preview.context["plan"].sessions][:1] == [datetime.date(2027, 11, 1)]


@pytest.mark.django_db
def test_admin_roll_forward_shows_a_refusal_on_the_form(reference_data, csrf_admin_client):
    source = Cycle.objects.get(number=4)

    form_page = _action_page(csrf_admin_client, source)
    refused = _step(csrf_admin_client, form_page, source, "_preview", first_session="54", first_day="2027-11-01")

    html = refused.content.decode()
    assert refused.context["form"].non_field_errors() == [
        "Session 54 already exists in cycle 4; cycle 5 needs sessions 54 to 67. Choose another first session number."
    ]
    assert "Session 54 already exists in cycle 4" in html
    assert 'name="_confirm"' not in html
    assert not Cycle.objects.filter(number=5).exists()


@pytest.mark.django_db
def test_admin_roll_forward_confirm_without_csrf_token_is_refused(reference_data, csrf_admin_client):
    source = Cycle.objects.get(number=4)

    response = csrf_admin_client.post(
        reverse("admin:reviews_cycle_changelist"),
        {
            "action": "roll_forward",
            "_selected_action": [source.pk],
            "_confirm": "yes",
            "first_session": "55",
            "first_day": "2027-11-01",
        },
    )

    assert response.status_code == 403
    assert not Cycle.objects.filter(number=5).exists()


@pytest.mark.django_db
def test_admin_roll_forward_needs_exactly_one_cycle(reference_data, csrf_admin_client):
    url = reverse("admin:reviews_cycle_changelist")
    listing = csrf_admin_client.get(url)
    two = list(Cycle.objects.filter(number__in=[3, 4]).values_list("pk", flat=True))

    response = csrf_admin_client.post(
        url, {"csrfmiddlewaretoken": _token(listing), "action": "roll_forward", "_selected_action": two, "index": 0}
    )

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Select exactly one cycle to roll forward."]
    assert not Cycle.objects.filter(number=5).exists()


@pytest.mark.django_db
def test_admin_roll_forward_is_not_offered_to_staff_who_cannot_add_cycles(reference_data, db):
    from django.contrib.auth.models import Permission

    client = Client(enforce_csrf_checks=True)
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_cycle", content_type__app_label="reviews"))
    sign_in_with_two_factor(client, user)

    listing = client.get(reverse("admin:reviews_cycle_changelist"))
    response = client.post(
        reverse("admin:reviews_cycle_changelist"),
        {
            "csrfmiddlewaretoken": _token(listing),
            "action": "roll_forward",
            "_selected_action": [Cycle.objects.get(number=4).pk],
            "index": 0,
            "_confirm": "yes",
            "first_session": "55",
            "first_day": "2027-11-01",
        },
    )

    # Without the permission the action is neither offered nor run: the post shows the list again.
    assert "Roll forward to the next cycle" not in listing.content.decode()
    assert response.templates[0].name == "admin/change_list.html"
    assert not Cycle.objects.filter(number=5).exists()


@pytest.mark.django_db
def test_admin_roll_forward_refuses_staff_who_cannot_add_sessions_and_reviews(reference_data):
    from django.contrib.auth.models import Permission

    client = Client(enforce_csrf_checks=True)
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_cycle", "add_cycle"], content_type__app_label="reviews")
    )
    sign_in_with_two_factor(client, user)

    response = _action_page(client, Cycle.objects.get(number=4))

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Rolling a cycle forward creates sessions, reviews and document limits: you may not add all of them."
    ]
    assert not Cycle.objects.filter(number=5).exists()
