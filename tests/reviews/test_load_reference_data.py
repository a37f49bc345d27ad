import datetime
import shutil
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from reviews.models import (
    Cycle,
    DocumentLimit,
    RegionalGroup,
    RegionalGroupMembership,
    Review,
    Session,
    State,
)
from reviews.services import DEFAULT_DATA_DIR, reference_data_load, review_move

ZURICH = ZoneInfo("Europe/Zurich")
MODELS = [RegionalGroup, State, RegionalGroupMembership, Cycle, Session, Review, DocumentLimit]


def _snapshot() -> dict:
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}


@pytest.mark.django_db
def test_load_reference_data_counts_memberships_per_regional_group(reference_data):
    counts = dict(RegionalGroup.objects.annotate(n=Count("memberships")).order_by("code").values_list("code", "n"))

    assert counts == {"african": 54, "asia-pacific": 55, "eeg": 23, "grulac": 33, "weog": 29}


@pytest.mark.django_db
def test_load_reference_data_has_193_members_and_2_observers(reference_data):
    statuses = dict(State.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    observers = sorted(State.objects.filter(status=State.Status.OBSERVER).values_list("code", "name"))

    assert statuses == {"member": 193, "observer": 2}
    assert State.objects.count() == 195
    assert observers == [("PSE", "State of Palestine"), ("VAT", "Holy See")]
    assert list(State.objects.get(code="VAT").regional_groups.all()) == []


@pytest.mark.django_db
def test_load_reference_data_puts_turkiye_in_two_groups(reference_data):
    turkiye = State.objects.get(code="TUR")

    assert turkiye.name == "Türkiye"
    assert sorted(turkiye.regional_groups.values_list("code", flat=True)) == ["asia-pacific", "weog"]


@pytest.mark.django_db
def test_load_reference_data_counts_usa_in_weog_as_observer(reference_data):
    memberships = list(
        RegionalGroupMembership.objects.filter(state__code="USA").values_list("group__code", "is_observer")
    )

    assert memberships == [("weog", True)]
    assert State.objects.get(code="USA").status == State.Status.MEMBER
    assert RegionalGroupMembership.objects.filter(is_observer=True).count() == 1


@pytest.mark.django_db
def test_load_reference_data_lists_kiribati_under_asia_pacific_with_a_note(reference_data):
    kiribati = State.objects.get(code="KIR")

    assert list(kiribati.regional_groups.values_list("code", flat=True)) == ["asia-pacific"]
    assert kiribati.note == "Listed under the Asia-Pacific Group in the source; UNSURE (DOMAIN.md)."


@pytest.mark.django_db
def test_load_reference_data_uses_un_short_names(reference_data):
    names = dict(State.objects.filter(code__in=["GBR", "CIV", "NLD", "COD", "PRK"]).values_list("code", "name"))

    assert names == {
        "CIV": "Côte d'Ivoire",
        "COD": "Democratic Republic of the Congo",
        "GBR": "United Kingdom of Great Britain and Northern Ireland",
        "NLD": "Netherlands (Kingdom of the)",
        "PRK": "Democratic People's Republic of Korea",
    }


@pytest.mark.django_db
def test_load_reference_data_creates_cycles_and_14_sessions_in_cycle_4(reference_data):
    cycles = list(Cycle.objects.values_list("number", "start_year", "end_year"))
    sessions = list(Session.objects.filter(cycle__number=4).values_list("number", flat=True))

    assert cycles == [(1, 2008, 2011), (2, 2012, 2016), (3, 2017, 2022), (4, 2022, 2027)]
    assert sessions == list(range(41, 55))


@pytest.mark.django_db
def test_load_reference_data_reads_session_dates_and_hrc_session(reference_data):
    confirmed = Session.objects.get(number=41)
    inferred = Session.objects.get(number=52)

    assert (confirmed.wg_start, confirmed.wg_end, confirmed.hrc_session, confirmed.dates_provisional) == (
        datetime.date(2022, 11, 7),
        datetime.date(2022, 11, 18),
        52,
        False,
    )
    assert (inferred.wg_start, inferred.wg_end, inferred.hrc_session, inferred.dates_provisional) == (
        datetime.date(2026, 4, 27),
        datetime.date(2026, 5, 8),
        63,
        True,
    )
    assert list(Session.objects.filter(dates_provisional=True).values_list("number", flat=True)) == [52, 53, 54]
    assert confirmed.source.splitlines()[1] == "Confidence: confirmed"


@pytest.mark.django_db
def test_load_reference_data_reviews_usa_in_session_53_only(reference_data):
    sessions = list(Review.objects.filter(state__code="USA").values_list("session__number", flat=True))

    assert sessions == [53]
    assert Review.objects.filter(session__number=50).count() == 13
    assert Review.objects.count() == 192


@pytest.mark.django_db
def test_load_reference_data_sets_deadlines_at_2359_zurich(reference_data):
    bahrain = Review.objects.get(state__code="BHR")

    assert bahrain.stakeholder_deadline == datetime.datetime(2022, 3, 31, 23, 59, tzinfo=ZURICH)
    assert bahrain.national_report_deadline == datetime.datetime(2022, 8, 8, 23, 59, tzinfo=ZURICH)
    assert bahrain.stakeholder_deadline.astimezone(ZURICH).time() == datetime.time(23, 59)


@pytest.mark.django_db
def test_load_reference_data_matches_names_through_aliases_and_accents(reference_data):
    sessions = dict(
        Review.objects.filter(state__code__in=["GBR", "NLD", "TUR", "CIV"]).values_list(
            "state__code", "session__number"
        )
    )

    assert sessions == {"GBR": 41, "NLD": 41, "TUR": 49, "CIV": 47}


@pytest.mark.django_db
def test_load_reference_data_creates_limits_per_cycle_and_kind(reference_data):
    limits = list(
        DocumentLimit.objects.filter(cycle__number=4).values_list("kind", "max_words", "max_pages", "notes_count")
    )
    nhri = DocumentLimit.objects.get(cycle__number=4, kind=DocumentLimit.Kind.NHRI)

    assert DocumentLimit.objects.count() == 16
    assert limits == [
        # The word limits replaced the page limits of cycles 1-2: no page limit since.
        ("individual", 2815, None, True),
        ("joint", 5630, None, True),
        ("national", 10700, None, False),
        ("nhri", 2815, None, True),
    ]
    assert nhri.note.startswith("UNSURE")


@pytest.mark.django_db
def test_load_reference_data_twice_changes_nothing(reference_data):
    before = _snapshot()

    second = reference_data_load()

    assert _snapshot() == before
    assert (second.regional_groups, second.states, second.cycles, second.sessions, second.reviews) == (0, 0, 0, 0, 0)
    assert (second.group_memberships, second.limits, second.filled) == (0, 0, 0)
    assert len(second.reviews_kept) == 192


@pytest.mark.django_db
def test_load_reference_data_keeps_admin_edits(reference_data):
    limit = DocumentLimit.objects.get(cycle__number=4, kind=DocumentLimit.Kind.JOINT)
    limit.max_words = 6000
    limit.save()
    session = Session.objects.get(number=52)
    session.wg_start, session.wg_end, session.dates_provisional = (
        datetime.date(2026, 5, 4),
        datetime.date(2026, 5, 15),
        False,
    )
    session.save()
    usa = Review.objects.get(state__code="USA")
    review_move(review=usa, session=Session.objects.get(number=50))

    reference_data_load()

    session.refresh_from_db()
    assert DocumentLimit.objects.get(pk=limit.pk).max_words == 6000
    assert (session.wg_start, session.wg_end, session.dates_provisional) == (
        datetime.date(2026, 5, 4),
        datetime.date(2026, 5, 15),
        False,
    )
    assert list(Review.objects.filter(state__code="USA").values_list("session__number", flat=True)) == [50]
    assert Review.objects.count() == 192


@pytest.mark.django_db
def test_load_reference_data_recreates_only_what_is_missing(reference_data):
    Review.objects.filter(state__code="KEN").delete()
    DocumentLimit.objects.filter(cycle__number=1, kind=DocumentLimit.Kind.NHRI).delete()

    report = reference_data_load()

    assert (report.reviews, report.limits, report.states, report.sessions) == (1, 1, 0, 0)
    assert Review.objects.get(state__code="KEN").session.number == 49


@pytest.mark.django_db
def test_load_reference_data_command_prints_a_report():
    out = StringIO()

    call_command("load_reference_data", stdout=out)

    assert out.getvalue().splitlines() == [
        "Created 5 regional groups.",
        "Created 195 States with 194 group memberships.",
        "Created 4 cycles.",
        "Created 28 Working Group sessions.",  # sessions-cycle3.csv (14) and sessions-cycle4.csv (14)
        "Created 192 reviews.",
        "Created 16 document limits.",
        "Filled in 390 names of States in French or Spanish.",  # state-names.csv: 195 States, 2 names each
    ]


@pytest.mark.django_db
def test_load_reference_data_unknown_name_names_file_and_line(tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data_dir)
    sessions = data_dir / "sessions-cycle4.csv"
    sessions.write_text(sessions.read_text(encoding="utf-8").replace("Ecuador;", "Atlantis;"), encoding="utf-8")

    with pytest.raises(CommandError) as excinfo:
        call_command("load_reference_data", data_dir=data_dir, stdout=StringIO())

    assert str(excinfo.value) == (
        "sessions-cycle4.csv, line 2: “Atlantis” matches no State; add it to states.csv or as an alias there."
    )
    assert State.objects.count() == 0


@pytest.mark.django_db
def test_load_reference_data_enters_sessions_52_to_54_as_provisional_with_dates(reference_data):
    sessions = list(
        Session.objects.filter(number__gte=52).values_list("number", "wg_start", "wg_end", "dates_provisional")
    )
    confidence = [s.source.splitlines()[1] for s in Session.objects.filter(number__gte=52)]

    assert sessions == [
        (52, datetime.date(2026, 4, 27), datetime.date(2026, 5, 8), True),
        (53, datetime.date(2026, 11, 2), datetime.date(2026, 11, 13), True),
        (54, datetime.date(2027, 1, 18), datetime.date(2027, 1, 29), True),
    ]
    assert [line.startswith("Confidence: INFERRED") for line in confidence] == [True, True, True]
    assert [(s.wg_start.weekday(), (s.wg_end - s.wg_start).days) for s in Session.objects.filter(number__gte=52)] == [
        (0, 11),
        (0, 11),
        (0, 11),
    ]


@pytest.mark.django_db
def test_load_reference_data_puts_myanmar_in_session_54_with_submissions_suspended(reference_data):
    myanmar = Review.objects.get(state__code="MMR")

    assert (myanmar.session.number, myanmar.status, myanmar.get_status_display()) == (
        54,
        Review.Status.SUBMISSIONS_SUSPENDED,
        "Submissions suspended",
    )
    assert myanmar.stakeholder_deadline is None
    assert myanmar.note.startswith("4th-cycle review moved from its place in the fixed order")
    assert myanmar.note.endswith("Source: humanrightsmyanmar.org/?p=1523 (quoting the OHCHR footnote).")
    assert Review.objects.filter(session__number=54).count() == 13


@pytest.mark.django_db
def test_load_reference_data_gives_session_54_its_17_july_deadline_at_2359_zurich(reference_data):
    togo = Review.objects.get(state__code="TGO")
    with_deadline = Review.objects.filter(session__number=54, stakeholder_deadline__isnull=False).count()

    assert togo.stakeholder_deadline == datetime.datetime(2026, 7, 17, 23, 59, tzinfo=ZURICH)
    assert togo.status == Review.Status.SCHEDULED
    assert with_deadline == 12


@pytest.mark.django_db
def test_load_reference_data_leaves_ukraine_without_review_with_a_note(reference_data):
    ukraine = State.objects.get(code="UKR")

    assert list(ukraine.reviews.all()) == []
    assert ukraine.note.startswith("4th-cycle review: session to be confirmed.")


@pytest.mark.django_db
def test_load_reference_data_notes_the_move_of_the_usa(reference_data):
    usa = Review.objects.get(state__code="USA")

    assert (usa.session.number, usa.status) == (53, Review.Status.SCHEDULED)
    assert usa.note.startswith("Rescheduled: did not take part in session 50")


@pytest.mark.django_db
def test_load_reference_data_uses_each_sessions_deadline_time(tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data_dir)
    header = (DEFAULT_DATA_DIR / "sessions-cycle4.csv").read_text(encoding="utf-8").splitlines()[0]
    # A 3rd-cycle session with its deadlines at noon, as before cycle 4 (dates of the fixture only).
    (data_dir / "sessions-cycle3.csv").write_text(
        f"{header}\n40,3,2022-01-24,2022-02-04,Togo,2021-07-15,2021-10-18,12:00,HRC49,confirmed,test fixture\n",
        encoding="utf-8",
    )

    report = reference_data_load(data_dir=data_dir)

    cycle_3 = Review.objects.get(state__code="TGO", session__cycle__number=3)
    cycle_4 = Review.objects.get(state__code="TGO", session__cycle__number=4)
    assert (report.sessions, report.reviews) == (15, 193)
    assert Session.objects.get(number=40).deadline_time == datetime.time(12, 0)
    assert Session.objects.get(number=54).deadline_time == datetime.time(23, 59)
    assert cycle_3.stakeholder_deadline == datetime.datetime(2021, 7, 15, 12, 0, tzinfo=ZURICH)
    assert cycle_3.national_report_deadline == datetime.datetime(2021, 10, 18, 12, 0, tzinfo=ZURICH)
    assert cycle_4.stakeholder_deadline == datetime.datetime(2026, 7, 17, 23, 59, tzinfo=ZURICH)
    assert [
        cycle_3.stakeholder_deadline.astimezone(ZURICH).time(),
        cycle_4.stakeholder_deadline.astimezone(ZURICH).time(),
    ] == [datetime.time(12, 0), datetime.time(23, 59)]


@pytest.mark.django_db
def test_load_reference_data_deadlines_follow_a_session_time_set_by_admin(tmp_path):
    cycle = Cycle.objects.create(number=4, start_year=2022, end_year=2027)
    Session.objects.create(number=41, cycle=cycle, deadline_time=datetime.time(12, 0), source="Entered by an admin.")

    reference_data_load()

    assert Review.objects.get(state__code="BHR").stakeholder_deadline == datetime.datetime(
        2022, 3, 31, 12, 0, tzinfo=ZURICH
    )
    assert Review.objects.get(state__code="CZE").stakeholder_deadline == datetime.datetime(
        2022, 7, 14, 23, 59, tzinfo=ZURICH
    )


@pytest.mark.django_db
def test_load_reference_data_fills_what_an_older_load_left_empty(tmp_path):
    # A database loaded before sessions 52-54 had dates, Myanmar a review and Ukraine a note.
    older = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, older)
    sessions, statuses = older / "sessions-cycle4.csv", older / "review-status.csv"
    sessions.write_text(sessions.read_text(encoding="utf-8").replace("; Myanmar (rescheduled)", ""), encoding="utf-8")
    lines = statuses.read_text(encoding="utf-8").splitlines(keepends=True)
    statuses.write_text("".join(line for line in lines if not line.startswith("MMR,")), encoding="utf-8")
    reference_data_load(data_dir=older)
    Session.objects.filter(number=54).update(wg_start=None, wg_end=None, source="")
    Review.objects.filter(session__number=54).update(stakeholder_deadline=None)
    Review.objects.filter(state__code="USA").update(note="")
    State.objects.filter(code="UKR").update(note="")
    # What an admin set is kept: a review with its own date no longer follows its session.
    iceland = Review.objects.get(state__code="ISL")
    iceland.stakeholder_deadline = datetime.datetime(2026, 7, 20, 12, 0, tzinfo=ZURICH)
    iceland.milestones_from_session = False
    iceland.save()
    Session.objects.filter(number=53).update(wg_start=datetime.date(2026, 10, 5), wg_end=datetime.date(2026, 10, 16))

    report = reference_data_load()

    session_54 = Session.objects.get(number=54)
    assert (report.reviews, report.sessions, report.filled) == (1, 0, 14)
    assert (session_54.wg_start, session_54.wg_end, session_54.dates_provisional) == (
        datetime.date(2027, 1, 18),
        datetime.date(2027, 1, 29),
        True,
    )
    assert session_54.source.startswith("Sources: OHCHR 40th-session press release")
    assert Review.objects.get(state__code="TGO").stakeholder_deadline == datetime.datetime(
        2026, 7, 17, 23, 59, tzinfo=ZURICH
    )
    assert Review.objects.get(state__code="MMR").status == Review.Status.SUBMISSIONS_SUSPENDED
    assert Review.objects.get(state__code="USA").note.startswith("Rescheduled:")
    assert State.objects.get(code="UKR").note.startswith("4th-cycle review: session to be confirmed.")
    assert Review.objects.get(state__code="ISL").stakeholder_deadline == datetime.datetime(
        2026, 7, 20, 12, 0, tzinfo=ZURICH
    )
    assert (Session.objects.get(number=53).wg_start, Session.objects.get(number=53).wg_end) == (
        datetime.date(2026, 10, 5),
        datetime.date(2026, 10, 16),
    )
    assert report.lines()[-2:] == [
        "Filled in empty fields of 14 existing rows.",
        "Kept 191 existing reviews in their sessions.",
    ]


