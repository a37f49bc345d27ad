"""The contribution dashboard: its figures from a known fixture, its filters and sorting, its CSV file."""

import copy
import csv
import datetime
import io
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from coalitions.models import Organisation, Role
from submissions.dashboard import DashboardFilters, contribution_dashboard, submission_at_a_glance
from submissions.models import Comment, Section, SignOff, Submission
from submissions.services.sections import section_restore
from tests.factories import MembershipFactory, SectionFactory, SubmissionFactory, UserFactory, write_text
from tests.shared_data import module_rows
from tests.submissions.conftest import World, build_world

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def words(count: int, word: str = "word") -> str:
    return "<p>" + " ".join([word] * count) + "</p>"


@dataclass
class Board:
    world: World
    submission: Submission
    detention: Section
    trafficking: Section
    children: Section
    ana: object
    now: datetime.datetime


def build_board() -> Board:
    """docs/permissions.md's coalition (tests/submissions/conftest.py) and a submission of three
    sections with milestones around ``now``, versions of known lengths, comments and sign-offs.

    Detention (B's cluster, led by and assigned to B, the drafter by name, budget 10): drafting, its
    first draft 2 days late, its review due in 3 days; saved 5, 8, 6 then 12 words (drafter, cluster
    lead, drafter, drafter). Trafficking (A's cluster, led by A, assigned to A and B, Ana by name,
    budget 100): submitted, its review a day late, its final text due in 6 days; Ana saved 20 then 4
    words and the coordinator restored the first. Children (no cluster, the reviewer by name, no
    budget): approved, its milestones met, never saved.
    """
    world = build_world()
    now = timezone.now()
    people = world.people
    ana = MembershipFactory(
        coalition=world.coalition, organisation=world.org_a, role=Role.DRAFTER, user__full_name="Ana Alpha"
    ).user
    submission = SubmissionFactory(coalition=world.coalition, review=world.review, title="Dashboard submission")
    detention = SectionFactory(
        submission=submission,
        title="Detention",
        cluster=world.cluster_b,
        word_budget=10,
        lead_organisation=world.org_b,
        first_draft_due=now - 2 * DAY,
        review_due=now + 3 * DAY,
        final_due=now + 20 * DAY,
        assigned_organisations=[world.org_b],
        assigned_people=[people["drafter"]],
    )
    for author, count in (("drafter", 5), ("cluster lead", 8), ("drafter", 6), ("drafter", 12)):
        write_text(detention, author=people[author], body=words(count))
    trafficking = SectionFactory(
        submission=submission,
        title="Trafficking",
        cluster=world.cluster_a,
        word_budget=100,
        lead_organisation=world.org_a,
        first_draft_due=now - 5 * DAY,
        review_due=now - DAY,
        final_due=now + 6 * DAY,
        assigned_organisations=[world.org_a, world.org_b],
        assigned_people=[ana],
    )
    write_text(trafficking, author=ana, body=words(20))
    write_text(trafficking, author=ana, body=words(4))
    section_restore(section_id=trafficking.pk, author=world.coordinator, version=1)
    children = SectionFactory(
        submission=submission,
        title="Children",
        first_draft_due=now - 10 * DAY,
        final_due=now - DAY,
        assigned_people=[people["reviewer"]],
    )
    Section.objects.filter(pk=trafficking.pk).update(state=Section.State.SUBMITTED)
    Section.objects.filter(pk=children.pk).update(state=Section.State.APPROVED)
    thread = Comment.objects.create(section=detention, author=people["reviewer"], body="Which prisons?")
    Comment.objects.create(section=detention, author=people["reviewer"], body="And since when?", parent=thread)
    Comment.objects.create(section=trafficking, author=world.coordinator, body="Cite the 2025 report.")
    SignOff.objects.create(
        submission=submission, organisation=world.org_b, status=SignOff.Status.ENDORSED, answered_at=now
    )
    SignOff.objects.create(submission=submission, organisation=world.org_a, invalidated_at=now)
    for section in (detention, trafficking, children):
        section.refresh_from_db()
    return Board(world, submission, detention, trafficking, children, ana, now)


