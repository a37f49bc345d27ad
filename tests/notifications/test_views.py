"""The bell in the navigation and the notifications page: counts, marking read, following links."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from notifications.models import Notification
from notifications.views import PAGE_SIZE
from tests.factories import MembershipFactory, NotificationFactory, UserFactory
from tests.factories.coalitions import new_coalition

pytestmark = pytest.mark.django_db

BELL = re.compile(r'<a class="nav-link notification-bell"[^>]*>(.*?)</a>', re.DOTALL)
LIST_URL = "/notifications/"


def bell_of(response) -> str:
    """The bell link's content, whitespace folded."""
    match = BELL.search(response.content.decode())
    assert match, "no bell in the page"
    return " ".join(match.group(1).split())


def unread_ids(user) -> list[int]:
    return sorted(Notification.objects.unread().filter(user=user).values_list("pk", flat=True))


@pytest.fixture
def person(client):
    user = UserFactory(full_name="Nadia Njeri")
    client.force_login(user)
    return user


@pytest.fixture
def coalition_people():
    """A notification's owner, a co-member of its coalition and an outsider."""
    coalition = new_coalition(name="Coalition for Housing Rights")
    owner = MembershipFactory(coalition=coalition).user
    co_member = MembershipFactory(coalition=coalition).user
    outsider = MembershipFactory(coalition=new_coalition()).user
    notification = NotificationFactory(user=owner, coalition_id=coalition.pk, url=f"/coalitions/{coalition.pk}/")
    return {"owner": owner, "co-member": co_member, "outsider": outsider, "notification": notification}


# The bell.


def test_bell_without_unread_notifications_says_notifications(client, person):
    NotificationFactory(user=person, read_at=timezone.now())

    response = client.get(reverse("home"))

    bell = bell_of(response)
    assert 'href="/notifications/"' in response.content.decode()
    assert bell.endswith('<span class="visually-hidden">Notifications</span>')
    assert "badge" not in bell


def test_bell_with_one_unread_notification_shows_singular_count(client, person):
    NotificationFactory(user=person)

    bell = bell_of(client.get(reverse("home")))

    assert '<span class="badge rounded-pill text-bg-danger" aria-hidden="true">1</span>' in bell
    assert bell.endswith('<span class="visually-hidden">1 unread notification</span>')


def test_bell_with_three_unread_notifications_counts_only_own_unread(client, person):
    NotificationFactory.create_batch(3, user=person)
    NotificationFactory(user=person, read_at=timezone.now())
    NotificationFactory.create_batch(2)  # someone else's

    bell = bell_of(client.get(reverse("home")))

    assert '<span class="badge rounded-pill text-bg-danger" aria-hidden="true">3</span>' in bell
    assert bell.endswith('<span class="visually-hidden">3 unread notifications</span>')


def test_bell_svg_is_hidden_from_screen_readers(client, person):
    bell = bell_of(client.get(reverse("home")))

    assert re.findall(r"<svg[^>]*>", bell) == [
        '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20" viewBox="0 0 16 16" fill="currentColor" '
        'aria-hidden="true" focusable="false">'
    ]


def test_bell_count_costs_one_count_query(client, person):
    NotificationFactory.create_batch(2, user=person)

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("home"))

    notification_queries = [q["sql"] for q in queries if "notifications_notification" in q["sql"]]
    assert len(notification_queries) == 1
    assert "COUNT(" in notification_queries[0].upper()


def test_bell_absent_for_anonymous_visitor_without_a_query(client):
    NotificationFactory()

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))

    assertNotContains(response, "notification-bell")
    assert [q["sql"] for q in queries if "notifications_notification" in q["sql"]] == []


# The list.


def test_list_shows_own_notifications_newest_first_with_unread_marked(client, person):
    older = NotificationFactory(user=person, title="Invitation to the Kenya coalition", read_at=timezone.now())
    newer = NotificationFactory(user=person, title="Stakeholder deadline in 7 days", body="Kenya, session 48")
    Notification.objects.filter(pk=older.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    NotificationFactory(title="Someone else's reminder")

    response = client.get(LIST_URL)

    content = response.content.decode()
    titles = re.findall(r'class="btn btn-link p-0 align-baseline text-start notification-title">([^<]+)<', content)
    assert titles == ["Stakeholder deadline in 7 days", "Invitation to the Kenya coalition"]
    assert content.count('<span class="badge text-bg-primary">Unread</span>') == 1
    assertContains(response, "1 unread")
    assertContains(response, f'action="{reverse("notifications:open", args=[newer.pk])}"')
    assertContains(response, f'action="{reverse("notifications:mark_read", args=[newer.pk])}"')
    assertNotContains(response, f'action="{reverse("notifications:mark_read", args=[older.pk])}"')
    assertContains(response, 'Mark as read<span class="visually-hidden">: Stakeholder deadline in 7 days</span>')
    assertContains(response, "Mark all as read")
    assertContains(response, "Kenya, session 48")
    assertNotContains(response, "Someone else&#x27;s reminder")


def test_list_without_notifications_says_so(client, person):
    response = client.get(LIST_URL)

    assertContains(response, "No notifications yet.")
    assertNotContains(response, "Mark all as read")


def test_list_is_paginated(client, person):
    NotificationFactory.create_batch(PAGE_SIZE + 3, user=person)

    first = client.get(LIST_URL)
    second = client.get(LIST_URL, {"page": 2})

    assert first.context["page"].object_list.count() == PAGE_SIZE
    assert len(second.context["page"].object_list) == 3
    assertContains(first, "Page 1 of 2")
    assertContains(second, "Page 2 of 2")


def test_list_needs_sign_in(client):
    response = client.get(LIST_URL)

    assertRedirects(response, f"{reverse('login')}?next={LIST_URL}", fetch_redirect_response=False)


@pytest.mark.parametrize("count", [1, 3])
def test_list_queries_constant(client, person, count):
    NotificationFactory.create_batch(count, user=person)
    client.get(LIST_URL)  # warm-up: session and content types

    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL)

    assert len(response.context["page"].object_list) == count
    # The user, the paginator's COUNT, the page: the session and the bell's COUNT come from the cache.
    assert len(queries) == 3


