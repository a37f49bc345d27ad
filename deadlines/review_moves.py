"""When a review moves to another session, the people working on it are told: its deadlines moved.

``reviews`` cannot know who works on a review (coalitions sit above it), so it sends
``reviews.signals.review_moved`` once the move has committed; the receiver here, connected in
``DeadlinesConfig.ready``, tells every active member of every coalition working on the review, once
each: a line under their bell and an email through the outbox, in their own language. The reminders
need nothing: they are claimed per deadline day, so the next scan reminds of the new date.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from coalitions.models import Membership
from notifications.services import email_queue, notification_create
from upr_portal.templatetags.geneva_time import geneva_text

REVIEW_MOVED = "deadlines.review_moved"


def review_moved_audience(*, review) -> list[Membership]:
    """One membership per person among the active members of the coalitions working on the review:
    the first of their coalitions by name speaks (the one their notification and email name)."""
    memberships = (
        Membership.objects.filter(coalition__reviews=review, is_active=True, user__is_active=True)
        .select_related("user", "coalition")
        .order_by("user_id", "coalition__name", "coalition_id")
    )
    first = {}
    for membership in memberships:
        first.setdefault(membership.user_id, membership)
    return list(first.values())


def review_moved_headline(*, review, old_session) -> tuple[str, str]:
    """The notification's title and body in the active language."""
    title = _("The UPR review of %(state)s moved to session %(session)s") % {
        "state": review.state.local_name,
        "session": review.session.number,
    }
    if review.stakeholder_deadline is not None:
        body = _("It was planned for session %(old)s. The stakeholder submission deadline is now %(deadline)s.") % {
            "old": old_session.number,
            "deadline": geneva_text(review.stakeholder_deadline, "long"),
        }
    else:
        body = _("It was planned for session %(old)s. The new stakeholder submission deadline is not known yet.") % {
            "old": old_session.number
        }
    if review.session.dates_provisional:
        body += " " + _("The new session's dates are provisional: OHCHR has not confirmed them yet.")
    return title, body


def review_moved_tell_members(*, review, old_session, actor=None) -> int:
    """Tells each active member of the coalitions working on the moved review, once, in their language:
    a notification and an email queued in the outbox (sent once this transaction commits). One
    transaction: all of them or none. Returns how many people were told.

    ``actor`` (the admin who moved it) is not a sender for the mail limits: the portal tells people of
    a change in the UN calendar, not a person writing to them.
    """
    audience = review_moved_audience(review=review)
    with transaction.atomic():
        for membership in audience:
            user, coalition = membership.user, membership.coalition
            with translation.override(user.language or settings.LANGUAGE_CODE):
                title, body = review_moved_headline(review=review, old_session=old_session)
            url = reverse("deadlines:timeline", args=[coalition.pk])
            notification_create(
                user=user, kind=REVIEW_MOVED, title=title, body=body, url=url, coalition_id=coalition.pk
            )
            if user.email:
                email_queue(
                    kind=REVIEW_MOVED,
                    to_email=user.email,
                    recipient=user,
                    context={
                        "review": review.pk,
                        "from_session": old_session.pk,
                        "to_session": review.session_id,
                        "coalition": coalition.pk,
                    },
                    coalition_id=coalition.pk,
                )
    return len(audience)


def on_review_moved(sender, *, review, old_session, actor=None, **kwargs) -> int:
    return review_moved_tell_members(review=review, old_session=old_session, actor=actor)
