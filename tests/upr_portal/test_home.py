"""The home page: a signed-in person's sections with their deadlines, their coalitions, and the public calendar."""

import datetime
import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coalitions.models import Role
from reviews.models import Session
from submissions.models import Section, Submission
from tests.factories import (
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    ReviewFactory,
    SectionFactory,
    SessionFactory,
    StateFactory,
    SubmissionFactory,
    UserFactory,
)
from tests.factories.coalitions import add_organisation, new_coalition
from upr_portal import freshness
from upr_portal.timezones import GENEVA, geneva_today

pytestmark = pytest.mark.django_db

_numbers = itertools.count()


def deadline_in(days: int) -> datetime.datetime:
    """A UN deadline at 23:59 Geneva time, ``days`` Geneva days from today."""
    return datetime.datetime.combine(geneva_today() + datetime.timedelta(days=days), datetime.time(23, 59), GENEVA)


def rows_of(response, table_id: str) -> list[list[str]]:
    """The text of each body row's cells of the table with this id, whitespace folded."""
    from lxml import html  # heavy libraries load inside functions (ruff's banned-module-level-imports)

    assert response.status_code == 200, response.content.decode()[:500]
    tree = html.fromstring(response.content.decode())
    rows = tree.xpath(f'//table[@id="{table_id}"]/tbody/tr')
    return [[" ".join(cell.text_content().split()) for cell in row.xpath("./td")] for row in rows]


def drafter_with_section(*, days: int | None = 30, state: str = "Finland", role: str = Role.DRAFTER):
    """A person acting for an organisation in a coalition, and a section assigned to that organisation."""
    coalition = new_coalition(name=f"Coalition {state}")
    organisation = add_organisation(coalition, OrganisationFactory(name=f"Rights Group {state}")).organisation
    person = MembershipFactory(
        coalition=coalition, organisation=organisation, role=role, user=UserFactory(full_name="Dana Drafter")
    ).user
    review = ReviewFactory(
        state=StateFactory(name=state), stakeholder_deadline=deadline_in(days) if days is not None else None
    )
    submission = SubmissionFactory(coalition=coalition, review=review, title=f"Joint submission on {state}")
    section = SectionFactory(submission=submission, title="Children's rights", assigned_organisations=[organisation])
    return person, section


def test_home_lists_my_sections_with_next_deadline_and_countdown(client):
    person, section = drafter_with_section(days=30)
    deadline = section.submission.review.stakeholder_deadline
    client.force_login(person)

    response = client.get(reverse("home"))

    when = f"{deadline:%-d %b %Y}, 23:59 Geneva time"
    assert rows_of(response, "my-sections") == [
        [
            "Children's rights",
            "Joint submission on Finland Coalition Finland · Finland, session "
            f"{section.submission.review.session.number} Review status: Scheduled",
            f"{when} Stakeholder submission deadline",
            f"30 days left {when}",
        ]
    ]
    editor = reverse("submissions:section_edit", args=[section.submission.pk, section.pk])
    assert response.content.decode().count(f'href="{editor}"') == 1


@pytest.mark.parametrize(
    ("days", "countdown"),
    [(1, "1 day left"), (0, "Due today"), (-3, "Passed"), (None, "Not yet announced")],
)
def test_home_countdown_to_the_un_deadline_says_what_is_left(client, days, countdown):
    person, _section = drafter_with_section(days=days)
    client.force_login(person)

    [row] = rows_of(client.get(reverse("home")), "my-sections")

    if days is None:
        assert row[3] == countdown
    else:
        assert row[3] == f"{countdown} {deadline_in(days):%-d %b %Y}, 23:59 Geneva time"


def test_home_my_sections_mark_dates_of_unconfirmed_sessions_provisional(client):
    person, section = drafter_with_section(days=30)
    Session.objects.filter(pk=section.submission.review.session_id).update(dates_provisional=True)
    client.force_login(person)

    [row] = rows_of(client.get(reverse("home")), "my-sections")

    when = f"{deadline_in(30):%-d %b %Y}, 23:59 Geneva time"
    assert row[2:] == [f"{when} provisional Stakeholder submission deadline", f"30 days left {when} provisional"]


