"""Sections' milestones as deadlines: who they concern, the reminder scan, the timeline and the feed."""

import datetime
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar
from pytest_django.asserts import assertContains

from accounts.models import User
from coalitions.models import Coalition, Role
from deadlines.feeds import calendar_feed_get_or_create
from deadlines.models import ReminderClaim, ReminderMute
from deadlines.section_milestones import SectionMilestoneProvider
from deadlines.services import reminders_scan
from notifications.models import OutboxMessage
from submissions.models import Section
from submissions.models.core import SectionState
from tests.deadlines.conftest import geneva, review_due
from tests.factories import MembershipFactory, OrganisationFactory, SectionFactory, SubmissionFactory, UserFactory
from tests.factories.coalitions import add_organisation, new_coalition

pytestmark = pytest.mark.django_db

UN_DEADLINE = geneva(2027, 3, 25, 17)
FIRST_DRAFT = geneva(2027, 1, 14, 17)
REVIEW = geneva(2027, 2, 11, 17)


@dataclass
class Team:
    coalition: Coalition
    section: Section
    people: dict[str, User]


def team_with_section(name: str = "Kenya UPR Coalition", *, title: str = "Rights of the child") -> Team:
    review = review_due(UN_DEADLINE)
    coalition = new_coalition(name=name)
    coalition.reviews.add(review)
    lead = add_organisation(coalition, OrganisationFactory(name=f"Lead of {name}")).organisation
    contributor = add_organisation(coalition, OrganisationFactory(name=f"Contributor of {name}")).organisation
    bystander = add_organisation(coalition, OrganisationFactory(name=f"Bystander of {name}")).organisation

    def member(key: str, organisation, role: str, **fields) -> User:
        user = UserFactory(email=f"{key}.{coalition.pk}@example.org", full_name=key)
        MembershipFactory(coalition=coalition, user=user, organisation=organisation, role=role, **fields)
        return user

    people = {
        "lead drafter": member("lead-drafter", lead, Role.DRAFTER),
        "lead reviewer": member("lead-reviewer", lead, Role.REVIEWER),
        "lead former drafter": member("lead-former", lead, Role.DRAFTER, is_active=False),
        "contributor lead": member("contributor-lead", contributor, Role.CLUSTER_LEAD),
        "bystander drafter": member("bystander-drafter", bystander, Role.DRAFTER),
        "named observer": member("named-observer", bystander, Role.OBSERVER),
    }
    submission = SubmissionFactory(coalition=coalition, review=review, title=f"Joint submission of {name}")
    section = SectionFactory(
        submission=submission,
        title=title,
        lead_organisation=lead,
        assigned_organisations=[contributor],
        first_draft_due=FIRST_DRAFT,
        review_due=REVIEW,
    )
    section.assigned_people.set([people["named observer"]])
    return Team(coalition=coalition, section=section, people=people)


def ids(team: Team, *keys: str) -> frozenset[int]:
    return frozenset(team.people[key].pk for key in keys)


ASSIGNEES = ("lead drafter", "contributor lead", "named observer")


def test_provider_yields_each_milestone_for_the_sections_assignees():
    team = team_with_section()

    deadlines = SectionMilestoneProvider().deadlines(coalition_ids=[team.coalition.pk])

    assert [(d.key, str(d.label), d.when, d.audience, d.done, d.mutable, d.remind_overdue) for d in deadlines] == [
        (
            f"section-{team.section.pk}-first_draft_due",
            "First draft due: Rights of the child",
            FIRST_DRAFT,
            ids(team, *ASSIGNEES),
            False,
            True,
            True,
        ),
        (
            f"section-{team.section.pk}-review_due",
            "Review due: Rights of the child",
            REVIEW,
            ids(team, *ASSIGNEES),
            False,
            True,
            True,
        ),
    ]
    assert {d.url for d in deadlines} == {
        reverse("submissions:section", args=[team.section.submission_id, team.section.pk])
    }


def test_provider_marks_milestones_met_by_the_section_state_done():
    team = team_with_section()
    Section.objects.filter(pk=team.section.pk).update(state=SectionState.SUBMITTED)

    deadlines = SectionMilestoneProvider().deadlines(coalition_ids=[team.coalition.pk])

    assert [(d.key.rsplit("-", 1)[1], d.done, d.is_reminded) for d in deadlines] == [
        ("first_draft_due", True, False),
        ("review_due", False, True),
    ]


def test_provider_keeps_to_the_geneva_days_asked():
    team = team_with_section()
    provider = SectionMilestoneProvider()

    on_the_day = provider.deadlines(
        coalition_ids=None, start=datetime.date(2027, 1, 14), end=datetime.date(2027, 1, 14)
    )
    after = provider.deadlines(coalition_ids=None, start=datetime.date(2027, 1, 15), end=datetime.date(2027, 2, 10))

    assert [d.key for d in on_the_day] == [f"section-{team.section.pk}-first_draft_due"]
    assert after == []


