"""The workflow's buttons (submissions/services/workflow.py, submissions/views/workflow.py): which step is
possible from which state, messages, what is recorded, who is told, and the pages that show it."""

import datetime
import html
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains

from coalitions.models import AuditEvent, Role
from notifications.models import Notification, OutboxMessage
from submissions.errors import SubmissionError
from submissions.models import (
    SECTION_ACTIONS,
    SUBMISSION_ACTIONS,
    Section,
    SectionTransition,
    SignOff,
    Submission,
    SubmissionTransition,
)
from submissions.services.signatories import submission_signatories_reset, submission_signatories_update
from submissions.services.submissions import section_add, section_delete, submission_create, submission_update
from submissions.services.workflow import SECTION_STEP, section_step, submission_step
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.coalitions import add_organisation
from tests.submissions.conftest import World
from upr_portal.timezones import geneva_today

pytestmark = pytest.mark.django_db

State = Section.State
Status = Submission.Status
SITE = "https://portal.example.org"
MESSAGES = {"request_changes": "Cite the 2025 report.", "reopen": "New figures came out."}


def put(section: Section, state: str) -> None:
    Section.objects.filter(pk=section.pk).update(state=state)


def put_submission(submission: Submission, status: str) -> None:
    Submission.objects.filter(pk=submission.pk).update(status=status)


def told(kind: str = SECTION_STEP) -> list[str]:
    return sorted(Notification.objects.filter(kind=kind).values_list("user__email", flat=True))


def emailed(kind: str = SECTION_STEP) -> list[str]:
    return sorted(OutboxMessage.objects.filter(kind=kind).values_list("to_email", flat=True))


# Which step from which state.

SECTION_CASES = [(name, state) for name in SECTION_ACTIONS for state in State.values]


@pytest.mark.parametrize(("action", "state"), SECTION_CASES, ids=[f"{a}-from-{s}" for a, s in SECTION_CASES])
def test_section_step_is_possible_only_from_its_states(action, state, world: World):
    put(world.section_b, state)
    step = SECTION_ACTIONS[action]

    if step.allowed_from(state):
        transition = section_step(
            section_id=world.section_b.pk, actor=world.coordinator, action=action, message=MESSAGES.get(action, "")
        )
        assert (transition.source, transition.target) == (state, step.target)
        assert Section.objects.values_list("state", flat=True).get(pk=world.section_b.pk) == step.target
    else:
        with pytest.raises(SubmissionError):
            section_step(
                section_id=world.section_b.pk, actor=world.coordinator, action=action, message=MESSAGES.get(action, "")
            )
        assert (
            Section.objects.values_list("state", flat=True).get(pk=world.section_b.pk),
            SectionTransition.objects.count(),
        ) == (state, 0)


def test_section_allowed_steps_are_the_documented_ones():
    allowed = {name: list(step.sources) for name, step in SECTION_ACTIONS.items()}

    assert allowed == {
        "submit": ["drafting", "changes_requested"],
        "withdraw": ["submitted"],
        "request_changes": ["submitted", "approved"],
        "approve": ["submitted"],
        "lock": ["approved"],
        "reopen": ["approved", "locked"],
    }


@pytest.mark.parametrize(
    ("action", "state", "said"),
    [
        ("approve", State.APPROVED, "This section is already approved."),
        ("submit", State.SUBMITTED, "This section is already submitted for review."),
        ("approve", State.DRAFTING, "This section is being drafted: “Approve” is not possible now."),
        ("lock", State.SUBMITTED, "This section is submitted for review: “Lock” is not possible now."),
    ],
)
def test_section_step_refused_says_why_in_plain_words(action, state, said, world: World):
    put(world.section_b, state)

    with pytest.raises(SubmissionError) as refused:
        section_step(section_id=world.section_b.pk, actor=world.coordinator, action=action)

    assert refused.value.messages == [said]


def test_unknown_step_is_refused(world: World):
    with pytest.raises(SubmissionError) as refused:
        section_step(section_id=world.section_b.pk, actor=world.coordinator, action="publish")

    assert refused.value.messages == ["Choose one of the steps offered."]


def test_no_section_step_in_a_final_submission(world: World):
    with pytest.raises(SubmissionError) as refused:
        section_step(section_id=world.final_section.pk, actor=world.coordinator, action="submit")

    assert refused.value.messages == [
        "This submission is marked final: it is read-only until a coordinator reopens it."
    ]


