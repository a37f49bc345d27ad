"""Deadline reminders by email, each sent once whatever the number of workers or runs."""

import datetime
import logging
import smtplib
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from coalitions.models import Coalition, Membership
from reviews.models import (
    GENEVA,
    DeadlineReminder,
    Review,
)
from upr_portal.mail import is_transient

logger = logging.getLogger(__name__)

REMINDER_DAYS = (14, 7, 1)


@dataclass
class ReminderReport:
    sent: int = 0
    already_sent: int = 0
    # Refused for good by the mail server (a bad address): logged, not retried.
    refused: int = 0


def deadline_reminders_send(*, now: datetime.datetime | None = None) -> ReminderReport:
    """Email every active member of every coalition working on a review whose stakeholder deadline
    is 14, 7 or 1 day(s) away, counted in Geneva days.

    Each email is claimed by inserting a DeadlineReminder row in the transaction that sends it: a
    duplicate insert (another worker, an earlier run) fails on the unique constraint and nothing is
    sent; a failed send rolls the claim back so a retry sends it. Transient SMTP errors do not stop
    the other emails; the first one is raised at the end so the task retries.
    """
    now = now or timezone.now()
    today = timezone.localdate(now, GENEVA)
    windows = {}
    for days in REMINDER_DAYS:
        start = datetime.datetime.combine(today + datetime.timedelta(days=days), datetime.time.min, tzinfo=GENEVA)
        windows[days] = (start, start + datetime.timedelta(days=1))

    reviews = {
        review.pk: review
        for window_start, window_end in windows.values()
        for review in Review.objects.filter(
            stakeholder_deadline__gte=window_start, stakeholder_deadline__lt=window_end
        ).select_related("state", "session")
    }
    links = Coalition.reviews.through.objects.filter(review_id__in=reviews).select_related("coalition")
    coalitions_by_review = defaultdict(list)
    for link in links:
        coalitions_by_review[link.review_id].append(link.coalition)
    memberships = Membership.objects.filter(
        coalition_id__in={c.pk for cs in coalitions_by_review.values() for c in cs},
        is_active=True,
        user__is_active=True,
    ).select_related("user")
    members_by_coalition = defaultdict(list)
    for membership in memberships:
        members_by_coalition[membership.coalition_id].append(membership.user)

    report = ReminderReport()
    transient_error = None
    for review_id, coalitions in coalitions_by_review.items():
        review = reviews[review_id]
        days = (timezone.localdate(review.stakeholder_deadline, GENEVA) - today).days
        recipients = {}
        for coalition in coalitions:
            for user in members_by_coalition[coalition.pk]:
                if user.email:
                    recipients.setdefault(user.pk, (user, []))[1].append(coalition)
        for user, user_coalitions in recipients.values():
            try:
                sent = _reminder_send(review=review, user=user, coalitions=user_coalitions, days_before=days)
            except (smtplib.SMTPException, OSError) as exc:
                logger.warning("Deadline reminder for review %s to user %s failed: %s", review.pk, user.pk, exc)
                if is_transient(exc):
                    transient_error = transient_error or exc
                else:
                    report.refused += 1
                continue
            if sent:
                report.sent += 1
            else:
                report.already_sent += 1
    if transient_error is not None:
        raise transient_error
    return report


def _reminder_send(*, review: Review, user, coalitions: list, days_before: int) -> bool:
    """Claim and send one reminder; False if it was claimed before."""
    try:
        # The claim and the send share one transaction: the claim is kept only if the mail went out.
        # A concurrent worker's insert waits on the unique index and then fails.
        with transaction.atomic():
            DeadlineReminder.objects.create(review=review, user=user, days_before=days_before)
            context = {
                "user": user,
                "review": review,
                "state": review.state,
                "session": review.session,
                "coalitions": coalitions,
                "days_before": days_before,
                "deadline": timezone.localtime(review.stakeholder_deadline, GENEVA),
            }
            subject = " ".join(render_to_string("emails/deadline_reminder_subject.txt", context).split())
            body = render_to_string("emails/deadline_reminder_body.txt", context)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except IntegrityError:
        return False
    return True
