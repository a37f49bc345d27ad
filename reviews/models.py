"""The UPR calendar: States, cycles, Working Group sessions, reviews and their milestones, limits.

Everything here is data an admin can edit; the reference values come from reviews/data/ through
``manage.py load_reference_data``.
"""

import datetime

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import RegexValidator
from django.db import connection, models
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Collate, NullIf
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from reviews.validators import validate_iso3166_alpha3
from upr_portal.db import FieldCheckConstraint, TimeStampedModel

# GENEVA stays importable from here for older callers; its home is upr_portal.timezones.
from upr_portal.timezones import GENEVA, geneva_today
from upr_portal.validators import validate_no_control_characters

# The time of day of a deadline in the 4th cycle; earlier cycles used noon. Each session stores its own.
# The State's name field for each language the portal speaks besides English.
LOCAL_NAME_FIELDS = {"fr": "name_fr", "es": "name_es"}
# Every field holding a UN short name of the State: English (the fallback), then the others.
NAME_FIELDS = ("name", *LOCAL_NAME_FIELDS.values())


def local_name_field(language: str | None = None) -> str:
    """The State field holding the UN short name in the language (the active one by default)."""
    language = (language or translation.get_language() or "").split("-")[0]
    return LOCAL_NAME_FIELDS.get(language, "name")


def local_name_expression(prefix: str = ""):
    """The State's name in the active language as an expression, the English one where it is empty:
    ``.values(state_local_name=local_name_expression("state__"))``."""
    field = local_name_field()
    if field == "name":
        return F(f"{prefix}name")
    return Coalesce(NullIf(F(f"{prefix}{field}"), models.Value("")), F(f"{prefix}name"))


# Names sorted as a reader expects ("Égypte" among the E, not after "Zimbabwe"): ICU's root collation
# on PostgreSQL (the databases are created with the byte order of C.UTF-8), and on SQLite a collation
# the reviews app registers on each connection (reviews/apps.py).
NAME_COLLATIONS = {"postgresql": "und-x-icu", "sqlite": "upr_names"}


def by_local_name(prefix: str = ""):
    """An order_by() expression sorting States by their name in the active language, e.g.
    ``reviews.order_by(by_local_name("state__"))``; the English name stands in where one is missing."""
    expression = local_name_expression(prefix)
    collation = NAME_COLLATIONS.get(connection.vendor)
    return (Collate(expression, collation) if collation else expression).asc()


DEFAULT_DEADLINE_TIME = datetime.time(23, 59)

# The milestones a session sets for its reviews: days on the session, the same names on the review.
SESSION_MILESTONES = (
    "submission_window_opens",
    "stakeholder_deadline",
    "national_report_deadline",
    "pre_session",
    "adoption_date",
    "mid_term_report_due",
)
# Every milestone a review stores, in the order of the calendar: the session's and the review's own day.
REVIEW_MILESTONES = (*SESSION_MILESTONES[:4], "review_date", *SESSION_MILESTONES[4:])
# Those the review stores as moments in time (the others are days).
REVIEW_MOMENTS = frozenset({"submission_window_opens", "stakeholder_deadline", "national_report_deadline"})


class RegionalGroup(models.Model):
    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("UN regional group")
        verbose_name_plural = _("UN regional groups")
        ordering = ["name"]

    def __str__(self):
        return self.local_name

    @property
    def local_name(self) -> str:
        """The group's UN name in the active language; the stored (English) name for a group added by hand."""
        return str(REGIONAL_GROUP_NAMES.get(self.code, self.name))


# The five UN regional groups (reviews/data/regional-groups.csv), named as the UN names them in each
# language: "Groupe des États d'Afrique", "Grupo de Estados de África"...
REGIONAL_GROUP_NAMES = {
    "african": _("African Group"),
    "asia-pacific": _("Asia-Pacific Group"),
    "eeg": _("Eastern European Group"),
    "grulac": _("Latin American and Caribbean Group (GRULAC)"),
    "weog": _("Western European and Others Group (WEOG)"),
}


