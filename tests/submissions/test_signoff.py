"""Sign-off: asking the signatory organisations, endorsing the exact text, declining, reminding, and
the endorsements a later change to the text undoes (submissions/services/signoff.py)."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from coalitions.models import AuditEvent, Role
from notifications.models import Notification, OutboxMessage
from notifications.services import outbox_send_pending
from submissions.documents.content import document_content
from submissions.errors import SubmissionError
from submissions.models import SignOff, Submission
from submissions.services import sections as section_services
from submissions.services.recommendations import (
    recommendation_add,
    recommendation_change,
    recommendation_delete,
    recommendation_move,
)
from submissions.services.signoff import (
    SIGN_OFF_INVALIDATED,
    SIGN_OFF_REMINDER,
    SIGN_OFF_REQUESTED,
    sign_off_decline,
    sign_off_endorse,
    sign_off_open,
    sign_off_set_person,
    sign_offs_remind,
)
from submissions.signoff_selectors import sign_off_counts
from tests.factories import MembershipFactory, UserFactory, write_text
from tests.submissions.conftest import World

pytestmark = pytest.mark.django_db

SITE = "https://portal.example.org"


def open_sign_off(world: World) -> dict[str, SignOff]:
    """The world's submission in sign-off, its rows by organisation: "secretariat", "a" and "b"."""
    world.submission.status = Submission.Status.SIGN_OFF
    world.submission.save(update_fields=["status"])
    sign_off_open(submission=world.submission, actor=world.coordinator)
    return rows(world)


def rows(world: World) -> dict[str, SignOff]:
    by_organisation = {world.secretariat.pk: "secretariat", world.org_a.pk: "a", world.org_b.pk: "b"}
    return {by_organisation[row.organisation_id]: row for row in SignOff.objects.filter(submission=world.submission)}


def versions(world: World) -> dict[str, int]:
    return {str(world.section_b.pk): 2, str(world.section_a.pk): 1}


def notified(kind: str) -> list[str]:
    return sorted(Notification.objects.filter(kind=kind).values_list("user__email", flat=True))


def queued(kind: str) -> list[str]:
    return sorted(OutboxMessage.objects.filter(kind=kind).values_list("to_email", flat=True))


def audited(world: World, action: str) -> list[tuple]:
    return list(
        AuditEvent.objects.filter(coalition=world.coalition, action=action)
        .order_by("pk")
        .values_list("actor__email", "subject", "details")
    )


# Opening.


def test_sign_off_open_makes_one_row_per_signatory_with_its_designated_person(world):
    sign_offs = open_sign_off(world)

    assert {name: (row.person, row.status) for name, row in sign_offs.items()} == {
        "secretariat": (world.coordinator, SignOff.Status.PENDING),
        "a": (None, SignOff.Status.PENDING),  # nobody of A's organisation is a member
        "b": (world.people["cluster lead"], SignOff.Status.PENDING),  # before the drafter, the reviewer, the observer
    }
    assert notified(SIGN_OFF_REQUESTED) == ["cluster.lead@example.org", "coordinator@example.org"]
    assert queued(SIGN_OFF_REQUESTED) == ["cluster.lead@example.org", "coordinator@example.org"]
    assert audited(world, AuditEvent.Action.SIGN_OFF_OPENED) == [
        ("coordinator@example.org", world.submission.title, {"organisations": 3, "asked": 2})
    ]


def test_sign_off_open_again_keeps_an_endorsement_of_the_same_text_and_undoes_one_of_an_older_text(world):
    sign_offs = open_sign_off(world)
    sign_off_endorse(sign_off=sign_offs["b"], actor=world.people["cluster lead"], versions=versions(world))
    sign_off_endorse(sign_off=sign_offs["secretariat"], actor=world.coordinator, versions=versions(world))
    world.submission.status = Submission.Status.DRAFT
    world.submission.save(update_fields=["status"])
    write_text(world.section_a, author=world.coordinator, body="<p>Changed while drafting again.</p>")
    SignOff.objects.filter(pk=sign_offs["secretariat"].pk).update(
        section_versions={str(world.section_b.pk): 2, str(world.section_a.pk): 2}
    )
    world.submission.status = Submission.Status.SIGN_OFF
    world.submission.save(update_fields=["status"])

    sign_off_open(submission=world.submission, actor=world.coordinator)

    after = rows(world)
    assert {name: (row.status, row.invalidated_at is not None) for name, row in after.items()} == {
        "secretariat": (SignOff.Status.ENDORSED, False),
        "a": (SignOff.Status.PENDING, False),
        "b": (SignOff.Status.PENDING, True),
    }


# Endorsing and declining.


