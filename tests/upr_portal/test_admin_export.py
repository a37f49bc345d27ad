"""CSV export of the admin's lists (upr_portal/admin_export.py): the file holds the list the page shows,
filtered, searched and sorted as it is, in its columns, as plain text a spreadsheet reads safely."""

import csv
import datetime
import io
import re

import pytest
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.contrib.auth.models import Permission
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains

from reviews.models import DocumentLimit, Review, State
from tests.factories import (
    CycleFactory,
    DocumentLimitFactory,
    RegionalGroupFactory,
    ReviewFactory,
    SessionFactory,
    StateFactory,
    UserFactory,
)
from tests.factories.accounts import sign_in_with_two_factor
from tests.factories.coalitions import CoalitionFactory
from upr_portal.admin_export import CsvExportMixin, defused
from upr_portal.timezones import geneva_today

PORTAL_APPS = {"accounts", "notifications", "reviews", "coalitions", "submissions", "deadlines"}
BOM = b"\xef\xbb\xbf"


@pytest.fixture
def superuser_client(client):
    sign_in_with_two_factor(client, UserFactory(email="admin@example.org", is_staff=True, is_superuser=True))
    return client


def export(client, model: str, params: dict | None = None):
    return client.get(reverse(f"admin:{model}_export_csv"), params or {})


def rows_of(response) -> list[list[str]]:
    content = b"".join(response.streaming_content)
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def portal_admins() -> list[str]:
    return sorted(
        f"{model._meta.app_label}_{model._meta.model_name}"
        for model in admin.site._registry
        if model._meta.app_label in PORTAL_APPS
    )


def test_every_model_admin_of_the_portal_exports_csv():
    missing = [
        type(model_admin).__name__
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in PORTAL_APPS and not isinstance(model_admin, CsvExportMixin)
    ]

    assert (missing, len(portal_admins())) == ([], 25)


@pytest.mark.parametrize("model", portal_admins())
@pytest.mark.django_db
def test_each_list_exports_its_columns_under_their_labels(superuser_client, model):
    page = superuser_client.get(reverse(f"admin:{model}_changelist"))
    changelist = page.context["cl"]
    labels = [
        str(label_for_field(name, changelist.model, changelist.model_admin))
        for name in changelist.model_admin.get_csv_columns(None, changelist.list_display)
        if name != "action_checkbox"
    ]

    response = export(superuser_client, model)

    assert rows_of(response)[0] == labels
    # The page links to the file of the same list.
    assertContains(page, f'<a href="{reverse(f"admin:{model}_export_csv")}?" class="exportlink" download>')


@pytest.mark.django_db
def test_export_follows_the_pages_filters_search_and_order(superuser_client):
    session_47, session_48 = SessionFactory(number=47), SessionFactory(number=48)
    for name, code, session, status in [
        ("Kenya", "KEN", session_47, Review.Status.SCHEDULED),
        ("Kiribati", "KIR", session_48, Review.Status.SCHEDULED),
        ("Kuwait", "KWT", session_47, Review.Status.POSTPONED),
        ("Ghana", "GHA", session_47, Review.Status.SCHEDULED),
        ("Burkina Faso", "BFA", session_48, Review.Status.SCHEDULED),
    ]:
        ReviewFactory(state=StateFactory(name=name, code=code), session=session, status=status)
    # Scheduled, "k" in the name or code, by State name descending (column 1 after the check boxes).
    params = {"status__exact": "scheduled", "q": "k", "o": "-1"}

    page = superuser_client.get(reverse("admin:reviews_review_changelist"), params)
    response = export(superuser_client, "reviews_review", params)

    names = [row[0] for row in rows_of(response)[1:]]
    assert names == ["Kiribati", "Kenya", "Burkina Faso"]
    assert names == [review.state.name for review in page.context["cl"].result_list]
    link = reverse("admin:reviews_review_export_csv") + "?o=-1&amp;q=k&amp;status__exact=scheduled"
    assertContains(page, f'href="{link}"')


@pytest.mark.django_db
def test_export_writes_plain_text_dates_geneva_moments_and_yes_no(superuser_client):
    cycle = CycleFactory(number=4, start_year=2022, end_year=2027)
    SessionFactory(
        number=47,
        cycle=cycle,
        wg_start=datetime.date(2024, 11, 4),
        wg_end=datetime.date(2024, 11, 15),
        dates_provisional=True,
        hrc_session=58,
        stakeholder_deadline=datetime.date(2024, 4, 4),
        national_report_deadline=datetime.date(2024, 8, 5),
    )
    SessionFactory(number=48, cycle=cycle, wg_start=None, wg_end=None, dates_provisional=False)
    DocumentLimitFactory(cycle=cycle, kind=DocumentLimit.Kind.JOINT, max_words=5630, max_pages=None, notes_count=True)

    sessions = rows_of(export(superuser_client, "reviews_session"))
    limits = rows_of(export(superuser_client, "reviews_documentlimit"))

    assert sessions == [
        [
            "session",
            "cycle",
            "opens",
            "closes",
            "provisional",
            "reviews",
            "stakeholder deadline (Geneva)",
            "national report (Geneva)",
            "HRC",
        ],
        ["47", "4", "2024-11-04", "2024-11-15", "yes", "0", "2024-04-04 23:59+02:00", "2024-08-05 23:59+02:00", "58"],
        ["48", "4", "", "", "no", "0", "", "", ""],
    ]
    assert limits == [
        ["document kind", "cycle", "maximum words", "maximum pages", "footnote words count toward the limit"],
        ["Joint stakeholder submission", "Cycle 4", "5630", "", "yes"],
    ]