def test_home_next_deadline_is_nothing_once_the_un_deadline_passed(client):
    person, _section = drafter_with_section(days=-1)
    client.force_login(person)

    [row] = rows_of(client.get(reverse("home")), "my-sections")

    assert row[2] == "Nothing due"


def test_home_my_sections_leave_out_other_coalitions_sections(client):
    person, section = drafter_with_section(state="Finland")
    # The person's organisation is in a second coalition the person is not part of: its sections,
    # assigned to that organisation and even to the person by name, are not theirs to see.
    organisation = section.assigned_organisations.get()
    elsewhere = new_coalition(name="Coalition they are not in")
    add_organisation(elsewhere, organisation)
    SectionFactory(
        submission=SubmissionFactory(coalition=elsewhere, title="Someone else's submission"),
        title="Not yours",
        assigned_organisations=[organisation],
        assigned_people=[person],
    )
    client.force_login(person)

    response = client.get(reverse("home"))

    assert [row[0] for row in rows_of(response, "my-sections")] == ["Children's rights"]
    assert "Not yours" not in response.content.decode()
    assert "Someone else&#x27;s submission" not in response.content.decode()


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.OBSERVER])
def test_home_my_sections_empty_for_readers_assigned_by_name(client, role):
    person, section = drafter_with_section(role=role)
    section.assigned_people.add(person)
    client.force_login(person)

    response = client.get(reverse("home"))

    assert (rows_of(response, "my-sections"), response.context["my_sections"]) == ([], [])
    assert "No section of a submission being drafted is assigned to you or your organisation yet." in (
        response.content.decode()
    )


def test_home_my_sections_leave_out_final_submissions(client):
    person, section = drafter_with_section()
    Submission.objects.filter(pk=section.submission.pk).update(status=Submission.Status.FINAL)
    client.force_login(person)

    assert rows_of(client.get(reverse("home")), "my-sections") == []


def test_home_coordinator_without_assigned_sections_is_told_where_to_edit(client):
    person, section = drafter_with_section(role=Role.COORDINATOR)
    section.assigned_organisations.clear()
    client.force_login(person)

    response = client.get(reverse("home"))

    assert rows_of(response, "my-sections") == []
    assert "As a coordinator you may edit every section: open a submission from your coalition's page." in (
        response.content.decode()
    )


def test_home_cluster_lead_sees_the_sections_of_the_cluster_they_lead(client):
    person, section = drafter_with_section(role=Role.CLUSTER_LEAD)
    organisation = section.assigned_organisations.get()
    cluster = ClusterFactory(coalition=section.submission.coalition, name="Justice", lead_organisation=organisation)
    SectionFactory(submission=section.submission, title="Access to justice", cluster=cluster)
    client.force_login(person)

    rows = rows_of(client.get(reverse("home")), "my-sections")

    assert [row[0] for row in rows] == ["Children's rights", "Access to justice Cluster: Justice"]


def test_home_shows_upcoming_reviews_to_signed_in_people_in_date_order(client):
    today = geneva_today()
    past = SessionFactory(number=50, wg_start=today - datetime.timedelta(days=40))
    soon = SessionFactory(number=54, wg_start=today + datetime.timedelta(days=50))
    later = SessionFactory(number=55, wg_start=today + datetime.timedelta(days=300))
    undated = SessionFactory(number=56, wg_start=None)
    ReviewFactory(state=StateFactory(name="Pastland"), session=past, stakeholder_deadline=deadline_in(-200))
    ReviewFactory(state=StateFactory(name="Finland"), session=later, stakeholder_deadline=deadline_in(120))
    # Submissions suspended: no deadline, yet listed with its session, before the later one.
    ReviewFactory(state=StateFactory(name="Myanmar"), session=soon, status="submissions_suspended")
    ReviewFactory(state=StateFactory(name="Togo"), session=soon, stakeholder_deadline=deadline_in(-10))
    ReviewFactory(state=StateFactory(name="Undatedia"), session=undated)
    client.force_login(UserFactory())

    rows = rows_of(client.get(reverse("home")), "upcoming-reviews")

    assert [row[0] for row in rows] == ["Togo", "Myanmar", "Finland", "Undatedia"]


