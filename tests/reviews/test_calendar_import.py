"""Import a calendar (CSV): the loader's preview and import of one sessions file, and the admin's pages."""

import datetime
import shutil
from io import BytesIO, StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.core import signing
from django.core.management import CommandError, call_command
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from reviews.admin.calendar_import import SIGNING_SALT
from reviews.models import Cycle, Review, Session, State
from reviews.services import DEFAULT_DATA_DIR
from reviews.services.reference_data import (
    CALENDAR_FILE_MAX_BYTES,
    CreatedReview,
    CreatedSession,
    FieldChange,
    calendar_import,
)
from tests.factories.accounts import UserFactory, sign_in_with_two_factor

ZURICH = ZoneInfo("Europe/Zurich")
HEADER = (
    "session,cycle,start_date,end_date,states_under_review,stakeholder_deadline,national_report_deadline,"
    "deadline_time,hrc_adoption_session,confidence,sources"
)
CALENDAR = f"""{HEADER}
41,4,2022-11-07,2022-11-18,"Bahrain; Ecuador",2022-03-31,2022-08-08,23:59,HRC52,confirmed,test source
42,4,2023-01-23,2023-02-03,"Tunisia; United States of America",2022-07-14,,23:59,HRC53,confirmed,test source
43,4,2023-05-01,2023-05-12,"Kenya; United States of America (rescheduled)",,,23:59,HRC54,INFERRED,test source
"""
UNKNOWN_STATE = "give the State's UN short name, as in the admin's list of States."


@pytest.fixture
def calendar(db):
    """Cycle 4 and five States; session 41 exists with its dates only, Ecuador's review in it bare."""
    cycle = Cycle.objects.create(number=4, start_year=2022, end_year=2027)
    for code, name in [
        ("BHR", "Bahrain"),
        ("ECU", "Ecuador"),
        ("TUN", "Tunisia"),
        ("USA", "United States of America"),
        ("KEN", "Kenya"),
    ]:
        State.objects.create(code=code, name=name)
    State.objects.create(code="VAT", name="Holy See", status=State.Status.OBSERVER)
    session = Session.objects.create(
        number=41, cycle=cycle, wg_start=datetime.date(2022, 11, 7), wg_end=datetime.date(2022, 11, 18)
    )
    Review.objects.create(state=State.objects.get(code="ECU"), session=session)
    return cycle


def _rows() -> dict:
    return {
        "sessions": list(Session.objects.order_by("pk").values()),
        "reviews": list(Review.objects.order_by("pk").values()),
    }


def _refused(report) -> list[tuple[int, str]]:
    return [(error.line, error.message) for error in report.refused]


def test_calendar_import_preview_lists_what_is_created_and_changed_and_saves_nothing(calendar):
    before = _rows()

    report = calendar_import(content=CALENDAR.encode(), file_name="cycle4.csv", dry_run=True)

    assert report.refused == []
    assert report.sessions_created == [
        CreatedSession(42, 4, "2023-01-23", "2023-02-03", "2022-07-14", "", False),
        CreatedSession(43, 4, "2023-05-01", "2023-05-12", "", "", True),
    ]
    assert report.reviews_created == [
        CreatedReview("Bahrain", 41, "1", "2022-03-31 23:59", "2022-08-08 23:59", "Scheduled", ""),
        CreatedReview("Tunisia", 42, "1", "2022-07-14 23:59", "", "Scheduled", ""),
        CreatedReview("Kenya", 43, "1", "", "", "Scheduled", ""),
        CreatedReview("United States of America", 43, "2", "", "", "Scheduled", "Session 42"),
    ]
    assert report.changes == [
        FieldChange("Session 41", "HRC session adopting the outcomes", "", "52"),
        FieldChange("Session 41", "source", "", "Sources: test source\nConfidence: confirmed"),
        FieldChange("Session 41", "stakeholder submission deadline", "", "2022-03-31"),
        FieldChange("Session 41", "national report deadline", "", "2022-08-08"),
        FieldChange("Ecuador, session 41", "order in the session", "", "2"),
        FieldChange("Ecuador, session 41", "stakeholder submission deadline", "", "2022-03-31 23:59"),
        FieldChange("Ecuador, session 41", "national report deadline", "", "2022-08-08 23:59"),
    ]
    assert report.kept_elsewhere == []
    assert (report.file_name, report.saved) == ("cycle4.csv", False)
    assert _rows() == before