class State(TimeStampedModel):
    class Status(models.TextChoices):
        MEMBER = "member", _("UN member State")
        OBSERVER = "observer", _("Observer State")

    code = models.CharField(
        _("ISO 3166-1 alpha-3 code"),
        max_length=3,
        unique=True,
        validators=[
            RegexValidator(r"^[A-Z]{3}$", _("Enter three capital letters, for example KEN.")),
            validate_iso3166_alpha3,
        ],
    )
    name = models.CharField(_("UN short name"), max_length=100, unique=True)
    # The UN short names in the other languages the portal speaks (reviews/data/state-names.csv); the
    # English one stands in where one is missing.
    name_fr = models.CharField(_("UN short name in French"), max_length=100, blank=True)
    name_es = models.CharField(_("UN short name in Spanish"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.MEMBER)
    regional_groups = models.ManyToManyField(
        RegionalGroup,
        through="RegionalGroupMembership",
        related_name="states",
        verbose_name=_("UN regional groups"),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("State")
        verbose_name_plural = _("States")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[A-Z]{3}$"), name="reviews_state_code_alpha3"),
        ]

    def __str__(self):
        return self.local_name

    @property
    def local_name(self) -> str:
        """The UN short name in the active language (that of the page, the email or the document)."""
        return getattr(self, local_name_field()) or self.name

    @property
    def is_reviewed(self) -> bool:
        """Observer States make recommendations but are not themselves reviewed."""
        return self.status == self.Status.MEMBER


class RegionalGroupMembership(models.Model):
    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="group_memberships")
    group = models.ForeignKey(RegionalGroup, on_delete=models.PROTECT, related_name="memberships")
    # The USA takes part in WEOG as an observer and is counted in it for electoral purposes.
    is_observer = models.BooleanField(_("observer in this group"), default=False)

    class Meta:
        verbose_name = _("regional group membership")
        verbose_name_plural = _("regional group memberships")
        constraints = [
            models.UniqueConstraint(fields=["state", "group"], name="reviews_group_membership_unique"),
        ]

    def __str__(self):
        return f"{self.state} – {self.group}"


class Cycle(TimeStampedModel):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)

    class Meta:
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1), name="reviews_cycle_number_positive"),
            FieldCheckConstraint(
                field="end_year",
                condition=Q(end_year__isnull=True) | Q(end_year__gte=F("start_year")),
                name="reviews_cycle_years_ordered",
                violation_error_message=_("The last year of a cycle cannot come before its first year."),
            ),
        ]

    def __str__(self):
        return _("Cycle %(number)s") % {"number": self.number}


def _working_group_not_closed(today: datetime.date | None, *, prefix: str = "") -> Q:
    """The one rule for "upcoming": the Working Group has not closed by today in Geneva, or its dates
    are not known yet."""
    today = today or geneva_today()
    return Q(**{f"{prefix}wg_end__gte": today}) | Q(**{f"{prefix}wg_end__isnull": True})


class SessionQuerySet(models.QuerySet):
    def upcoming(self, *, today: datetime.date | None = None):
        return self.filter(_working_group_not_closed(today))


