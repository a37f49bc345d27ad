"""The coalition's overview: its reviews in date order, past sessions apart, provisional dates said so,
and its next deadlines with times in Geneva time."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from coalitions.models import CoalitionOrganisation, Role
from coalitions.selectors import coalition_reviews, coalition_reviews_apart
from reviews.models import Session
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


# What every member sees alike is remembered until the database changes (upr_portal/freshness.py):
# access is still decided on every request, each change shows on the next visit, what is late is
# worked out at each visit, and a visit with nothing changed reads less.


def home_visit(client, coalition) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("coalitions:home", args=[coalition.pk]))
    return len(queries), response


def part(response, heading_id: str) -> str:
    """The text of the page's section under this heading, tags dropped and whitespace folded."""
    html = response.content.decode().split(f'id="{heading_id}"')[1].split(">", 1)[1].split("</section>")[0]
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_coalition_home_second_visit_with_nothing_changed_reads_less(client, coalition_with_reviews):
    coalition, _reviews, member = coalition_with_reviews
    SectionFactory(
        submission=SubmissionFactory(coalition=coalition, title="Joint submission"),
        first_draft_due=timezone.now() + datetime.timedelta(days=3),
    )
    client.force_login(member)

    first, first_response = home_visit(client, coalition)
    second, second_response = home_visit(client, coalition)

    assert second < first
    for heading in ("reviews-heading", "submissions-heading", "next-heading", "orgs-heading", "clusters-heading"):
        assert part(second_response, heading) == part(first_response, heading)
    assert "Joint submission" in part(second_response, "submissions-heading")


def test_coalition_home_shows_each_change_at_once(client, coalition_with_reviews):
    coalition, reviews, member = coalition_with_reviews
    client.force_login(member)
    before = home_visit(client, coalition)[1]
    add_organisation(coalition, OrganisationFactory(name="Newcomers Network"))
    ClusterFactory(coalition=coalition, name="Health")
    submission = SubmissionFactory(coalition=coalition, review=reviews["sooner"], title="Late starter")
    SectionFactory(submission=submission, title="Water", first_draft_due=timezone.now() + datetime.timedelta(days=4))
    type(reviews["later"]).objects.filter(pk=reviews["later"].pk).update(
        stakeholder_deadline=timezone.now() + datetime.timedelta(days=10)
    )

    after = home_visit(client, coalition)[1]

    assert "Newcomers Network" not in part(before, "orgs-heading")
    assert "Newcomers Network" in part(after, "orgs-heading")
    assert (part(before, "clusters-heading"), "Health" in part(after, "clusters-heading")) == (
        "Clusters No cluster yet.",
        True,
    )
    assert "Late starter" in part(after, "submissions-heading")
    assert "First draft due: Water" in part(after, "submissions-heading")
    assert "(Chad" not in part(before, "next-heading")
    assert "Stakeholder submission deadline (Chad" in part(after, "next-heading")
    assert "Chad, session 803 Review status: Scheduled · Working Group" in part(after, "reviews-heading")
    assert "stakeholder deadline" in part(after, "reviews-heading").split("Chad, session 803")[1]


def test_coalition_pages_show_the_coalitions_new_name_at_once(client, coalition_with_reviews):
    # The coalition's row is remembered (coalitions.views.coalitions.coalition_for); a rename by a
    # queryset update, which sends no signal, shows on the next visit of its pages.
    coalition, _reviews, member = coalition_with_reviews
    client.force_login(member)
    home_visit(client, coalition)
    directory = reverse("coalitions:directory", args=[coalition.pk])
    client.get(directory)
    type(coalition).objects.filter(pk=coalition.pk).update(name="Renamed Rights Coalition")

    assert "Renamed Rights Coalition" in home_visit(client, coalition)[1].content.decode()
    assert "Renamed Rights Coalition" in client.get(directory).content.decode()