def test_home_shows_upcoming_reviews_to_visitors(client):
    ReviewFactory(state=StateFactory(name="Finland"), session=SessionFactory(number=55))

    response = client.get(reverse("home"))

    assert [row[0] for row in rows_of(response, "upcoming-reviews")] == ["Finland"]
    assert (response.content.decode().count('id="upcoming-reviews"'), rows_of(response, "my-sections")) == (1, [])


def test_home_counts_each_coalitions_people_and_organisations(client):
    person, section = drafter_with_section()
    coalition = section.submission.coalition
    # Three organisations (the secretariat, the person's, one more) and four people, two of them in
    # the same organisation: counted over one join, people x organisations would inflate both.
    extra = add_organisation(coalition, OrganisationFactory()).organisation
    MembershipFactory(coalition=coalition, organisation=extra)
    MembershipFactory(coalition=coalition, organisation=extra)
    MembershipFactory(coalition=coalition, organisation=extra, is_active=False)
    MembershipFactory(coalition=coalition, organisation=coalition.secretariat, role=Role.COORDINATOR)
    client.force_login(person)

    response = client.get(reverse("home"))

    [listed] = response.context["coalitions"]
    assert (listed.people_count, listed.organisation_count) == (4, 3)
    assert 'Coalition Finland</a> <span class="small text-body-secondary">3 organisations · 4 people</span>' in (
        response.content.decode()
    )


class HomeGrower:
    """One drafter in more and more coalitions, each with more and more members and sections."""

    def __init__(self):
        self.person = UserFactory(full_name="Petra Person")
        self.shared = OrganisationFactory(name="Shared Organisation")
        self.coalitions = []

    def grow_to(self, *, coalitions: int, members: int) -> None:
        while len(self.coalitions) < coalitions:
            n = next(_numbers)
            coalition = new_coalition(name=f"Coalition number {n}")
            add_organisation(coalition, self.shared)
            MembershipFactory(coalition=coalition, user=self.person, organisation=self.shared, role=Role.DRAFTER)
            cluster = ClusterFactory(coalition=coalition, name=f"Theme {n}", lead_organisation=self.shared)
            review = ReviewFactory(stakeholder_deadline=deadline_in(30 + n))
            submission = SubmissionFactory(coalition=coalition, review=review, title=f"Submission {n}")
            SectionFactory(submission=submission, cluster=cluster, assigned_organisations=[self.shared])
            SectionFactory(submission=submission, assigned_people=[self.person])
            self.coalitions.append(coalition)
        for coalition in self.coalitions:
            # The person is one of the members.
            for _ in range(members - coalition.memberships.count()):
                organisation = add_organisation(coalition, OrganisationFactory()).organisation
                MembershipFactory(coalition=coalition, organisation=organisation)


def home_queries(client) -> tuple[int, object]:
    # The computing path: the values the page remembers (upr_portal/freshness.py) are computed again.
    freshness.bump()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200, response.content.decode()[:500]
    return len(queries), response


def test_home_queries_do_not_grow_with_coalitions_members_and_sections(client):
    grower = HomeGrower()
    ReviewFactory(session=SessionFactory(number=99))  # an upcoming review no coalition works on
    client.force_login(grower.person)
    grower.grow_to(coalitions=1, members=2)
    client.get(reverse("home"))  # Warms per-process caches (content types, templates) so both counts are alike.

    small, small_response = home_queries(client)
    grower.grow_to(coalitions=3, members=20)
    large, large_response = home_queries(client)

    def listed(response):
        return (
            len(rows_of(response, "my-sections")),
            [(c.people_count, c.organisation_count) for c in response.context["coalitions"]],
        )

    # Each coalition: the secretariat, the shared organisation and one per other member.
    assert (listed(small_response), listed(large_response)) == ((2, [(2, 3)]), (6, [(20, 21)] * 3))
    assert large == small