# Written once for the module and rolled back after it (tests/shared_data.py).
board_rows = module_rows("board_rows", build_board)


@pytest.fixture
def board(board_rows, db) -> Board:
    return copy.deepcopy(board_rows)


def figures(rows) -> dict[str, tuple]:
    """name -> (lead, contributing, named, words, versions, comments, late, due this week[, sign-off])."""
    return {
        row.name: (row.lead, row.contributing, row.named, row.words, row.versions, row.comments, row.late, row.due_soon)
        + ((row.sign_off,) if row.sign_off else ())
        for row in rows
    }


def dashboard(board: Board, **filters):
    return contribution_dashboard(submission=board.submission, filters=DashboardFilters(**filters), now=board.now)


def test_dashboard_people_figures(board):
    assert figures(dashboard(board).people) == {
        "Ana Alpha": (1, 1, 1, 20, 2, 0, 1, 1),
        "The cluster lead": (1, 2, 0, 3, 1, 0, 2, 2),
        "The coordinator": (0, 0, 0, 0, 1, 1, 0, 0),
        "The drafter": (1, 2, 1, 11, 3, 0, 2, 2),
        "The observer": (1, 2, 0, 0, 0, 0, 2, 2),
        "The reviewer": (1, 2, 1, 0, 0, 2, 2, 2),
    }


def test_dashboard_people_listed_by_name_by_default(board):
    assert [row.name for row in dashboard(board).people] == [
        "Ana Alpha",
        "The cluster lead",
        "The coordinator",
        "The drafter",
        "The observer",
        "The reviewer",
    ]


def test_dashboard_organisation_figures_and_sign_off(board):
    world = board.world
    assert figures(dashboard(board).organisations) == {
        "Alpha Rights Watch": (1, 1, 1, 20, 2, 0, 1, 1, "Asked again after a change"),
        "Beta Legal Aid": (1, 2, 2, 14, 4, 2, 2, 2, "Endorsed"),
        world.secretariat.name: (0, 0, 0, 0, 1, 1, 0, 0, "Not asked"),
    }


def test_dashboard_last_activity_is_the_latest_version_or_comment(board):
    people = {row.name: row for row in dashboard(board).people}
    drafter = board.world.people["drafter"]
    last_save = (
        board.detention.versions.filter(author=drafter).order_by("-saved_at").values_list("saved_at", flat=True)[0]
    )
    last_comment = Comment.objects.filter(author=board.world.people["reviewer"]).order_by("-created_at")[0].created_at

    assert (people["The drafter"].last_activity, people["The reviewer"].last_activity) == (last_save, last_comment)
    assert people["The observer"].last_activity is None


def test_dashboard_section_rows(board):
    rows = dashboard(board).sections

    assert [
        (r.number, r.title, r.cluster, r.lead, r.state, r.counted, r.budget, r.percent, r.over, r.next_label, r.late)
        for r in rows
    ] == [
        (1, "Detention", "B's cluster", "Beta Legal Aid", "drafting", 12, 10, 100, True, "First draft due", 1),
        (2, "Trafficking", "A's cluster", "Alpha Rights Watch", "submitted", 20, 100, 20, False, "Review due", 1),
        (3, "Children", "", "", "approved", 0, None, 0, False, "", 0),
    ]
    assert [(r.next_when, r.next_late) for r in rows] == [
        (board.detention.first_draft_due, True),
        (board.trafficking.review_due, True),
        (None, False),
    ]


def test_dashboard_filter_by_organisation(board):
    result = dashboard(board, organisation=board.world.org_a.pk)

    assert [r.name for r in result.organisations] == ["Alpha Rights Watch"]
    assert [r.name for r in result.people] == ["Ana Alpha"]
    assert [r.title for r in result.sections] == ["Trafficking"]