SUBMISSION_CASES = [(name, status) for name in SUBMISSION_ACTIONS for status in Status.values]


@pytest.mark.parametrize(("action", "status"), SUBMISSION_CASES, ids=[f"{a}-from-{s}" for a, s in SUBMISSION_CASES])
def test_submission_step_is_possible_only_from_its_states(action, status, world: World):
    put_submission(world.submission, status)
    step = SUBMISSION_ACTIONS[action]
    extra = {"submitted_on": geneva_today(), "ohchr_reference": "REF-1"} if action == "mark_submitted" else {}

    if step.allowed_from(status):
        transition = submission_step(
            submission_id=world.submission.pk,
            actor=world.coordinator,
            action=action,
            message=MESSAGES.get(action, ""),
            **extra,
        )
        assert (transition.source, transition.target) == (status, step.target)
    else:
        with pytest.raises(SubmissionError):
            submission_step(
                submission_id=world.submission.pk,
                actor=world.coordinator,
                action=action,
                message=MESSAGES.get(action, ""),
                **extra,
            )
        assert SubmissionTransition.objects.count() == 0
    expected = step.target if step.allowed_from(status) else status
    assert Submission.objects.values_list("status", flat=True).get(pk=world.submission.pk) == expected


# Messages.


@pytest.mark.parametrize(
    ("action", "state", "said"),
    [
        ("request_changes", State.SUBMITTED, "Say what should change: the drafters read it with the request."),
        ("reopen", State.LOCKED, "Give the reason for reopening the section: it is recorded with the step."),
    ],
)
@pytest.mark.parametrize("message", ["", "  \n "])
def test_section_step_needing_a_message_refuses_none(action, state, said, message, world: World):
    put(world.section_b, state)

    with pytest.raises(SubmissionError) as refused:
        section_step(section_id=world.section_b.pk, actor=world.coordinator, action=action, message=message)

    assert refused.value.messages == [said]
    assert SectionTransition.objects.count() == 0


def test_submission_reopen_needs_a_reason(world: World):
    with pytest.raises(SubmissionError) as refused:
        submission_step(submission_id=world.final_submission.pk, actor=world.coordinator, action="reopen")

    assert refused.value.messages == ["Give the reason for reopening the submission: it is recorded with the step."]
    assert Submission.objects.values_list("status", flat=True).get(pk=world.final_submission.pk) == Status.FINAL


def test_an_optional_message_is_kept_stripped(world: World):
    step = section_step(
        section_id=world.section_b.pk, actor=world.people["drafter"], action="submit", message="  Ready.\n"
    )

    assert step.message == "Ready."


def test_a_message_too_long_is_refused(world: World):
    with pytest.raises(SubmissionError) as refused:
        section_step(section_id=world.section_b.pk, actor=world.coordinator, action="submit", message="x" * 5001)

    assert refused.value.messages == ["The message is 5001 characters long; keep it under 5000."]


# Records and the activity log.


def test_section_step_records_the_step_and_the_activity(world: World):
    put(world.section_b, State.SUBMITTED)
    reviewer = world.people["reviewer"]

    section_step(
        section_id=world.section_b.pk, actor=reviewer, action="request_changes", message="Cite the 2025 report."
    )

    assert list(SectionTransition.objects.values_list("section", "action", "source", "target", "actor", "message")) == [
        (world.section_b.pk, "request_changes", "submitted", "changes_requested", reviewer.pk, "Cite the 2025 report.")
    ]
    event = AuditEvent.objects.get(action=AuditEvent.Action.SECTION_STEP)
    assert (event.coalition, event.actor, event.subject, event.details) == (
        world.coalition,
        reviewer,
        "Section of B's cluster",
        {
            "step": "request_changes",
            "from": "submitted",
            "to": "changes_requested",
            "old": "Submitted for review",
            "new": "Changes requested",
            "message": "Cite the 2025 report.",
        },
    )