@pytest.mark.parametrize("coalitions", [1, 3])
def test_provider_reads_in_four_queries_whatever_the_sections(coalitions):
    teams = [team_with_section(f"Coalition {n}") for n in range(coalitions)]
    for team in teams:
        SectionFactory(
            submission=team.section.submission, title="Second", first_draft_due=FIRST_DRAFT, final_due=UN_DEADLINE
        )

    with CaptureQueriesContext(connection) as queries:
        deadlines = SectionMilestoneProvider().deadlines(coalition_ids=None)
        rendered = [(d.title, d.coalition.name, d.url) for d in deadlines]

    assert len(rendered) == 4 * coalitions
    # The sections with their submissions, coalitions and reviews; their people; their organisations;
    # the editing members of those organisations.
    assert len(queries) == 4


def test_reminder_scan_reminds_the_assignees_once():
    team = team_with_section()
    # 7 days before the first draft (14 January), in the morning.
    now = geneva(2027, 1, 7, 8)

    reminders_scan(now=now)
    again = reminders_scan(now=now + datetime.timedelta(hours=1))

    claims = ReminderClaim.objects.filter(provider="section_milestones")
    title = f"First draft due: Rights of the child – {team.section.submission.review}"
    assert sorted(claims.values_list("user__email", "occurrence", "title")) == sorted(
        (team.people[key].email, "2027-01-14/7", title) for key in ASSIGNEES
    )
    assert again.queued == 0
    assert sorted(
        OutboxMessage.objects.filter(to_email__in=[team.people[k].email for k in ASSIGNEES]).values_list(
            "to_email", flat=True
        )
    ) == sorted(team.people[key].email for key in ASSIGNEES)


def test_reminder_scan_leaves_out_those_who_muted_section_milestones():
    team = team_with_section()
    ReminderMute.objects.create(user=team.people["lead drafter"], provider="section_milestones")

    reminders_scan(now=geneva(2027, 1, 7, 8))

    assert sorted(
        ReminderClaim.objects.filter(provider="section_milestones").values_list("user__email", flat=True)
    ) == sorted(team.people[key].email for key in ("contributor lead", "named observer"))


def test_reminder_scan_reminds_a_late_milestone_daily_until_met():
    team = team_with_section()

    reminders_scan(now=geneva(2027, 1, 16, 8))
    Section.objects.filter(pk=team.section.pk).update(state=SectionState.SUBMITTED)
    reminders_scan(now=geneva(2027, 1, 17, 8))

    assert sorted(
        ReminderClaim.objects.filter(
            deadline_key=f"section-{team.section.pk}-first_draft_due", user=team.people["lead drafter"]
        ).values_list("occurrence", flat=True)
    ) == ["2027-01-14/overdue/2027-01-16"]


def test_timeline_lists_the_section_milestones(client):
    team = team_with_section()
    client.force_login(team.people["lead reviewer"])

    response = client.get(reverse("deadlines:timeline", args=[team.coalition.pk]))

    assertContains(response, "First draft due: Rights of the child")
    assertContains(response, "Review due: Rights of the child")


def test_feed_lists_the_milestones_of_the_persons_sections_only(client):
    team = team_with_section()

    def summaries(user) -> list[str]:
        token = calendar_feed_get_or_create(user=user).token
        calendar = Calendar.from_ical(client.get(reverse("deadlines:feed", args=[token])).content)
        return sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT") if "due:" in str(event["SUMMARY"]))

    review = team.section.submission.review
    assert summaries(team.people["lead drafter"]) == [
        f"First draft due: Rights of the child – {review}",
        f"Review due: Rights of the child – {review}",
    ]
    assert summaries(team.people["bystander drafter"]) == []


def test_feed_event_of_a_moved_milestone_keeps_its_uid_and_grows_its_sequence(client):
    """Calendar clients update an event by its UID when its SEQUENCE grows: moving a milestone must do it."""
    team = team_with_section()
    token = calendar_feed_get_or_create(user=team.people["lead drafter"]).token

    def first_draft_event():
        calendar = Calendar.from_ical(client.get(reverse("deadlines:feed", args=[token])).content)
        (event,) = [e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]).startswith("First draft due")]
        return str(event["UID"]), int(event["SEQUENCE"]), event.decoded("DTSTART")

    uid, sequence, start = first_draft_event()
    section = Section.objects.get(pk=team.section.pk)
    # A minute later (SEQUENCE counts seconds), as the settings form saves it.
    Section.objects.filter(pk=section.pk).update(
        first_draft_due=section.first_draft_due + datetime.timedelta(days=7),
        updated_at=section.updated_at + datetime.timedelta(minutes=1),
    )

    moved_uid, moved_sequence, moved_start = first_draft_event()
    assert moved_uid == uid
    assert moved_sequence > sequence
    assert moved_start - start == datetime.timedelta(days=7)
