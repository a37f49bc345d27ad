"""Outgoing mail limits: the one rule for how much mail the portal sends on people's behalf.

Counted on the outbox rows themselves, so the count is durable, shared by every process and exact after
a restart: a message counts from the moment it is queued, whatever becomes of it (sent, failed, or
cancelled because a newer link replaced it), since what matters is what the portal was asked to send.
Three limits, each over the messages of one kind (settings.py, MAIL_LIMIT_*): per sender (the person
whose action sends them), per coalition, and per recipient address.

Two requests at the very same moment can both pass the check and go one over a limit; a limit is there to
stop a flood, and a lock on every send would cost more than that one message.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications.models import OutboxMessage
from upr_portal.timezones import GENEVA, geneva_day


class Scope:
    SENDER = "sender"
    COALITION = "coalition"
    RECIPIENT = "recipient"


@dataclass(frozen=True)
class MailLimit:
    scope: str
    count: int
    period: datetime.timedelta


@dataclass(frozen=True)
class MailLimitReached:
    """A limit one more message would break, and the moment it would not any more."""

    limit: MailLimit
    until: datetime.datetime

    @property
    def scope(self) -> str:
        return self.limit.scope

    def when_in_words(self, now: datetime.datetime | None = None) -> str:
        """ "in 12 minutes", or "after 14:32 Geneva time", for a refusal that says when to try again."""
        now = now or timezone.now()
        seconds = (self.until - now).total_seconds()
        if seconds < 3600:
            minutes = max(math.ceil(seconds / 60), 1)
            return ngettext("in %(minutes)d minute", "in %(minutes)d minutes", minutes) % {"minutes": minutes}
        local = timezone.localtime(self.until, GENEVA)
        time = formats.time_format(local, "H:i")
        if geneva_day(self.until) == geneva_day(now):
            return _("after %(time)s Geneva time") % {"time": time}
        return _("after %(time)s Geneva time on %(date)s") % {
            "time": time,
            "date": formats.date_format(local.date(), "j F"),
        }


def mail_limits() -> dict[str, MailLimit]:
    """The limits as the settings set them now."""
    return {
        Scope.SENDER: MailLimit(Scope.SENDER, settings.MAIL_LIMIT_PER_SENDER_PER_HOUR, datetime.timedelta(hours=1)),
        Scope.COALITION: MailLimit(
            Scope.COALITION, settings.MAIL_LIMIT_PER_COALITION_PER_DAY, datetime.timedelta(days=1)
        ),
        Scope.RECIPIENT: MailLimit(
            Scope.RECIPIENT, settings.MAIL_LIMIT_PER_RECIPIENT_PER_DAY, datetime.timedelta(days=1)
        ),
    }


def outbox_limit_reached(
    *,
    kind: str,
    sender=None,
    coalition_id: int | None = None,
    to_email: str | None = None,
    now: datetime.datetime | None = None,
) -> MailLimitReached | None:
    """The first limit that one more message of ``kind`` would break, or None when it may be queued.

    Only the scopes given are checked, one query each: a password reset names only its recipient, an
    invitation its sender, coalition and recipient. ``to_email`` is compared as it is stored: the
    portal keeps addresses in lower case (accounts.models.UserManager, coalitions' invitations).
    """
    now = now or timezone.now()
    limits = mail_limits()
    scopes = [
        (limits[Scope.SENDER], {"sender": sender}, sender is not None),
        (limits[Scope.COALITION], {"coalition_id": coalition_id}, coalition_id is not None),
        (limits[Scope.RECIPIENT], {"to_email": to_email}, bool(to_email)),
    ]
    for limit, lookup, applies in scopes:
        if not applies:
            continue
        recent = OutboxMessage.objects.filter(kind=kind, created_at__gt=now - limit.period, **lookup)
        # The limit-th newest message: while it is inside the period there is no room for another, and
        # once it leaves it there is (the older ones left before it).
        newest = recent.order_by("-created_at").values_list("created_at", flat=True)
        oldest_counted = list(newest[limit.count - 1 : limit.count])
        if oldest_counted:
            return MailLimitReached(limit=limit, until=oldest_counted[0] + limit.period)
    return None
