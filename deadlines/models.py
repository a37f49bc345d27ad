"""What the deadline scan and the calendar feeds keep: claims of reminders, settings, feed secrets."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from coalitions.models import Coalition
from reviews.models import Review


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret address of a person's iCalendar feed; regenerating it makes the old one answer 404."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("person")
    )
    token = models.CharField(_("secret"), max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    regenerated_at = models.DateTimeField(_("regenerated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)


DEFAULT_OFFSETS = [30, 14, 7, 3, 1]
MAX_OFFSET_DAYS = 365
MAX_OFFSETS = 10


def default_offsets() -> list[int]:
    return list(DEFAULT_OFFSETS)


def validate_offsets(value) -> None:
    """A reminder schedule: up to ten whole numbers of days before a deadline, 0 (the day itself) to 365."""
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Give at least one number of days before the deadline."), code="empty")
    if len(value) > MAX_OFFSETS:
        raise ValidationError(_("Give at most %(count)s reminder days.") % {"count": MAX_OFFSETS}, code="too_many")
    for days in value:
        if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_OFFSET_DAYS:
            raise ValidationError(
                _("%(value)s is not a number of days between 0 (the day itself) and %(max)s.")
                % {"value": days, "max": MAX_OFFSET_DAYS},
                code="out_of_range",
            )
    if len(set(value)) != len(value):
        raise ValidationError(_("Give each number of days once."), code="repeated")


class CoalitionReminderSettings(models.Model):
    """When a coalition's members are reminded of its deadlines; a coalition without a row uses the defaults."""

    coalition = models.OneToOneField(
        Coalition, on_delete=models.CASCADE, related_name="reminder_settings", verbose_name=_("coalition")
    )
    # Days before each deadline, largest first (the service sorts them).
    offsets = models.JSONField(_("days before a deadline"), default=default_offsets, validators=[validate_offsets])
    remind_overdue = models.BooleanField(
        _("remind daily once a deadline has passed"),
        default=True,
        help_text=_("For the coalition's own deadlines; the UN closes its window at the deadline."),
    )
    send_digest = models.BooleanField(
        _("weekly digest for coordinators"),
        default=True,
        help_text=_("Every Monday, what is due in the next two weeks or late, by email to each coordinator."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")

    def __str__(self):
        return str(self.coalition)


class ReminderClaim(models.Model):
    """One reminder (or digest) to one person, claimed once.

    The unique constraint is the claim: the row is inserted before its outbox message, in the same
    transaction, so two scans, two workers or a retried task cannot both queue it. The occurrence
    holds the deadline's Geneva date, so a deadline that moves gets its reminders again for the new
    date. What the email says is kept here, in the person's language, as it was when claimed.
    """

    class Kind(models.TextChoices):
        BEFORE = "before", _("Before the deadline")
        OVERDUE = "overdue", _("Overdue")
        DIGEST = "digest", _("Weekly digest")

    deadline_key = models.CharField(_("deadline"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_claims", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # "2027-03-31/7" (7 days before a deadline on 31 March), "2027-03-31/overdue/2027-04-02",
    # "2026-W49/coalition-3" (a digest).
    occurrence = models.CharField(_("occurrence"), max_length=100)
    coalition = models.ForeignKey(
        Coalition, on_delete=models.CASCADE, related_name="reminder_claims", verbose_name=_("coalition")
    )
    provider = models.CharField(_("source"), max_length=60, blank=True)
    review = models.ForeignKey(
        Review, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("review")
    )
    title = models.CharField(_("title"), max_length=300)
    due_at = models.DateTimeField(_("deadline"), null=True, blank=True)
    due_all_day = models.BooleanField(_("all-day deadline"), default=False)
    # The Geneva day of the scan that claimed it, and the days from it to the deadline's (negative once
    # passed): the email says what was true that day, even when it goes out after midnight.
    as_of = models.DateField(_("as of"))
    days_left = models.SmallIntegerField(_("days left"), null=True, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    message = models.ForeignKey(
        "notifications.OutboxMessage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("email"),
    )
    created_at = models.DateTimeField(_("claimed at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline_key", "user", "kind", "occurrence"],
                name="deadlines_reminder_claimed_once",
                violation_error_message=_("This reminder has already been sent."),
            ),
        ]

    def __str__(self):
        return f"{self.title} → {self.user} ({self.occurrence})"


class ReminderMute(models.Model):
    """A person's choice not to receive one source's optional reminders (never the UN's)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_mutes", verbose_name=_("person")
    )
    # A provider's name (deadlines.providers) or "digest".
    provider = models.CharField(_("reminders muted"), max_length=60)
    created_at = models.DateTimeField(_("muted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("muted reminders")
        verbose_name_plural = _("muted reminders")
        constraints = [
            models.UniqueConstraint(fields=["user", "provider"], name="deadlines_reminder_mute_unique"),
        ]

    def __str__(self):
        return f"{self.user}: {self.provider}"
