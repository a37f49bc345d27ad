"""The recommendations a submission asks States to make: structured items, with a SMART checklist."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from submissions.models.core import Section, Submission
from upr_portal.db import TimeStampedModel
from upr_portal.validators import validate_no_control_characters

RECOMMENDATION_MAX_LENGTH = 2000

# The SMART checklist, in order: (field name, label, what it asks).
SMART_CRITERIA = (
    ("smart_specific", _("Specific"), _("It names one concrete action and who is to take it.")),
    ("smart_measurable", _("Measurable"), _("Its implementation can be checked against a figure or a fact.")),
    ("smart_achievable", _("Achievable"), _("The State can carry it out with the means it has.")),
    ("smart_relevant", _("Relevant"), _("It answers a problem the section documents.")),
    ("smart_time_bound", _("Time-bound"), _("It sets a date or a period, at the latest the next review.")),
)


class Recommendation(TimeStampedModel):
    """One recommendation, numbered in its section; the list across a submission is the lobbying plan.

    The drafter ticks the SMART checklist; a reviewer (or coordinator, or the cluster's lead) confirms it.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="recommendations")
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="recommendations", verbose_name=_("section")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.TextField(_("recommendation"), max_length=RECOMMENDATION_MAX_LENGTH)
    theme = models.CharField(_("theme"), max_length=200, blank=True, validators=[validate_no_control_characters])
    recommending_states = models.ManyToManyField(
        "reviews.State",
        blank=True,
        related_name="+",
        verbose_name=_("States to ask"),
        help_text=_("The States the coalition will ask to make this recommendation at the review."),
    )
    smart_specific = models.BooleanField(_("specific"), default=False)
    smart_measurable = models.BooleanField(_("measurable"), default=False)
    smart_achievable = models.BooleanField(_("achievable"), default=False)
    smart_relevant = models.BooleanField(_("relevant"), default=False)
    smart_time_bound = models.BooleanField(_("time-bound"), default=False)
    smart_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("SMART checklist confirmed by"),
    )
    smart_confirmed_at = models.DateTimeField(_("SMART checklist confirmed at"), null=True, blank=True)
    # The previous cycle's recommendation this one follows up, as OHCHR numbers it (e.g. "115.23").
    follows_up = models.CharField(
        _("follows up recommendation"), max_length=300, blank=True, validators=[validate_no_control_characters]
    )
    # The recommendations of an earlier review this one follows up (the implementation matrix shows them).
    follows_up_recommendations = models.ManyToManyField(
        "reviews.UPRRecommendation",
        blank=True,
        related_name="followed_up_by",
        verbose_name=_("follows up"),
        help_text=_("The recommendations made at an earlier review that this one asks the State to carry out."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["section__position", "section_id", "position", "pk"]

    def __str__(self):
        return self.text[:80]

    @property
    def smart_ticked(self) -> list[str]:
        return [name for name, _label, _help in SMART_CRITERIA if getattr(self, name)]

    @property
    def is_smart(self) -> bool:
        return len(self.smart_ticked) == len(SMART_CRITERIA)
