"""The recommendations search (reviews/views.py, reviews.selectors.recommendation_search): each filter
narrows the result, free text on SQLite and PostgreSQL, the CSV and XLSX exports read back, the formula
guard, the export's cap, the query-count guard and docs/permissions.md's ``matrix:recommendation-search``.

Run on PostgreSQL too (full-text search): see tests/README or /work/shared notes.
"""

import copy
import csv
import io
from dataclasses import dataclass

import openpyxl
import pytest
from django.db import connection
from django.shortcuts import resolve_url
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from reviews import selectors
from reviews.models import IndexTerm, RecommendationPosition, Review, State, UPRRecommendation
from tests.factories import (
    CycleFactory,
    MembershipFactory,
    RegionalGroupFactory,
    ReviewFactory,
    SessionFactory,
    StateFactory,
    UserFactory,
)
from tests.permissions_matrix import read_matrix
from tests.shared_data import module_rows

pytestmark = pytest.mark.django_db

SUPPORTED, NOTED = RecommendationPosition.SUPPORTED, RecommendationPosition.NOTED


@dataclass
class Search:
    kenya: State
    uganda: State
    portugal: State
    maldives: State
    holy_see: State
    weog: object
    asia_pacific: object
    cycle_3: object
    cycle_4: object
    session_35: object
    session_49: object
    kenya_35: Review
    kenya_49: Review
    uganda_49: Review
    health: IndexTerm
    children: IndexTerm
    torture: UPRRecommendation
    health_services: UPRRecommendation
    death_penalty: UPRRecommendation
    disabilities: UPRRecommendation


def recommendation(review, paragraph, text, *, states=(), terms=(), position=SUPPORTED, sdgs=(), symbol=""):
    row = UPRRecommendation.objects.create(
        review=review,
        report_symbol=symbol,
        paragraph=paragraph,
        text=text,
        position=position,
        position_source="A/HRC/32/7/Add.1 - Para.3" if symbol else "",
        sdgs=list(sdgs),
        recommending_states_text=" ".join(f"({state.name})" for state in states),
    )
    row.recommending_states.set(states)
    row.terms.set(terms)
    return row


def build() -> Search:
    weog = RegionalGroupFactory(code="weog", name="Western European and other States")
    asia_pacific = RegionalGroupFactory(code="asia-pacific", name="Asia-Pacific States")
    african = RegionalGroupFactory(code="african", name="African States")
    kenya = StateFactory(code="KEN", name="Kenya")
    uganda = StateFactory(code="UGA", name="Uganda")
    portugal = StateFactory(code="PRT", name="Portugal")
    maldives = StateFactory(code="MDV", name="Maldives")
    holy_see = StateFactory(code="VAT", name="Holy See", status=State.Status.OBSERVER)
    for state, group in ((kenya, african), (uganda, african), (portugal, weog), (maldives, asia_pacific)):
        state.group_memberships.create(group=group)
    # In WEOG as Portugal is: a recommendation of both is still one row when filtered by the group.
    holy_see.group_memberships.create(group=weog, is_observer=True)
    cycle_3 = CycleFactory(number=3, start_year=2017, end_year=2022)
    cycle_4 = CycleFactory(number=4, start_year=2022, end_year=2027)
    session_35 = SessionFactory(number=35, cycle=cycle_3, wg_start=None)
    session_49 = SessionFactory(number=49, cycle=cycle_4, wg_start=None)
    kenya_35 = ReviewFactory(state=kenya, session=session_35)
    kenya_49 = ReviewFactory(state=kenya, session=session_49)
    uganda_49 = ReviewFactory(state=uganda, session=session_49)
    health = IndexTerm.objects.create(kind=IndexTerm.Kind.THEME, name="Right to health")
    children = IndexTerm.objects.create(kind=IndexTerm.Kind.PERSONS, name="Children")
    return Search(
        kenya=kenya,
        uganda=uganda,
        portugal=portugal,
        maldives=maldives,
        holy_see=holy_see,
        weog=weog,
        asia_pacific=asia_pacific,
        cycle_3=cycle_3,
        cycle_4=cycle_4,
        session_35=session_35,
        session_49=session_49,
        kenya_35=kenya_35,
        kenya_49=kenya_49,
        uganda_49=uganda_49,
        health=health,
        children=children,
        torture=recommendation(
            kenya_35,
            "140.7",
            "Ratify the Optional Protocol to the Convention against Torture",
            states=[portugal, maldives],
            symbol="A/HRC/35/9",
            sdgs=[16],
        ),
        health_services=recommendation(
            kenya_35,
            "140.10",
            "Strengthen measures to ensure access to health services for all children",
            states=[maldives],
            terms=[health, children],
            position=NOTED,
            sdgs=[3, 10],
            symbol="A/HRC/35/9",
        ),
        death_penalty=recommendation(
            kenya_49,
            "120.1",
            "Abolish the death penalty in law",
            states=[portugal, holy_see],
            position=NOTED,
            symbol="A/HRC/49/4",
        ),
        disabilities=recommendation(
            uganda_49,
            "110.2",
            "Ratifies the Convention on the Rights of Persons with Disabilities for children",
            states=[kenya],
            terms=[children],
        ),
    )


