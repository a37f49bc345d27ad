"""The per-person iCalendar feed: exactly their deadlines, stable UIDs, a secret address that can be replaced."""

import datetime
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from pytest_django.asserts import assertContains, assertRedirects

from coalitions.models import Role
from deadlines.feeds import DEADLINE_LENGTH, calendar_feed_get_or_create
from deadlines.models import CalendarFeed
from reviews.models import Review
from tests.factories import MembershipFactory, ReviewFactory, StateFactory, UserFactory
from tests.factories.coalitions import new_coalition
from upr_portal.timezones import GENEVA, geneva_today

pytestmark = pytest.mark.django_db

SITE = "https://upr.example.org"
_numbers = itertools.count()


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def geneva_moment(day: datetime.date, hour: int = 23, minute: int = 59) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=GENEVA)


def review(state_name: str | None = None, **dates) -> Review:
    """A review with a stakeholder deadline ahead (a moment) and a review day (a milestone)."""
    today = geneva_today()
    n = next(_numbers)
    dates.setdefault("stakeholder_deadline", geneva_moment(today + datetime.timedelta(days=40 + n)))
    dates.setdefault("review_date", today + datetime.timedelta(days=120 + n))
    return ReviewFactory(state=StateFactory(name=state_name or f"Feedland {n}"), **dates)


def uids(*reviews_and_fields) -> set[str]:
    return {f"review-{r.pk}-{field}@upr.example.org" for r, field in reviews_and_fields}


def both(r: Review) -> list[tuple[Review, str]]:
    return [(r, "stakeholder_deadline"), (r, "review_date")]


def feed_path(user) -> str:
    return reverse("deadlines:feed", args=[calendar_feed_get_or_create(user=user).token])


def fetch(client, path: str) -> Calendar:
    response = client.get(path)
    assert (response.status_code, response["Content-Type"]) == (200, "text/calendar; charset=utf-8")
    return Calendar.from_ical(response.content)


def events_by_uid(calendar: Calendar) -> dict[str, object]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def member():
    """A drafter of the Kenya coalition, which works on the Kenya review."""
    coalition = new_coalition(name="Kenya UPR Coalition")
    kenya = review("Kenya")
    coalition.reviews.add(kenya)
    user = MembershipFactory(coalition=coalition, role=Role.DRAFTER).user
    return {"user": user, "coalition": coalition, "review": kenya}


def test_feed_parses_with_the_calendar_properties(client, member):
    response = client.get(feed_path(member["user"]))

    calendar = Calendar.from_ical(response.content)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert {
        name: str(calendar[name]) for name in ("PRODID", "VERSION", "CALSCALE", "X-WR-CALNAME", "X-WR-TIMEZONE")
    } == {
        "PRODID": "-//UPR Coalition Portal//Deadlines//EN",
        "VERSION": "2.0",
        "CALSCALE": "GREGORIAN",
        "X-WR-CALNAME": "UPR deadlines",
        "X-WR-TIMEZONE": "Europe/Zurich",
    }
    assert b"\r\nX-PUBLISHED-TTL:PT6H\r\n" in response.content
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n" in response.content


def test_feed_is_private_and_sets_no_cookie(client, member):
    response = client.get(feed_path(member["user"]))

    assert set(response["Cache-Control"].split(", ")) == {"private", "max-age=900"}
    assert dict(response.cookies) == {}
    assert "Cookie" not in response.get("Vary", "")


def test_feed_holds_exactly_the_deadlines_of_the_persons_active_memberships(client, member):
    user, kenya = member["user"], member["review"]
    # A review shared by two of their coalitions: one event, not two.
    shared = review("Uganda")
    member["coalition"].reviews.add(shared)
    second = new_coalition(name="East Africa Coalition")
    second.reviews.add(shared)
    MembershipFactory(coalition=second, user=user, role=Role.OBSERVER)
    # A coalition they are not in, and one they left.
    stranger = new_coalition(name="Coalition on Housing")
    stranger.reviews.add(review("Peru"))
    left = new_coalition(name="Coalition they left")
    left.reviews.add(review("Chile"))
    MembershipFactory(coalition=left, user=user, is_active=False)

    calendar = fetch(client, feed_path(user))

    assert set(events_by_uid(calendar)) == uids(*both(kenya), *both(shared))
    assert len(calendar.walk("VEVENT")) == 4