def test_home_tables_show_a_change_at_once_though_cached(client):
    # Each table is cached under a digest of what it shows: a renamed section, a review whose status
    # changed and a new deadline show on the next visit.
    person, section = drafter_with_section(days=30)
    client.force_login(person)
    review = section.submission.review
    before = client.get(reverse("home"))
    Section.objects.filter(pk=section.pk).update(title="Rights of the child")
    type(review).objects.filter(pk=review.pk).update(status="postponed", stakeholder_deadline=deadline_in(20))

    after = client.get(reverse("home"))

    when = f"{deadline_in(20):%-d %b %Y}, 23:59 Geneva time"
    assert [row[0] for row in rows_of(before, "my-sections")] == ["Children's rights"]
    [mine] = rows_of(after, "my-sections")
    assert (mine[0], mine[2], mine[3]) == (
        "Rights of the child",
        f"{when} Stakeholder submission deadline",
        f"20 days left {when}",
    )
    assert "Review status: Postponed" in mine[1]
    [upcoming] = rows_of(after, "upcoming-reviews")
    assert (upcoming[0], upcoming[1], upcoming[4]) == (
        "Finland",
        "Review status: Postponed",
        f"{deadline_in(20):%-d %b %Y, 23:59}",
    )
    due_table = after.content.decode().split('id="due-heading"')[1].split("</table>")[0]
    due = " ".join(re.sub(r"<[^>]+>", " ", due_table).split())
    assert f"{deadline_in(20):%-d %B %Y}, 23:59 Geneva time Stakeholder submission deadline" in due
    assert f"Finland, session {review.session.number} Review status: Postponed Coalition Finland" in due


def test_home_cached_tables_are_each_persons_own(client):
    # Two people with the same review but their own sections: neither sees the other's cached table.
    first, first_section = drafter_with_section(state="Finland")
    second = MembershipFactory(
        coalition=new_coalition(name="Another coalition"), role=Role.DRAFTER, user=UserFactory(full_name="Sam")
    )
    SectionFactory(
        submission=SubmissionFactory(coalition=second.coalition, review=first_section.submission.review),
        title="Freedom of expression",
        assigned_people=[second.user],
    )
    client.force_login(first)
    mine = rows_of(client.get(reverse("home")), "my-sections")
    client.force_login(second.user)

    theirs = rows_of(client.get(reverse("home")), "my-sections")

    assert ([row[0] for row in mine], [row[0] for row in theirs]) == (["Children's rights"], ["Freedom of expression"])


# The page's values are remembered until the database changes (upr_portal/freshness.py): each change
# shows on the next visit, each person sees their own, and a visit with nothing changed reads less.