def test_calendar_import_confirmed_saves_and_a_second_import_changes_nothing(calendar):
    first = calendar_import(content=CALENDAR.encode(), file_name="cycle4.csv", dry_run=False)
    after_first = _rows()

    second = calendar_import(content=CALENDAR.encode(), file_name="cycle4.csv", dry_run=False)

    usa = Review.objects.get(state__code="USA")
    ecuador = Review.objects.get(state__code="ECU")
    assert (first.saved, len(first.sessions_created), len(first.reviews_created), len(first.changes)) == (
        True,
        2,
        4,
        7,
    )
    assert (usa.session.number, usa.order, usa.rescheduled_from.number, usa.milestones_from_session) == (
        43,
        2,
        42,
        True,
    )
    assert (ecuador.order, ecuador.stakeholder_deadline) == (2, datetime.datetime(2022, 3, 31, 23, 59, tzinfo=ZURICH))
    assert Session.objects.get(number=42).national_report_deadline is None
    assert (second.refused, second.sessions_created, second.reviews_created, second.changes) == ([], [], [], [])
    assert _rows() == after_first


def test_calendar_import_never_replaces_what_an_admin_set(calendar):
    Session.objects.filter(number=41).update(stakeholder_deadline=datetime.date(2022, 4, 4), source="By an admin.")

    report = calendar_import(content=CALENDAR.encode(), file_name="cycle4.csv", dry_run=False)

    session = Session.objects.get(number=41)
    assert (session.stakeholder_deadline, session.source) == (datetime.date(2022, 4, 4), "By an admin.")
    # The reviews follow the session as the admin set it.
    assert Review.objects.get(state__code="BHR").stakeholder_deadline == datetime.datetime(
        2022, 4, 4, 23, 59, tzinfo=ZURICH
    )
    assert [change.field for change in report.changes if change.row == "Session 41"] == [
        "HRC session adopting the outcomes",
        "national report deadline",
    ]


def test_calendar_import_leaves_a_review_moved_by_an_admin_and_says_so(calendar):
    calendar_import(content=CALENDAR.encode(), file_name="cycle4.csv", dry_run=False)
    Review.objects.filter(state__code="KEN").update(session=Session.objects.get(number=42), order=None)

    report = calendar_import(content=CALENDAR.encode(), file_name="cycle4.csv", dry_run=True)

    assert report.kept_elsewhere == [
        "Kenya: the calendar reviews it in session 42; the file lists it in session 43 (line 4). Left as it is: "
        "move it in the admin if it moved."
    ]
    assert (report.reviews_created, report.changes) == ([], [])


def test_calendar_import_refuses_every_bad_line_and_saves_nothing(calendar):
    before = _rows()
    content = f"""{HEADER}
41,4,2022-11-07,2022-11-18,"Bahrain; Atlantis",2022-03-31,2022-08-08,23:59,HRC52,confirmed,x
42,4,23/01/2023,2023-02-03,Tunisia,,,23:59,HRC53,confirmed,x
60,4,2023-05-01,2023-05-12,Kenya,,,23:59,HRC54,confirmed,x
70,9,2030-01-01,2030-01-12,Kenya,,,23:59,,confirmed,x
"""

    report = calendar_import(content=content.encode(), file_name="bad.csv", dry_run=False)

    assert _refused(report) == [
        (2, f"“Atlantis” matches no State; {UNKNOWN_STATE}"),
        (3, "“23/01/2023” is not a date (YYYY-MM-DD)."),
        (4, "session 60 is outside cycle 4."),
        (5, "there is no cycle 9 in the calendar."),
    ]
    assert (report.sessions_created, report.reviews_created, report.changes, report.saved) == ([], [], [], False)
    assert _rows() == before


def _line(row: str) -> bytes:
    return f"{HEADER}\n{row}\n".encode()