def test_sign_off_endorse_stores_the_versions_of_every_section(world):
    sign_offs = open_sign_off(world)

    sign_off_endorse(sign_off=sign_offs["b"], actor=world.people["cluster lead"], versions=versions(world))

    row = SignOff.objects.get(pk=sign_offs["b"].pk)
    assert (row.status, row.section_versions, row.answered_by, row.reason) == (
        SignOff.Status.ENDORSED,
        {str(world.section_b.pk): 2, str(world.section_a.pk): 1},
        world.people["cluster lead"],
        "",
    )
    assert row.answered_at is not None
    assert audited(world, AuditEvent.Action.SIGNED_OFF) == [
        ("cluster.lead@example.org", world.submission.title, {"organisation": "Beta Legal Aid"})
    ]


def test_sign_off_endorse_of_a_text_changed_while_reading_is_refused(world):
    sign_offs = open_sign_off(world)
    read = versions(world)
    write_text(world.section_a, author=world.coordinator, body="<p>A sentence added meanwhile.</p>")

    with pytest.raises(SubmissionError) as refused:
        sign_off_endorse(sign_off=sign_offs["b"], actor=world.people["cluster lead"], versions=read)

    assert refused.value.message == (
        "The text changed while you were reading: Section of A's cluster. Read it again, then answer."
    )
    assert SignOff.objects.values_list("status", "section_versions").get(pk=sign_offs["b"].pk) == (
        SignOff.Status.PENDING,
        {},
    )


def test_sign_off_endorse_by_someone_else_than_the_designated_person_is_refused(world):
    sign_offs = open_sign_off(world)

    with pytest.raises(SubmissionError) as refused:
        sign_off_endorse(sign_off=sign_offs["b"], actor=world.people["drafter"], versions=versions(world))

    assert refused.value.message == "Only the person designated by Beta Legal Aid can answer for it."
    assert SignOff.objects.get(pk=sign_offs["b"].pk).status == SignOff.Status.PENDING


def test_sign_off_endorse_outside_sign_off_is_refused(world):
    sign_offs = open_sign_off(world)
    Submission.objects.filter(pk=world.submission.pk).update(status=Submission.Status.FINAL)

    with pytest.raises(SubmissionError) as refused:
        sign_off_endorse(sign_off=sign_offs["b"], actor=world.people["cluster lead"], versions=versions(world))

    assert refused.value.message == "Sign-off is not open for this submission (it is “Final: read-only”)."


def test_sign_off_decline_needs_a_reason_and_keeps_it(world):
    sign_offs = open_sign_off(world)

    with pytest.raises(SubmissionError) as refused:
        sign_off_decline(sign_off=sign_offs["b"], actor=world.people["cluster lead"], reason="   ")
    sign_off_decline(sign_off=sign_offs["b"], actor=world.people["cluster lead"], reason=" Paragraph 4 is wrong. ")

    assert refused.value.message == "Say why your organisation declines: the coordinators need to know."
    assert SignOff.objects.values_list("status", "reason", "answered_by").get(pk=sign_offs["b"].pk) == (
        SignOff.Status.DECLINED,
        "Paragraph 4 is wrong.",
        world.people["cluster lead"].pk,
    )
    assert audited(world, AuditEvent.Action.SIGN_OFF_DECLINED) == [
        (
            "cluster.lead@example.org",
            world.submission.title,
            {"organisation": "Beta Legal Aid", "reason": "Paragraph 4 is wrong."},
        )
    ]


# A change to the text.


def test_section_save_in_sign_off_undoes_the_endorsements_and_tells_exactly_those_who_signed(world):
    sign_offs = open_sign_off(world)
    sign_off_endorse(sign_off=sign_offs["b"], actor=world.people["cluster lead"], versions=versions(world))
    sign_off_decline(sign_off=sign_offs["secretariat"], actor=world.coordinator, reason="Too long.")

    write_text(world.section_b, author=world.people["drafter"], body="<p>A late correction.</p>")

    after = rows(world)
    assert {name: row.status for name, row in after.items()} == {
        "secretariat": SignOff.Status.DECLINED,  # declines stay
        "a": SignOff.Status.PENDING,
        "b": SignOff.Status.PENDING,
    }
    assert (after["b"].invalidated_at is not None, after["b"].answered_at) == (True, None)
    assert (after["secretariat"].invalidated_at, after["a"].invalidated_at) == (None, None)
    assert notified(SIGN_OFF_INVALIDATED) == ["cluster.lead@example.org"]
    assert queued(SIGN_OFF_INVALIDATED) == ["cluster.lead@example.org"]
    assert audited(world, AuditEvent.Action.SIGN_OFFS_INVALIDATED) == [
        (
            "drafter@example.org",
            world.submission.title,
            {"section": "Section of B's cluster", "organisations": "Beta Legal Aid"},
        )
    ]


