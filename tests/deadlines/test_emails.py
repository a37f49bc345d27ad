"""The reminder and digest emails as the outbox sends them: words, dates in Geneva time, links, language."""

import datetime

import pytest
from django.core import mail

from accounts.models import User
from coalitions.models import Membership, Role
from deadlines.models import ReminderClaim
from deadlines.services import reminders_scan
from notifications.models import Notification, OutboxMessage
from notifications.services import outbox_send_pending
from tests.deadlines.conftest import coalition_on, geneva, review_due
from tests.factories import MembershipFactory, SubmissionFactory, UserFactory
from tests.factories.deadlines import ReminderSettingsFactory

pytestmark = pytest.mark.django_db

DEADLINE = geneva(2026, 3, 9, 23, 59)


def send_all(report) -> dict[str, int]:
    return outbox_send_pending(message_ids=report.queued_message_ids)


def test_reminder_email_says_what_when_and_links_to_the_submissions(site_url):
    review = review_due(DEADLINE, state="Atlantis")
    coalition = coalition_on(review, name="Atlantis UPR Coalition")
    MembershipFactory(coalition=coalition, user=UserFactory(email="a@example.org", full_name="Amina Achieng"))

    sent = send_all(reminders_scan(now=geneva(2026, 3, 2, 8)))

    assert sent == {"sent": 1}
    [email] = mail.outbox
    assert (email.to, email.subject) == (
        ["a@example.org"],
        "Action needed: UPR review of Atlantis: stakeholder deadline in 7 days",
    )
    link = f"{site_url}/coalitions/{coalition.pk}/submissions/"
    assert email.body.splitlines()[:8] == [
        "Dear Amina Achieng,",
        "",
        "The stakeholder submission deadline for the UPR review of Atlantis (Working Group session "
        f"{review.session.number}) is 9 March 2026, 23:59, Geneva time.",
        "That is in 7 days.",
        "",
        "You receive this reminder as a member of Atlantis UPR Coalition.",
        "Submissions are sent only through OHCHR's online submission system, one account per organisation. "
        "Late submissions are a priori not considered.",
        "",
    ]
    assert f"Open the page to act on:\n{link}\n" in email.body
    html = email.alternatives[0].content
    assert f'<a href="{link}"' in html
    assert "9 March 2026, 23:59, Geneva time." in html
    assert OutboxMessage.objects.get().subject == email.subject


def test_reminder_email_links_to_the_coalitions_submission_for_the_review(site_url):
    review = review_due(DEADLINE)
    coalition = coalition_on(review, "a@example.org")
    submission = SubmissionFactory(coalition=coalition, review=review)

    send_all(reminders_scan(now=geneva(2026, 3, 8, 8)))

    [email] = mail.outbox
    assert email.subject.endswith("stakeholder deadline tomorrow")
    assert f"{site_url}/submissions/{submission.pk}/" in email.body


def test_reminder_email_after_missed_days_says_the_days_really_left():
    coalition_on(review_due(DEADLINE, state="Atlantis"), "a@example.org")

    send_all(reminders_scan(now=geneva(2026, 3, 4, 8)))

    assert [email.subject for email in mail.outbox] == [
        "Action needed: UPR review of Atlantis: stakeholder deadline in 5 days"
    ]
    assert "That is in 5 days." in mail.outbox[0].body


def test_reminder_email_in_the_recipients_language():
    coalition_on(review_due(DEADLINE), "fr@example.org")
    User.objects.filter(email="fr@example.org").update(language="fr")

    send_all(reminders_scan(now=geneva(2026, 3, 2, 8)))

    [message] = OutboxMessage.objects.all()
    assert message.language == "fr"
    assert "9 mars 2026, 23:59" in mail.outbox[0].body


def test_reminder_email_of_a_late_provider_deadline(drafts, site_url):
    coalition = coalition_on(None, "a@example.org")
    drafts.add(coalition, geneva(2026, 3, 9, 12))

    send_all(reminders_scan(now=geneva(2026, 3, 11, 9)))

    [email] = mail.outbox
    assert email.subject == "Action needed: First draft due: 2 days late"
    assert "First draft due: 9 March 2026, 12:00, Geneva time.\nIt passed 2 days ago." in email.body
    assert f"{site_url}/coalitions/{coalition.pk}/clusters/" in email.body
    assert "OHCHR" not in email.body


def test_reminder_email_cancelled_when_the_person_left_the_coalition():
    coalition_on(review_due(DEADLINE), "a@example.org")
    report = reminders_scan(now=geneva(2026, 3, 2, 8))
    Membership.objects.update(is_active=False)

    sent = send_all(report)

    assert (sent, mail.outbox) == ({"cancelled": 1}, [])
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.CANCELLED


def test_reminder_email_cancelled_when_its_claim_is_gone():
    coalition_on(review_due(DEADLINE), "a@example.org")
    report = reminders_scan(now=geneva(2026, 3, 2, 8))
    ReminderClaim.objects.all().delete()

    assert (send_all(report), mail.outbox) == ({"cancelled": 1}, [])