@pytest.mark.parametrize(
    ("content", "refused"),
    [
        pytest.param(
            _line("43,4,2023-05-01,2023-05-12,Kenya,2022-10-11,2023-02-31,23:59,HRC54,confirmed,x"),
            [(2, "“2023-02-31” is not a date (YYYY-MM-DD).")],
            id="bad date",
        ),
        pytest.param(
            _line("43,4,2023-05-01,2023-05-12,Kenya; Narnia,,,23:59,HRC54,confirmed,x"),
            [(2, f"“Narnia” matches no State; {UNKNOWN_STATE}")],
            id="unknown State",
        ),
        pytest.param(
            _line("43,5,2023-05-01,2023-05-12,Kenya,,,23:59,HRC54,confirmed,x"),
            [(2, "there is no cycle 5 in the calendar.")],
            id="unknown cycle",
        ),
        pytest.param(
            _line("12,4,2023-05-01,2023-05-12,Kenya,,,23:59,HRC54,confirmed,x"),
            [(2, "session 12 is outside cycle 4.")],
            id="session outside its cycle",
        ),
        pytest.param(
            _line("43,4,2029-05-01,2029-05-12,Kenya,,,23:59,,confirmed,x"),
            [(2, "the Working Group dates fall outside cycle 4 (2022 to 2027).")],
            id="dates outside the cycle's years",
        ),
        pytest.param(
            b"session,cycle,start_date,end_date,states_under_review,stakeholder_deadline\n43,4,,,Kenya,\n",
            [(1, "the first line must name the columns; missing: national_report_deadline, deadline_time.")],
            id="missing column",
        ),
        pytest.param(
            _line("43,4,2023-05-01,2023-05-12,Kenya,,,23:59,HRC54,confirmed,x,surplus"),
            [(2, "this line has more values than the first line has columns.")],
            id="more values than columns",
        ),
        pytest.param(
            _line("43,4,2023-05-01,2023-05-12,K\xe9nya,,,23:59,HRC54,confirmed,x").replace(b"K\xc3\xa9", b"K\xe9"),
            [(2, "this line is not UTF-8 text: save the file as “CSV UTF-8” and upload it again.")],
            id="not UTF-8",
        ),
        pytest.param(
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            [(1, "this line is not UTF-8 text: save the file as “CSV UTF-8” and upload it again.")],
            id="an image",
        ),
        pytest.param(
            b"Dear colleagues,\nplease find the calendar attached.\n",
            [
                (
                    1,
                    "the first line must name the columns; missing: session, cycle, start_date, end_date, "
                    "states_under_review, stakeholder_deadline, national_report_deadline, deadline_time.",
                )
            ],
            id="not a CSV of sessions",
        ),
        pytest.param(b"  \n", [(0, "the file is empty.")], id="empty"),
        pytest.param(
            _line("43,4,2023-05-01,2023-05-12,Kenya,,,23:59,HRC54,confirmed,x") + b"#" * (CALENDAR_FILE_MAX_BYTES + 1),
            [(0, "the file is larger than 1 MB; a calendar file is much smaller. Is it the right file?")],
            id="too big",
        ),
        pytest.param(
            _line("43,4,2023-05-01,2023-05-12,Kenya; Kenya,,,23:59,HRC54,confirmed,x"),
            [(2, "Kenya is listed twice in session 43.")],
            id="State twice in a session",
        ),
        pytest.param(
            f"{HEADER}\n42,4,,,Kenya,,,23:59,,,\n43,4,,,Kenya,,,23:59,,,\n".encode(),
            [
                (
                    3,
                    "Kenya is already listed in session 42 of cycle 4 (calendar.csv, line 2); a State moved to "
                    "another session is listed there with “(rescheduled)” after its name, once.",
                )
            ],
            id="State twice in a cycle",
        ),
        pytest.param(
            f"{HEADER}\n42,4,,,Kenya,,,23:59,,,\n42,4,,,Tunisia,,,23:59,,,\n".encode(),
            [(3, "session 42 is already on line 2.")],
            id="session twice",
        ),
        pytest.param(
            _line("43,4,2023-05-01,2023-05-12,Holy See,,,23:59,HRC54,confirmed,x"),
            [(2, "Holy See is an observer State: observer States are not reviewed.")],
            id="observer State",
        ),
        pytest.param(
            _line("43,4,2023-05-01,2023-05-12,Kenya,,,noon,HRC 54 bis,confirmed,x"),
            [
                (2, "“HRC 54 bis” is not an HRC session such as HRC52."),
                (2, "“noon” is not a time of day (HH:MM, Geneva time)."),
            ],
            id="bad time and HRC session",
        ),
    ],
)
def test_calendar_import_refuses_a_malformed_file_naming_the_line(calendar, content, refused):
    before = _rows()

    report = calendar_import(content=content, file_name="calendar.csv", dry_run=False)

    assert _refused(report) == refused
    assert _rows() == before
    assert report.saved is False