def test_feed_reaches_a_year_back_and_every_future_date(client, member):
    today = geneva_today()
    old = review(
        stakeholder_deadline=geneva_moment(today - datetime.timedelta(days=500)),
        review_date=today - datetime.timedelta(days=300),
        mid_term_report_due=today + datetime.timedelta(days=3 * 365),
    )
    member["coalition"].reviews.add(old)

    calendar = fetch(client, feed_path(member["user"]))

    assert set(events_by_uid(calendar)) == uids(
        *both(member["review"]), (old, "review_date"), (old, "mid_term_report_due")
    )


def test_feed_events_carry_times_links_and_versions(client, member):
    kenya, coalition = member["review"], member["coalition"]
    kenya.refresh_from_db()

    events = events_by_uid(fetch(client, feed_path(member["user"])))

    deadline = events[f"review-{kenya.pk}-stakeholder_deadline@upr.example.org"]
    assert deadline.decoded("DTSTART") == kenya.stakeholder_deadline
    assert deadline.decoded("DTSTART").utcoffset() == datetime.timedelta(0)
    assert deadline["DTSTART"].to_ical().endswith(b"Z")
    assert deadline.decoded("DURATION") == DEADLINE_LENGTH
    assert str(deadline["SUMMARY"]) == f"Stakeholder submission deadline – Kenya, session {kenya.session.number}"
    assert str(deadline["DESCRIPTION"]) == "Kenya UPR Coalition"
    assert str(deadline["URL"]) == f"{SITE}{reverse('submissions:list', args=[coalition.pk])}"
    assert deadline.decoded("LAST-MODIFIED") == kenya.updated_at.replace(microsecond=0)
    assert isinstance(deadline.decoded("DTSTAMP"), datetime.datetime)

    milestone = events[f"review-{kenya.pk}-review_date@upr.example.org"]
    assert milestone["DTSTART"].params["VALUE"] == "DATE"
    assert (milestone.decoded("DTSTART"), milestone.decoded("DTEND")) == (
        kenya.review_date,
        kenya.review_date + datetime.timedelta(days=1),
    )
    assert str(milestone["SUMMARY"]) == f"Review in the Working Group – Kenya, session {kenya.session.number}"
    assert str(milestone["URL"]) == f"{SITE}{reverse('coalitions:home', args=[coalition.pk])}"
    assert milestone["SEQUENCE"] == deadline["SEQUENCE"]


def test_feed_moved_deadline_keeps_its_uid_with_the_new_start_and_a_higher_sequence(client, member):
    kenya = member["review"]
    path = feed_path(member["user"])
    uid = f"review-{kenya.pk}-stakeholder_deadline@upr.example.org"
    before = events_by_uid(fetch(client, path))[uid]

    moved = kenya.stakeholder_deadline + datetime.timedelta(days=7)
    # OHCHR moves the deadline; an administrator saves it an hour after the review was last saved.
    Review.objects.filter(pk=kenya.pk).update(
        stakeholder_deadline=moved, updated_at=Review.objects.get(pk=kenya.pk).updated_at + datetime.timedelta(hours=1)
    )
    after_calendar = fetch(client, path)

    after = events_by_uid(after_calendar)[uid]
    assert len(after_calendar.walk("VEVENT")) == 2
    assert after.decoded("DTSTART") == moved
    assert before.decoded("DTSTART") == moved - datetime.timedelta(days=7)
    assert after["SEQUENCE"] == before["SEQUENCE"] + 3600


def test_feed_strings_in_the_persons_language(client, member):
    member["user"].language = "fr"
    member["user"].save(update_fields=["language"])

    calendar = fetch(client, feed_path(member["user"]))

    assert str(calendar["PRODID"]) == "-//UPR Coalition Portal//Deadlines//FR"


def test_feed_unknown_token_answers_404(client, member):
    feed_path(member["user"])

    response = client.get(reverse("deadlines:feed", args=["not-a-token-anyone-has"]))

    assertContains(response, "Page not found", status_code=404)


def test_feed_of_a_deactivated_person_answers_404(client, member):
    path = feed_path(member["user"])
    member["user"].is_active = False
    member["user"].save(update_fields=["is_active"])

    response = client.get(path)

    assertContains(response, "Page not found", status_code=404)