class Session(TimeStampedModel):
    number = models.PositiveSmallIntegerField(_("session number"), unique=True)
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("cycle"))
    wg_start = models.DateField(_("Working Group opens"), null=True, blank=True)
    wg_end = models.DateField(_("Working Group closes"), null=True, blank=True)
    hrc_session = models.PositiveSmallIntegerField(_("HRC session adopting the outcomes"), null=True, blank=True)
    dates_provisional = models.BooleanField(
        _("dates are provisional"),
        default=False,
        help_text=_("Tick while OHCHR has not confirmed the dates."),
    )
    deadline_time = models.TimeField(
        _("deadline time of day (Geneva)"),
        default=DEFAULT_DEADLINE_TIME,
        help_text=_("The time of day of this session's deadlines in Geneva time: 23:59 in cycle 4, 12:00 before."),
    )
    source = models.TextField(_("source"), blank=True)
    # The milestones of every review in the session (the UN sets them per session); a review whose
    # ``milestones_from_session`` is unticked keeps its own (a postponed State).
    submission_window_opens = models.DateField(_("submission window opens"), null=True, blank=True)
    stakeholder_deadline = models.DateField(
        _("stakeholder submission deadline"),
        null=True,
        blank=True,
        help_text=_("At the session's deadline time of day, Geneva time."),
    )
    national_report_deadline = models.DateField(
        _("national report deadline"),
        null=True,
        blank=True,
        help_text=_("At the session's deadline time of day, Geneva time."),
    )
    pre_session = models.DateField(_("pre-session"), null=True, blank=True)
    adoption_date = models.DateField(_("adoption at the Human Rights Council"), null=True, blank=True)
    mid_term_report_due = models.DateField(_("mid-term report due"), null=True, blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Working Group session")
        verbose_name_plural = _("Working Group sessions")
        ordering = ["number"]
        # Each milestone in its place around the Working Group, the message on the milestone that is out
        # of place. Overlapping sessions and a session outside its cycle's years span rows: clean().
        constraints = [
            FieldCheckConstraint(
                field="wg_end",
                condition=Q(wg_start__isnull=True, wg_end__isnull=True)
                | Q(wg_start__isnull=False, wg_end__isnull=False, wg_end__gte=F("wg_start")),
                name="reviews_session_dates_ordered",
                violation_error_message=_(
                    "Give both the opening and closing dates of the Working Group, the closing date "
                    "on or after the opening date, or leave both empty."
                ),
            ),
            FieldCheckConstraint(
                field="submission_window_opens",
                condition=Q(submission_window_opens__isnull=True)
                | Q(stakeholder_deadline__isnull=True)
                | Q(submission_window_opens__lt=F("stakeholder_deadline")),
                name="reviews_session_window_before_deadline",
                violation_error_message=_("The submission window must open before the stakeholder deadline."),
            ),
            FieldCheckConstraint(
                field="submission_window_opens",
                condition=Q(submission_window_opens__isnull=True)
                | Q(wg_start__isnull=True)
                | Q(submission_window_opens__lt=F("wg_start")),
                name="reviews_session_window_before_wg",
                violation_error_message=_("The submission window must open before the Working Group opens."),
            ),
            FieldCheckConstraint(
                field="stakeholder_deadline",
                condition=Q(stakeholder_deadline__isnull=True)
                | Q(national_report_deadline__isnull=True)
                | Q(stakeholder_deadline__lt=F("national_report_deadline")),
                name="reviews_session_stakeholder_before_national",
                violation_error_message=_("The stakeholder deadline must come before the national report deadline."),
            ),
            FieldCheckConstraint(
                field="stakeholder_deadline",
                condition=Q(stakeholder_deadline__isnull=True)
                | Q(wg_start__isnull=True)
                | Q(stakeholder_deadline__lt=F("wg_start")),
                name="reviews_session_stakeholder_before_wg",
                violation_error_message=_("The stakeholder deadline must come before the Working Group opens."),
            ),
            FieldCheckConstraint(
                field="national_report_deadline",
                condition=Q(national_report_deadline__isnull=True)
                | Q(pre_session__isnull=True)
                | Q(national_report_deadline__lt=F("pre_session")),
                name="reviews_session_national_before_presession",
                violation_error_message=_("The national report deadline must come before the pre-session."),
            ),
            FieldCheckConstraint(
                field="national_report_deadline",
                condition=Q(national_report_deadline__isnull=True)
                | Q(wg_start__isnull=True)
                | Q(national_report_deadline__lt=F("wg_start")),
                name="reviews_session_national_before_wg",
                violation_error_message=_("The national report deadline must come before the Working Group opens."),
            ),
            FieldCheckConstraint(
                field="pre_session",
                condition=Q(pre_session__isnull=True) | Q(wg_start__isnull=True) | Q(pre_session__lt=F("wg_start")),
                name="reviews_session_presession_before_wg",
                violation_error_message=_("The pre-session must come before the Working Group opens."),
            ),
            FieldCheckConstraint(
                field="adoption_date",
                condition=Q(wg_end__isnull=True) | Q(adoption_date__isnull=True) | Q(wg_end__lt=F("adoption_date")),
                name="reviews_session_adoption_after_wg",
                violation_error_message=_("The adoption must come after the Working Group closes."),
            ),
            FieldCheckConstraint(
                field="mid_term_report_due",
                condition=Q(adoption_date__isnull=True)
                | Q(mid_term_report_due__isnull=True)
                | Q(adoption_date__lt=F("mid_term_report_due")),
                name="reviews_session_midterm_after_adoption",
                violation_error_message=_("The mid-term report must be due after the adoption."),
            ),
            FieldCheckConstraint(
                field="mid_term_report_due",
                condition=Q(wg_end__isnull=True)
                | Q(mid_term_report_due__isnull=True)
                | Q(wg_end__lt=F("mid_term_report_due")),
                name="reviews_session_midterm_after_wg",
                violation_error_message=_("The mid-term report must be due after the Working Group closes."),
            ),
        ]

    def __str__(self):
        return _("Session %(number)s") % {"number": self.number}

    def clean(self):
        """Rules that span rows: the session lies within its cycle's years and overlaps no other session."""
        super().clean()
        errors = {}
        cycle = self.cycle if self.cycle_id else None
        if cycle is not None:
            for name in ("wg_start", "wg_end"):
                day = getattr(self, name)
                if day is None:
                    continue
                if cycle.end_year is None and day.year < cycle.start_year:
                    errors[name] = _("Cycle %(cycle)s starts in %(first)s: the session cannot fall in %(year)s.") % {
                        "cycle": cycle.number,
                        "first": cycle.start_year,
                        "year": day.year,
                    }
                elif cycle.end_year is not None and not cycle.start_year <= day.year <= cycle.end_year:
                    errors[name] = _(
                        "Cycle %(cycle)s runs from %(first)s to %(last)s: the session cannot fall in %(year)s."
                    ) % {"cycle": cycle.number, "first": cycle.start_year, "last": cycle.end_year, "year": day.year}
        if self.wg_start and self.wg_end and self.wg_start <= self.wg_end:
            other = (
                Session.objects.filter(wg_start__lte=self.wg_end, wg_end__gte=self.wg_start)
                .exclude(pk=self.pk)
                .order_by("wg_start", "number")
                .first()
            )
            if other is not None:
                errors.setdefault(
                    "wg_start",
                    _("These dates overlap session %(number)s, from %(start)s to %(end)s.")
                    % {"number": other.number, "start": other.wg_start.isoformat(), "end": other.wg_end.isoformat()},
                )
        if not errors:
            for name, message in self._following_reviews_refusing():
                errors.setdefault(name, []).append(message)
        if errors:
            raise ValidationError(errors)

    def _following_reviews_refusing(self) -> list[tuple[str, str]]:
        """(field, message) for each review that follows this session and would break a rule of the
        calendar with the session's new dates and milestones (its own review day, a milestone the session
        leaves to it): refused here, on the session's field, naming the State, rather than by the
        database when the milestones are applied."""
        if self.pk is None:
            return []
        refusals = []
        for review in self.reviews.filter(milestones_from_session=True).select_related("state"):
            for name, value in self.review_milestones(status=review.status).items():
                setattr(review, name, value)
            review.session = self
            try:
                review.clean()
                review.validate_constraints()
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    for message in messages:
                        refusals.append(
                            (
                                field if field in SESSION_MILESTONES else NON_FIELD_ERRORS,
                                _("%(state)s's review: %(message)s") % {"state": review.state, "message": message},
                            )
                        )
        return refusals

    def review_milestones(self, *, status: str | None = None) -> dict[str, datetime.date | datetime.datetime | None]:
        """The milestones this session sets for a review that follows it, as the review stores them: the
        one rule of what a following review gets (the admin's review form and ``apply_milestones``).

        Only the milestones the session has: one it leaves empty does not empty its reviews'. Deadlines
        fall at the session's time of day in Geneva; the submission window opens at midnight there. A
        review whose stakeholder submissions OHCHR suspended (``status``) gets no stakeholder deadline.
        """
        values = {}
        for name in SESSION_MILESTONES:
            day = getattr(self, name)
            if day is None:
                continue
            if name in REVIEW_MOMENTS:
                at = datetime.time(0, 0) if name == "submission_window_opens" else self.deadline_time
                day = datetime.datetime.combine(day, at, tzinfo=GENEVA)
            values[name] = day
        if values and status == ReviewStatus.SUBMISSIONS_SUSPENDED:
            values["stakeholder_deadline"] = None
        return values

    def apply_milestones(self) -> int:
        """Give the session's milestones to every review that follows it; returns how many reviews.

        A review whose stakeholder submissions OHCHR suspended keeps no stakeholder deadline.
        """
        if not self.review_milestones():
            return 0
        following = self.reviews.filter(milestones_from_session=True)
        now = timezone.now()
        suspended = ReviewStatus.SUBMISSIONS_SUSPENDED
        changed = following.exclude(status=suspended).update(**self.review_milestones(), updated_at=now)
        changed += following.filter(status=suspended).update(**self.review_milestones(status=suspended), updated_at=now)
        return changed


class ReviewStatus(models.TextChoices):
    """Where a review stands; single reviews move (the USA in 2025) or lose their stakeholder window."""

    SCHEDULED = "scheduled", _("Scheduled")
    POSTPONED = "postponed", _("Postponed")
    SUBMISSIONS_SUSPENDED = "submissions_suspended", _("Submissions suspended")
    HELD = "held", _("Held")
    OUTCOME_ADOPTED = "outcome_adopted", _("Outcome adopted")


class ReviewQuerySet(models.QuerySet):
    def upcoming(self, *, today: datetime.date | None = None):
        """Reviews whose Working Group session has not closed, or whose dates are not known yet."""
        return self.filter(_working_group_not_closed(today, prefix="session__"))

    def past(self, *, today: datetime.date | None = None):
        """Reviews whose Working Group session has closed: the rest of ``upcoming``."""
        return self.exclude(_working_group_not_closed(today, prefix="session__"))

    def in_date_order(self):
        """The one order of review lists: by the session's opening (undated sessions last), then session
        number, then stakeholder deadline (unknown last), then State name. The session's dates lead, so
        that a review without a deadline (submissions suspended) stays with its session."""
        return self.order_by(
            F("session__wg_start").asc(nulls_last=True),
            "session__number",
            F("stakeholder_deadline").asc(nulls_last=True),
            "state__name",
        )


class Review(TimeStampedModel):
    """One State reviewed in one Working Group session, with the milestones around it.

    Deadlines are moments (aware datetimes, set in Geneva time); the other milestones are days.
    """

    Status = ReviewStatus

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("State"))
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("session"))
    status = models.CharField(
        _("status"),
        max_length=30,
        choices=Status.choices,
        default=Status.SCHEDULED,
        help_text=_("Say in the note where a postponement or a suspension comes from."),
    )
    submission_window_opens = models.DateTimeField(_("submission window opens"), null=True, blank=True)
    stakeholder_deadline = models.DateTimeField(_("stakeholder submission deadline"), null=True, blank=True)
    national_report_deadline = models.DateTimeField(_("national report deadline"), null=True, blank=True)
    pre_session = models.DateField(_("pre-session"), null=True, blank=True)
    review_date = models.DateField(_("review in the Working Group"), null=True, blank=True)
    adoption_date = models.DateField(_("adoption at the Human Rights Council"), null=True, blank=True)
    mid_term_report_due = models.DateField(_("mid-term report due"), null=True, blank=True)
    milestones_from_session = models.BooleanField(
        _("milestones from the session"),
        default=True,
        help_text=_(
            "The review takes its session's milestones. Untick when the UN set this review its own dates "
            "(a postponed State)."
        ),
    )
    order = models.PositiveSmallIntegerField(
        _("order in the session"),
        null=True,
        blank=True,
        help_text=_("The State's place in its session's order of review (HRC decision 17/119)."),
    )
    rescheduled_from = models.ForeignKey(
        Session,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rescheduled from"),
        help_text=_("The session the review was moved from, when it was moved."),
    )
    rescheduled_at = models.DateTimeField(_("rescheduled at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["session__number", F("order").asc(nulls_last=True), "state__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["state", "session"],
                name="reviews_review_state_session_unique",
                # validate_constraints() puts it on the State field, naming the State.
                violation_error_code="duplicate_review",
                violation_error_message=_("This State is already reviewed in this session."),
            ),
            models.UniqueConstraint(
                fields=["session", "order"],
                condition=Q(order__isnull=False),
                name="reviews_review_session_order_unique",
                violation_error_message=_("Another State already has this place in the session's order."),
            ),
            models.CheckConstraint(condition=Q(status__in=ReviewStatus.values), name="reviews_review_status_valid"),
            FieldCheckConstraint(
                field="submission_window_opens",
                condition=Q(submission_window_opens__isnull=True)
                | Q(stakeholder_deadline__isnull=True)
                | Q(submission_window_opens__lt=F("stakeholder_deadline")),
                name="reviews_review_window_before_deadline",
                violation_error_message=_("The submission window must open before the stakeholder deadline."),
            ),
            FieldCheckConstraint(
                field="stakeholder_deadline",
                condition=Q(stakeholder_deadline__isnull=True)
                | Q(national_report_deadline__isnull=True)
                | Q(stakeholder_deadline__lt=F("national_report_deadline")),
                name="reviews_review_stakeholder_before_national",
                violation_error_message=_("The stakeholder deadline must come before the national report deadline."),
            ),
            FieldCheckConstraint(
                field="pre_session",
                condition=Q(pre_session__isnull=True)
                | Q(review_date__isnull=True)
                | Q(pre_session__lt=F("review_date")),
                name="reviews_review_presession_before_review",
                violation_error_message=_("The pre-session must come before the review."),
            ),
            FieldCheckConstraint(
                field="adoption_date",
                condition=Q(review_date__isnull=True)
                | Q(adoption_date__isnull=True)
                | Q(review_date__lt=F("adoption_date")),
                name="reviews_review_review_before_adoption",
                violation_error_message=_("The adoption must come after the review."),
            ),
            FieldCheckConstraint(
                field="mid_term_report_due",
                condition=Q(adoption_date__isnull=True)
                | Q(mid_term_report_due__isnull=True)
                | Q(adoption_date__lt=F("mid_term_report_due")),
                name="reviews_review_adoption_before_midterm",
                violation_error_message=_("The mid-term report must be due after the adoption."),
            ),
        ]

    def __str__(self):
        # The review's one label, "State, session N", in templates, forms, messages and the admin.
        return _("%(state)s, session %(session)s") % {"state": self.state, "session": self.session.number}

    @property
    def dates_provisional(self) -> bool:
        """The review's dates hang on its session's, and OHCHR has not confirmed those yet."""
        return self.session.dates_provisional

    def clean(self):
        """Rules that span related rows, which a database constraint cannot express.

        One review per State per cycle is checked here and in ``reviews.services`` rather than by a
        constraint: the cycle lives on the session, and copying it onto the review would let the two
        drift apart.
        """
        super().clean()
        errors: dict[str, list] = {}
        state = self.state if self.state_id else None
        # A session's page validates its new reviews before the session is saved: the review holds the
        # unsaved session, without its id.
        session = self._state.fields_cache.get("session")
        if session is None or session.pk != self.session_id:
            session = self.session if self.session_id else None
        if state is not None and not state.is_reviewed:
            errors["state"] = [
                _("%(state)s is an observer State: observer States are not reviewed.") % {"state": state}
            ]
        if state is not None and session is not None:
            other = self.other_review_in_cycle(state=state, session=session)
            # A second review in the same session is the unique constraint's (validate_constraints()).
            if other is not None and other.session_id != session.pk:
                errors.setdefault("state", []).append(already_reviewed_message(state=state, session=other.session))
        if (
            session is not None
            and self.review_date
            and session.wg_start
            and session.wg_end
            and not session.wg_start <= self.review_date <= session.wg_end
        ):
            errors["review_date"] = [
                _("The review must take place during the Working Group session, between %(start)s and %(end)s.")
                % {"start": session.wg_start.isoformat(), "end": session.wg_end.isoformat()}
            ]
        if (
            self.national_report_deadline
            and self.pre_session
            and self.national_report_deadline.astimezone(GENEVA).date() >= self.pre_session
        ):
            errors.setdefault("national_report_deadline", []).append(
                _("The national report deadline must come before the pre-session.")
            )
        for name, message in self._deadlines_after_review(session):
            errors.setdefault(name, []).append(message)
        if errors:
            raise ValidationError(errors)

    def _deadlines_after_review(self, session):
        """(field, message) for each deadline that falls on or after the review in Geneva: the review's
        own day, or the opening of its Working Group when the day is not known."""
        if self.review_date is not None:
            day = self.review_date
            messages = {
                "stakeholder_deadline": _("The stakeholder deadline must come before the review (%(day)s)."),
                "national_report_deadline": _("The national report deadline must come before the review (%(day)s)."),
            }
        elif session is not None and session.wg_start is not None:
            day = session.wg_start
            messages = {
                "stakeholder_deadline": _(
                    "The stakeholder deadline must come before the Working Group opens (%(day)s)."
                ),
                "national_report_deadline": _(
                    "The national report deadline must come before the Working Group opens (%(day)s)."
                ),
            }
        else:
            return []
        return [
            (name, message % {"day": day.isoformat()})
            for name, message in messages.items()
            if getattr(self, name) is not None and getattr(self, name).astimezone(GENEVA).date() >= day
        ]

    def validate_constraints(self, exclude=None):
        """The database's constraints; a second review of the State in the session is reported on the
        State field, naming the State, like a second review in the cycle (clean())."""
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            errors = {}
            for name, messages in error.error_dict.items():
                for message in messages:
                    if message.code == "duplicate_review":
                        name, message = "state", already_reviewed_message(state=self.state, session=self.session)
                    errors.setdefault(name, []).append(message)
            raise ValidationError(errors) from None

    def other_review_in_cycle(self, *, state, session):
        """The State's review in another session of the same cycle, if there is one."""
        return (
            Review.objects.filter(state=state, session__cycle_id=session.cycle_id)
            .exclude(pk=self.pk)
            .select_related("session")
            .order_by("session__number")
            .first()
        )