def test_dashboard_filter_by_person(board):
    result = dashboard(board, person=board.world.people["drafter"].pk)

    assert [r.name for r in result.organisations] == ["Beta Legal Aid"]
    assert figures(result.people) == {"The drafter": (1, 2, 1, 11, 3, 0, 2, 2)}
    assert [r.title for r in result.sections] == ["Detention", "Trafficking"]


def test_dashboard_filter_by_cluster_counts_only_its_sections(board):
    result = dashboard(board, cluster=board.world.cluster_b.pk)

    assert figures(result.people) == {
        "The cluster lead": (1, 1, 0, 3, 1, 0, 1, 1),
        "The drafter": (1, 1, 1, 11, 3, 0, 1, 1),
        "The observer": (1, 1, 0, 0, 0, 0, 1, 1),
        "The reviewer": (1, 1, 0, 0, 0, 2, 1, 1),
    }
    assert [r.name for r in result.organisations] == ["Beta Legal Aid"]
    assert [r.title for r in result.sections] == ["Detention"]


def test_dashboard_filter_by_state(board):
    result = dashboard(board, state=Section.State.SUBMITTED)

    assert [r.title for r in result.sections] == ["Trafficking"]
    assert figures(result.people)["Ana Alpha"] == (1, 1, 1, 20, 2, 0, 1, 1)
    assert figures(result.people)["The coordinator"] == (0, 0, 0, 0, 1, 1, 0, 0)


def test_dashboard_late_only(board):
    result = dashboard(board, late_only=True)

    assert [r.title for r in result.sections] == ["Detention", "Trafficking"]
    assert [r.name for r in result.people] == [
        "Ana Alpha",
        "The cluster lead",
        "The drafter",
        "The observer",
        "The reviewer",
    ]
    assert [r.name for r in result.organisations] == ["Alpha Rights Watch", "Beta Legal Aid"]


def test_dashboard_people_sorted_by_words_largest_first_ties_by_name(board):
    result = dashboard(board, person_sort="-words")

    assert [(r.name, r.words) for r in result.people] == [
        ("Ana Alpha", 20),
        ("The drafter", 11),
        ("The cluster lead", 3),
        ("The coordinator", 0),
        ("The observer", 0),
        ("The reviewer", 0),
    ]


def test_dashboard_organisations_sorted_by_late(board):
    result = dashboard(board, organisation_sort="-late")

    assert [(r.name, r.late) for r in result.organisations] == [
        ("Beta Legal Aid", 2),
        ("Alpha Rights Watch", 1),
        (board.world.secretariat.name, 0),
    ]


@pytest.mark.parametrize(
    ("sort", "titles"),
    [
        ("deadline", ["Detention", "Trafficking", "Children"]),
        ("progress", ["Children", "Trafficking", "Detention"]),
        ("-title", ["Trafficking", "Detention", "Children"]),
        ("state", ["Detention", "Trafficking", "Children"]),
    ],
)
def test_dashboard_sections_sorted(sort, titles, board):
    assert [r.title for r in dashboard(board, section_sort=sort).sections] == titles


def test_dashboard_words_written_floor_at_zero_and_restores_add_none(board):
    """Detention: 5, 8 (+3 by the lead), 6 (-2: none), 12 (+6): the drafter wrote 5 + 0 + 6."""
    people = {row.name: row for row in dashboard(board).people}

    assert (people["The drafter"].words, people["The cluster lead"].words, people["The coordinator"].words) == (
        11,
        3,
        0,
    )


def test_cluster_submission_lists_the_clusters_organisations(board):
    world = board.world
    cluster_submission = SubmissionFactory(
        coalition=world.coalition, review=world.review, title="A's own", cluster=world.cluster_a
    )

    result = contribution_dashboard(submission=cluster_submission, filters=DashboardFilters(), now=board.now)

    assert [r.name for r in result.organisations] == ["Alpha Rights Watch"]
    assert [r.name for r in result.people] == ["Ana Alpha"]


