"""The lobbying log: its filters, the "asked of" tables, the service's refusals and its queries."""

import copy
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains

from advocacy.models import Meeting
from advocacy.services.lobbying import meeting_create, meeting_update
from tests.advocacy.lobbying_world import FIRST, SECOND, THIRD, build_lobbying_world
from tests.factories import ReviewFactory, SectionFactory, SubmissionFactory
from tests.factories.recommendations import add_recommendation
from tests.shared_data import module_rows

pytestmark = pytest.mark.django_db

log_world_rows = module_rows("log_world_rows", build_lobbying_world)
DAY = datetime.date(2026, 11, 2)
# The session and the person, the coalition, its reviews, the States met, the meetings and the
# recommendations raised (with the page's tabs): the same for one meeting or three.
QUERIES = 9


@pytest.fixture
def world(log_world_rows, db):
    return copy.deepcopy(log_world_rows)


def log_meeting(world, state, *, raised=(), follow_up_on=None, review=None, **fields) -> Meeting:
    return meeting_create(
        coalition=world.coalition,
        actor=world.coordinator,
        review=review or world.review,
        state=state,
        held_on=fields.pop("held_on", DAY),
        raised=[r.pk for r in raised],
        follow_up_on=follow_up_on,
        **fields,
    )


def log_page(client, world, **query):
    client.force_login(world.people["observer"])
    return client.get(reverse("advocacy:lobbying", args=[world.coalition.pk]), query)


def test_asked_of_counts_each_recommendation_raised_with_a_state(world, client):
    log_meeting(world, world.kenya, raised=[world.first, world.third])
    log_meeting(world, world.holy_see, raised=[world.third])

    response = log_page(client, world)

    assertContains(response, "3 meetings.")
    assertContains(response, f"<tr><td>{escape(FIRST)}</td><td>2</td></tr>", html=False)
    assertContains(response, f"<tr><td>{escape(SECOND)}</td><td>1</td></tr>", html=False)
    assertContains(response, f"<tr><td>{escape(THIRD)}</td><td>1</td></tr>", count=2, html=False)
    assertContains(response, "Asked of Holy See (observer State)")


def test_filters_by_state_and_follow_up_due(world, client):
    log_meeting(world, world.holy_see, outcome="Holy See will reply.")
    done = log_meeting(world, world.holy_see, outcome="Answered already.", follow_up_on=DAY)
    meeting_update(
        meeting=done,
        actor=world.coordinator,
        review=world.review,
        state=world.holy_see,
        held_on=DAY,
        outcome="Answered already.",
        follow_up_on=DAY,
        follow_up_done=True,
    )
    Meeting.objects.filter(pk=world.meeting.pk).update(follow_up_on=DAY)

    by_state = log_page(client, world, state=world.holy_see.pk)
    due = log_page(client, world, follow_up_due="on")

    assertContains(by_state, "2 meetings.")
    assertNotContains(by_state, "Deputy head of mission")
    assertContains(due, "1 meeting.")
    assertContains(due, "Will consider the detention ask.")
    assertNotContains(due, "Answered already.")


def test_filter_by_review_leaves_out_other_reviews(world, client):
    later = ReviewFactory(state=world.review.state)
    world.coalition.reviews.add(later)
    log_meeting(world, world.kenya, review=later, outcome="About the next review.")

    response = log_page(client, world, review=world.review.pk)

    assertContains(response, "1 meeting.")
    assertNotContains(response, "About the next review.")


def test_meeting_refuses_a_recommendation_of_another_review(world):
    later = ReviewFactory(state=world.review.state)
    world.coalition.reviews.add(later)
    submission = SubmissionFactory(coalition=world.coalition, review=later)
    section = SectionFactory(submission=submission)
    other = add_recommendation(section, author=world.coordinator, text="Another review's ask.")

    with pytest.raises(ValidationError) as refused:
        log_meeting(world, world.kenya, raised=[world.first, other])

    assert refused.value.messages == [
        "Choose recommendations of the coalition's submissions for the review lobbied for."
    ]