def already_reviewed_message(*, state: State, session: Session) -> str:
    """The one message for a State reviewed twice in a cycle, naming the State and its session."""
    return _("%(state)s is already reviewed in session %(session)s of this cycle.") % {
        "state": state,
        "session": session.number,
    }


class DocumentLimit(TimeStampedModel):
    """How long one kind of document may be in one cycle (OHCHR technical guidelines)."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual stakeholder submission")
        JOINT = "joint", _("Joint stakeholder submission")
        NATIONAL = "national", _("National report")
        NHRI = "nhri", _("NHRI submission")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="limits", verbose_name=_("cycle"))
    kind = models.CharField(_("document kind"), max_length=20, choices=Kind.choices)
    max_words = models.PositiveIntegerField(_("maximum words"))
    max_pages = models.PositiveSmallIntegerField(_("maximum pages"), null=True, blank=True)
    notes_count = models.BooleanField(
        _("footnote words count toward the limit"),
        default=True,
        help_text=_("OHCHR's rules do not settle this; untick if notes are not counted."),
    )
    note = models.TextField(_("source and remarks"), blank=True)

    class Meta:
        verbose_name = _("document limit")
        verbose_name_plural = _("document limits")
        ordering = ["cycle__number", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "kind"],
                name="reviews_limit_cycle_kind_unique",
                violation_error_message=_("This cycle already has a limit for this kind of document."),
            ),
            models.CheckConstraint(
                condition=Q(max_words__gt=0),
                name="reviews_limit_words_positive",
                violation_error_message=_("The word limit must be more than zero."),
            ),
        ]

    def __str__(self):
        return _("%(kind)s, cycle %(cycle)s: %(words)s words") % {
            "kind": self.get_kind_display(),
            "cycle": self.cycle.number,
            "words": number_format(self.max_words, force_grouping=True),
        }


# The recommendations States make at a review, as the UN publishes them (issue 12).


class StateAlias(models.Model):
    """Another name a UN document uses for a State ("Turkey" for Türkiye, the long name of the
    United Kingdom): recommending States are matched through these and the State's own name."""

    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("State"))
    name = models.CharField(_("name"), max_length=200, unique=True, validators=[validate_no_control_characters])

    class Meta:
        verbose_name = _("other name of a State")
        verbose_name_plural = _("other names of States")
        ordering = ["name"]

    def __str__(self):
        return self.name


