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
        None,
        None,
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
    assert Review.objects.count() == 191


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
        ("individual", 2815, 5, True),
        ("joint", 5630, 10, True),
        ("national", 10700, 20, False),
        ("nhri", 2815, 5, True),
    ]
    assert nhri.note.startswith("UNSURE")


@pytest.mark.django_db
def test_load_reference_data_twice_changes_nothing(reference_data):
    before = _snapshot()

    second = reference_data_load()

    assert _snapshot() == before
    assert (second.regional_groups, second.states, second.cycles, second.sessions, second.reviews) == (0, 0, 0, 0, 0)
    assert (second.group_memberships, second.limits) == (0, 0)


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
    assert Review.objects.count() == 191


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
        "Created 14 Working Group sessions.",
        "Created 191 reviews.",
        "Created 16 document limits.",
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
