"""The coalition timeline: the UN milestones of its reviews, by month, past ones greyed and said past."""

import datetime
import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains

from coalitions.models import Role
from deadlines.providers import Deadline
from deadlines.timeline import timeline_months
from tests.factories import MembershipFactory, ReviewFactory, StateFactory
from tests.factories.coalitions import new_coalition
from upr_portal import freshness
from upr_portal.timezones import GENEVA, geneva_today

pytestmark = pytest.mark.django_db

_numbers = itertools.count()


def geneva_moment(day: datetime.date, hour: int = 23, minute: int = 59) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=GENEVA)


def review_around_today(state_name: str | None = None):
    """A stakeholder deadline and pre-session passed, the review and its adoption ahead."""
    today = geneva_today()
    n = next(_numbers)
    return ReviewFactory(
        state=StateFactory(name=state_name or f"Timeland {n}"),
        stakeholder_deadline=geneva_moment(today - datetime.timedelta(days=70 + n)),
        pre_session=today - datetime.timedelta(days=30 + n),
        review_date=today + datetime.timedelta(days=20 + n),
        adoption_date=today + datetime.timedelta(days=140 + n),
    )


@pytest.fixture
def people():
    coalition = new_coalition(name="Kenya UPR Coalition")
    coordinator = MembershipFactory(coalition=coalition, role=Role.COORDINATOR).user
    observer = MembershipFactory(coalition=coalition, role=Role.OBSERVER).user
    outsider = MembershipFactory(coalition=new_coalition(), role=Role.COORDINATOR).user
    return {"coalition": coalition, "owner": coordinator, "co-member": observer, "outsider": outsider}


def timeline_url(coalition) -> str:
    return reverse("deadlines:timeline", args=[coalition.pk])


def items_of(response) -> list[tuple[str, str]]:
    """Each row of the timeline as (its classes, its text with whitespace folded)."""
    rows = re.findall(r'<li class="(timeline-[^"]*)"[^>]*>(.*?)</li>', response.content.decode(), re.DOTALL)
    return [(classes, " ".join(re.sub(r"<[^>]+>", " ", text).split())) for classes, text in rows]


@pytest.mark.parametrize("who", ["owner", "co-member"])
def test_timeline_lists_the_reviews_milestones_for_members(client, people, who):
    review = review_around_today("Kenya")
    people["coalition"].reviews.add(review)
    client.force_login(people[who])

    response = client.get(timeline_url(people["coalition"]))

    deadline = review.stakeholder_deadline.astimezone(GENEVA)
    # The review's status is said beside it, wherever it appears.
    review_label = f"{escape(str(review))} Review status: {review.get_status_display()}"
    assert [text for _classes, text in items_of(response)] == [
        f"Past: {deadline:%-d %B %Y}, 23:59 Geneva time – Stakeholder submission deadline · {review_label}",
        f"Past: {review.pre_session:%-d %B %Y} – Pre-session · {review_label}",
        f"Today , {geneva_today():%-d %B %Y}",
        f"{review.review_date:%-d %B %Y} – Review in the Working Group · {review_label}",
        f"{review.adoption_date:%-d %B %Y} – Adoption at the Human Rights Council · {review_label}",
    ]
    assertContains(response, f'href="{reverse("deadlines:calendar")}"')
    assertContains(
        response, f'<a class="nav-link active" aria-current="page" href="{timeline_url(people["coalition"])}">'
    )


def test_timeline_answers_404_to_an_outsider(client, people):
    people["coalition"].reviews.add(review_around_today())
    client.force_login(people["outsider"])

    response = client.get(timeline_url(people["coalition"]))

    assertContains(response, "Page not found", status_code=404)
    assertNotContains(response, "Stakeholder submission deadline", status_code=404)


def test_timeline_greys_past_items_and_says_past_in_words(client, people):
    people["coalition"].reviews.add(review_around_today())
    client.force_login(people["owner"])

    rows = items_of(client.get(timeline_url(people["coalition"])))

    past = [(classes, text.startswith("Past: ")) for classes, text in rows if "timeline-past" in classes]
    ahead = [
        (classes, text.startswith("Past: "))
        for classes, text in rows
        if classes.startswith("timeline-item") and "timeline-past" not in classes
    ]
    assert past == [
        ("timeline-item timeline-past text-body-secondary timeline-deadline", True),
        ("timeline-item timeline-past text-body-secondary", True),
    ]
    assert ahead == [("timeline-item", False), ("timeline-item", False)]