def test_section_restore_in_sign_off_undoes_the_endorsements_too(world):
    sign_offs = open_sign_off(world)
    sign_off_endorse(sign_off=sign_offs["b"], actor=world.people["cluster lead"], versions=versions(world))

    section_services.section_restore(section_id=world.section_b.pk, author=world.coordinator, version=1)

    assert SignOff.objects.get(pk=sign_offs["b"].pk).status == SignOff.Status.PENDING
    assert notified(SIGN_OFF_INVALIDATED) == ["cluster.lead@example.org"]


def test_recommendation_changes_in_sign_off_undo_the_endorsements(world):
    """The recommendations are printed in the documents: adding, rewording, moving or deleting one is a
    change of the endorsed text; a change of its target States alone is not."""
    sign_offs = open_sign_off(world)

    def endorse_again():
        SignOff.objects.filter(pk=sign_offs["b"].pk).update(status=SignOff.Status.PENDING)
        sign_off_endorse(sign_off=sign_offs["b"], actor=world.people["cluster lead"], versions=versions(world))

    def status():
        return SignOff.objects.get(pk=sign_offs["b"].pk).status

    endorse_again()
    first = recommendation_add(section=world.section_b, actor=world.coordinator, text="Ratify OPCAT by 2028.")
    assert status() == SignOff.Status.PENDING
    endorse_again()
    second = recommendation_add(section=world.section_b, actor=world.coordinator, text="Close Block C by 2027.")
    assert status() == SignOff.Status.PENDING
    endorse_again()
    recommendation_change(
        recommendation=first, actor=world.coordinator, text="Ratify OPCAT by 2028.", theme="Detention"
    )
    assert status() == SignOff.Status.ENDORSED
    recommendation_change(recommendation=first, actor=world.coordinator, text="Ratify OPCAT by 2027.")
    assert status() == SignOff.Status.PENDING
    endorse_again()
    recommendation_move(recommendation=second, actor=world.coordinator, offset=-1)
    assert status() == SignOff.Status.PENDING
    endorse_again()
    recommendation_delete(recommendation=first, actor=world.coordinator)
    assert status() == SignOff.Status.PENDING
    # Told once per change that undid the endorsement: two additions, the rewording, the move, the deletion.
    assert len(notified(SIGN_OFF_INVALIDATED)) == 5


def test_section_save_before_sign_off_touches_no_sign_off(world):
    sign_offs = open_sign_off(world)
    sign_off_endorse(sign_off=sign_offs["b"], actor=world.people["cluster lead"], versions=versions(world))
    Submission.objects.filter(pk=world.submission.pk).update(status=Submission.Status.CONSOLIDATION)

    write_text(world.section_b, author=world.people["drafter"], body="<p>Back to drafting.</p>")

    assert SignOff.objects.get(pk=sign_offs["b"].pk).status == SignOff.Status.ENDORSED
    assert notified(SIGN_OFF_INVALIDATED) == []


# Reminders.


def test_sign_offs_remind_reaches_exactly_the_pending_people_once_a_day(world):
    sign_offs = open_sign_off(world)
    sign_off_endorse(sign_off=sign_offs["secretariat"], actor=world.coordinator, versions=versions(world))
    now = timezone.now()

    count = sign_offs_remind(submission=world.submission, actor=world.coordinator, now=now)
    with pytest.raises(SubmissionError) as refused:
        sign_offs_remind(submission=world.submission, actor=world.coordinator, now=now + datetime.timedelta(hours=23))

    assert count == 1
    assert notified(SIGN_OFF_REMINDER) == ["cluster.lead@example.org"]
    assert queued(SIGN_OFF_REMINDER) == ["cluster.lead@example.org"]
    assert SignOff.objects.get(pk=sign_offs["b"].pk).reminded_at == now
    assert refused.value.message.startswith("They were reminded on ")
    assert "You can remind them again from " in refused.value.message
    assert audited(world, AuditEvent.Action.SIGN_OFF_REMINDED) == [
        ("coordinator@example.org", world.submission.title, {"reminded": 1})
    ]

    again = sign_offs_remind(
        submission=world.submission, actor=world.coordinator, now=now + datetime.timedelta(hours=25)
    )

    assert (again, queued(SIGN_OFF_REMINDER)) == (1, ["cluster.lead@example.org", "cluster.lead@example.org"])