def test_digest_email_lists_what_is_late_and_what_is_coming(drafts, site_url):
    review = review_due(geneva(2026, 3, 12, 23, 59), state="Atlantis")
    coalition = coalition_on(review, "coordinator@example.org", role=Role.COORDINATOR, name="Atlantis UPR Coalition")
    ReminderSettingsFactory(coalition=coalition, offsets=[30])
    drafts.add(coalition, geneva(2026, 2, 27, 12))
    drafts.add(coalition, datetime.date(2026, 4, 30))  # beyond two weeks: not listed
    MembershipFactory(coalition=coalition, user=UserFactory(email="drafter@example.org"))

    report = reminders_scan(now=geneva(2026, 3, 2, 0, 15))
    digest = ReminderClaim.objects.get(kind="digest")
    outbox_send_pending(message_ids=[digest.message_id])

    [email] = mail.outbox
    assert (email.to, email.subject) == (["coordinator@example.org"], "Atlantis UPR Coalition: deadlines of the week")
    body = email.body
    assert "Late\n- 27 February 2026, 12:00: First draft due (3 days late)\n" in body
    assert (
        "Due in the next two weeks\n- 12 March 2026, 23:59: Stakeholder submission deadline – Atlantis, "
        f"session {review.session.number} (in 10 days)\n  {site_url}/coalitions/{coalition.pk}/submissions/\n"
    ) in body
    assert "30 April" not in body
    assert f"{site_url}/coalitions/{coalition.pk}/timeline/" in body
    # The digest, and to each of the two members a reminder of the UN deadline and one of the late draft.
    assert report.queued == 5


def test_digest_email_marks_the_dates_of_a_provisional_session(site_url):
    review = review_due(geneva(2026, 3, 12, 23, 59), state="Atlantis")
    review.session.dates_provisional = True
    review.session.save(update_fields=["dates_provisional"])
    coalition_on(review, "coordinator@example.org", role=Role.COORDINATOR, name="Atlantis UPR Coalition")

    reminders_scan(now=geneva(2026, 3, 2, 0, 15))
    outbox_send_pending(message_ids=[ReminderClaim.objects.get(kind="digest").message_id])

    [email] = mail.outbox
    assert (
        "Due in the next two weeks\n- 12 March 2026, 23:59 (provisional): Stakeholder submission deadline – "
        f"Atlantis, session {review.session.number} (in 10 days)\n"
    ) in email.body
    assert "12 March 2026, 23:59 (provisional) (in 10 days)</li>" in email.alternatives[0].content


def test_reminder_refused_for_good_is_told_to_the_coordinators(settings):
    coalition = coalition_on(review_due(DEADLINE), "wrong@example.org")
    coordinator = MembershipFactory(coalition=coalition, role=Role.COORDINATOR, user=UserFactory(email="c@example.org"))
    report = reminders_scan(now=geneva(2026, 3, 2, 8))
    settings.MAILERS = {"default": {"BACKEND": "tests.notifications.backends.RecipientRefusingEmailBackend"}}

    sent = send_all(report)

    # The two reminders and the coordinator's weekly digest.
    assert sent == {"failed": 3}
    told = Notification.objects.filter(user=coordinator.user, kind="coalitions.mail_failure")
    assert sorted(told.values_list("title", "url")) == [
        ("An email to c@example.org could not be delivered", f"/coalitions/{coalition.pk}/mail/"),
        ("An email to c@example.org could not be delivered", f"/coalitions/{coalition.pk}/mail/"),
        ("An email to wrong@example.org could not be delivered", f"/coalitions/{coalition.pk}/mail/"),
    ]


def test_reminder_email_says_a_date_of_a_provisional_session_is_provisional(site_url):
    review = review_due(DEADLINE, state="Atlantis")
    review.session.dates_provisional = True
    review.session.save(update_fields=["dates_provisional"])
    coalition = coalition_on(review, name="Atlantis UPR Coalition")
    MembershipFactory(coalition=coalition, user=UserFactory(email="a@example.org", full_name="Amina Achieng"))

    send_all(reminders_scan(now=geneva(2026, 3, 2, 8)))

    [email] = mail.outbox
    sentence = (
        "The stakeholder submission deadline for the UPR review of Atlantis (Working Group session "
        f"{review.session.number}) is 9 March 2026, 23:59, Geneva time. The date is provisional: OHCHR has not "
        "confirmed the session's dates yet."
    )
    assert (email.body.splitlines()[2], sentence in email.alternatives[0].content) == (sentence, True)


def test_reminder_email_in_the_recipients_language_spanish(site_url):
    """A Spanish-speaking member gets the reminder in Spanish: words, State name, date and time; nothing English."""
    review = review_due(DEADLINE, state="Atlantis")
    review.state.name_es = "Atlántida"
    review.state.save(update_fields=["name_es"])
    coalition = coalition_on(review, name="Atlantis UPR Coalition")
    person = UserFactory(email="a@example.org", full_name="Amina Achieng", language="es")
    MembershipFactory(coalition=coalition, user=person)

    send_all(reminders_scan(now=geneva(2026, 3, 2, 8)))

    [email] = mail.outbox
    assert email.subject.startswith("Acción necesaria: ")
    assert "Atlántida" in email.subject
    assert "vence en 7 días" in email.subject
    lines = email.body.splitlines()
    assert lines[0] == "Hola, Amina Achieng:"
    assert "el 9 de marzo de 2026, 23:59, hora de Ginebra." in lines[2]
    assert lines[3] == "Faltan 7 días."
    html = email.alternatives[0].content
    assert '<html lang="es">' in html
    assert "Abrir la página correspondiente" in html
    for english in ("Dear", "Action needed", "Geneva time", "That is in", "You receive this reminder", "March"):
        assert english not in email.subject + email.body + html, english