# The page and its CSV file.


class _Cells(HTMLParser):
    """The text of every row of the table with the given id: a list of cells per row, head included."""

    def __init__(self, table_id: str):
        super().__init__()
        self.table_id, self.inside, self.rows, self.cell = table_id, False, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_cells(html: str, table_id: str) -> list[list[str]]:
    parser = _Cells(table_id)
    parser.feed(html)
    return parser.rows


def csv_of(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_dashboard_page_shows_the_tables(board, client):
    client.force_login(board.world.coordinator)

    response = client.get(reverse("submissions:dashboard", args=[board.submission.pk]))

    assertContains(response, "Contribution dashboard")
    people = table_cells(response.content.decode(), "people-table")
    assert [row[:2] + row[2:8] + row[9:] for row in people[1:]] == [
        ["Ana Alpha", "Alpha Rights Watch", "1", "1", "1", "20", "2", "0", "1", "1"],
        ["The cluster lead", "Beta Legal Aid", "1", "2", "0", "3", "1", "0", "2", "2"],
        ["The coordinator", board.world.secretariat.name, "0", "0", "0", "0", "1", "1", "0", "0"],
        ["The drafter", "Beta Legal Aid", "1", "2", "1", "11", "3", "0", "2", "2"],
        ["The observer", "Beta Legal Aid", "1", "2", "0", "0", "0", "0", "2", "2"],
        ["The reviewer", "Beta Legal Aid", "1", "2", "1", "0", "0", "2", "2", "2"],
    ]
    sections = table_cells(response.content.decode(), "sections-table")
    assert [row[1] for row in sections[1:]] == [
        "DetentionCluster: B's cluster",
        "TraffickingCluster: A's cluster",
        "Children",
    ]
    assert sections[1][3].startswith("12 of 10")
    assert "over budget" in sections[1][3]
    assert sections[1][5].endswith("late")


@pytest.mark.parametrize("table", ["people", "organisations", "sections"])
def test_dashboard_csv_equals_the_table(table, board, client):
    client.force_login(board.world.coordinator)
    query = f"?organisation_sort=-words&person_sort=-words&late=on&table={table}"

    page = client.get(reverse("submissions:dashboard", args=[board.submission.pk]) + query)
    exported = csv_of(client.get(reverse("submissions:dashboard_csv", args=[board.submission.pk]) + query))

    cells = table_cells(page.content.decode(), f"{table}-table")
    assert len(exported) == len(cells)
    if table == "sections":
        assert [(row[0], row[1], row[4]) for row in exported[1:]] == [
            ("1", "Detention", "Drafting"),
            ("2", "Trafficking", "Submitted for review"),
        ]
        assert [(row[0], row[4]) for row in cells[1:]] == [("1", "Drafting"), ("2", "Submitted for review")]
        return
    # Name, the figures (last activity apart: the file gives it in ISO 8601) and the sign-off.
    width = 2 if table == "people" else 1
    for row, shown in zip(exported[1:], cells[1:], strict=True):
        assert row[: width + 6] == shown[: width + 6]
        assert row[width + 7 :] == shown[width + 7 :]
    assert [row[0] for row in exported[1:]] == (
        ["Ana Alpha", "The drafter", "The cluster lead", "The observer", "The reviewer"]
        if table == "people"
        else ["Alpha Rights Watch", "Beta Legal Aid"]
    )


def test_dashboard_csv_is_a_download_with_defused_cells(board, client):
    Organisation.objects.filter(pk=board.world.org_a.pk).update(name="=HYPERLINK(1)")
    client.force_login(board.world.coordinator)

    response = client.get(reverse("submissions:dashboard_csv", args=[board.submission.pk]) + "?table=organisations")

    assert (response["Content-Type"], response["Content-Disposition"]) == (
        "text/csv; charset=utf-8",
        'attachment; filename="dashboard-submission-organisations.csv"',
    )
    assert csv_of(response)[1][0] == "'=HYPERLINK(1)"


def test_dashboard_csv_of_an_unknown_table_answers_404(board, client):
    client.force_login(board.world.coordinator)

    response = client.get(reverse("submissions:dashboard_csv", args=[board.submission.pk]) + "?table=secrets")

    assertContains(response, "Page not found", status_code=404)


def test_dashboard_filters_and_sort_links_work_without_javascript(board, client):
    client.force_login(board.world.coordinator)
    url = reverse("submissions:dashboard", args=[board.submission.pk])

    response = client.get(f"{url}?organisation={board.world.org_a.pk}&person_sort=words")

    people = table_cells(response.content.decode(), "people-table")
    assert [row[0] for row in people[1:]] == ["Ana Alpha"]
    assertContains(response, f'<option value="{board.world.org_a.pk}" selected>Alpha Rights Watch</option>', html=True)
    # Sorting again by the same column reverses it, the filters kept.
    assertContains(response, f'href="?organisation={board.world.org_a.pk}&amp;person_sort=-words#people"')


def test_dashboard_malformed_parameters_are_ignored(board, client):
    client.force_login(board.world.coordinator)

    response = client.get(
        reverse("submissions:dashboard", args=[board.submission.pk]) + "?organisation=abc&state=gone&person_sort=pk"
    )

    people = table_cells(response.content.decode(), "people-table")
    assert len(people) == 7


def test_dashboard_of_another_coalitions_submission_answers_404(board, client):
    client.force_login(board.world.coordinator)

    response = client.get(reverse("submissions:dashboard", args=[board.world.other_submission.pk]))

    assertContains(response, "Page not found", status_code=404)


def test_submission_page_links_the_dashboard_for_coordinators_only(board, client):
    url = reverse("submissions:detail", args=[board.submission.pk])
    dashboard_url = reverse("submissions:dashboard", args=[board.submission.pk])

    client.force_login(board.world.coordinator)
    coordinator_page = client.get(url).content.decode()
    client.force_login(board.world.people["drafter"])
    drafter_page = client.get(url).content.decode()

    assert (dashboard_url in coordinator_page, dashboard_url in drafter_page) == (True, False)


def test_people_named_but_no_longer_members_keep_their_words(board):
    stranger = UserFactory(full_name="Someone Else")
    write_text(board.detention, author=stranger, body=words(15))

    people = {row.name: row for row in dashboard(board).people}

    assert (people["Someone Else"].words, people["Someone Else"].organisation) == (3, "")


def test_dashboard_at_a_glance_covers_the_whole_submission_whatever_the_filters(board, client):
    glance = submission_at_a_glance(submission=board.submission, now=board.now)

    assert (glance.sections, glance.empty, glance.with_drafters, glance.in_review, glance.approved) == (3, 1, 1, 1, 1)
    # Detention's first draft and Trafficking's review are late; Children's passed milestones are met.
    assert (glance.late_sections, glance.late_items) == (2, 2)
    assert (glance.sign_off.total, glance.sign_off.endorsed, glance.sign_off.pending) == (2, 1, 1)
    assert glance.document is None
    assert glance.totals.counted == 12 + 20

    client.force_login(board.world.coordinator)
    response = client.get(
        reverse("submissions:dashboard", args=[board.submission.pk]), {"state": "approved", "late": "on"}
    )
    page = " ".join(response.content.decode().split())
    assert "2 sections are late. 2 internal deadlines missed." in page
    assert "3 sections: 1 with the drafters, 1 in review, 1 approved." in page
    assert "1 section has no text yet." in page
    assert "Sign-off: 1 of 2 organisations endorsed, 0 declined, 1 not answered." in page
    assert "No documents generated yet" in page