def test_coalition_home_remembered_for_members_is_still_refused_to_others(client, coalition_with_reviews):
    # A member's visit remembered the page; someone signed in outside the coalition, a member of
    # another coalition and a member who left are each refused, as before anyone visited.
    from django.test import Client

    coalition, _reviews, member = coalition_with_reviews
    client.force_login(member)
    assert coalition.name in home_visit(client, coalition)[1].content.decode()
    elsewhere = MembershipFactory(coalition=new_coalition(name="Another coalition"), role=Role.COORDINATOR).user
    leaving = MembershipFactory(coalition=coalition, role=Role.DRAFTER)
    statuses = {}
    for name, person in (("outsider", UserFactory()), ("elsewhere", elsewhere), ("leaving", leaving.user)):
        other = Client()
        other.force_login(person)
        if name == "leaving":
            assert coalition.name in home_visit(other, coalition)[1].content.decode()
            type(leaving).objects.filter(pk=leaving.pk).update(is_active=False)
        statuses[name] = home_visit(other, coalition)[1].status_code

    assert statuses == {"outsider": 404, "elsewhere": 404, "leaving": 404}


def test_coalition_home_says_a_milestone_is_late_once_passed_though_nothing_changed(
    client, coalition_with_reviews, monkeypatch
):
    # The submissions are remembered as of no moment: whether a milestone is late is decided at each visit.
    from submissions.templatetags import submission_lists

    coalition, _reviews, member = coalition_with_reviews
    due = timezone.now() + datetime.timedelta(hours=1)
    SectionFactory(submission=SubmissionFactory(coalition=coalition, title="Joint submission"), first_draft_due=due)
    client.force_login(member)
    on_time = part(home_visit(client, coalition)[1], "submissions-heading")
    later = due + datetime.timedelta(hours=1)
    monkeypatch.setattr(submission_lists, "timezone", SimpleNamespace(now=lambda: later))

    late = part(home_visit(client, coalition)[1], "submissions-heading")

    assert ("late" in on_time, late.endswith("Geneva time late · 1 milestone late")) == (False, True)


def test_coalition_home_remembered_values_follow_the_language_and_the_geneva_day(
    client, settings, coalition_with_reviews, monkeypatch
):
    # Nothing changed in the database: in French the overview is in French; a day on in Geneva, a review
    # whose session closed today is past and a deadline of yesterday is no longer listed.
    coalition, reviews, member = coalition_with_reviews
    member.language = ""
    member.save(update_fields=["language"])
    CoalitionOrganisation.objects.filter(coalition=coalition).update(status=CoalitionOrganisation.Status.INVITED)
    today = geneva_today()
    Session.objects.filter(pk=reviews["later"].session_id).update(
        wg_start=today - datetime.timedelta(days=11), wg_end=today
    )
    type(reviews["sooner"]).objects.filter(pk=reviews["sooner"].pk).update(
        stakeholder_deadline=datetime.datetime.combine(today, datetime.time(23, 59), tzinfo=GENEVA)
    )
    SubmissionFactory(coalition=coalition, title="Joint submission")
    client.force_login(member)
    english = home_visit(client, coalition)[1]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    french = home_visit(client, coalition)[1]
    tomorrow = today + datetime.timedelta(days=1)
    monkeypatch.setattr("coalitions.views.coalitions.geneva_today", lambda: tomorrow)
    monkeypatch.setattr("deadlines.templatetags.deadlines_tags.geneva_today", lambda: tomorrow)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    next_day = home_visit(client, coalition)[1]

    assert ("Invited" in part(english, "orgs-heading"), "Invitée" in part(french, "orgs-heading")) == (True, True)
    assert ("Joint submission Drafting" in part(english, "submissions-heading")) is True
    assert ("Joint submission Rédaction" in part(french, "submissions-heading")) is True
    assert "Stakeholder submission deadline (Kenya" in part(english, "next-heading")
    assert "Date limite des contributions des parties prenantes (Kenya" in part(french, "next-heading")
    assert "Stakeholder submission deadline" not in part(next_day, "next-heading")
    upcoming_today = part(english, "reviews-heading").split("Past reviews")[0]
    upcoming_tomorrow = part(next_day, "reviews-heading").split("Past reviews")[0]
    assert ("Chad" in upcoming_today, "Chad" in upcoming_tomorrow) == (True, False)