def test_record_as_submitted_stores_the_day_and_reference_and_logs_them(world: World):
    put_submission(world.submission, Status.FINAL)

    submission_step(
        submission_id=world.submission.pk,
        actor=world.coordinator,
        action="mark_submitted",
        submitted_on=datetime.date(2026, 10, 1),
        ohchr_reference="  HRC/UPR/50/KEN/12 ",
    )

    assert Submission.objects.values_list("status", "submitted_on", "ohchr_reference").get(pk=world.submission.pk) == (
        Status.SUBMITTED,
        datetime.date(2026, 10, 1),
        "HRC/UPR/50/KEN/12",
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.SUBMISSION_STEP)
    assert event.details == {
        "step": "mark_submitted",
        "from": "final",
        "to": "submitted",
        "old": "Final: read-only",
        "new": "Submitted to OHCHR",
        "message": "",
        "submitted_on": "2026-10-01",
        "reference": "HRC/UPR/50/KEN/12",
    }


@pytest.mark.parametrize(
    ("day", "reference", "said"),
    [
        (None, "REF-1", "Give the day the submission was sent to OHCHR."),
        ("tomorrow", "REF-1", "The day it was sent cannot be in the future: give the day it was sent."),
        ("today", "  ", "Give the reference OHCHR gave the submission (in its acknowledgement)."),
    ],
)
def test_record_as_submitted_needs_a_past_day_and_the_reference(day, reference, said, world: World):
    put_submission(world.submission, Status.FINAL)
    days = {None: None, "today": geneva_today(), "tomorrow": geneva_today() + datetime.timedelta(days=1)}

    with pytest.raises(SubmissionError) as refused:
        submission_step(
            submission_id=world.submission.pk,
            actor=world.coordinator,
            action="mark_submitted",
            submitted_on=days[day],
            ohchr_reference=reference,
        )

    assert refused.value.messages == [said]
    assert Submission.objects.values_list("status", "submitted_on", "ohchr_reference").get(pk=world.submission.pk) == (
        Status.FINAL,
        None,
        "",
    )


def test_open_sign_off_asks_every_signatory_organisation(world: World):
    put_submission(world.submission, Status.CONSOLIDATION)

    submission_step(submission_id=world.submission.pk, actor=world.coordinator, action="open_sign_off")

    assert sorted(SignOff.objects.filter(submission=world.submission).values_list("organisation__name", "status")) == [
        ("Alpha Rights Watch", "pending"),
        ("Beta Legal Aid", "pending"),
        (world.secretariat.name, "pending"),
    ]


# Who is told.


@pytest.fixture
def crowd(world: World) -> World:
    """A second coordinator, one who left, a cluster lead of A (not B's cluster), a drafter of A named
    on the section by name, and a drafter of a lead organisation."""
    world.people["second coordinator"] = MembershipFactory(
        coalition=world.coalition,
        user=UserFactory(full_name="Second coordinator", email="second@example.org"),
        organisation=world.secretariat,
        role=Role.COORDINATOR,
    ).user
    MembershipFactory(
        coalition=world.coalition,
        user=UserFactory(email="gone@example.org"),
        organisation=world.secretariat,
        role=Role.COORDINATOR,
        is_active=False,
    )
    MembershipFactory(
        coalition=world.coalition,
        user=UserFactory(email="lead.a@example.org"),
        organisation=world.org_a,
        role=Role.CLUSTER_LEAD,
    )
    named = MembershipFactory(
        coalition=world.coalition, user=UserFactory(email="named@example.org"), organisation=world.org_a
    ).user
    world.section_b.assigned_people.add(named)
    lead_org = add_organisation(world.coalition, OrganisationFactory(name="Gamma Justice")).organisation
    MembershipFactory(coalition=world.coalition, user=UserFactory(email="gamma@example.org"), organisation=lead_org)
    MembershipFactory(
        coalition=world.coalition,
        user=UserFactory(email="gamma.reader@example.org"),
        organisation=lead_org,
        role=Role.OBSERVER,
    )
    Section.objects.filter(pk=world.section_b.pk).update(lead_organisation=lead_org)
    return world


def test_submitted_section_tells_the_coordinators_and_its_clusters_lead(crowd: World):
    section_step(section_id=crowd.section_b.pk, actor=crowd.people["drafter"], action="submit", message="Ready.")

    assert told() == ["cluster.lead@example.org", "coordinator@example.org", "second@example.org"]
    assert emailed() == ["cluster.lead@example.org", "coordinator@example.org", "second@example.org"]
    note = Notification.objects.get(user=crowd.coordinator)
    assert (note.title, note.body, note.url, note.coalition_id) == (
        "“Section of B's cluster” was submitted for review",
        "The drafter, in Joint submission on child rights.\n\nReady.",
        reverse("submissions:section", args=[crowd.submission.pk, crowd.section_b.pk]),
        crowd.coalition.pk,
    )