def test_meeting_refuses_another_coalitions_review_and_a_follow_up_before_it(world):
    with pytest.raises(ValidationError) as not_ours:
        log_meeting(world, world.kenya, review=ReviewFactory())
    with pytest.raises(ValidationError) as backwards:
        log_meeting(world, world.kenya, follow_up_on=DAY - datetime.timedelta(days=1))

    assert (not_ours.value.messages, backwards.value.messages) == (
        ["Choose one of the reviews the coalition works on."],
        ["The follow-up cannot come before the meeting."],
    )


def test_form_shows_a_refusal_and_keeps_the_entries(world, client):
    client.force_login(world.people["drafter"])

    response = client.post(
        reverse("advocacy:meeting_add", args=[world.coalition.pk]),
        {
            "state": world.kenya.pk,
            "review": world.review.pk,
            "channel": "embassy",
            "held_on": "2026-11-02",
            "people": "Ambassador Wanjiru",
            "follow_up_on": "2026-11-01",
        },
    )

    assertContains(response, "The follow-up cannot come before the meeting.")
    assertContains(response, "Ambassador Wanjiru")
    assert Meeting.objects.count() == 1


def test_delete_asks_for_confirmation_first(world, client):
    client.force_login(world.people["drafter"])

    response = client.get(reverse("advocacy:meeting_delete", args=[world.coalition.pk, world.meeting.pk]))

    assertContains(response, "Delete the meeting with Kenya?")
    assert Meeting.objects.filter(pk=world.meeting.pk).exists()


@pytest.mark.parametrize("extra", [0, 2])
def test_log_reads_in_a_constant_number_of_queries(extra, world, client, django_assert_max_num_queries):
    for _n in range(extra):
        log_meeting(world, world.holy_see, raised=[world.first, world.second, world.third])
    client.force_login(world.people["observer"])
    url = reverse("advocacy:lobbying", args=[world.coalition.pk])

    with django_assert_max_num_queries(QUERIES):
        response = client.get(url)

    assertContains(response, f"{1 + extra} meeting")


def test_overview_panel_shows_meetings_follow_ups_factsheets_and_statements(world, client):
    client.force_login(world.people["observer"])

    response = client.get(reverse("advocacy:overview", args=[world.coalition.pk]))

    assertContains(response, 'Kenya <span class="text-body-secondary">(Embassy in the country)</span>')
    assertContains(response, "Follow-ups due")
    assertContains(response, reverse("advocacy:factsheet_edit", args=[world.coalition.pk, world.factsheet.pk]))
    assertContains(response, "not made yet")
    assertContains(response, reverse("advocacy:statement", args=[world.coalition.pk, world.submission.pk]))
    assertContains(response, "saved once")
    # Observers read the log; the button to add a meeting is for those who may write in it.
    assertNotContains(response, reverse("advocacy:meeting_add", args=[world.coalition.pk]))


def test_an_edit_over_a_newer_save_is_refused_keeps_the_text_and_a_second_press_saves_it(world, client):
    meeting = log_meeting(world, world.kenya, outcome="First notes")
    client.force_login(world.people["drafter"])
    edit_url = reverse("advocacy:meeting_edit", args=[world.coalition.pk, meeting.pk])
    loaded = client.get(edit_url).context["form"].initial["loaded"]
    # Someone else saves meanwhile.
    meeting_update(
        meeting=meeting,
        actor=world.coordinator,
        review=world.review,
        state=world.kenya,
        held_on=DAY,
        outcome="The coordinator's notes",
    )
    mine = {
        "state": world.kenya.pk,
        "review": world.review.pk,
        "channel": "embassy",
        "held_on": "2026-11-02",
        "outcome": "My notes from the meeting",
        "loaded": loaded,
    }

    refused = client.post(edit_url, mine)

    assertContains(refused, "Someone else saved this meeting while you were editing it.")
    assertContains(refused, "The coordinator&#x27;s notes")
    assertContains(refused, "My notes from the meeting")
    meeting.refresh_from_db()
    assert meeting.outcome == "The coordinator's notes"

    again = client.post(edit_url, {**mine, "loaded": refused.context["form"].data["loaded"]})

    assert again.status_code == 302
    meeting.refresh_from_db()
    assert meeting.outcome == "My notes from the meeting"