def test_bell_count_is_remembered_until_a_notification_changes(client, person):
    """The bell's COUNT is remembered (upr_portal/freshness.py): a second page costs no COUNT, and a new
    notification, or one marked read by a queryset update, shows on the very next page."""
    NotificationFactory(user=person)
    assert "1 unread" in bell_of(client.get(LIST_URL))
    with CaptureQueriesContext(connection) as queries:
        assert "1 unread" in bell_of(client.get(LIST_URL))
    assert not [q for q in queries if "COUNT" in q["sql"] and '"read_at" IS NULL' in q["sql"]]

    NotificationFactory(user=person)
    assert "2 unread" in bell_of(client.get(LIST_URL))
    Notification.objects.filter(user=person).update(read_at=timezone.now())
    assert "badge" not in bell_of(client.get(LIST_URL))


# Marking read.


def test_mark_read_marks_one_of_own(client, person):
    first, second = NotificationFactory.create_batch(2, user=person)

    response = client.post(reverse("notifications:mark_read", args=[first.pk]))

    assertRedirects(response, LIST_URL, fetch_redirect_response=False)
    assert unread_ids(person) == [second.pk]


def test_mark_read_returns_to_the_page_it_came_from(client, person):
    notification = NotificationFactory(user=person)

    response = client.post(reverse("notifications:mark_read", args=[notification.pk]), {"page": "2"})

    assertRedirects(response, f"{LIST_URL}?page=2", fetch_redirect_response=False)


def test_mark_read_refuses_get(client, person):
    notification = NotificationFactory(user=person)

    response = client.get(reverse("notifications:mark_read", args=[notification.pk]))

    assert (response.status_code, unread_ids(person)) == (405, [notification.pk])


@pytest.mark.parametrize(
    ("who", "status", "unread_after"), [("owner", 302, 0), ("co-member", 404, 1), ("outsider", 404, 1)]
)
def test_mark_read_as_owner_co_member_and_outsider(client, coalition_people, who, status, unread_after):
    notification = coalition_people["notification"]
    client.force_login(coalition_people[who])

    response = client.post(reverse("notifications:mark_read", args=[notification.pk]))

    if status == 404:
        assertContains(response, "Page not found", status_code=404)
    else:
        assertRedirects(response, LIST_URL, fetch_redirect_response=False)
    assert len(unread_ids(coalition_people["owner"])) == unread_after


def test_mark_all_read_marks_only_own(client, person):
    NotificationFactory.create_batch(3, user=person)
    someone_else = NotificationFactory()

    response = client.post(reverse("notifications:mark_all_read"))

    assertRedirects(response, LIST_URL, fetch_redirect_response=False)
    assert unread_ids(person) == []
    assert unread_ids(someone_else.user) == [someone_else.pk]
    page = client.get(LIST_URL)
    assertContains(page, "All your notifications are marked as read.")
    assertContains(page, '<span class="visually-hidden">Notifications</span>')


def test_mark_all_read_ignores_ids_of_others(client, person):
    someone_else = NotificationFactory()

    client.post(reverse("notifications:mark_all_read"), {"ids": [someone_else.pk]})

    assert unread_ids(someone_else.user) == [someone_else.pk]


# Following a notification's link.


def test_open_marks_read_and_follows_a_local_link(client, person):
    notification = NotificationFactory(user=person, url="/coalitions/12/submissions/")

    response = client.post(reverse("notifications:open", args=[notification.pk]))

    assertRedirects(response, "/coalitions/12/submissions/", fetch_redirect_response=False)
    assert unread_ids(person) == []


def test_open_follows_an_absolute_link_on_the_portals_own_address(client, person, settings):
    settings.SITE_URL = "https://portal.example.org"
    notification = NotificationFactory(user=person, url="https://portal.example.org/coalitions/3/")

    response = client.post(reverse("notifications:open", args=[notification.pk]))

    assertRedirects(response, "https://portal.example.org/coalitions/3/", fetch_redirect_response=False)


@pytest.mark.parametrize("url", ["https://evil.example/phish", "//evil.example/", "javascript:alert(1)"])
def test_open_refuses_an_external_link(client, person, url):
    notification = NotificationFactory(user=person, url=url)

    response = client.post(reverse("notifications:open", args=[notification.pk]))

    assertRedirects(response, LIST_URL, fetch_redirect_response=False)
    assert unread_ids(person) == []
    assertContains(client.get(LIST_URL), escape("The link of this notification leads outside the portal"))


@pytest.mark.parametrize(
    ("who", "status", "unread_after"), [("owner", 302, 0), ("co-member", 404, 1), ("outsider", 404, 1)]
)
def test_open_as_owner_co_member_and_outsider(client, coalition_people, who, status, unread_after):
    notification = coalition_people["notification"]
    client.force_login(coalition_people[who])

    response = client.post(reverse("notifications:open", args=[notification.pk]))

    if status == 404:
        assertContains(response, "Page not found", status_code=404)
    else:
        assertRedirects(response, notification.url, fetch_redirect_response=False)
    assert len(unread_ids(coalition_people["owner"])) == unread_after
