"""The coalition's overview: its reviews in date order, past sessions apart, provisional dates said so,
and its next deadlines with times in Geneva time."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from coalitions.models import Role
from coalitions.selectors import coalition_reviews, coalition_reviews_apart
from tests.factories import MembershipFactory, ReviewFactory, SessionFactory, StateFactory
from tests.factories.coalitions import new_coalition
from upr_portal.timezones import GENEVA, geneva_today

pytestmark = pytest.mark.django_db


def session(number: int, start: datetime.date, **fields):
    return SessionFactory(number=number, wg_start=start, wg_end=start + datetime.timedelta(days=11), **fields)


@pytest.fixture
def coalition_with_reviews():
    """A coalition on four reviews: two past sessions, and two ahead numbered against their dates."""
    today = geneva_today()
    coalition = new_coalition(name="Kenya UPR Coalition")
    reviews = {
        "long past": ReviewFactory(
            state=StateFactory(name="Angola"), session=session(801, today.replace(year=today.year - 3))
        ),
        "past": ReviewFactory(
            state=StateFactory(name="Benin"), session=session(802, today - datetime.timedelta(days=60))
        ),
        "later": ReviewFactory(
            state=StateFactory(name="Chad"), session=session(803, today + datetime.timedelta(days=300))
        ),
        "sooner": ReviewFactory(
            state=StateFactory(name="Kenya"),
            session=session(804, today + datetime.timedelta(days=100), dates_provisional=True),
            stakeholder_deadline=datetime.datetime.combine(
                today + datetime.timedelta(days=20), datetime.time(23, 59), tzinfo=GENEVA
            ),
        ),
    }
    coalition.reviews.add(*reviews.values())
    member = MembershipFactory(coalition=coalition, role=Role.OBSERVER).user
    return coalition, reviews, member


def test_coalition_reviews_upcoming_in_date_order_and_past_latest_first(coalition_with_reviews):
    coalition, reviews, _member = coalition_with_reviews

    upcoming = list(coalition_reviews(coalition=coalition, upcoming=True))
    past = list(coalition_reviews(coalition=coalition, upcoming=False))
    every = list(coalition_reviews(coalition=coalition))

    assert (upcoming, past, every) == (
        [reviews["sooner"], reviews["later"]],
        [reviews["past"], reviews["long past"]],
        [reviews["long past"], reviews["past"], reviews["sooner"], reviews["later"]],
    )


def test_coalition_reviews_apart_are_coalition_reviews_upcoming_and_past_in_one_query(
    coalition_with_reviews, django_assert_num_queries
):
    coalition, reviews, _member = coalition_with_reviews

    with django_assert_num_queries(1):
        upcoming, past = coalition_reviews_apart(coalition=coalition)
        shown = [(str(review), review.dates_provisional) for review in upcoming + past]

    assert (upcoming, past) == (
        list(coalition_reviews(coalition=coalition, upcoming=True)),
        list(coalition_reviews(coalition=coalition, upcoming=False)),
    )
    assert shown == [(str(reviews[name]), name == "sooner") for name in ("sooner", "later", "past", "long past")]


def test_coalition_home_lists_upcoming_reviews_then_past_ones_apart(client, coalition_with_reviews):
    coalition, reviews, member = coalition_with_reviews
    client.force_login(member)

    html = client.get(reverse("coalitions:home", args=[coalition.pk])).content.decode()

    upcoming, past = html.split('<h3 class="h6 mt-3">Past reviews</h3>')
    assert re.findall(r"<p class=\"mb-1\"><strong>([^<]+)</strong>", upcoming) == [
        escape(str(reviews["sooner"])),
        escape(str(reviews["later"])),
    ]
    assert re.findall(r"<li>([^<]+) <span class=\"badge review-status", past) == [
        escape(str(reviews["past"])),
        escape(str(reviews["long past"])),
    ]


def test_coalition_home_marks_provisional_dates_and_labels_the_deadline_in_geneva_time(client, coalition_with_reviews):
    coalition, reviews, member = coalition_with_reviews
    client.force_login(member)

    html = client.get(reverse("coalitions:home", args=[coalition.pk])).content.decode()

    kenya = html.split(f"<strong>{escape(str(reviews['sooner']))}</strong>")[1].split("</p>")[0]
    chad = html.split(f"<strong>{escape(str(reviews['later']))}</strong>")[1].split("</p>")[0]
    deadline = reviews["sooner"].stakeholder_deadline.astimezone(GENEVA)
    assert f'stakeholder deadline <time datetime="{deadline.isoformat(timespec="minutes")}">' in kenya
    assert f"{deadline.day} {deadline:%B %Y}, 23:59 Geneva time</time>" in kenya
    assert ('<span class="badge text-bg-warning provisional">provisional</span>' in kenya, "provisional" in chad) == (
        True,
        False,
    )


def test_coalition_home_with_only_past_reviews_says_none_is_upcoming(client):
    coalition = new_coalition()
    coalition.reviews.add(ReviewFactory(session=session(805, geneva_today() - datetime.timedelta(days=90))))
    member = MembershipFactory(coalition=coalition, role=Role.OBSERVER).user
    client.force_login(member)

    html = client.get(reverse("coalitions:home", args=[coalition.pk])).content.decode()

    assert "<p>No upcoming review: the reviews chosen are past.</p>" in html


def test_coalition_home_next_deadlines_mark_provisional_dates(client, coalition_with_reviews):
    coalition, reviews, member = coalition_with_reviews
    client.force_login(member)

    html = client.get(reverse("coalitions:home", args=[coalition.pk])).content.decode()

    due = html.split('id="next-heading"')[1].split("</ul>")[0]
    items = [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in re.findall(r"<li>(.*?)</li>", due, re.S)]
    deadline = reviews["sooner"].stakeholder_deadline.astimezone(GENEVA)
    # Only Kenya's review has a milestone ahead, and its session's dates are provisional.
    assert items == [
        f"{deadline.day} {deadline:%B %Y}, 23:59 Geneva time provisional – Stakeholder submission deadline "
        "(Kenya Review status: Scheduled )"
    ]


def test_coalition_home_shows_a_review_moved_since_it_was_cached(client, coalition_with_reviews):
    # The reviews are cached under a digest of what they show: a change to one shows at once.
    coalition, reviews, member = coalition_with_reviews
    client.force_login(member)
    url = reverse("coalitions:home", args=[coalition.pk])
    before = client.get(url).content.decode()
    moved_to = session(805, geneva_today() + datetime.timedelta(days=400))
    type(reviews["sooner"]).objects.filter(pk=reviews["sooner"].pk).update(
        status="postponed", session=moved_to, rescheduled_from=reviews["sooner"].session
    )

    after = client.get(url).content.decode()

    upcoming = after.split('<h3 class="h6 mt-3">Past reviews</h3>')[0]
    assert "Kenya, session 804" in before
    assert re.findall(r"<p class=\"mb-1\"><strong>([^<]+)</strong>", upcoming) == [
        escape(str(reviews["later"])),
        "Kenya, session 805",
    ]
    assert "Postponed" in upcoming
    assert "Rescheduled (from session 804)" in upcoming


def test_coalition_tabs_follow_the_persons_role_at_once(client, coalition_with_reviews):
    # The tabs are cached under what decides them: a member made coordinator sees the coordinators' tabs.
    coalition, _reviews, member = coalition_with_reviews
    client.force_login(member)
    url = reverse("coalitions:home", args=[coalition.pk])
    settings_tab = f'href="{reverse("coalitions:edit", args=[coalition.pk])}"'
    as_observer = client.get(url).content.decode()
    member.coalition_memberships.filter(coalition=coalition).update(role=Role.COORDINATOR)

    as_coordinator = client.get(url).content.decode()

    assert (as_observer.count(settings_tab), as_coordinator.count(settings_tab)) == (0, 1)