def test_the_person_who_pressed_is_not_told(crowd: World):
    section_step(section_id=crowd.section_b.pk, actor=crowd.people["cluster lead"], action="submit")

    assert told() == ["coordinator@example.org", "second@example.org"]


@pytest.mark.parametrize("action", ["request_changes", "approve", "reopen"])
def test_answers_tell_the_sections_drafters(action, crowd: World):
    put(crowd.section_b, State.SUBMITTED if action != "reopen" else State.LOCKED)

    section_step(
        section_id=crowd.section_b.pk, actor=crowd.coordinator, action=action, message=MESSAGES.get(action, "")
    )

    # Named by name, the editing members of the assigned organisation (B) and of the lead organisation;
    # not B's reviewer and observer, nor the lead organisation's observer.
    assert told() == ["cluster.lead@example.org", "drafter@example.org", "gamma@example.org", "named@example.org"]


def test_changes_requested_says_what_to_change(crowd: World):
    put(crowd.section_b, State.SUBMITTED)

    section_step(
        section_id=crowd.section_b.pk,
        actor=crowd.people["reviewer"],
        action="request_changes",
        message="Cite the 2025 report.",
    )

    note = Notification.objects.get(user=crowd.people["drafter"])
    assert (note.title, note.body) == (
        "Changes are asked for in “Section of B's cluster”",
        "The reviewer, in Joint submission on child rights.\n\nCite the 2025 report.",
    )


@pytest.mark.parametrize("action", ["withdraw", "lock"])
def test_withdrawing_and_locking_tell_nobody(action, crowd: World):
    put(crowd.section_b, State.SUBMITTED if action == "withdraw" else State.APPROVED)

    section_step(section_id=crowd.section_b.pk, actor=crowd.coordinator, action=action)

    assert (told(), emailed()) == ([], [])


def test_people_who_turned_emails_off_get_the_notification_only(crowd: World):
    drafter = crowd.people["drafter"]
    drafter.email_notifications = False
    drafter.save()
    put(crowd.section_b, State.SUBMITTED)

    section_step(section_id=crowd.section_b.pk, actor=crowd.coordinator, action="approve")

    assert "drafter@example.org" in told()
    assert emailed() == ["cluster.lead@example.org", "gamma@example.org", "named@example.org"]


