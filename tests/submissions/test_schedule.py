"""Section milestones: the settings form, the "Schedule sections" page and the milestones shown on pages."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from coalitions.models import AuditEvent
from submissions.errors import SubmissionError
from submissions.models import Section
from submissions.models.core import SectionState
from submissions.services.schedule import MilestoneRule, milestone_problems, sections_schedule
from tests.factories import OrganisationFactory, SectionFactory, UserFactory
from tests.submissions.conftest import World
from upr_portal import freshness
from upr_portal.timezones import GENEVA

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
# 17:00 in Geneva on Thursday 25 March 2027: CET (UTC+1), three days before the clocks go forward.
UN_DEADLINE = datetime.datetime(2027, 3, 25, 17, 0, tzinfo=GENEVA)


def geneva(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=GENEVA)


@pytest.fixture
def world(world: World) -> World:
    world.review.stakeholder_deadline = UN_DEADLINE
    world.review.save(update_fields=["stakeholder_deadline"])
    world.submission.review.stakeholder_deadline = UN_DEADLINE
    return world


def settings_url(world: World) -> str:
    return reverse("submissions:section_settings", args=[world.submission.pk, world.section_b.pk])


def schedule_url(world: World) -> str:
    return reverse("submissions:sections_schedule", args=[world.submission.pk])


def settings_data(world: World, **changes) -> dict:
    return {
        "title": world.section_b.title,
        "cluster": world.cluster_b.pk,
        "word_budget": 1000,
        "lead_organisation": world.org_b.pk,
        "assigned_organisations": [world.org_b.pk, world.org_a.pk],
        "assigned_people": [world.people["drafter"].pk],
        "first_draft_due": "14/01/2027 17:00",
        "review_due": "11/02/2027 17:00",
        "final_due": "2027-03-04 17:00",
        **changes,
    }


def stored_milestones(section_pk: int) -> tuple:
    return Section.objects.values_list("first_draft_due", "review_due", "final_due").get(pk=section_pk)


# The rules.


def test_milestone_problems_none_for_milestones_in_order_before_the_deadline():
    milestones = {"first_draft_due": geneva(2027, 1, 14, 17), "review_due": None, "final_due": UN_DEADLINE}

    assert milestone_problems(milestones, un_deadline=UN_DEADLINE) == {}


def test_milestone_problems_name_a_milestone_out_of_order_and_one_after_the_deadline():
    milestones = {
        "first_draft_due": geneva(2027, 2, 11, 17),
        "review_due": geneva(2027, 2, 10, 17),
        "final_due": geneva(2027, 3, 25, 17, 1),
    }

    assert milestone_problems(milestones, un_deadline=UN_DEADLINE) == {
        "review_due": "Review due comes before first draft due: milestones go in order.",
        "final_due": "Final text due is after the UN stakeholder deadline (25 March 2027, 17:00, Geneva time): "
        "choose an earlier date.",
    }


# The settings form.


def test_settings_save_lead_contributors_people_and_milestones_read_day_first_in_geneva(world, client):
    client.force_login(world.coordinator)

    response = client.post(settings_url(world), settings_data(world))

    assertRedirects(response, reverse("submissions:detail", args=[world.submission.pk]), fetch_redirect_response=False)
    section = Section.objects.get(pk=world.section_b.pk)
    assert (section.lead_organisation, sorted(o.name for o in section.assigned_organisations.all())) == (
        world.org_b,
        ["Alpha Rights Watch", "Beta Legal Aid"],
    )
    assert list(section.assigned_people.all()) == [world.people["drafter"]]
    # 14/01/2027 is 14 January (day first); 17:00 CET is 16:00 UTC.
    assert stored_milestones(section.pk) == (
        datetime.datetime(2027, 1, 14, 16, 0, tzinfo=UTC),
        datetime.datetime(2027, 2, 11, 16, 0, tzinfo=UTC),
        datetime.datetime(2027, 3, 4, 16, 0, tzinfo=UTC),
    )


def test_settings_change_is_in_the_activity_log_with_what_changed(world, client):
    client.force_login(world.coordinator)

    client.post(settings_url(world), settings_data(world, review_due="", final_due=""))

    event = AuditEvent.objects.get(action=AuditEvent.Action.SECTION_CHANGED)
    assert (event.actor, event.subject, event.coalition) == (world.coordinator, world.section_b.title, world.coalition)
    assert event.details == {
        "changed": {
            "lead_organisation": "Beta Legal Aid",
            "organisations": ["Alpha Rights Watch", "Beta Legal Aid"],
            "people": ["The drafter"],
            "first_draft_due": "2027-01-14T16:00:00+00:00",
        }
    }


def test_settings_unchanged_records_no_activity(world, client):
    client.force_login(world.coordinator)
    client.post(settings_url(world), settings_data(world, review_due="", final_due=""))

    client.post(settings_url(world), settings_data(world, review_due="", final_due=""))

    assert AuditEvent.objects.filter(action=AuditEvent.Action.SECTION_CHANGED).count() == 1


def test_settings_refuse_milestones_out_of_order_in_plain_words(world, client):
    client.force_login(world.coordinator)

    response = client.post(settings_url(world), settings_data(world, review_due="10/01/2027 12:00"))

    assertContains(
        response, escape("Review due comes before first draft due: milestones go in order."), status_code=200
    )
    assert stored_milestones(world.section_b.pk) == (None, None, None)


def test_settings_refuse_a_milestone_after_the_un_deadline(world, client):
    client.force_login(world.coordinator)

    response = client.post(settings_url(world), settings_data(world, final_due="26/03/2027 09:00"))

    assertContains(
        response,
        "Final text due is after the UN stakeholder deadline (25 March 2027, 17:00, Geneva time): "
        "choose an earlier date.",
    )
    assert stored_milestones(world.section_b.pk) == (None, None, None)


def test_settings_refuse_month_first_dates(world, client):
    client.force_login(world.coordinator)

    response = client.post(settings_url(world), settings_data(world, first_draft_due="01/31/2027 17:00"))

    assertContains(response, "Enter a valid date/time.")
    assert stored_milestones(world.section_b.pk) == (None, None, None)


def test_settings_refuse_a_lead_organisation_outside_the_coalition(world, client):
    client.force_login(world.coordinator)
    stranger = OrganisationFactory(name="Not A Member")

    response = client.post(settings_url(world), settings_data(world, lead_organisation=stranger.pk))

    assertContains(response, "Select a valid choice. That choice is not one of the available choices.")
    assert Section.objects.values_list("lead_organisation", flat=True).get(pk=world.section_b.pk) is None


def test_settings_refuse_a_person_who_is_not_a_member(world, client):
    client.force_login(world.coordinator)
    stranger = UserFactory()

    response = client.post(settings_url(world), settings_data(world, assigned_people=[stranger.pk]))

    assertContains(response, f"Select a valid choice. {stranger.pk} is not one of the available choices.")
    assert list(Section.objects.get(pk=world.section_b.pk).assigned_people.all()) == []


def test_settings_service_refuses_bad_milestones_too(world):
    from submissions.services.submissions import section_update_settings

    with pytest.raises(SubmissionError, match="milestones go in order"):
        section_update_settings(
            section=world.section_b,
            actor=world.coordinator,
            title="x",
            cluster=None,
            word_budget=None,
            organisations=[],
            people=[],
            milestones={"first_draft_due": geneva(2027, 2, 1, 9), "review_due": geneva(2027, 1, 1, 9)},
        )


# Bulk schedule: the figures.


def test_ten_weeks_before_the_deadline_at_17_geneva_is_14_january_16_utc(world):
    rule = MilestoneRule(name="first_draft_due", days_before=70, at=datetime.time(17, 0))

    assert rule.moment(UN_DEADLINE) == datetime.datetime(2027, 1, 14, 16, 0, tzinfo=UTC)


def test_counting_back_across_the_change_to_summer_time_keeps_the_wall_clock(world):
    # 1 April 2027 17:00 is CEST (UTC+2); a week before, 25 March, is still CET (UTC+1).
    summer_deadline = datetime.datetime(2027, 4, 1, 17, 0, tzinfo=GENEVA)
    rule = MilestoneRule(name="final_due", days_before=7, at=datetime.time(17, 0))

    assert (summer_deadline.astimezone(UTC), rule.moment(summer_deadline)) == (
        datetime.datetime(2027, 4, 1, 15, 0, tzinfo=UTC),
        datetime.datetime(2027, 3, 25, 16, 0, tzinfo=UTC),
    )


def test_sections_schedule_sets_chosen_sections_in_one_go_and_records_the_count(world):
    rules = [
        MilestoneRule(name="first_draft_due", days_before=70, at=datetime.time(17, 0)),
        MilestoneRule(name="final_due", days_before=3, at=datetime.time(9, 30)),
    ]

    count = sections_schedule(
        submission=world.submission,
        actor=world.coordinator,
        section_ids=[world.section_a.pk, world.section_b.pk],
        rules=rules,
        lead_organisation=world.org_a,
    )

    assert count == 2
    expected = (
        datetime.datetime(2027, 1, 14, 16, 0, tzinfo=UTC),
        None,
        datetime.datetime(2027, 3, 22, 8, 30, tzinfo=UTC),
    )
    assert [stored_milestones(s.pk) for s in (world.section_a, world.section_b)] == [expected, expected]
    assert set(Section.objects.filter(submission=world.submission).values_list("lead_organisation", flat=True)) == {
        world.org_a.pk
    }
    event = AuditEvent.objects.get(action=AuditEvent.Action.SECTIONS_SCHEDULED)
    assert (event.subject, event.details["count"], event.details["lead_organisation"]) == (
        world.submission.title,
        2,
        "Alpha Rights Watch",
    )


def test_sections_schedule_refuses_all_when_one_section_would_go_out_of_order(world):
    Section.objects.filter(pk=world.section_a.pk).update(review_due=geneva(2027, 1, 5, 12))

    with pytest.raises(SubmissionError, match="milestones go in order"):
        sections_schedule(
            submission=world.submission,
            actor=world.coordinator,
            section_ids=[world.section_b.pk, world.section_a.pk],
            rules=[MilestoneRule(name="first_draft_due", days_before=70, at=datetime.time(17, 0))],
        )

    assert [stored_milestones(s.pk)[0] for s in (world.section_a, world.section_b)] == [None, None]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SECTIONS_SCHEDULED).count() == 0


# The page.


def schedule_data(world: World, *, step: str, **changes) -> dict:
    return {
        "first_draft_due_amount": "10",
        "first_draft_due_unit": "weeks",
        "first_draft_due_time": "17:00",
        "review_due_amount": "",
        "review_due_unit": "weeks",
        "review_due_time": "17:00",
        "final_due_amount": "4",
        "final_due_unit": "days",
        "final_due_time": "12:00",
        "sections": [world.section_b.pk],
        "lead_organisation": "",
        step: "1",
        **changes,
    }


def test_schedule_page_offers_every_section_ticked_by_default(world, client):
    client.force_login(world.coordinator)

    response = client.get(schedule_url(world))

    html = response.content.decode()
    ticked = re.findall(r'name="sections" value="(\d+)"[^>]*checked', html)
    assert sorted(int(pk) for pk in ticked) == sorted([world.section_a.pk, world.section_b.pk])
    assertContains(response, "25 March 2027, 17:00 Geneva time")


def test_schedule_preview_shows_the_dates_and_saves_nothing(world, client):
    client.force_login(world.coordinator)

    response = client.post(schedule_url(world), schedule_data(world, step="preview"))

    assertContains(response, "These dates are not saved yet")
    assertContains(response, "14 Jan 2027, 17:00 Geneva time")
    assertContains(response, "21 Mar 2027, 12:00 Geneva time")
    assertContains(response, 'name="apply"')
    assert stored_milestones(world.section_b.pk) == (None, None, None)


def test_schedule_apply_saves_and_returns_to_the_submission(world, client):
    client.force_login(world.coordinator)

    response = client.post(schedule_url(world), schedule_data(world, step="apply"), follow=True)

    assertRedirects(response, reverse("submissions:detail", args=[world.submission.pk]))
    assertContains(response, "The milestones of 1 section are set.")
    assert stored_milestones(world.section_b.pk) == (
        datetime.datetime(2027, 1, 14, 16, 0, tzinfo=UTC),
        None,
        datetime.datetime(2027, 3, 21, 11, 0, tzinfo=UTC),
    )
    assert stored_milestones(world.section_a.pk) == (None, None, None)


def test_schedule_preview_with_a_problem_offers_no_apply_button(world, client):
    Section.objects.filter(pk=world.section_b.pk).update(review_due=geneva(2027, 1, 5, 12))
    client.force_login(world.coordinator)

    response = client.post(schedule_url(world), schedule_data(world, step="preview"))

    assertContains(response, "Some dates do not work")
    assertContains(response, "Review due comes before first draft due: milestones go in order.")
    assertNotContains(response, 'name="apply"')


def test_schedule_refuses_plainly_without_a_stakeholder_deadline(world, client):
    world.review.stakeholder_deadline = None
    world.review.save(update_fields=["stakeholder_deadline"])
    client.force_login(world.coordinator)

    page = client.get(schedule_url(world))
    sent = client.post(schedule_url(world), schedule_data(world, step="apply"))

    text = "The review has no stakeholder deadline yet, so there is nothing to count back from."
    assertContains(page, text)
    assertNotContains(page, 'name="preview"')
    assertContains(sent, text, status_code=400)
    assert stored_milestones(world.section_b.pk) == (None, None, None)


def test_schedule_needs_at_least_one_milestone(world, client):
    client.force_login(world.coordinator)

    response = client.post(
        schedule_url(world), schedule_data(world, step="preview", first_draft_due_amount="", final_due_amount="")
    )

    assertContains(response, "Give at least one milestone a number of weeks or days.")


@pytest.mark.parametrize("sections", [1, 3])
def test_schedule_preview_queries_do_not_grow_with_sections(world, client, sections):
    for number in range(sections - 2):
        SectionFactory(submission=world.submission, title=f"Extra {number}")
    client.force_login(world.coordinator)
    ids = list(world.submission.sections.values_list("pk", flat=True))[:sections]
    client.post(schedule_url(world), schedule_data(world, step="preview", sections=ids))
    freshness.bump()  # the computing path: the submission is read again, not remembered (submissions/views/common.py)

    with CaptureQueriesContext(connection) as queries:
        response = client.post(schedule_url(world), schedule_data(world, step="preview", sections=ids))

    assert response.content.decode().count('<th scope="row">') == sections
    # The same eight queries at one section as at three: the chosen sections are read once, in bulk
    # (the session comes from the cache).
    assert len(queries) == 8


# Milestones on pages.


def test_section_page_shows_each_milestone_with_its_state(world, client):
    now = datetime.datetime.now(tz=UTC)
    # Days are counted in Geneva: noon there five days on, whatever the hour of the run.
    in_five_days = datetime.datetime.combine(
        now.astimezone(GENEVA).date() + datetime.timedelta(days=5), datetime.time(12), tzinfo=GENEVA
    )
    Section.objects.filter(pk=world.section_b.pk).update(
        state=SectionState.SUBMITTED,
        first_draft_due=now - datetime.timedelta(days=3),
        review_due=now - datetime.timedelta(hours=1),
        final_due=in_five_days,
    )
    client.force_login(world.people["observer"])

    response = client.get(reverse("submissions:section", args=[world.submission.pk, world.section_b.pk]))

    items = re.findall(r'<li data-milestone="(\w+)">(.*?)</li>', response.content.decode(), re.DOTALL)
    states = [(name, re.sub(r"<[^>]+>", " ", text).split()[-1]) for name, text in items]
    assert states[:2] == [("first_draft_due", "met"), ("review_due", "late")]
    assert items[2][0] == "final_due"
    assert "due in 5 days" in " ".join(re.sub(r"<[^>]+>", " ", items[2][1]).split())
    assertContains(response, "Geneva time")


def test_submission_page_next_deadline_column_marks_late_sections(world, client):
    now = datetime.datetime.now(tz=UTC)
    Section.objects.filter(pk=world.section_b.pk).update(first_draft_due=now - datetime.timedelta(days=2))
    Section.objects.filter(pk=world.section_a.pk).update(final_due=now + datetime.timedelta(days=9))
    client.force_login(world.people["drafter"])

    response = client.get(reverse("submissions:detail", args=[world.submission.pk]))

    cells = re.findall(r'<td class="small">(First draft due|Final text due)<br>.*?</td>', response.content.decode())
    assert cells == ["First draft due", "Final text due"]
    assertContains(response, '<span class="badge text-bg-danger">late</span>', count=1)
    assertContains(response, "Next deadline")