def test_timeline_groups_by_month_with_a_today_marker(client, people):
    today = geneva_today()
    review = ReviewFactory(
        pre_session=today - datetime.timedelta(days=62), review_date=today + datetime.timedelta(days=62)
    )
    people["coalition"].reviews.add(review)
    client.force_login(people["owner"])

    response = client.get(timeline_url(people["coalition"]))

    headings = re.findall(r'<h3 class="h5 mt-4" id="month-([0-9-]+)">([^<]+)</h3>', response.content.decode())
    months = [review.pre_session, today, review.review_date]
    assert headings == [(f"{day:%Y-%m}", f"{day:%B %Y}") for day in months]
    assertContains(
        response,
        f'<li class="timeline-today" aria-current="date"><strong>Today</strong>, <time datetime="{today:%Y-%m-%d}">',
    )


def test_timeline_leaves_out_other_coalitions_reviews(client, people):
    people["coalition"].reviews.add(review_around_today("Kenya"))
    new_coalition().reviews.add(review_around_today("Uganda"))
    client.force_login(people["owner"])

    response = client.get(timeline_url(people["coalition"]))

    assertContains(response, "Kenya, session", count=4)
    assertNotContains(response, "Uganda")


def test_timeline_without_reviews_says_how_to_get_dates(client, people):
    client.force_login(people["owner"])

    response = client.get(timeline_url(people["coalition"]))

    assertContains(response, "No deadline yet")
    assert [classes for classes, _text in items_of(response)] == ["timeline-today"]


@pytest.mark.parametrize("count", [1, 3])
def test_timeline_queries_constant(client, people, count):
    for _ in range(count):
        people["coalition"].reviews.add(review_around_today())
    client.force_login(people["owner"])
    client.get(timeline_url(people["coalition"]))  # warm-up
    freshness.mark_stale()  # what the page remembers is computed again: the guard measures that path

    with CaptureQueriesContext(connection) as queries:
        response = client.get(timeline_url(people["coalition"]))

    assert len(items_of(response)) == 4 * count + 1
    # user, coalition, memberships, the review links with their reviews, the submissions the
    # stakeholder deadlines link to, the sections with milestones and the meetings with a follow-up
    # (none here), the bell's COUNT; the session comes from the cache.
    assert len(queries) == 8


# The layout itself.


def deadline_on(when, key: str, coalition) -> Deadline:
    return Deadline(key=key, provider="test", label=key, when=when, coalition=coalition, url="/")


def test_timeline_months_puts_today_after_everything_past(people):
    now = timezone.now()
    today = geneva_today(now)
    past = deadline_on(today - datetime.timedelta(days=1), "yesterday", people["coalition"])

    months = timeline_months([past], now=now)

    rows = [row for month in months for row in month.rows]
    assert [(row.deadline, row.is_past, row.day) for row in rows] == [
        (past, True, today - datetime.timedelta(days=1)),
        (None, False, today),
    ]


def test_timeline_months_deadline_earlier_today_is_past_but_todays_milestone_is_not(people):
    today = geneva_today()
    now = geneva_moment(today, 15, 0)
    milestone = deadline_on(today, "milestone", people["coalition"])
    morning = deadline_on(geneva_moment(today, 9, 0), "morning", people["coalition"])
    evening = deadline_on(geneva_moment(today, 23, 59), "evening", people["coalition"])

    (month,) = timeline_months([evening, morning, milestone], now=now)

    assert [(row.deadline and row.deadline.key, row.is_past) for row in month.rows] == [
        (None, False),
        ("milestone", False),
        ("morning", True),
        ("evening", False),
    ]


def test_timeline_marks_the_dates_of_a_provisional_session(client, people):
    review = review_around_today("Kenya")
    review.session.dates_provisional = True
    review.session.save(update_fields=["dates_provisional"])
    confirmed = review_around_today("Uganda")
    people["coalition"].reviews.add(review, confirmed)
    client.force_login(people["owner"])

    response = client.get(timeline_url(people["coalition"]))

    marked = [
        text.split(" – ")[1] for _classes, text in items_of(response) if text.split(" – ")[0].endswith("provisional")
    ]
    assert marked == [
        f"Stakeholder submission deadline · {escape(str(review))} Review status: Scheduled",
        f"Pre-session · {escape(str(review))} Review status: Scheduled",
        f"Review in the Working Group · {escape(str(review))} Review status: Scheduled",
        f"Adoption at the Human Rights Council · {escape(str(review))} Review status: Scheduled",
    ]
