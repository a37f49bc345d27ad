"""The review status badge: its words are always visible, on the pages that show a review."""

import pytest
from django.urls import reverse
from django.utils import dateformat
from pytest_django.asserts import assertContains

from reviews.models import Review
from tests.factories import MembershipFactory, ReviewFactory, SessionFactory, StateFactory, UserFactory
from tests.factories.coalitions import new_coalition

SUSPENDED_BADGE = (
    '<span class="badge review-status text-bg-danger">'
    '<span class="visually-hidden">Review status: </span>Submissions suspended</span>'
)
SCHEDULED_BADGE = (
    '<span class="badge review-status text-bg-light border">'
    '<span class="visually-hidden">Review status: </span>Scheduled</span>'
)


@pytest.mark.django_db
def test_home_upcoming_reviews_show_a_suspended_status(client):
    session = SessionFactory(number=54)
    ReviewFactory(state=StateFactory(name="Myanmar"), session=session, status=Review.Status.SUBMISSIONS_SUSPENDED)
    ReviewFactory(state=StateFactory(name="Togo"), session=session)
    dates = f"{dateformat.format(session.wg_start, 'j M Y')} – {dateformat.format(session.wg_end, 'j M Y')}"

    response = client.get(reverse("home"))

    assertContains(response, SUSPENDED_BADGE, count=1, html=True)
    assertContains(response, SCHEDULED_BADGE, count=1, html=True)
    assertContains(
        response,
        f"<tr><td>Myanmar</td><td>{SUSPENDED_BADGE}</td><td>54</td><td>{dates}</td><td>not yet announced</td></tr>",
        html=True,
    )


@pytest.mark.django_db
def test_coalition_pages_show_the_status_of_their_reviews(client):
    user = UserFactory()
    coalition = new_coalition(name="Myanmar UPR Forum")
    MembershipFactory(coalition=coalition, user=user)
    review = ReviewFactory(state=StateFactory(name="Myanmar"), status=Review.Status.SUBMISSIONS_SUSPENDED)
    coalition.reviews.add(review)
    client.force_login(user)

    home = client.get(reverse("coalitions:home", args=[coalition.pk]))
    mine = client.get(reverse("coalitions:mine"))

    assertContains(home, SUSPENDED_BADGE, count=1, html=True)
    assertContains(mine, SUSPENDED_BADGE, count=1, html=True)