def visit(client) -> tuple[int, object]:
    """The home page and its number of queries, with whatever the page remembers."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200, response.content.decode()[:500]
    return len(queries), response


def due_rows(response) -> list[str]:
    """The text of each row of "Due next"."""
    table = response.content.decode().split('id="due-heading"')[1].split("</table>")[0]
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]]


def test_home_second_visit_with_nothing_changed_reads_less(client):
    person, _section = drafter_with_section(days=30)
    client.force_login(person)

    first, first_response = visit(client)
    second, second_response = visit(client)

    assert second < first
    assert [rows_of(r, "my-sections") for r in (first_response, second_response)] == [
        rows_of(first_response, "my-sections")
    ] * 2
    assert due_rows(second_response) == due_rows(first_response) != []
    assert rows_of(second_response, "upcoming-reviews") == rows_of(first_response, "upcoming-reviews") != []


def test_home_coalitions_show_a_change_at_once(client):
    # The coalitions' names, counts and the person's role are remembered: a new member, a new name and
    # a new role show on the next visit.
    person, section = drafter_with_section()
    coalition = section.submission.coalition
    section.assigned_organisations.clear()
    client.force_login(person)
    before = visit(client)[1]
    MembershipFactory(coalition=coalition, organisation=coalition.secretariat)
    type(coalition).objects.filter(pk=coalition.pk).update(name="Renamed coalition")
    person.coalition_memberships.update(role=Role.COORDINATOR)

    after = visit(client)[1]

    assert [(c.name, c.people_count, c.my_role) for c in before.context["coalitions"]] == [
        ("Coalition Finland", 1, Role.DRAFTER)
    ]
    assert [(c.name, c.people_count, c.my_role) for c in after.context["coalitions"]] == [
        ("Renamed coalition", 2, Role.COORDINATOR)
    ]
    assert "As a coordinator you may edit every section" in after.content.decode()
    assert "Coalition Finland" not in after.content.decode()


def test_home_a_section_assigned_later_shows_at_once(client):
    person, section = drafter_with_section()
    client.force_login(person)
    before = visit(client)[1]
    SectionFactory(submission=section.submission, title="Right to water", assigned_people=[person])

    after = visit(client)[1]

    assert [row[0] for row in rows_of(before, "my-sections")] == ["Children's rights"]
    assert [row[0] for row in rows_of(after, "my-sections")] == ["Children's rights", "Right to water"]


def test_home_remembered_tables_are_each_persons_own(client):
    # Two people in two coalitions on two reviews, each signed in once and visiting in turn while
    # nothing changes: neither is shown the other's coalitions, deadlines or sections, nor a visitor.
    from django.test import Client

    first, _first_section = drafter_with_section(state="Finland")
    second, _second_section = drafter_with_section(state="Kenya")
    clients = {first: client, second: Client()}
    for person, its_client in clients.items():
        its_client.force_login(person)
    views = []
    for person in (first, second, first, second):
        response = visit(clients[person])[1]
        views.append(
            (
                [c.name for c in response.context["coalitions"]],
                [row[1].split(" Coalition ")[0] for row in rows_of(response, "my-sections")],
                [row.split(" Stakeholder submission deadline ")[1].split(",")[0] for row in due_rows(response)],
            )
        )
    anonymous = visit(Client())[1]

    assert (
        views
        == [
            (["Coalition Finland"], ["Joint submission on Finland"], ["Finland"]),
            (["Coalition Kenya"], ["Joint submission on Kenya"], ["Kenya"]),
        ]
        * 2
    )
    assert "my_sections" not in anonymous.context
    assert ("Coalition Finland" in anonymous.content.decode(), "Coalition Kenya" in anonymous.content.decode()) == (
        False,
        False,
    )


def test_home_remembered_values_follow_the_language(client, settings):
    # The same person, nothing changed in the database, the language switched: the deadlines' labels
    # and the calendar's statuses are in the new language.
    person, _section = drafter_with_section(days=30)
    person.language = ""
    person.save(update_fields=["language"])
    client.force_login(person)
    english = visit(client)[1]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    french = visit(client)[1]

    assert "Stakeholder submission deadline" in due_rows(english)[0]
    assert "Date limite des contributions des parties prenantes" in due_rows(french)[0]
    assert "Stakeholder submission deadline" not in french.content.decode()
    assert "Programmé" in rows_of(french, "upcoming-reviews")[0][1]


def test_home_remembered_values_follow_the_geneva_day(client, monkeypatch):
    # Nothing changed in the database, a day passed in Geneva: the countdown counts one day less.
    person, _section = drafter_with_section(days=30)
    client.force_login(person)
    today = visit(client)[1]
    monkeypatch.setattr("upr_portal.views.geneva_today", lambda: geneva_today() + datetime.timedelta(days=1))

    tomorrow = visit(client)[1]

    assert rows_of(today, "my-sections")[0][3].startswith("30 days left")
    assert rows_of(tomorrow, "my-sections")[0][3].startswith("29 days left")
