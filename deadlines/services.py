"""Writes of the deadline reminders: the scan that claims and queues them, the settings and the mutes.

The scan runs every hour (upr_portal/celery.py) and from ``manage.py send_reminders``. For each
deadline and person it works out the one reminder due now (the *current occurrence*) and claims it
with a ReminderClaim row; the unique constraint on the claim, not a lock or a flag, is what makes two
scans, two workers or a retried task queue each reminder once. Days are Geneva days throughout.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coalitions.models import Coalition, Membership, Role
from deadlines import selectors
from deadlines.models import CoalitionReminderSettings, ReminderClaim, ReminderMute, validate_offsets
from deadlines.providers import Deadline, all_providers, get_provider
from deadlines.selectors import (
    DEFAULT_SCHEDULE,
    DIGEST_AHEAD_DAYS,
    OVERDUE_HORIZON_DAYS,
    ReminderSchedule,
    digest_items,
)
from notifications.services import email_queue, notification_create
from upr_portal.timezones import geneva_today

REMINDER_EMAIL = "deadlines.reminder"
DIGEST_EMAIL = "deadlines.digest"
# The name people mute the weekly digest with, next to the providers' names.
DIGEST_MUTE = "digest"

Kind = ReminderClaim.Kind


@dataclass
class ScanReport:
    queued_message_ids: list[int] = field(default_factory=list)
    # Due now, but claimed before (by an earlier scan, or by one running at the same time).
    already_claimed: int = 0

    @property
    def queued(self) -> int:
        return len(self.queued_message_ids)


@dataclass(frozen=True, slots=True)
class Occurrence:
    kind: str
    # The claim's occurrence: the deadline's Geneva date and which reminder of it.
    name: str
    # Geneva days from today to the deadline's day; negative once passed.
    days_left: int


def current_occurrence(*, deadline: Deadline, schedule: ReminderSchedule, now: datetime.datetime) -> Occurrence | None:
    """The one reminder of this deadline due at ``now``, or None.

    While the deadline is ahead it is the latest reminder day (the deadline's Geneva day minus an
    offset) that has come: earlier ones that no scan sent (the beat was down for days) are
    superseded by it, so a late scan sends one reminder, not a burst. Once passed, a deadline that is
    reminded daily gets today's overdue reminder, for OVERDUE_HORIZON_DAYS days. Dates are compared
    as Geneva calendar days, never as 24-hour spans, so a daylight-saving change moves nothing.
    """
    today = geneva_today(now)
    day = deadline.day
    days_left = (day - today).days
    ahead = today <= day if deadline.is_all_day else now < deadline.moment
    if ahead:
        come = [offset for offset in schedule.offsets if offset >= days_left]
        if not come:
            return None
        return Occurrence(Kind.BEFORE, f"{day.isoformat()}/{min(come)}", days_left)
    if deadline.remind_overdue and schedule.remind_overdue and -days_left <= OVERDUE_HORIZON_DAYS:
        return Occurrence(Kind.OVERDUE, f"{day.isoformat()}/overdue/{today.isoformat()}", days_left)
    return None


def iso_week(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def digest_key(coalition_id: int) -> str:
    return f"coalition-{coalition_id}-digest"


def reminder_headline(*, title: str, days_left: int, overdue: bool = False) -> str:
    """The reminder's headline in the active language: "<what>: in 7 days", "tomorrow", "2 days late"."""
    # One whole sentence per case (the msgids of templates/emails/deadlines/reminder/subject.txt).
    if overdue and days_left == 0:
        return _("%(title)s: passed today") % {"title": title}
    if days_left > 1:
        return ngettext("%(title)s: in %(days)s day", "%(title)s: in %(days)s days", days_left) % {
            "title": title,
            "days": days_left,
        }
    if days_left == 1:
        return _("%(title)s: tomorrow") % {"title": title}
    if days_left == 0:
        return _("%(title)s: today") % {"title": title}
    return ngettext("%(title)s: %(days)s day late", "%(title)s: %(days)s days late", -days_left) % {
        "title": title,
        "days": -days_left,
    }


@dataclass
class _Due:
    """One reminder due now: a deadline (as seen from the first of the person's coalitions), a person."""

    deadline: Deadline
    user: object
    occurrence: Occurrence