search_rows = module_rows("search_rows", build)


@pytest.fixture
def rows(search_rows, db) -> Search:
    return copy.deepcopy(search_rows)


@pytest.fixture
def member_client(client):
    client.force_login(UserFactory(full_name="Grace Wanjiru"))
    return client


def found(**filters) -> list[str]:
    return [f"{r.review.state.code} {r.paragraph}" for r in selectors.recommendation_search(**filters)]


def test_search_without_filters_lists_every_recommendation_latest_review_first(rows):
    assert found() == ["KEN 120.1", "UGA 110.2", "KEN 140.7", "KEN 140.10"]


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("state", "kenya", ["KEN 120.1", "KEN 140.7", "KEN 140.10"]),
        ("recommending_state", "maldives", ["KEN 140.7", "KEN 140.10"]),
        ("recommending_state", "kenya", ["UGA 110.2"]),
        ("regional_group", "weog", ["KEN 120.1", "KEN 140.7"]),
        ("regional_group", "asia_pacific", ["KEN 140.7", "KEN 140.10"]),
        ("term", "children", ["UGA 110.2", "KEN 140.10"]),
        ("term", "health", ["KEN 140.10"]),
        ("cycle", "cycle_3", ["KEN 140.7", "KEN 140.10"]),
        ("session", "session_49", ["KEN 120.1", "UGA 110.2"]),
    ],
)
def test_search_filter_narrows_the_result(rows, name, value, expected):
    assert found(**{name: getattr(rows, value)}) == expected


def test_search_by_position(rows):
    assert (found(position=NOTED), found(position=SUPPORTED)) == (
        ["KEN 120.1", "KEN 140.10"],
        ["UGA 110.2", "KEN 140.7"],
    )


def test_search_filters_combine(rows):
    assert found(state=rows.kenya, position=NOTED, recommending_state=rows.maldives) == ["KEN 140.10"]


def test_search_free_text_finds_every_word_ignoring_case(rows):
    assert (found(text="DEATH penalty"), found(text="children health")) == (["KEN 120.1"], ["KEN 140.10"])


def test_search_free_text_without_match_is_empty(rows):
    assert found(text="penalty torture") == []


def test_search_free_text_stems_on_postgresql_and_matches_words_on_sqlite(rows):
    # PostgreSQL's English dictionary finds "Ratifies" for "ratify"; SQLite's fallback finds the word only.
    expected = {"postgresql": ["KEN 140.7", "UGA 110.2"], "sqlite": ["KEN 140.7"]}[connection.vendor]
    assert sorted(found(text="ratify")) == expected


def test_search_free_text_ranks_on_postgresql(rows):
    expected = (
        # Web search syntax: a minus sign leaves a word out; the better match comes first.
        ["UGA 110.2"] if connection.vendor == "postgresql" else []
    )
    assert found(text="ratify -torture") == expected


def test_search_form_filters_leave_out_an_unknown_value(rows, member_client):
    response = member_client.get(reverse("reviews:recommendations"), {"state": "999999", "position": "noted"})

    assertContains(response, "Select a valid choice.")
    assert [r.paragraph for r in response.context["page"].object_list] == ["120.1", "140.10"]