def test_step_email_is_sent_after_commit(world: World, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = SITE
    put(world.section_b, State.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        section_step(
            section_id=world.section_b.pk,
            actor=world.people["reviewer"],
            action="request_changes",
            message="<b>Cite</b> the 2025 report & the law.",
        )

    assert sorted(OutboxMessage.objects.filter(kind=SECTION_STEP).values_list("to_email", "status")) == [
        ("cluster.lead@example.org", "sent"),
        ("drafter@example.org", "sent"),
    ]
    email = next(message for message in mail.outbox if message.to == ["drafter@example.org"])
    assert email.subject == "Changes are asked for in “Section of B's cluster”"
    url = f"{SITE}/submissions/{world.submission.pk}/sections/{world.section_b.pk}/"
    assert [line for line in email.body.splitlines() if line] == [
        "Dear The drafter,",
        "The reviewer moved the section “Section of B's cluster” of Joint submission on child rights from "
        "“Submitted for review” to “Changes requested”.",
        "<b>Cite</b> the 2025 report & the law.",
        "Open the section:",
        url,
        "You receive this message because you work on this section. You can turn these emails off in your "
        "account settings.",
    ]
    html = email.alternatives[0].content
    assert ("&lt;b&gt;Cite&lt;/b&gt; the 2025 report &amp; the law." in html, "<b>Cite" in html) == (True, False)


# The pages.


def page(client, world: World, person: str, url: str) -> str:
    client.force_login(world.people[person])
    response = client.get(url)
    assert (response.status_code, response["Content-Type"]) == (200, "text/html; charset=utf-8")
    return response.content.decode()


def buttons(html: str) -> list[str]:
    return re.findall(r'<input type="hidden" name="action" value="([a-z_]+)">', html)


def read_url(section: Section) -> str:
    return reverse("submissions:section", args=[section.submission_id, section.pk])


@pytest.mark.parametrize(
    ("person", "state", "expected"),
    [
        ("drafter", State.DRAFTING, ["submit"]),
        ("reviewer", State.DRAFTING, []),
        ("observer", State.SUBMITTED, []),
        ("reviewer", State.SUBMITTED, ["request_changes"]),
        ("cluster lead", State.SUBMITTED, ["withdraw", "request_changes", "approve"]),
        ("coordinator", State.APPROVED, ["request_changes", "lock", "reopen"]),
        ("coordinator", State.LOCKED, ["reopen"]),
    ],
)
def test_section_page_offers_the_buttons_the_person_may_press(person, state, expected, world: World, client):
    put(world.section_b, state)

    html = page(client, world, person, read_url(world.section_b))

    assert buttons(html) == expected
    assert f'data-state="{state}"' in html


def test_editor_page_offers_the_buttons_too_and_comes_back_to_the_editor(world: World, client):
    html = page(
        client, world, "drafter", reverse("submissions:section_edit", args=[world.submission.pk, world.section_b.pk])
    )

    assert buttons(html) == ["submit"]
    assert '<input type="hidden" name="origin" value="edit">' in html


def test_pressing_submit_from_the_editor_goes_to_the_read_page_the_drafter_can_no_longer_edit(world: World, client):
    client.force_login(world.people["drafter"])

    response = client.post(
        reverse("submissions:section_step", args=[world.submission.pk, world.section_b.pk]),
        {"action": "submit", "origin": "edit", "message": "Ready for you."},
        follow=True,
    )

    assert response.redirect_chain == [(read_url(world.section_b) + "#workflow", 302)]
    assertContains(response, "“Submit for review” is done: the section is now “Submitted for review”.")
    assertContains(
        response,
        escape("This section is submitted for review: reviewers have it until they approve it or ask for changes."),
    )
    assertContains(response, '<div class="ms-3 text-body-secondary workflow-message">Ready for you.</div>', html=True)


def test_coordinator_stays_in_the_editor_after_a_step(world: World, client):
    client.force_login(world.coordinator)

    response = client.post(
        reverse("submissions:section_step", args=[world.submission.pk, world.section_b.pk]),
        {"action": "submit", "origin": "edit"},
    )

    editor = reverse("submissions:section_edit", args=[world.submission.pk, world.section_b.pk])
    assert (response.status_code, response["Location"]) == (302, editor + "#workflow")


def test_refused_step_says_why_and_keeps_what_was_typed(world: World, client):
    put(world.section_b, State.SUBMITTED)
    client.force_login(world.people["reviewer"])
    typed = "<i>Cite</i> " + "the report " * 500

    response = client.post(
        reverse("submissions:section_step", args=[world.submission.pk, world.section_b.pk]),
        {"action": "request_changes", "message": typed, "origin": "read"},
        follow=True,
    )

    said = f"The message is {len(typed.strip())} characters long; keep it under 5000."
    assertContains(response, said, count=2)  # the page's message, and beside the form
    assertContains(response, f">{escape(typed)}</textarea>")
    assert Section.objects.values_list("state", flat=True).get(pk=world.section_b.pk) == State.SUBMITTED
    # Shown once: the next visit starts afresh.
    again = client.get(read_url(world.section_b))
    assertNotContains(again, escape(typed))


def test_empty_required_message_is_refused_with_a_plain_message(world: World, client):
    put(world.section_b, State.SUBMITTED)
    client.force_login(world.people["reviewer"])

    response = client.post(
        reverse("submissions:section_step", args=[world.submission.pk, world.section_b.pk]),
        {"action": "request_changes", "message": "   "},
        follow=True,
    )

    assertContains(response, "Say what should change: the drafters read it with the request.", count=2)
    assertContains(response, 'aria-invalid="true"')
    assert SectionTransition.objects.count() == 0


def test_section_page_lists_the_steps_taken_newest_first(world: World, client):
    section_step(section_id=world.section_b.pk, actor=world.people["drafter"], action="submit")
    section_step(
        section_id=world.section_b.pk, actor=world.people["reviewer"], action="request_changes", message="Shorter."
    )

    html = page(client, world, "observer", read_url(world.section_b))

    steps = re.findall(
        r'<li class="mb-1 workflow-step-taken"><time datetime="[^"]+">[^<]+ Geneva time</time> · ([^<]+)', html
    )
    assert steps == [
        "The reviewer: Submitted for review → Changes requested",
        "The drafter: Drafting → Submitted for review",
    ]


def test_submission_page_has_the_buttons_and_the_sections_states(world: World, client):
    put(world.section_a, State.APPROVED)

    html = page(client, world, "coordinator", reverse("submissions:detail", args=[world.submission.pk]))

    assert buttons(html) == ["consolidate"]
    assert re.findall(r'class="badge text-bg-light border section-state" data-state="(\w+)">([^<]+)<', html) == [
        ("drafting", "Drafting"),
        ("approved", "Approved"),
    ]


def test_submission_page_offers_no_button_to_other_roles(world: World, client):
    html = page(client, world, "cluster lead", reverse("submissions:detail", args=[world.submission.pk]))

    assert buttons(html) == []


def test_submitted_submission_shows_the_day_and_reference(world: World, client):
    put_submission(world.submission, Status.FINAL)
    submission_step(
        submission_id=world.submission.pk,
        actor=world.coordinator,
        action="mark_submitted",
        submitted_on=datetime.date(2026, 10, 1),
        ohchr_reference="HRC/UPR/50/KEN/12",
    )

    html = page(client, world, "drafter", reverse("submissions:detail", args=[world.submission.pk]))

    assert 'sent to OHCHR on <time datetime="2026-10-01">1 October 2026</time>, reference HRC/UPR/50/KEN/12' in html


def test_record_as_submitted_with_a_future_day_keeps_what_was_typed(world: World, client):
    put_submission(world.submission, Status.FINAL)
    client.force_login(world.coordinator)
    tomorrow = (geneva_today() + datetime.timedelta(days=1)).isoformat()

    response = client.post(
        reverse("submissions:submission_step", args=[world.submission.pk]),
        {"action": "mark_submitted", "submitted_on": tomorrow, "ohchr_reference": "HRC/UPR/50/KEN/12"},
        follow=True,
    )

    assertContains(response, "The day it was sent cannot be in the future: give the day it was sent.", count=2)
    assertContains(response, f'value="{tomorrow}"')
    assertContains(response, 'value="HRC/UPR/50/KEN/12"')
    assert Submission.objects.values_list("status", flat=True).get(pk=world.submission.pk) == Status.FINAL


# Read-only reasons follow the section's state.


def reason_on(html: str) -> str | None:
    match = re.search(
        r'<p class="alert alert-secondary py-2 read-only-reason"><strong>Read only\.</strong> ([^<]+)</p>', html
    )
    return match.group(1) if match else None


@pytest.mark.parametrize(
    ("person", "state", "reason"),
    [
        (
            "drafter",
            State.SUBMITTED,
            "This section is submitted for review: reviewers have it until they approve it or ask for changes.",
        ),
        (
            "cluster lead",
            State.APPROVED,
            "This section is approved: it is edited again once a reviewer asks for changes or a coordinator "
            "reopens it for drafting.",
        ),
        (
            "drafter",
            State.LOCKED,
            "This section is locked: nobody edits it until a coordinator reopens it for drafting.",
        ),
        (
            "coordinator",
            State.LOCKED,
            "This section is locked: nobody edits it until a coordinator reopens it for drafting.",
        ),
        ("drafter", State.CHANGES_REQUESTED, None),
        ("coordinator", State.SUBMITTED, None),
    ],
)
def test_read_page_says_why_a_section_is_read_only_in_its_state(person, state, reason, world: World, client):
    put(world.section_b, state)

    html = page(client, world, person, read_url(world.section_b))

    assert reason_on(html) == (escape(reason) if reason else None)


def test_editor_api_refuses_a_save_once_the_section_is_with_its_reviewers(world: World, client):
    put(world.section_b, State.SUBMITTED)
    client.force_login(world.people["drafter"])

    response = client.post(
        reverse("submissions:section_save", args=[world.submission.pk, world.section_b.pk]),
        '{"body": "<p>Late words.</p>", "base_version": 2}',
        content_type="application/json",
    )

    assert (response.status_code, response.json()["error"]) == (403, "forbidden")
    assert Section.objects.values_list("version", flat=True).get(pk=world.section_b.pk) == 2


# Query counts: the steps taken cost one query, however many there are.


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    # The page itself, not a redirect or an error page: its queries are the ones counted.
    assert (response.status_code, response["Content-Type"]) == (200, "text/html; charset=utf-8")
    return len(captured)


def take_steps(world: World, rounds: int) -> None:
    for _ in range(rounds):
        section_step(section_id=world.section_b.pk, actor=world.people["drafter"], action="submit")
        section_step(section_id=world.section_b.pk, actor=world.people["drafter"], action="withdraw")
        submission_step(submission_id=world.submission.pk, actor=world.coordinator, action="consolidate")
        submission_step(submission_id=world.submission.pk, actor=world.coordinator, action="reopen", message="Again.")


@pytest.mark.parametrize("name", ["section", "section_edit", "detail"])
def test_pages_cost_the_same_queries_with_1_or_10_rounds_of_steps(name, world: World, client):
    client.force_login(world.coordinator)
    args = [world.submission.pk] if name == "detail" else [world.submission.pk, world.section_b.pk]
    url = reverse(f"submissions:{name}", args=args)

    take_steps(world, 1)
    few = queries(client, url)
    take_steps(world, 9)
    many = queries(client, url)

    assert (few, SectionTransition.objects.count(), SubmissionTransition.objects.count()) == (many, 20, 20)


# The activity log of the submissions' other changes.


def activity(world: World) -> list[tuple]:
    return list(
        AuditEvent.objects.filter(coalition=world.coalition)
        .order_by("pk")
        .values_list("action", "actor", "subject", "details")
    )


def test_submission_changes_are_in_the_activity_log(world: World):
    coordinator = world.coordinator
    world.coalition.reviews.add(world.review)
    submission = submission_create(
        coalition=world.coalition, review=world.review, actor=coordinator, title="Cluster report", section_titles=["A"]
    )
    submission_update(submission=submission, actor=coordinator, title="Cluster report on detention", keywords="")
    section = section_add(submission=submission, actor=coordinator, title="Detention")
    section_delete(section=section, actor=coordinator)
    submission_signatories_update(
        submission=submission,
        actor=coordinator,
        organisations=[world.org_b, world.org_a],
        contact_name="Amina Diallo",
        contact_email="amina@example.org",
    )
    submission_signatories_reset(submission=submission, actor=coordinator)

    A = AuditEvent.Action
    assert activity(world) == [
        (A.SUBMISSION_CREATED, coordinator.pk, "Cluster report", {}),
        (A.SUBMISSION_CHANGED, coordinator.pk, "Cluster report on detention", {"fields": ["title"]}),
        (A.SECTION_ADDED, coordinator.pk, "Detention", {"submission": "Cluster report on detention"}),
        (A.SECTION_DELETED, coordinator.pk, "Detention", {"submission": "Cluster report on detention"}),
        (
            A.SIGNATORIES_CHANGED,
            coordinator.pk,
            "Cluster report on detention",
            {"signatories": ["Beta Legal Aid", "Alpha Rights Watch"], "contact": "Amina Diallo"},
        ),
        (A.SIGNATORIES_CHANGED, coordinator.pk, "Cluster report on detention", {"signatories": []}),
    ]


def test_activity_page_shows_the_steps_readably(world: World, client):
    put(world.section_b, State.SUBMITTED)
    section_step(
        section_id=world.section_b.pk, actor=world.people["reviewer"], action="request_changes", message="Shorter."
    )
    put_submission(world.submission, Status.FINAL)
    submission_step(
        submission_id=world.submission.pk,
        actor=world.coordinator,
        action="mark_submitted",
        submitted_on=datetime.date(2026, 10, 1),
        ohchr_reference="REF-7",
    )
    client.force_login(world.coordinator)

    response = client.get(reverse("coalitions:activity", args=[world.coalition.pk]))

    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
    assert (
        "The reviewer moved the section Section of B&#x27;s cluster "
        "(Submitted for review → Changes requested) “Shorter.”" in text
    )
    assert (
        "The coordinator moved the submission Joint submission on child rights (Final: read-only → Submitted to OHCHR) "
        "· sent on 2026-10-01, reference REF-7" in text
    )


def test_activity_page_reads_as_sentences_of_the_readers_language(world: World, client):
    put(world.section_b, State.SUBMITTED)
    section_step(
        section_id=world.section_b.pk, actor=world.people["reviewer"], action="request_changes", message="Shorter."
    )
    world.coordinator.language = "fr"
    world.coordinator.save(update_fields=["language"])
    client.force_login(world.coordinator)

    response = client.get(reverse("coalitions:activity", args=[world.coalition.pk]))

    text = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))
    assert "The reviewer a changé l'étape de la section Section of B's cluster (Soumise pour relecture →" in text
    assert "moved the section" not in text