def test_feed_of_a_person_without_coalitions_is_an_empty_calendar(client):
    calendar = fetch(client, feed_path(UserFactory()))

    assert calendar.walk("VEVENT") == []


# The page with the address, and regenerating it.


def test_calendar_page_shows_the_secret_address_in_both_forms(client, member):
    client.force_login(member["user"])

    response = client.get(reverse("deadlines:calendar"))

    token = CalendarFeed.objects.get(user=member["user"]).token
    assertContains(response, f'value="{SITE}/calendar/{token}.ics"')
    assertContains(response, f'value="webcal://upr.example.org/calendar/{token}.ics"')
    for app in ("Outlook", "Google Calendar", "Apple Calendar"):
        assertContains(response, f'<h3 class="h6">{app}</h3>')
    assertContains(response, f'href="{reverse("deadlines:calendar_regenerate")}"')


def test_calendar_page_needs_sign_in(client):
    url = reverse("deadlines:calendar")

    response = client.get(url)

    assertRedirects(response, f"{reverse('login')}?next={url}", fetch_redirect_response=False)


def test_regenerate_asks_for_confirmation_first(client, member):
    client.force_login(member["user"])
    token = calendar_feed_get_or_create(user=member["user"]).token

    response = client.get(reverse("deadlines:calendar_regenerate"))

    assertContains(response, '<h1 class="h3">Regenerate the address of your calendar feed?</h1>')
    assertContains(response, '<button type="submit" class="btn btn-primary">Regenerate the address</button>')
    assert CalendarFeed.objects.get(user=member["user"]).token == token


def test_regenerate_makes_the_old_address_404_and_the_new_one_serve_the_same_events(client, member):
    user = member["user"]
    old_path = feed_path(user)
    old_events = events_by_uid(fetch(client, old_path))
    client.force_login(user)

    response = client.post(reverse("deadlines:calendar_regenerate"))

    assertRedirects(response, reverse("deadlines:calendar"), fetch_redirect_response=False)
    feed = CalendarFeed.objects.get(user=user)
    assert feed.regenerated_at is not None
    new_path = reverse("deadlines:feed", args=[feed.token])
    assert new_path != old_path
    client.logout()
    assertContains(client.get(old_path), "Page not found", status_code=404)
    new_events = events_by_uid(fetch(client, new_path))
    assert {uid: event.decoded("DTSTART") for uid, event in new_events.items()} == {
        uid: event.decoded("DTSTART") for uid, event in old_events.items()
    }


def test_regenerate_changes_only_the_persons_own_feed(client, member):
    other = UserFactory()
    other_token = calendar_feed_get_or_create(user=other).token
    client.force_login(member["user"])

    client.post(reverse("deadlines:calendar_regenerate"))

    assert CalendarFeed.objects.get(user=other).token == other_token


def test_feed_dtstamp_is_the_time_of_the_request(client, member):
    before = timezone.now().replace(microsecond=0)

    calendar = fetch(client, feed_path(member["user"]))

    stamps = {event.decoded("DTSTAMP") for event in calendar.walk("VEVENT")}
    assert len(stamps) == 1
    assert before <= stamps.pop() <= timezone.now()


def test_feed_marks_the_dates_of_a_provisional_session_tentative(client, member):
    kenya = member["review"]
    kenya.session.dates_provisional = True
    kenya.session.save(update_fields=["dates_provisional"])

    events = events_by_uid(fetch(client, feed_path(member["user"])))

    label = f"Kenya, session {kenya.session.number}"
    marked = [
        (str(event["SUMMARY"]), str(event.get("STATUS")))
        for uid, event in sorted(events.items())
        if uid.startswith(f"review-{kenya.pk}-")
    ]
    assert marked == [
        (f"Review in the Working Group – {label} (provisional date)", "TENTATIVE"),
        (f"Stakeholder submission deadline – {label} (provisional date)", "TENTATIVE"),
    ]


def test_feed_leaves_confirmed_dates_without_a_status(client, member):
    events = events_by_uid(fetch(client, feed_path(member["user"])))

    assert [event.get("STATUS") for event in events.values()] == [None, None]