def test_search_page_shows_each_row(rows, member_client):
    response = member_client.get(reverse("reviews:recommendations"), {"session": rows.session_49.pk})

    assertContains(response, '<p role="status" class="my-2" id="result-count">2 recommendations found.</p>', html=True)
    assertContains(response, "A/HRC/49/4, para. 120.1")
    assertContains(response, "Abolish the death penalty in law")
    assertContains(response, '<td>Holy See <span class="badge text-bg-light border">observer</span>, Portugal</td>')
    assertContains(response, "Cycle 4, session 49")
    assertContains(response, "Children")
    assertNotContains(response, "Optional Protocol")


def test_search_page_text_filter(rows, member_client):
    response = member_client.get(reverse("reviews:recommendations"), {"q": "torture"})

    assert [r.citation for r in response.context["page"].object_list] == ["A/HRC/35/9, para. 140.7"]
    assertContains(response, "16")


def many_rows(review: Review, count: int, states: list[State], terms: list[IndexTerm]) -> None:
    for number in range(1, count + 1):
        recommendation(review, f"200.{number}", f"Recommendation number {number}", states=states, terms=terms)


@pytest.mark.parametrize("count", [5, 60])
def test_search_page_queries_do_not_grow_with_the_rows(rows, member_client, django_assert_max_num_queries, count):
    review = ReviewFactory(state=rows.uganda, session=SessionFactory(number=50, cycle=rows.cycle_4, wg_start=None))
    many_rows(review, count, [rows.portugal, rows.holy_see], [rows.health, rows.children])
    url = reverse("reviews:recommendations")

    # Session, user, unread notifications; the chosen State checked, the form's six lists; the count, the
    # page, its States and its terms: 14 whatever the number of rows.
    with django_assert_max_num_queries(14):
        response = member_client.get(url, {"state": rows.uganda.pk})

    assert len(response.context["page"].object_list) == min(count + 1, 50)


def test_search_page_paginates_fifty_rows_a_page(rows, member_client):
    many_rows(rows.kenya_49, 60, [rows.portugal], [])

    response = member_client.get(reverse("reviews:recommendations"), {"state": rows.kenya.pk, "page": 2})

    assertContains(response, "63 recommendations found.")
    assertContains(response, "Page 2 of 2")
    assert len(response.context["page"].object_list) == 13
    assertContains(response, f'href="?state={rows.kenya.pk}&amp;page=1"')


def read_csv(response) -> list[list[str]]:
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content[1:])))


HEADER = [
    "State under review",
    "Cycle",
    "Session",
    "Working Group report",
    "Paragraph",
    "Recommendation",
    "Recommending States",
    "Recommending States, as given",
    "Position",
    "Source of the position",
    "Themes",
    "Affected persons",
    "SDGs",
]


def test_export_csv_holds_the_filtered_result(rows, member_client):
    response = member_client.get(reverse("reviews:recommendations_csv"), {"state": rows.kenya.pk, "position": "noted"})

    assert (response.status_code, response["Content-Type"]) == (200, "text/csv; charset=utf-8")
    assert response["Content-Disposition"].startswith('attachment; filename="upr-recommendations-')
    assert read_csv(response) == [
        HEADER,
        [
            "Kenya",
            "4",
            "49",
            "A/HRC/49/4",
            "120.1",
            "Abolish the death penalty in law",
            "Holy See (observer); Portugal",
            "(Portugal) (Holy See)",
            "Noted",
            "A/HRC/32/7/Add.1 - Para.3",
            "",
            "",
            "",
        ],
        [
            "Kenya",
            "3",
            "35",
            "A/HRC/35/9",
            "140.10",
            "Strengthen measures to ensure access to health services for all children",
            "Maldives",
            "(Maldives)",
            "Noted",
            "A/HRC/32/7/Add.1 - Para.3",
            "Right to health",
            "Children",
            "3, 10",
        ],
    ]


