"""Joint and individual stakeholder submissions, their sections and every saved state of a section."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from upr_portal.db import TimeStampedModel
from upr_portal.wordcount import WordCount


class Submission(TimeStampedModel):
    class Kind(models.TextChoices):
        # The values are DocumentLimit kinds: the kind selects the limit of the review's cycle.
        JOINT = "joint", _("Joint submission (coalition)")
        INDIVIDUAL = "individual", _("Individual submission")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        FRENCH = "fr", _("French")
        SPANISH = "es", _("Spanish")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Drafting")
        FINAL = "final", _("Final: read-only")
        SUBMITTED = "submitted", _("Submitted to OHCHR")

    coalition = models.ForeignKey(
        "coalitions.Coalition", on_delete=models.CASCADE, related_name="submissions", verbose_name=_("coalition")
    )
    review = models.ForeignKey(
        "reviews.Review", on_delete=models.PROTECT, related_name="submissions", verbose_name=_("review")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.JOINT)
    title = models.CharField(_("title"), max_length=300)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH)
    keywords = models.CharField(
        _("keywords"), max_length=500, blank=True, help_text=_("Separate keywords with commas.")
    )
    executive_summary = models.TextField(_("executive summary"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @property
    def is_locked(self) -> bool:
        """Final or submitted: read-only until a coordinator reopens it for drafting."""
        return self.status != self.Status.DRAFT

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(",") if k.strip()]


class Section(TimeStampedModel):
    """A part of a submission drafted by the people or organisations assigned to it.

    ``version`` grows by one on every save: a save names the version it was based on, and a save
    based on an older version is refused rather than overwriting someone else's words.
    ``body_words`` and ``note_words`` are cached by the save service for the overview page.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=300)
    cluster = models.ForeignKey(
        "coalitions.Cluster",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sections",
        verbose_name=_("cluster"),
    )
    assigned_organisations = models.ManyToManyField(
        "coalitions.Organisation", blank=True, related_name="assigned_sections", verbose_name=_("organisations")
    )
    assigned_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="assigned_sections", verbose_name=_("people")
    )
    body = models.TextField(_("text"), blank=True)
    word_budget = models.PositiveIntegerField(_("word budget"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    body_words = models.PositiveIntegerField(default=0)
    note_words = models.PositiveIntegerField(default=0)
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title

    @property
    def word_count(self) -> WordCount:
        """The cached counts of the stored text, body and notes apart."""
        return WordCount(body=self.body_words, notes=self.note_words)


class SectionVersion(models.Model):
    """One saved state of a section. Autosaves by one author within a few minutes share one row."""

    class Kind(models.TextChoices):
        SAVE = "save", _("Saved")
        AUTOSAVE = "autosave", _("Autosaved")
        RESTORE = "restore", _("Restored")

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SAVE)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    body_words = models.PositiveIntegerField(default=0)
    note_words = models.PositiveIntegerField(default=0)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    restored_from = models.PositiveIntegerField(_("restored from version"), null=True, blank=True)
    created_at = models.DateTimeField(_("first saved"), auto_now_add=True)
    saved_at = models.DateTimeField(_("saved"))

    class Meta:
        verbose_name = _("section version")
        verbose_name_plural = _("section versions")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["section", "version"], name="submissions_version_unique"),
            models.CheckConstraint(
                condition=Q(kind="restore", restored_from__isnull=False) | ~Q(kind="restore"),
                name="submissions_restore_names_source",
            ),
        ]

    def __str__(self):
        return f"{self.section} v{self.version}"