@pytest.mark.django_db
def test_load_reference_data_keeps_a_status_set_by_admin(reference_data):
    Review.objects.filter(state__code="USA").update(status=Review.Status.HELD, note="")
    Review.objects.filter(state__code="MMR").update(status=Review.Status.POSTPONED)

    report = reference_data_load()

    statuses = dict(Review.objects.filter(state__code__in=["USA", "MMR"]).values_list("state__code", "status"))
    assert statuses == {"USA": Review.Status.HELD, "MMR": Review.Status.POSTPONED}
    assert Review.objects.get(state__code="USA").note == ""
    assert report.filled == 0


@pytest.mark.django_db
def test_load_reference_data_unknown_status_names_file_and_line(tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data_dir)
    statuses = data_dir / "review-status.csv"
    statuses.write_text(
        statuses.read_text(encoding="utf-8").replace("MMR,4,submissions_suspended", "MMR,4,cancelled"),
        encoding="utf-8",
    )

    with pytest.raises(CommandError) as excinfo:
        call_command("load_reference_data", data_dir=data_dir, stdout=StringIO())

    assert str(excinfo.value) == (
        "review-status.csv, line 2: “cancelled” is not a review status; use one of scheduled, postponed, "
        "submissions_suspended, held, outcome_adopted."
    )
    assert Review.objects.count() == 0


@pytest.mark.django_db
def test_load_reference_data_bad_deadline_time_names_file_and_line(tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data_dir)
    sessions = data_dir / "sessions-cycle4.csv"
    sessions.write_text(sessions.read_text(encoding="utf-8").replace(",23:59,HRC52,", ",noon,HRC52,"), encoding="utf-8")

    with pytest.raises(CommandError) as excinfo:
        call_command("load_reference_data", data_dir=data_dir, stdout=StringIO())

    assert str(excinfo.value) == "sessions-cycle4.csv, line 2: “noon” is not a time of day (HH:MM, Geneva time)."
    assert Session.objects.count() == 0