def test_load_reference_data_names_every_bad_line_of_a_sessions_file(tmp_path, db):
    data_dir = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data_dir)
    sessions = data_dir / "sessions-cycle4.csv"
    text = sessions.read_text(encoding="utf-8").replace("Ecuador;", "Atlantis;").replace("2022-07-14", "14/07/2022")
    sessions.write_text(text, encoding="utf-8")

    with pytest.raises(CommandError) as excinfo:
        call_command("load_reference_data", data_dir=data_dir, stdout=StringIO())

    assert str(excinfo.value).splitlines() == [
        "sessions-cycle4.csv, line 2: “Atlantis” matches no State; add it to states.csv or as an alias there.",
        "sessions-cycle4.csv, line 3: “14/07/2022” is not a date (YYYY-MM-DD).",
    ]
    assert (State.objects.count(), Session.objects.count()) == (0, 0)


# The admin's pages


def _import_url() -> str:
    return reverse("admin:reviews_session_import_calendar")


def _staff(*, codenames: list[str]):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="reviews", codename__in=codenames))
    return user


def test_admin_session_list_offers_the_import_to_staff_who_may_add(superuser_client):
    response = superuser_client.get(reverse("admin:reviews_session_changelist"))

    assertContains(response, f'<a href="{_import_url()}" class="addlink">Import a calendar (CSV)</a>', html=True)


def test_admin_session_list_hides_the_import_from_staff_who_may_only_view(client, db):
    sign_in_with_two_factor(client, _staff(codenames=["view_session"]))

    response = client.get(reverse("admin:reviews_session_changelist"))

    assertNotContains(response, "Import a calendar (CSV)", status_code=200)


def test_admin_calendar_import_refuses_staff_without_add_and_change(client, db):
    sign_in_with_two_factor(client, _staff(codenames=["view_session", "change_session", "view_review"]))

    response = client.get(_import_url())
    posted = client.post(_import_url(), {"file": StringIO(CALENDAR)})

    assert (response.status_code, posted.status_code) == (403, 403)
    assert Session.objects.count() == 0


def test_admin_calendar_import_sends_a_non_staff_person_to_sign_in(client, db):
    client.force_login(UserFactory())

    response = client.get(_import_url())

    assertRedirects(response, f"{reverse('admin:login')}?next={_import_url()}", fetch_redirect_response=False)


def test_admin_calendar_import_opens_for_staff_with_add_and_change(client, calendar):
    sign_in_with_two_factor(
        client, _staff(codenames=["view_session", "add_session", "change_session", "add_review", "change_review"])
    )

    response = client.get(_import_url())

    assertContains(response, "<h1>Import a calendar (CSV)</h1>", html=True)
    assertContains(response, '<label for="id_file">Calendar file (CSV):</label>', html=True)
    assertContains(response, f'href="{reverse("admin:reviews_session_calendar_format")}"')


def test_admin_calendar_format_page_shows_the_document(superuser_client):
    response = superuser_client.get(reverse("admin:reviews_session_calendar_format"))

    assertContains(response, "# The calendar file (CSV)")
    assertContains(response, "| `deadline_time` | yes, a value | time `HH:MM`, Geneva |")


def _upload(client, text: str | bytes, name: str = "cycle4.csv"):
    upload = StringIO(text) if isinstance(text, str) else BytesIO(text)
    upload.name = name
    return client.post(_import_url(), {"file": upload})


def test_admin_calendar_import_previews_then_imports_on_confirmation(superuser_client, calendar):
    preview = _upload(superuser_client, CALENDAR)
    signed = preview.context["confirm_form"].initial["calendar"]
    saved_before_confirm = (Session.objects.count(), Review.objects.count())

    confirmed = superuser_client.post(_import_url(), {"calendar": signed, "confirm": "Confirm the import"}, follow=True)

    assertContains(preview, '<h2 id="calendar-created-heading">Created</h2>', html=True)
    assertContains(preview, "<caption>2 Working Group sessions</caption>", html=True)
    assertContains(preview, "<caption>4 reviews</caption>", html=True)
    assertContains(
        preview,
        '<tr><th scope="row">Ecuador, session 41</th><td>Order in the session</td><td>–</td><td>2</td></tr>',
        html=True,
    )
    assertContains(preview, 'value="Confirm the import"')
    assert saved_before_confirm == (1, 1)
    assertRedirects(confirmed, reverse("admin:reviews_session_changelist"))
    assert [str(message) for message in confirmed.context["messages"]] == [
        "The calendar in cycle4.csv was imported. 2 sessions created. 4 reviews created. 7 fields changed."
    ]
    assert list(Session.objects.values_list("number", flat=True)) == [41, 42, 43]
    assert Review.objects.count() == 5