def reminders_scan(*, now: datetime.datetime | None = None) -> ScanReport:
    """Claims and queues every reminder and weekly digest due at ``now``.

    Reads in a constant number of queries however many deadlines and people; then each reminder is
    claimed, queued (outbox) and put under the person's bell in its own transaction, so a scan that
    dies midway keeps what it finished and the next scan completes the rest.
    """
    now = now or timezone.now()
    today = geneva_today(now)
    schedules = selectors.reminder_schedules()
    furthest = max([DIGEST_AHEAD_DAYS, *DEFAULT_SCHEDULE.offsets, *(o for s in schedules.values() for o in s.offsets)])
    deadlines = selectors.deadlines_to_remind(
        start=today - datetime.timedelta(days=OVERDUE_HORIZON_DAYS), end=today + datetime.timedelta(days=furthest)
    )
    coalition_ids = {d.coalition.pk for d in deadlines}
    memberships = list(
        Membership.objects.filter(is_active=True, user__is_active=True)
        .exclude(user__email="")
        .filter(Q(coalition_id__in=coalition_ids) | Q(role=Role.COORDINATOR))
        .select_related("user")
        .order_by("user__email", "pk")
    )
    members = defaultdict(list)
    coordinators = defaultdict(list)
    for membership in memberships:
        members[membership.coalition_id].append(membership.user)
        if membership.role == Role.COORDINATOR:
            coordinators[membership.coalition_id].append(membership.user)
    mutes = defaultdict(set)
    for user_id, provider in ReminderMute.objects.filter(user_id__in={m.user_id for m in memberships}).values_list(
        "user_id", "provider"
    ):
        mutes[user_id].add(provider)

    due = _reminders_due(deadlines=deadlines, members=members, mutes=mutes, schedules=schedules, now=now)
    claimed = set(
        ReminderClaim.objects.filter(
            deadline_key__in={d.deadline.key for d in due}, occurrence__in={d.occurrence.name for d in due}
        ).values_list("deadline_key", "user_id", "kind", "occurrence")
    )
    report = ScanReport()
    for item in due:
        if (item.deadline.key, item.user.pk, item.occurrence.kind, item.occurrence.name) in claimed:
            report.already_claimed += 1
            continue
        message_id = _reminder_claim(item, today=today)
        if message_id is None:
            report.already_claimed += 1
        else:
            report.queued_message_ids.append(message_id)
    _digests_scan(
        report=report, today=today, deadlines=deadlines, coordinators=coordinators, mutes=mutes, schedules=schedules
    )
    return report


def _reminders_due(*, deadlines, members, mutes, schedules, now) -> list[_Due]:
    # One reminder per deadline and person, however many of their coalitions share the deadline (the
    # claim has no coalition in it): the first coalition speaks, with every coalition's reminder days.
    found: dict[tuple[str, int], tuple[Deadline, object, ReminderSchedule]] = {}
    for deadline in deadlines:
        schedule = schedules.get(deadline.coalition.pk, DEFAULT_SCHEDULE)
        for user in members.get(deadline.coalition.pk, []):
            if not deadline.concerns(user.pk):
                continue
            if deadline.mutable and deadline.provider in mutes.get(user.pk, ()):
                continue
            key = (deadline.key, user.pk)
            if key in found:
                first, _user, merged = found[key]
                found[key] = (first, user, merged.merged(schedule))
            else:
                found[key] = (deadline, user, schedule)
    due = []
    for deadline, user, schedule in found.values():
        occurrence = current_occurrence(deadline=deadline, schedule=schedule, now=now)
        if occurrence is not None:
            due.append(_Due(deadline=deadline, user=user, occurrence=occurrence))
    return due


def _reminder_claim(item: _Due, *, today: datetime.date) -> int | None:
    """Claims one reminder and queues its email and notification; None when it was claimed first."""
    deadline, user, occurrence = item.deadline, item.user, item.occurrence
    with translation.override(user.language or None):
        title = str(deadline.title)[:300]
        headline = reminder_headline(
            title=title, days_left=occurrence.days_left, overdue=occurrence.kind == Kind.OVERDUE
        )
    try:
        # The claim, its email and its notification commit together or not at all. A concurrent scan's
        # insert of the same claim waits on the unique index, then fails here: it is counted, not sent.
        with transaction.atomic():
            claim = ReminderClaim.objects.create(
                deadline_key=deadline.key,
                user=user,
                kind=occurrence.kind,
                occurrence=occurrence.name,
                coalition=deadline.coalition,
                provider=deadline.provider,
                review=deadline.review,
                title=title,
                due_at=deadline.moment,
                due_all_day=deadline.is_all_day,
                as_of=today,
                days_left=occurrence.days_left,
                url=deadline.url,
            )
            message = email_queue(
                kind=REMINDER_EMAIL,
                to_email=user.email,
                recipient=user,
                context={"claim": claim.pk},
                coalition_id=deadline.coalition.pk,
            )
            ReminderClaim.objects.filter(pk=claim.pk).update(message=message)
            notification_create(
                user=user, kind=REMINDER_EMAIL, title=headline, url=deadline.url, coalition_id=deadline.coalition.pk
            )
    except IntegrityError:
        return None
    return message.pk