@pytest.mark.django_db
def test_export_writes_a_review_deadline_in_geneva_time_whatever_the_server_zone(superuser_client, settings):
    settings.TIME_ZONE = "UTC"
    review = ReviewFactory(
        state=StateFactory(name="Kenya", code="KEN"),
        stakeholder_deadline=datetime.datetime(2026, 3, 31, 21, 59, tzinfo=datetime.UTC),
    )
    review.coalitions.set([CoalitionFactory(name="Kenya Coalition"), CoalitionFactory(name="Amani Network")])

    header, row = rows_of(export(superuser_client, "reviews_review"))
    cells = dict(zip(header, row, strict=True))

    assert cells["stakeholder deadline (Geneva)"] == "2026-03-31 23:59+02:00"
    assert (cells["coalitions"], cells["number of coalitions"]) == ("Amani Network, Kenya Coalition", "2")


@pytest.mark.django_db
def test_export_defuses_cells_a_spreadsheet_would_run_as_formulas(superuser_client):
    names = ['=HYPERLINK("http://x")', "+1+2", "-3", "@SUM(A1)", " =1", "Plain 1-2"]
    for index, name in enumerate(names):
        StateFactory(name=name, code=f"Z{chr(65 + index)}A")

    rows = rows_of(export(superuser_client, "reviews_state", {"o": "2"}))  # by code

    assert [row[0] for row in rows[1:]] == [
        '\'=HYPERLINK("http://x")',
        "'+1+2",
        "'-3",
        "'@SUM(A1)",
        "'=1",
        "Plain 1-2",
    ]


def test_defused_prefixes_each_formula_start_and_nothing_else():
    cells = ["=1", "+1", "-1", "@A1", "\tx", "\rx", "a=1", "", "'=1"]

    assert [defused(cell) for cell in cells] == ["'=1", "'+1", "'-1", "'@A1", "'\tx", "'\rx", "a=1", "", "'=1"]


@pytest.mark.django_db
def test_export_is_utf8_with_a_byte_order_mark_and_names_the_model_and_day(superuser_client):
    StateFactory(name="Türkiye", code="TUR")

    response = export(superuser_client, "reviews_state")
    content = b"".join(response.streaming_content)

    assert content.startswith(BOM + b"UN short name,")
    assert content.count(BOM) == 1
    assert "Türkiye,TUR" in content.decode("utf-8-sig")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="reviews-state-{geneva_today().isoformat()}.csv"'


@pytest.mark.django_db
def test_export_is_refused_to_staff_without_the_view_permission(client):
    staff = UserFactory(is_staff=True)
    sign_in_with_two_factor(client, staff)
    StateFactory(name="Kenya", code="KEN")

    refused = export(client, "reviews_state")
    staff.user_permissions.add(Permission.objects.get(codename="view_state"))
    allowed = export(client, "reviews_state")
    other_model = export(client, "reviews_session")

    assert refused.status_code == 403
    assert not isinstance(refused, StreamingHttpResponse)
    assert rows_of(allowed)[1][:2] == ["Kenya", "KEN"]
    assert other_model.status_code == 403


@pytest.mark.django_db
def test_export_sends_people_who_are_not_signed_in_as_staff_to_the_sign_in(client):
    member = UserFactory()
    client.force_login(member)

    response = client.get(reverse("admin:reviews_state_export_csv"))

    assert response.status_code == 302
    assert re.match(r"^/admin/login/\?next=/admin/reviews/state/export-csv/", response["Location"])


@pytest.mark.django_db
def test_export_answers_a_filter_it_cannot_apply_as_the_list_does(superuser_client):
    response = export(superuser_client, "reviews_state", {"no_such_field": "1"})

    assert (response.status_code, response["Location"]) == (302, "/admin/reviews/state/?e=1")


@pytest.mark.django_db
def test_export_streams_its_rows_a_chunk_at_a_time(superuser_client, monkeypatch):
    coalition = CoalitionFactory()
    for index in range(5):
        coalition.reviews.add(ReviewFactory(state=StateFactory(name=f"State {index}", code=f"S{chr(65 + index)}A")))
    monkeypatch.setattr(admin.site._registry[Review], "csv_export_chunk_size", 2)
    coalitions_table = coalition._meta.db_table

    with CaptureQueriesContext(connection) as answering:
        response = export(superuser_client, "reviews_review")
    with CaptureQueriesContext(connection) as sending:
        rows = rows_of(response)

    def prefetches(queries):
        return [query for query in queries if f'FROM "{coalitions_table}"' in query["sql"]]

    assert isinstance(response, StreamingHttpResponse)
    assert len(rows) == 6
    # Nothing of the rows is read before the response is sent; then 5 rows in chunks of 2: 3 prefetches.
    assert (len(prefetches(answering.captured_queries)), len(prefetches(sending.captured_queries))) == (0, 3)


@pytest.mark.django_db
def test_export_of_the_states_follows_the_regional_group_filter_without_duplicates(superuser_client):
    african, weog = RegionalGroupFactory(code="african"), RegionalGroupFactory(code="weog")
    kenya = StateFactory(name="Kenya", code="KEN")
    kenya.group_memberships.create(group=african)
    usa = StateFactory(name="United States of America", code="USA")
    usa.group_memberships.create(group=african)
    usa.group_memberships.create(group=weog)
    StateFactory(name="France", code="FRA").group_memberships.create(group=weog)

    rows = rows_of(export(superuser_client, "reviews_state", {"regional_groups__id__exact": african.pk}))

    assert [row[0] for row in rows[1:]] == ["Kenya", "United States of America"]
    assert State.objects.count() == 3
