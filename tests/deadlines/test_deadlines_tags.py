"""`{% coalition_due coalition %}`: the next deadlines on the coalition's home, each linked to act on."""

import datetime
import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from coalitions.models import Role
from tests.factories import MembershipFactory, ReviewFactory, StateFactory
from tests.factories.coalitions import new_coalition
from upr_portal.timezones import GENEVA, geneva_today

pytestmark = pytest.mark.django_db


def items(html: str) -> list[str]:
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in re.findall(r"<li>(.*?)</li>", html, re.S)]


def render(coalition) -> str:
    return Template("{% load deadlines_tags %}{% coalition_due coalition %}").render(Context({"coalition": coalition}))


def test_coalition_due_lists_what_is_ahead_with_links_and_the_timeline():
    today = geneva_today()
    coalition = new_coalition()
    day = today + datetime.timedelta(days=3)
    review = ReviewFactory(
        state=StateFactory(name="Atlantis"),
        stakeholder_deadline=datetime.datetime.combine(day, datetime.time(23, 59), GENEVA),
        pre_session=today - datetime.timedelta(days=1),
        review_date=today + datetime.timedelta(days=40),
    )
    coalition.reviews.add(review)
    new_coalition().reviews.add(ReviewFactory(state=StateFactory(name="Elsewhere"), review_date=today))

    html = render(coalition)

    later = today + datetime.timedelta(days=40)
    assert items(html) == [
        f"{day.day} {day:%B} {day.year}, 23:59 Geneva time – Stakeholder submission deadline "
        "(Atlantis Review status: Scheduled )",
        f"{later.day} {later:%B} {later.year} – Review in the Working Group (Atlantis Review status: Scheduled )",
    ]
    assert f'<a href="{reverse("submissions:list", args=[coalition.pk])}">Stakeholder submission deadline</a>' in html
    timeline = reverse("deadlines:timeline", args=[coalition.pk])
    assert f'<a href="{timeline}">The coalition\'s timeline</a>' in html


def test_coalition_due_shows_six_and_points_to_the_timeline_for_more():
    today = geneva_today()
    coalition = new_coalition()
    for number in range(4):
        coalition.reviews.add(
            ReviewFactory(
                review_date=today + datetime.timedelta(days=10 + number),
                adoption_date=today + datetime.timedelta(days=100 + number),
            )
        )

    html = render(coalition)

    assert len(items(html)) == 6
    assert "All deadlines on the timeline" in html


def test_coalition_home_shows_the_next_deadlines(client):
    membership = MembershipFactory(coalition=new_coalition(), role=Role.OBSERVER)
    membership.coalition.reviews.add(
        ReviewFactory(state=StateFactory(name="Atlantis"), review_date=geneva_today() + datetime.timedelta(days=5))
    )
    client.force_login(membership.user)

    response = client.get(reverse("coalitions:home", args=[membership.coalition.pk]))

    html = response.content.decode()
    section = html[html.index('id="next-heading"') : html.index("</section>", html.index('id="next-heading"'))]
    assert (response.status_code, items(section)[0].split(" – ", 1)[1]) == (
        200,
        "Review in the Working Group (Atlantis Review status: Scheduled )",
    )
