"""After the review: the implementation matrix, the lobbying log, factsheets, the pre-session
statement and the uptake of the coalition's recommendations.

Everything here belongs to one coalition (``coalition_id``, directly or through its submission), so
the access rules of coalitions/rules.py apply to it as to the rest of the coalition's work.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from upr_portal.db import TimeStampedModel
from upr_portal.validators import validate_no_control_characters


class ImplementationLevel(models.TextChoices):
    NOT_IMPLEMENTED = "not_implemented", _("Not implemented")
    PARTIALLY = "partially", _("Partially implemented")
    IMPLEMENTED = "implemented", _("Implemented")
    NO_INFORMATION = "no_information", _("No information")


class Assessment(TimeStampedModel):
    """One row of a coalition's implementation matrix: its assessment of one UN recommendation."""

    Level = ImplementationLevel

    coalition = models.ForeignKey(
        "coalitions.Coalition", on_delete=models.CASCADE, related_name="assessments", verbose_name=_("coalition")
    )
    recommendation = models.ForeignKey(
        "reviews.UPRRecommendation",
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("recommendation"),
    )
    relevant = models.BooleanField(
        _("relevant to the coalition"), default=True, help_text=_("Untick to leave it out of the matrix.")
    )
    cluster = models.ForeignKey(
        "coalitions.Cluster",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("cluster"),
    )
    level = models.CharField(
        _("implementation"),
        max_length=20,
        choices=ImplementationLevel.choices,
        default=ImplementationLevel.NO_INFORMATION,
    )
    evidence = models.TextField(_("evidence"), max_length=10000, blank=True)
    sources = models.TextField(
        _("sources"), max_length=5000, blank=True, help_text=_("One source a line: a document, a link, an interview.")
    )
    indicator = models.CharField(
        _("indicator"), max_length=500, blank=True, validators=[validate_no_control_characters]
    )
    baseline = models.CharField(_("baseline"), max_length=300, blank=True, validators=[validate_no_control_characters])
    target = models.CharField(_("target"), max_length=300, blank=True, validators=[validate_no_control_characters])
    responsible = models.CharField(
        _("responsible ministry or agency"), max_length=300, blank=True, validators=[validate_no_control_characters]
    )
    # The coalition's sections that follow the recommendation up (the coalition's own recommendations
    # say which UN recommendations they follow up: submissions.Recommendation.follows_up_recommendations).
    sections = models.ManyToManyField(
        "submissions.Section", blank=True, related_name="assessments", verbose_name=_("sections that follow it up")
    )
    # Optimistic concurrency: a save names the version it started from.
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["recommendation__paragraph_major", "recommendation__paragraph_minor"]
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "recommendation"],
                name="advocacy_assessment_one_per_recommendation",
                violation_error_message=_("The coalition already assessed this recommendation."),
            )
        ]

    def __str__(self):
        return f"{self.recommendation_id}: {self.level}"