def test_sign_offs_remind_when_everyone_answered_is_refused(world):
    sign_offs = open_sign_off(world)
    sign_off_endorse(sign_off=sign_offs["secretariat"], actor=world.coordinator, versions=versions(world))
    sign_off_decline(sign_off=sign_offs["b"], actor=world.people["cluster lead"], reason="No.")

    with pytest.raises(SubmissionError) as refused:
        sign_offs_remind(submission=world.submission, actor=world.coordinator)

    assert refused.value.message == "Every organisation with a designated person has answered: nobody to remind."


# The designated person.


def test_sign_off_set_person_designates_another_member_and_asks_them(world):
    sign_offs = open_sign_off(world)

    sign_off_set_person(sign_off=sign_offs["b"], actor=world.coordinator, person=world.people["drafter"])

    assert SignOff.objects.get(pk=sign_offs["b"].pk).person == world.people["drafter"]
    assert notified(SIGN_OFF_REQUESTED) == [
        "cluster.lead@example.org",
        "coordinator@example.org",
        "drafter@example.org",
    ]


def test_sign_off_set_person_of_another_organisation_is_refused(world):
    sign_offs = open_sign_off(world)

    with pytest.raises(SubmissionError) as refused:
        sign_off_set_person(sign_off=sign_offs["a"], actor=world.coordinator, person=world.people["drafter"])

    assert refused.value.message == "The drafter is not an active member of Alpha Rights Watch in this coalition."
    assert SignOff.objects.get(pk=sign_offs["a"].pk).person is None


# The emails.


def test_sign_off_emails_say_what_is_asked_and_link_to_the_sign_off_page(world, settings):
    settings.SITE_URL = SITE
    sign_offs = open_sign_off(world)
    sign_off_endorse(sign_off=sign_offs["b"], actor=world.people["cluster lead"], versions=versions(world))
    # The cluster lead's request was answered before it went: cancelled, not sent.
    first = outbox_send_pending()
    write_text(world.section_a, author=world.coordinator, body="<p>Changed.</p>")

    then = outbox_send_pending()

    assert (first, then) == ({"sent": 1, "cancelled": 1}, {"sent": 1})
    by_subject = {email.subject: email for email in mail.outbox}
    title = world.submission.title
    assert sorted(by_subject) == [
        f"Action needed: Does {world.secretariat.name} endorse “{title}”?",
        f"Action needed: The text you endorsed changed: “{title}”",
    ]
    invalidated = by_subject[f"Action needed: The text you endorsed changed: “{title}”"]
    assert invalidated.to == ["cluster.lead@example.org"]
    assert f"You endorsed “{title}” for Beta Legal Aid." in invalidated.body
    assert f"{SITE}/submissions/{world.submission.pk}/sign-off/" in invalidated.body
    assert f'href="{SITE}/submissions/{world.submission.pk}/sign-off/"' in invalidated.alternatives[0].content


# The documents and the figures.


def test_documents_name_only_the_endorsing_organisations_once_sign_off_is_open(world):
    before = [o.name for o in document_content(world.submission).organisations]
    sign_offs = open_sign_off(world)
    opened = [o.name for o in document_content(world.submission).organisations]
    sign_off_endorse(sign_off=sign_offs["b"], actor=world.people["cluster lead"], versions=versions(world))
    sign_off_endorse(sign_off=sign_offs["secretariat"], actor=world.coordinator, versions=versions(world))

    endorsed = [o.name for o in document_content(world.submission).organisations]
    Submission.objects.filter(pk=world.submission.pk).update(status=Submission.Status.SUBMITTED)
    world.submission.refresh_from_db()
    submitted = [o.name for o in document_content(world.submission).organisations]

    assert before == ["Alpha Rights Watch", "Beta Legal Aid", world.secretariat.name]
    assert opened == []
    assert endorsed == submitted == ["Beta Legal Aid", world.secretariat.name]


def test_sign_off_counts(world):
    sign_offs = open_sign_off(world)
    sign_off_decline(sign_off=sign_offs["b"], actor=world.people["cluster lead"], reason="No.")
    sign_off_endorse(sign_off=sign_offs["secretariat"], actor=world.coordinator, versions=versions(world))

    counts = sign_off_counts(world.submission)

    assert (counts.total, counts.endorsed, counts.declined, counts.pending, counts.unassigned, counts.remindable) == (
        3,
        1,
        1,
        1,
        1,
        0,
    )


def test_designated_person_is_a_coordinator_before_a_cluster_lead_before_a_drafter(world):
    secretariat_drafter = MembershipFactory(
        coalition=world.coalition,
        organisation=world.org_a,
        role=Role.DRAFTER,
        user=UserFactory(full_name="Aaron First", email="aaron@example.org"),
    )

    sign_offs = open_sign_off(world)

    assert sign_offs["a"].person == secretariat_drafter.user