def test_admin_calendar_import_shows_a_refused_file_without_confirming(superuser_client, calendar):
    bad = f"{HEADER}\n41,4,2022-11-07,2022-11-18,Bahrain; Atlantis,2022-03-31,,23:59,HRC52,confirmed,x\n"

    response = _upload(superuser_client, bad, name="bad.csv")

    assertContains(response, "bad.csv was not imported: 1 problem must be corrected first. Nothing was saved.")
    assertContains(response, f"<tr><td>2</td><td>“Atlantis” matches no State; {UNKNOWN_STATE}</td></tr>", html=True)
    assertNotContains(response, "Confirm the import")
    assert (Session.objects.count(), Review.objects.count()) == (1, 1)


def test_admin_calendar_import_refuses_a_file_over_1_mb_on_the_field(superuser_client, calendar):
    response = _upload(superuser_client, b"#" * (CALENDAR_FILE_MAX_BYTES + 1))

    assert response.context["upload_form"].errors == {
        "file": ["The file is larger than 1 MB; a calendar file is much smaller. Is it the right file?"]
    }
    assertNotContains(response, "Confirm the import")
    assert Session.objects.count() == 1


def test_admin_calendar_import_refuses_a_tampered_confirmation(superuser_client, calendar):
    signed = signing.dumps({"name": "cycle4.csv", "text": CALENDAR}, salt=SIGNING_SALT, compress=True)

    response = superuser_client.post(_import_url(), {"calendar": signed[:-2] + "xx", "confirm": "1"})

    assert [str(message) for message in response.context["messages"]] == [
        "The previewed file could not be read back: upload it again."
    ]
    assert Session.objects.count() == 1


# The project's own file


@pytest.mark.django_db
def test_load_reference_data_gives_each_review_its_place_in_the_session(reference_data):
    session_41 = list(Review.objects.filter(session__number=41).values_list("order", "state__code")[:3])
    kenya = Review.objects.get(state__code="KEN")
    usa = Review.objects.get(state__code="USA")
    myanmar = Review.objects.get(state__code="MMR")

    assert session_41 == [(1, "BHR"), (2, "ECU"), (3, "TUN")]
    assert (kenya.session.number, kenya.order) == (49, 6)
    assert (usa.session.number, usa.order, usa.rescheduled_from.number) == (53, 14, 50)
    assert (myanmar.session.number, myanmar.order, myanmar.rescheduled_from) == (54, 13, None)
    # The USA's place in session 50 stays empty.
    assert list(Review.objects.filter(session__number=50).values_list("order", flat=True)) == [
        1,
        2,
        3,
        4,
        5,
        6,
        7,
        8,
        9,
        10,
        12,
        13,
        14,
    ]


@pytest.mark.django_db
def test_load_reference_data_sets_milestones_on_sessions_that_reviews_follow(reference_data):
    session_41 = Session.objects.get(number=41)
    session_54 = Session.objects.get(number=54)

    assert (session_41.stakeholder_deadline, session_41.national_report_deadline) == (
        datetime.date(2022, 3, 31),
        datetime.date(2022, 8, 8),
    )
    assert (session_54.stakeholder_deadline, session_54.national_report_deadline) == (datetime.date(2026, 7, 17), None)
    assert Review.objects.filter(milestones_from_session=False).count() == 0
    assert Review.objects.get(state__code="KEN").stakeholder_deadline is None
    assert Review.objects.get(state__code="MMR").stakeholder_deadline is None
    assert Review.objects.get(state__code="ISL").stakeholder_deadline == datetime.datetime(
        2026, 7, 17, 23, 59, tzinfo=ZURICH
    )


@pytest.mark.django_db
def test_calendar_import_of_the_projects_file_over_the_reference_data_changes_nothing(reference_data):
    before = _rows()
    content = (DEFAULT_DATA_DIR / "sessions-cycle4.csv").read_bytes()

    report = calendar_import(content=content, file_name="sessions-cycle4.csv", dry_run=False)

    assert (report.refused, report.sessions_created, report.reviews_created, report.changes) == ([], [], [], [])
    assert report.kept_elsewhere == []
    assert _rows() == before