def _digests_scan(*, report: ScanReport, today, deadlines, coordinators, mutes, schedules) -> None:
    """Each coalition's coordinators get one digest per ISO week (Geneva), from the first scan of it.

    A week with nothing due or late is claimed too, without an email, so the digest stays a Monday
    letter rather than arriving midweek when something first becomes due.
    """
    week = iso_week(today)
    digest_ids = [cid for cid in coordinators if schedules.get(cid, DEFAULT_SCHEDULE).send_digest]
    if not digest_ids:
        return
    claimed = set(
        ReminderClaim.objects.filter(kind=Kind.DIGEST, occurrence__startswith=f"{week}/").values_list(
            "deadline_key", "user_id"
        )
    )
    coalitions = Coalition.objects.in_bulk(digest_ids)
    by_coalition = defaultdict(list)
    for deadline in deadlines:
        by_coalition[deadline.coalition.pk].append(deadline)
    for coalition_id in sorted(digest_ids):
        items = digest_items(deadlines=by_coalition.get(coalition_id, []), today=today)
        for user in coordinators[coalition_id]:
            if DIGEST_MUTE in mutes.get(user.pk, ()):
                continue
            if (digest_key(coalition_id), user.pk) in claimed:
                report.already_claimed += 1
                continue
            message_id = _digest_claim(
                coalition=coalitions[coalition_id],
                user=user,
                occurrence=f"{week}/coalition-{coalition_id}",
                has_items=bool(items),
                today=today,
            )
            if message_id is None:
                report.already_claimed += 1
            elif message_id:
                report.queued_message_ids.append(message_id)


def _digest_claim(*, coalition: Coalition, user, occurrence: str, has_items: bool, today: datetime.date) -> int | None:
    """Claims one week's digest; its message id, 0 for an empty week (claimed, not sent), None if taken."""
    with translation.override(user.language or None):
        title = _("This week's deadlines of %(coalition)s") % {"coalition": coalition.name}
    try:
        with transaction.atomic():
            claim = ReminderClaim.objects.create(
                deadline_key=digest_key(coalition.pk),
                user=user,
                kind=Kind.DIGEST,
                occurrence=occurrence,
                coalition=coalition,
                title=title[:300],
                as_of=today,
            )
            if not has_items:
                return 0
            message = email_queue(
                kind=DIGEST_EMAIL,
                to_email=user.email,
                recipient=user,
                context={"claim": claim.pk},
                coalition_id=coalition.pk,
            )
            ReminderClaim.objects.filter(pk=claim.pk).update(message=message)
    except IntegrityError:
        return None
    return message.pk


def reminder_settings_update(
    *, coalition: Coalition, offsets: list[int], remind_overdue: bool, send_digest: bool
) -> CoalitionReminderSettings:
    """Saves when the coalition's members are reminded (one row); the days are kept largest first.

    Raises ValidationError for days the schedule cannot hold. The next hourly scan uses them.
    """
    offsets = sorted(set(offsets), reverse=True)
    validate_offsets(offsets)
    settings, _created = CoalitionReminderSettings.objects.update_or_create(
        coalition=coalition,
        defaults={"offsets": offsets, "remind_overdue": remind_overdue, "send_digest": send_digest},
    )
    return settings


class NotMutable(ValueError):
    """The reminders of this source cannot be muted (the UN deadline)."""


def mutable_sources() -> list[tuple[str, str]]:
    """What a person may mute: (name, label) of each mutable provider, and the weekly digest."""
    sources = [(p.name, str(p.label)) for p in all_providers() if p.mutable]
    return [*sources, (DIGEST_MUTE, _("The weekly digest for coordinators"))]


def reminder_mutes_set(*, user, muted: set[str]) -> set[str]:
    """Mutes exactly these sources for the person (unmuting the others); refuses the UN calendar."""
    allowed = {name for name, _label in mutable_sources()}
    for name in muted - allowed:
        provider = get_provider(name)
        if provider is not None and not provider.mutable:
            raise NotMutable(name)
        raise ValueError(f"No reminders named {name!r} to mute.")
    with transaction.atomic():
        ReminderMute.objects.filter(user=user).exclude(provider__in=muted).delete()
        existing = set(ReminderMute.objects.filter(user=user).values_list("provider", flat=True))
        ReminderMute.objects.bulk_create([ReminderMute(user=user, provider=name) for name in muted - existing])
    return muted