class AssessmentVersion(models.Model):
    """Every saved state of an assessment, to see and restore (what the form shows, as JSON)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("saved values"), default=dict)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    saved_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assessment version")
        verbose_name_plural = _("assessment versions")
        ordering = ["assessment", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="advocacy_assessment_version_unique")
        ]

    def __str__(self):
        return f"{self.assessment_id} v{self.number}"


class Meeting(TimeStampedModel):
    """One entry of the lobbying log: a meeting with a State's embassy or permanent mission."""

    class Channel(models.TextChoices):
        EMBASSY = "embassy", _("Embassy in the country")
        MISSION = "mission", _("Permanent mission in Geneva")
        CAPITAL = "capital", _("Ministry in the capital")
        OTHER = "other", _("Other")

    coalition = models.ForeignKey(
        "coalitions.Coalition", on_delete=models.CASCADE, related_name="meetings", verbose_name=_("coalition")
    )
    review = models.ForeignKey(
        "reviews.Review", on_delete=models.PROTECT, related_name="+", verbose_name=_("review lobbied for")
    )
    state = models.ForeignKey("reviews.State", on_delete=models.PROTECT, related_name="+", verbose_name=_("State met"))
    channel = models.CharField(_("met through"), max_length=10, choices=Channel.choices, default=Channel.EMBASSY)
    held_on = models.DateField(_("date"))
    people = models.TextField(_("people"), max_length=2000, blank=True, help_text=_("Who took part, on both sides."))
    raised = models.ManyToManyField(
        "submissions.Recommendation",
        blank=True,
        related_name="meetings",
        verbose_name=_("recommendations raised"),
    )
    outcome = models.TextField(_("outcome"), max_length=5000, blank=True)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    follow_up_done = models.BooleanField(_("follow-up done"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("lobbying log")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.state_id} {self.held_on}"


class Factsheet(TimeStampedModel):
    """A one-page advocacy factsheet on one theme: previous recommendations and their status, key
    facts, and two or three of the coalition's SMART recommendations."""

    coalition = models.ForeignKey(
        "coalitions.Coalition", on_delete=models.CASCADE, related_name="factsheets", verbose_name=_("coalition")
    )
    review = models.ForeignKey("reviews.Review", on_delete=models.PROTECT, related_name="+", verbose_name=_("review"))
    theme = models.CharField(_("theme"), max_length=200, validators=[validate_no_control_characters])
    key_facts = models.TextField(_("key facts"), max_length=3000, blank=True)
    previous = models.ManyToManyField(
        "reviews.UPRRecommendation", blank=True, related_name="+", verbose_name=_("previous recommendations")
    )
    asks = models.ManyToManyField(
        "submissions.Recommendation", blank=True, related_name="+", verbose_name=_("our recommendations")
    )
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("factsheet")
        verbose_name_plural = _("factsheets")
        ordering = ["theme"]
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "review", "theme"],
                name="advocacy_factsheet_one_per_theme",
                violation_error_message=_("The coalition already has a factsheet on this theme for this review."),
            )
        ]

    def __str__(self):
        return self.theme


class Statement(TimeStampedModel):
    """The pre-session statement drafted from a submission, read out in at most five minutes."""

    submission = models.OneToOneField(
        "submissions.Submission", on_delete=models.CASCADE, related_name="statement", verbose_name=_("submission")
    )
    text = models.TextField(_("statement"), max_length=30000, blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("pre-session statement")
        verbose_name_plural = _("pre-session statements")

    def __str__(self):
        return str(self.submission_id)


class StatementVersion(models.Model):
    """Every saved state of a statement, to see and restore."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("statement"), blank=True)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    saved_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        ordering = ["statement", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "number"], name="advocacy_statement_version_unique")
        ]

    def __str__(self):
        return f"{self.statement_id} v{self.number}"


class UptakeMatch(TimeStampedModel):
    """A proposed pairing of one of the coalition's recommendations with one the State was actually
    made at the review; a person confirms or rejects it."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    coalition = models.ForeignKey(
        "coalitions.Coalition", on_delete=models.CASCADE, related_name="uptake_matches", verbose_name=_("coalition")
    )
    asked = models.ForeignKey(
        "submissions.Recommendation",
        on_delete=models.CASCADE,
        related_name="uptake_matches",
        verbose_name=_("our recommendation"),
    )
    made = models.ForeignKey(
        "reviews.UPRRecommendation",
        on_delete=models.CASCADE,
        related_name="uptake_matches",
        verbose_name=_("recommendation made"),
    )
    score = models.FloatField(_("similarity"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("uptake match")
        verbose_name_plural = _("uptake matches")
        ordering = ["-score", "pk"]
        constraints = [models.UniqueConstraint(fields=["asked", "made"], name="advocacy_uptake_pair_unique")]

    def __str__(self):
        return f"{self.asked_id} ~ {self.made_id} ({self.status})"
