"""Comments on a section: threads, answers, mentions, who is told (bell and outbox), resolve and reopen."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.models import User
from coalitions.models import AuditEvent
from coalitions.rules import memberships_of
from notifications.models import Notification, OutboxMessage
from notifications.services import outbox_send_pending
from submissions.comment_selectors import comment_panel, mention_candidates
from submissions.errors import SubmissionError
from submissions.models import Comment
from submissions.models.comments import COMMENT_MAX_LENGTH, QUOTE_MAX_LENGTH
from submissions.selectors import section_for_editing, with_assignees
from submissions.services.comments import (
    COMMENTS_PER_PERSON,
    MAX_MENTIONS,
    Member,
    comment_add,
    comment_reopen,
    comment_resolve,
    mentions_in_text,
    section_audience,
)
from tests.factories import MembershipFactory
from tests.submissions.conftest import World

pytestmark = pytest.mark.django_db

KIND = "submissions.comment"
SITE = "https://portal.example.org"


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = SITE
    return SITE


def told(kind: str = KIND) -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(kind=kind).values_list("user__email", "title"))


def emailed() -> list[str]:
    return sorted(OutboxMessage.objects.filter(kind=KIND).values_list("to_email", flat=True))


# Mentions in the text.

MEMBERS = [
    Member(1, "Anna Maria Lopez"),
    Member(2, "Anna"),
    Member(3, "Joseph Mwangi"),
    Member(4, "jane@example.org"),
    Member(5, "Grace Achieng"),
    Member(6, "Grace Achieng"),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@Anna Maria Lopez please check", {1}),
        ("@Anna, please check", {2}),
        ("Thanks @joseph mwangi.", {3}),
        ("@Annabel is no member", set()),
        ("Ask @jane@example.org today", {4}),
        ("mail jane@example.org or x@Joseph Mwangi", set()),
        ("@Grace Achieng: two members share that name", set()),
        ("@Joseph Mwangi and @Anna Maria Lopez", {1, 3}),
        ("(@Anna)", {2}),
        ("@", set()),
    ],
)
def test_mentions_in_text(text, expected):
    assert mentions_in_text(text, MEMBERS) == expected


# Writing a comment, and who is told.


def test_section_audience_is_the_editing_people_of_its_organisations_and_people_named(world: World):
    named = MembershipFactory(coalition=world.coalition, organisation=world.org_a, user__email="named@example.org")
    world.section_b.assigned_people.add(named.user, world.people["outsider"])
    world.section_b.lead_organisation = world.secretariat
    world.section_b.save()

    emails = sorted(
        User.objects.filter(pk__in=section_audience(section=world.section_b)).values_list("email", flat=True)
    )

    # Org B's drafter and cluster lead (not its reviewer or observer), the person named, the lead
    # organisation's coordinator; never the outsider though named.
    assert emails == ["cluster.lead@example.org", "coordinator@example.org", "drafter@example.org", "named@example.org"]


def test_comment_tells_the_sections_people_and_the_people_mentioned_once_each_never_the_author(world: World):
    comment = comment_add(
        section=world.section_b,
        author=world.coordinator,
        body="@The reviewer and @The drafter, please check the figures. @Olga Outsider @Nobody Here",
        quote="three prisons",
        mention_ids=[world.people["drafter"].pk, world.people["outsider"].pk, world.coordinator.pk],
    )

    assert (comment.section, comment.parent, comment.author, comment.quote) == (
        world.section_b,
        None,
        world.coordinator,
        "three prisons",
    )
    assert sorted(comment.mentions.values_list("email", flat=True)) == ["drafter@example.org", "reviewer@example.org"]
    assert told() == [
        ("cluster.lead@example.org", "The coordinator commented on Section of B's cluster"),
        ("drafter@example.org", "The coordinator mentioned you in a comment on Section of B's cluster"),
        ("reviewer@example.org", "The coordinator mentioned you in a comment on Section of B's cluster"),
    ]
    notification = Notification.objects.get(user=world.people["drafter"])
    assert (notification.url, notification.body, notification.coalition_id) == (
        f"/submissions/{world.submission.pk}/sections/{world.section_b.pk}/#comment-{comment.pk}",
        "@The reviewer and @The drafter, please check the figures. @Olga Outsider @Nobody Here",
        world.coalition.pk,
    )
    assert emailed() == ["cluster.lead@example.org", "drafter@example.org", "reviewer@example.org"]
    assert set(OutboxMessage.objects.filter(kind=KIND).values_list("sender", "coalition_id")) == {
        (world.coordinator.pk, world.coalition.pk)
    }


def test_answer_tells_the_thread_author_too(world: World):
    thread = comment_add(section=world.section_a, author=world.people["reviewer"], body="Which courts?")
    Notification.objects.all().delete()

    comment_add(section=world.section_a, author=world.people["drafter"], body="The high courts.", parent=thread)

    # Section A is organisation A's, whose people are not in the world: only the reviewer hears.
    assert told() == [("reviewer@example.org", "The drafter answered a comment on Section of A's cluster")]


def test_answer_to_a_thread_of_another_section_is_refused(world: World):
    thread = comment_add(section=world.section_a, author=world.people["reviewer"], body="Which courts?")

    with pytest.raises(SubmissionError) as refused:
        comment_add(section=world.section_b, author=world.people["drafter"], body="Wrong place.", parent=thread)

    assert refused.value.message == "This answer belongs to no thread of this section."
    assert Comment.objects.count() == 1


def test_people_who_turned_emails_off_get_the_notification_only(world: World):
    drafter = world.people["drafter"]
    drafter.email_notifications = False
    drafter.save()

    comment_add(section=world.section_b, author=world.coordinator, body="Please check.")

    assert [email for email, _title in told()] == ["cluster.lead@example.org", "drafter@example.org"]
    assert emailed() == ["cluster.lead@example.org"]


def test_comment_email_is_sent_after_commit_in_the_recipients_language(
    world: World, site_url, django_capture_on_commit_callbacks
):
    lead = world.people["cluster lead"]
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_add(
            section=world.section_b,
            author=world.coordinator,
            body="<script>alert(1)</script> & check @The cluster lead",
            quote="<b>three</b> prisons",
        )

    assert sorted(OutboxMessage.objects.filter(kind=KIND).values_list("to_email", "status")) == [
        ("cluster.lead@example.org", "sent"),
        ("drafter@example.org", "sent"),
    ]
    email = next(message for message in mail.outbox if message.to == [lead.email])
    assert email.subject == "The coordinator mentioned you in a comment on Section of B's cluster"
    url = f"{SITE}/submissions/{world.submission.pk}/sections/{world.section_b.pk}/#comment-{comment.pk}"
    assert email.body.splitlines()[:10] == [
        "Dear The cluster lead,",
        "",
        "The coordinator wrote on the section “Section of B's cluster” of Joint submission on child rights:",
        "",
        "> <b>three</b> prisons",
        "",
        "<script>alert(1)</script> & check @The cluster lead",
        "",
        "Read and answer it:",
        url,
    ]
    html = email.alternatives[0].content
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; check" in html
    assert "&lt;b&gt;three&lt;/b&gt; prisons" in html
    assert "<script>" not in html


def test_comment_email_is_cancelled_when_the_person_turned_emails_off_before_it_went(world: World):
    comment_add(section=world.section_b, author=world.coordinator, body="Please check.")
    drafter = world.people["drafter"]
    drafter.email_notifications = False
    drafter.save()

    outcomes = outbox_send_pending()

    assert outcomes == {"sent": 1, "cancelled": 1}
    assert [message.to for message in mail.outbox] == [["cluster.lead@example.org"]]


@pytest.mark.parametrize(
    ("body", "quote", "message"),
    [
        ("   ", "", "Write the comment before sending it."),
        (
            "x" * (COMMENT_MAX_LENGTH + 1),
            "",
            f"A comment has at most 5000 characters; this one has {COMMENT_MAX_LENGTH + 1}.",
        ),
        (
            "Fine.",
            "q" * (QUOTE_MAX_LENGTH + 1),
            "A quoted passage has at most 1000 characters; this one has 1001. Select a shorter one.",
        ),
    ],
)
def test_comment_over_a_limit_is_refused_and_tells_nobody(world: World, body, quote, message):
    with pytest.raises(SubmissionError) as refused:
        comment_add(section=world.section_b, author=world.coordinator, body=body, quote=quote)

    assert refused.value.message == message
    assert (Comment.objects.count(), Notification.objects.count(), OutboxMessage.objects.count()) == (0, 0, 0)


def test_comment_mentioning_too_many_people_is_refused(world: World):
    people = [MembershipFactory(coalition=world.coalition, organisation=world.org_a).user for _ in range(MAX_MENTIONS)]

    with pytest.raises(SubmissionError) as refused:
        comment_add(
            section=world.section_a,
            author=world.coordinator,
            body="Everyone!",
            mention_ids=[person.pk for person in people] + [world.people["drafter"].pk],
        )

    assert refused.value.message == "A comment can mention at most 20 people; this one mentions 21."
    assert Comment.objects.count() == 0


def test_one_person_cannot_flood_the_section_with_comments(world: World, client):
    reviewer = world.people["reviewer"]
    for number in range(COMMENTS_PER_PERSON):
        comment_add(section=world.section_a, author=reviewer, body=f"Comment {number}")
    client.force_login(reviewer)

    response = client.post(
        reverse("submissions:comment_add", args=[world.submission.pk, world.section_a.pk]), {"body": "One more"}
    )

    assertContains(
        response,
        "You have written many comments in a short time. Please wait before writing another. Try again in 10 minutes.",
        status_code=400,
    )
    assert Comment.objects.filter(author=reviewer).count() == COMMENTS_PER_PERSON
    # Someone else still comments.
    comment_add(section=world.section_a, author=world.people["drafter"], body="Mine")
    assert Comment.objects.count() == COMMENTS_PER_PERSON + 1


# Resolving and reopening.


def test_resolve_and_reopen_are_recorded_once_each(world: World):
    thread = comment_add(section=world.section_b, author=world.people["reviewer"], body="Too long.")
    drafter = world.people["drafter"]

    assert comment_resolve(comment=thread, actor=drafter) is True
    assert comment_resolve(comment=thread, actor=world.coordinator) is False
    thread.refresh_from_db()
    assert (thread.is_resolved, thread.resolved_by) == (True, drafter)
    assert comment_reopen(comment=thread, actor=world.people["reviewer"]) is True
    assert comment_reopen(comment=thread, actor=world.people["reviewer"]) is False
    thread.refresh_from_db()
    assert (thread.resolved_at, thread.resolved_by) == (None, None)

    events = AuditEvent.objects.filter(coalition=world.coalition).order_by("created_at", "pk")
    assert [(e.actor, e.action, e.subject, e.details) for e in events] == [
        (
            drafter,
            AuditEvent.Action.COMMENT_RESOLVED,
            "Section of B's cluster",
            {
                "submission": world.submission.pk,
                "section": world.section_b.pk,
                "comment": thread.pk,
                "excerpt": "Too long.",
            },
        ),
        (
            world.people["reviewer"],
            AuditEvent.Action.COMMENT_REOPENED,
            "Section of B's cluster",
            {
                "submission": world.submission.pk,
                "section": world.section_b.pk,
                "comment": thread.pk,
                "excerpt": "Too long.",
            },
        ),
    ]


def test_an_answer_is_not_resolved_on_its_own(world: World):
    thread = comment_add(section=world.section_b, author=world.people["reviewer"], body="Too long.")
    answer = comment_add(section=world.section_b, author=world.people["drafter"], body="Shortened.", parent=thread)

    with pytest.raises(SubmissionError) as refused:
        comment_resolve(comment=answer, actor=world.coordinator)

    assert refused.value.message == "Only a thread is resolved or reopened, not an answer in it."
    assert Comment.objects.filter(resolved_at__isnull=False).count() == 0


# The pages.


def section_page(world: World, name: str = "section") -> str:
    return reverse(f"submissions:{name}", args=[world.submission.pk, world.section_b.pk])


def thread_url(world: World, name: str, comment: Comment) -> str:
    return reverse(f"submissions:{name}", args=[world.submission.pk, world.section_b.pk, comment.pk])


def test_section_page_shows_open_threads_first_and_resolved_ones_folded(world: World, client):
    first = comment_add(section=world.section_b, author=world.people["reviewer"], body="First thread", quote="adults")
    comment_add(section=world.section_b, author=world.people["drafter"], body="An answer", parent=first)
    second = comment_add(section=world.section_b, author=world.people["reviewer"], body="Second thread")
    comment_resolve(comment=first, actor=world.people["drafter"])
    client.force_login(world.people["drafter"])

    response = client.get(section_page(world))

    html = response.content.decode()
    assert html.index(f'id="comment-{second.pk}"') < html.index("1 resolved thread") < html.index("First thread")
    assertContains(
        response,
        '<blockquote class="comment-quote border-start border-3 ps-2 text-body-secondary small">adults</blockquote>',
    )
    assertContains(response, "<p>An answer</p>")
    assertContains(response, "Resolved by The drafter")
    # The drafter works on the section: Resolve on the open thread, Reopen on the resolved one.
    assertContains(
        response, reverse("submissions:comment_resolve", args=[world.submission.pk, world.section_b.pk, second.pk])
    )
    assertContains(
        response, reverse("submissions:comment_reopen", args=[world.submission.pk, world.section_b.pk, first.pk])
    )


def test_observer_reads_comments_without_a_form_or_buttons(world: World, client):
    thread = comment_add(section=world.section_b, author=world.people["reviewer"], body="A thread")
    client.force_login(world.people["observer"])

    response = client.get(section_page(world))

    assertContains(response, "<p>A thread</p>")
    assertNotContains(response, 'name="body"')
    assertNotContains(
        response, reverse("submissions:comment_resolve", args=[world.submission.pk, world.section_b.pk, thread.pk])
    )


@pytest.mark.parametrize("page", ["section", "section_edit"])
def test_xss_in_comment_and_quote_stays_text_on_the_section_pages(world: World, client, page):
    comment_add(
        section=world.section_b,
        author=world.people["reviewer"],
        body='<img src=x onerror="alert(1)"> <script>alert(2)</script>',
        quote="</blockquote><script>alert(3)</script>",
    )
    client.force_login(world.people["drafter"])

    response = client.get(section_page(world, page))

    assertContains(response, escape('<img src=x onerror="alert(1)"> <script>alert(2)</script>'))
    assertContains(response, escape("</blockquote><script>alert(3)</script>"))
    assertNotContains(response, "<script>alert(")
    assertNotContains(response, "<img src=x")


def test_comment_form_adds_a_thread_and_goes_back_to_the_editor(world: World, client):
    client.force_login(world.people["drafter"])

    response = client.post(
        reverse("submissions:comment_add", args=[world.submission.pk, world.section_b.pk]),
        {
            "body": "Shall we cut this paragraph, @The reviewer?",
            "quote": "  three prisons ",
            "mentions": [str(world.people["cluster lead"].pk)],
            "back": "edit",
        },
    )

    comment = Comment.objects.get()
    assertRedirects(
        response, section_page(world, "section_edit") + f"#comment-{comment.pk}", fetch_redirect_response=False
    )
    assert (comment.body, comment.quote, comment.author) == (
        "Shall we cut this paragraph, @The reviewer?",
        "three prisons",
        world.people["drafter"],
    )
    assert sorted(comment.mentions.values_list("email", flat=True)) == [
        "cluster.lead@example.org",
        "reviewer@example.org",
    ]


def test_answer_page_without_javascript_shows_the_thread_and_adds_the_answer(world: World, client):
    thread = comment_add(section=world.section_b, author=world.people["reviewer"], body="Which prisons?")
    client.force_login(world.people["drafter"])
    url = reverse("submissions:comment_add", args=[world.submission.pk, world.section_b.pk])

    page = client.get(url, {"parent": thread.pk})
    response = client.post(url, {"body": "Three in the capital.", "parent": thread.pk})

    assertContains(page, "Answer a comment")
    assertContains(page, "<p>Which prisons?</p>")
    answer = Comment.objects.get(parent=thread)
    assertRedirects(response, section_page(world) + f"#comment-{answer.pk}", fetch_redirect_response=False)


def test_answer_to_a_thread_of_another_coalition_answers_404(world: World, client):
    other = comment_add(section=world.other_section, author=world.people["outsider"], body="Theirs")
    client.force_login(world.people["drafter"])

    response = client.post(
        reverse("submissions:comment_add", args=[world.submission.pk, world.section_b.pk]),
        {"body": "Mine", "parent": other.pk},
    )

    assertContains(response, "Page not found", status_code=404)
    assert Comment.objects.count() == 1


def test_too_long_comment_is_refused_with_the_form_kept(world: World, client):
    client.force_login(world.people["drafter"])

    response = client.post(
        reverse("submissions:comment_add", args=[world.submission.pk, world.section_b.pk]),
        {"body": "y" * (COMMENT_MAX_LENGTH + 1), "quote": "kept quote"},
    )

    assertContains(response, "Ensure this value has at most 5000 characters (it has 5001).", status_code=400)
    assertContains(response, "kept quote", status_code=400)
    assert Comment.objects.count() == 0


# Mentions: the autocomplete's members.


def test_mention_search_matches_the_start_of_any_word_of_a_name_members_only(world: World, client):
    MembershipFactory(coalition=world.coalition, organisation=world.org_a, user__full_name="Dana Draftsman")
    MembershipFactory(
        coalition=world.coalition, organisation=world.org_a, user__full_name="Left Drafter", is_active=False
    )
    client.force_login(world.people["drafter"])
    url = reverse("submissions:mention_search", args=[world.coalition.pk])

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"q": "dra"})

    assert response.json() == {
        "results": [
            {
                "id": User.objects.get(full_name="Dana Draftsman").pk,
                "name": "Dana Draftsman",
                "organisation": "Alpha Rights Watch",
            }
        ]
    }
    # The user, the coalition, the person's memberships, the search (the session comes from the cache).
    assert len(captured) == 4


def test_mention_search_gives_at_most_ten_members(world: World):
    for number in range(12):
        MembershipFactory(coalition=world.coalition, organisation=world.org_a, user__full_name=f"Member {number:02}")

    names = [row["name"] for row in mention_candidates(coalition_id=world.coalition.pk, query="mem")]

    assert names == [f"Member {number:02}" for number in range(10)]


def test_mention_search_of_another_coalition_answers_404(world: World, client):
    client.force_login(world.people["drafter"])

    response = client.get(reverse("submissions:mention_search", args=[world.other.pk]), {"q": "o"})

    assertContains(response, "Page not found", status_code=404)


# Query counts.


def threads(world: World, count: int, start: int = 0) -> None:
    for number in range(start, start + count):
        thread = comment_add(section=world.section_b, author=world.people["reviewer"], body=f"Thread {number}")
        comment_add(section=world.section_b, author=world.people["drafter"], body=f"Answer {number}", parent=thread)
        if number % 2:
            comment_resolve(comment=thread, actor=world.coordinator)


def queries_of(client, url: str, expected: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assertContains(response, expected)
    return len(captured)


@pytest.mark.parametrize("page", ["section", "section_edit"])
@pytest.mark.parametrize("role", ["drafter", "coordinator"])
def test_section_pages_queries_do_not_grow_with_comments(world: World, client, page, role):
    client.force_login(world.people[role])
    threads(world, 1)
    one = queries_of(client, section_page(world, page), "Thread 0")
    threads(world, 3, start=1)
    four = queries_of(client, section_page(world, page), "Answer 3")

    assert one == four


def test_comment_panel_costs_two_queries_whatever_the_number_of_comments(world: World, django_assert_num_queries):
    threads(world, 4)
    # As the section pages read it (submissions/views/common.py): its cluster, assignees and the
    # person's memberships are already known.
    section = section_for_editing(submission=world.submission, pk=world.section_b.pk).get()
    with_assignees([section])
    user = world.people["drafter"]
    memberships_of(user)

    with django_assert_num_queries(2):
        panel = comment_panel(user=user, section=section)

    assert ([t.comment.body for t in panel.open_threads], [t.comment.body for t in panel.resolved_threads]) == (
        ["Thread 0", "Thread 2"],
        ["Thread 1", "Thread 3"],
    )
    assert [[r.body for r in t.replies] for t in panel.open_threads] == [["Answer 0"], ["Answer 2"]]


# The person's choice of emails.


def test_account_settings_turn_comment_emails_off_and_on(world: World, client):
    drafter = world.people["drafter"]
    client.force_login(drafter)
    url = reverse("account_settings")

    page = client.get(url)
    off = client.post(url, {})
    drafter.refresh_from_db()
    state_off = drafter.email_notifications
    client.post(url, {"email_notifications": "on"})
    drafter.refresh_from_db()

    assertContains(page, 'name="email_notifications"')
    assertContains(page, "checked")
    assertRedirects(off, url, fetch_redirect_response=False)
    assert (state_off, drafter.email_notifications) == (False, True)


def test_account_settings_need_a_sign_in(client):
    response = client.get(reverse("account_settings"))

    assertRedirects(response, f"{reverse('login')}?next={reverse('account_settings')}", fetch_redirect_response=False)