def test_export_xlsx_holds_the_same_columns(rows, member_client):
    response = member_client.get(reverse("reviews:recommendations_xlsx"), {"term": rows.children.pk})

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == HEADER
    assert values[1][:9] == [
        "Uganda",
        4,
        49,
        None,
        "110.2",
        "Ratifies the Convention on the Rights of Persons with Disabilities for children",
        "Kenya",
        "(Kenya)",
        "Supported",
    ]
    assert [row[4] for row in values[1:]] == ["110.2", "140.10"]
    assert sheet.title == "Recommendations"


def test_exports_defuse_formulas(rows, member_client):
    recommendation(rows.uganda_49, "110.9", '=HYPERLINK("http://evil.example","Click")', states=[rows.portugal])
    recommendation(rows.uganda_49, "110.8", "@SUM(1+1)", states=[rows.portugal])
    query = {"state": rows.uganda.pk, "recommending_state": rows.portugal.pk}

    lines = read_csv(member_client.get(reverse("reviews:recommendations_csv"), query))
    sheet = openpyxl.load_workbook(
        io.BytesIO(member_client.get(reverse("reviews:recommendations_xlsx"), query).content)
    ).active

    assert [line[5] for line in lines[1:]] == ["'@SUM(1+1)", '\'=HYPERLINK("http://evil.example","Click")']
    cells = [sheet.cell(row=row, column=6) for row in (2, 3)]
    # Text as typed, never a formula: openpyxl reads a formula back as data type "f".
    assert [(cell.value, cell.data_type, cell.quotePrefix) for cell in cells] == [
        ("@SUM(1+1)", "s", True),
        ('=HYPERLINK("http://evil.example","Click")', "s", True),
    ]


def test_export_is_capped_and_the_page_says_so(rows, member_client, monkeypatch):
    monkeypatch.setattr(selectors, "RECOMMENDATION_EXPORT_LIMIT", 3)

    page = member_client.get(reverse("reviews:recommendations"))
    lines = read_csv(member_client.get(reverse("reviews:recommendations_csv")))

    assertContains(page, "An export holds the first 3 recommendations of the result.")
    assert [line[4] for line in lines[1:]] == ["120.1", "110.2", "140.7"]


def test_export_under_the_cap_says_nothing(rows, member_client):
    assertNotContains(member_client.get(reverse("reviews:recommendations")), "An export holds the first")


def test_site_header_links_the_search_for_signed_in_people(rows, member_client, client):
    link = f'<a class="nav-link" href="{reverse("reviews:recommendations")}">Recommendations</a>'
    assertContains(member_client.get(reverse("coalitions:mine")), link, html=True)


# docs/permissions.md's matrix:recommendation-search: every cell is one test.

ROLES, MATRIX = read_matrix("matrix:recommendation-search")
CELLS = [(action, role, outcome) for action, row in MATRIX.items() for role, outcome in row.items()]


def page_text(response) -> str:
    return response.content.decode()


def xlsx_text(response) -> str:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return "\n".join(str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None)


# Each action: its address, how to read the answer's text, and what the text must hold.
ACTIONS = {
    "search the recommendations": ("reviews:recommendations", page_text, "A/HRC/35/9, para. 140.7"),
    "export the result as CSV": ("reviews:recommendations_csv", page_text, "Ratify the Optional Protocol"),
    "export the result as XLSX": ("reviews:recommendations_xlsx", xlsx_text, "Ratify the Optional Protocol"),
}


def person(role: str):
    if role == "anonymous":
        return None
    if role == "coalition member":
        return MembershipFactory(user__full_name="Member").user
    return UserFactory(full_name="Signed in, in no coalition")


def test_matrix_every_action_has_a_request():
    assert sorted(MATRIX) == sorted(ACTIONS)


@pytest.mark.parametrize(("action", "role", "outcome"), CELLS, ids=[f"{a}-{r}" for a, r, _o in CELLS])
def test_matrix_cell(action, role, outcome, rows, client):
    user = person(role)
    if user is not None:
        client.force_login(user)
    name, read, shows = ACTIONS[action]
    url = reverse(name)

    response = client.get(url)

    if outcome == "login":
        assertRedirects(response, f"{resolve_url('login')}?next={url}", fetch_redirect_response=False)
    else:
        assert (outcome, response.status_code) == ("yes", 200)
        assert shows in read(response)