class IndexTerm(models.Model):
    """A term of the Universal Human Rights Index (UHRI) vocabulary: a theme, or a group of persons."""

    class Kind(models.TextChoices):
        THEME = "theme", _("Theme")
        PERSONS = "persons", _("Affected persons")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.THEME)
    name = models.CharField(_("name"), max_length=200, validators=[validate_no_control_characters])

    class Meta:
        verbose_name = _("UHRI term")
        verbose_name_plural = _("UHRI terms")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "name"],
                name="reviews_indexterm_kind_name_unique",
                violation_error_message=_("This term is already in the vocabulary."),
            )
        ]

    def __str__(self):
        return self.name


class RecommendationPosition(models.TextChoices):
    """The State under review's answer to a recommendation."""

    SUPPORTED = "supported", _("Supported")
    NOTED = "noted", _("Noted")
    PARTIALLY_SUPPORTED = "partially_supported", _("Partially supported")
    PENDING = "pending", _("Pending")


class UPRRecommendation(TimeStampedModel):
    """One recommendation made to the State under review, numbered by its paragraph of the Working
    Group report ("A/HRC/44/9, 140.7"). Imported from OHCHR's thematic list or UHRI's export."""

    Position = RecommendationPosition

    review = models.ForeignKey(
        Review, on_delete=models.PROTECT, related_name="recommendations", verbose_name=_("review")
    )
    report_symbol = models.CharField(
        _("Working Group report"),
        max_length=50,
        blank=True,
        validators=[validate_no_control_characters],
        help_text=_("The symbol of the Working Group report, for example A/HRC/44/9."),
    )
    paragraph = models.CharField(
        _("paragraph"),
        max_length=20,
        validators=[RegexValidator(r"^\d{1,4}\.\d{1,4}$", _("Enter a paragraph number such as 140.7."))],
    )
    # The paragraph as two numbers, so that 140.10 comes after 140.9.
    paragraph_major = models.PositiveIntegerField(editable=False, default=0)
    paragraph_minor = models.PositiveIntegerField(editable=False, default=0)
    text = models.TextField(_("text"), max_length=5000)
    recommending_states = models.ManyToManyField(
        State, blank=True, related_name="recommendations_made", verbose_name=_("recommending States")
    )
    # The recommending States as the source named them: what could not be matched stays visible.
    recommending_states_text = models.CharField(
        _("recommending States, as given"), max_length=1000, blank=True, validators=[validate_no_control_characters]
    )
    position = models.CharField(
        _("position"), max_length=20, choices=RecommendationPosition.choices, default=RecommendationPosition.PENDING
    )
    position_source = models.CharField(
        _("source of the position"), max_length=300, blank=True, validators=[validate_no_control_characters]
    )
    terms = models.ManyToManyField(
        IndexTerm, blank=True, related_name="recommendations", verbose_name=_("themes and persons")
    )
    sdgs = models.JSONField(_("Sustainable Development Goals"), default=list, blank=True)
    # A digest of what the import stores, to tell an unchanged row from an updated one.
    fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("UPR recommendation")
        verbose_name_plural = _("UPR recommendations")
        ordering = ["review", "paragraph_major", "paragraph_minor"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "paragraph"],
                name="reviews_recommendation_paragraph_unique",
                violation_error_message=_("This review already has a recommendation with this paragraph number."),
            )
        ]

    def __str__(self):
        return self.citation

    def save(self, *args, **kwargs):
        major, _dot, minor = self.paragraph.partition(".")
        self.paragraph_major = int(major) if major.isdigit() else 0
        self.paragraph_minor = int(minor) if minor.isdigit() else 0
        super().save(*args, **kwargs)

    @property
    def citation(self) -> str:
        """ "A/HRC/44/9, para. 140.7", or the paragraph alone when the report is not known."""
        if self.report_symbol:
            return _("%(report)s, para. %(paragraph)s") % {"report": self.report_symbol, "paragraph": self.paragraph}
        return _("para. %(paragraph)s") % {"paragraph": self.paragraph}


class RecommendationImport(models.Model):
    """One import of recommendations into a review: who, from which file, and what it changed."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="recommendation_imports")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    file_format = models.CharField(_("format"), max_length=20, blank=True)
    # The summary the command prints: recommendations, new, updated, unchanged, supported, noted, links, unresolved.
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("recommendations import")
        verbose_name_plural = _("recommendations imports")
        ordering = ["-imported_at", "-pk"]

    def __str__(self):
        return f"{self.review_id} {self.imported_at:%Y-%m-%d}"
