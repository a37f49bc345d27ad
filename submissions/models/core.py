"""Joint and individual stakeholder submissions, their sections and every saved state of a section."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from upr_portal.db import TimeStampedModel
from upr_portal.validators import validate_no_control_characters
from upr_portal.wordcount import WordCount


class Submission(TimeStampedModel):
    class Kind(models.TextChoices):
        # The values are DocumentLimit kinds: the kind selects the limit of the review's cycle.
        JOINT = "joint", _("Joint submission (coalition)")
        INDIVIDUAL = "individual", _("Individual submission")
        # After the review: the coalition's report on the implementation, seeded from its matrix. No UN limit.
        MID_TERM = "mid_term", _("Mid-term report")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        FRENCH = "fr", _("French")
        SPANISH = "es", _("Spanish")

    class Status(models.TextChoices):
        # The workflow's buttons move a submission along (models/workflow.py, SUBMISSION_ACTIONS).
        DRAFT = "draft", _("Drafting")
        CONSOLIDATION = "consolidation", _("Consolidation")
        SIGN_OFF = "sign_off", _("Sign-off")
        FINAL = "final", _("Final: read-only")
        SUBMITTED = "submitted", _("Submitted to OHCHR")

    LOCKED = (Status.FINAL, Status.SUBMITTED)

    coalition = models.ForeignKey(
        "coalitions.Coalition", on_delete=models.CASCADE, related_name="submissions", verbose_name=_("coalition")
    )
    review = models.ForeignKey(
        "reviews.Review", on_delete=models.PROTECT, related_name="submissions", verbose_name=_("review")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.JOINT)
    title = models.CharField(_("title"), max_length=300, validators=[validate_no_control_characters])
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH)
    keywords = models.CharField(
        _("keywords"), max_length=500, blank=True, help_text=_("Separate keywords with commas.")
    )
    executive_summary = models.TextField(_("executive summary"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # A cluster's own joint submission; empty for the coalition's joint submission.
    cluster = models.ForeignKey(
        "coalitions.Cluster",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submissions",
        verbose_name=_("cluster"),
        help_text=_("Leave empty for the coalition's own joint submission."),
    )
    # Typed in by the coordinator when the submission is sent to the UN.
    submitted_on = models.DateField(_("submitted to the UN on"), null=True, blank=True)
    ohchr_reference = models.CharField(
        _("OHCHR reference"), max_length=100, blank=True, validators=[validate_no_control_characters]
    )
    # The contact person named at the top of the generated document (OHCHR asks for one).
    contact_name = models.CharField(
        _("contact person"), max_length=200, blank=True, validators=[validate_no_control_characters]
    )
    contact_email = models.EmailField(_("contact person's email"), blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @property
    def is_locked(self) -> bool:
        """Final or submitted: read-only until a coordinator reopens it for drafting."""
        return self.status in self.LOCKED

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(",") if k.strip()]


class SectionState(models.TextChoices):
    """Where a section is in its review; the buttons that move it are SECTION_ACTIONS (models/workflow.py)."""

    DRAFTING = "drafting", _("Drafting")
    SUBMITTED = "submitted", _("Submitted for review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    LOCKED = "locked", _("Locked")


# A section's internal milestones, in order: (field name, label).
SECTION_MILESTONES = (
    ("first_draft_due", _("First draft due")),
    ("review_due", _("Review due")),
    ("final_due", _("Final text due")),
)

# The states in which a milestone counts as met: a first draft is met once the section went to
# review, the review once reviewers answered, the final text once it is approved.
MILESTONE_MET_IN = {
    "first_draft_due": (
        SectionState.SUBMITTED,
        SectionState.CHANGES_REQUESTED,
        SectionState.APPROVED,
        SectionState.LOCKED,
    ),
    "review_due": (SectionState.CHANGES_REQUESTED, SectionState.APPROVED, SectionState.LOCKED),
    "final_due": (SectionState.APPROVED, SectionState.LOCKED),
}


class Section(TimeStampedModel):
    """A part of a submission drafted by the people or organisations assigned to it.

    ``version`` grows by one on every save: a save names the version it was based on, and a save
    based on an older version is refused rather than overwriting someone else's words.
    ``body_words`` and ``note_words`` are cached by the save service for the overview page.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=300, validators=[validate_no_control_characters])
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
    lead_organisation = models.ForeignKey(
        "coalitions.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_sections",
        verbose_name=_("lead organisation"),
    )
    state = models.CharField(_("state"), max_length=20, choices=SectionState.choices, default=SectionState.DRAFTING)
    # The section's internal milestones (SECTION_MILESTONES), aware datetimes shown in the reader's
    # timezone with Geneva time beside them. They feed the reminder scan (deadlines/providers.py).
    first_draft_due = models.DateTimeField(_("first draft due"), null=True, blank=True)
    review_due = models.DateTimeField(_("review due"), null=True, blank=True)
    final_due = models.DateTimeField(_("final text due"), null=True, blank=True)
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
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["drafting", "submitted", "changes_requested", "approved", "locked"]),
                name="submissions_section_state_known",
            ),
        ]

    State = SectionState

    def __str__(self):
        return self.title

    @property
    def is_open_to_drafters(self) -> bool:
        """Drafting, or changes requested: the assigned people may edit; otherwise the reviewers have it."""
        return self.state in (SectionState.DRAFTING, SectionState.CHANGES_REQUESTED)

    @property
    def is_locked(self) -> bool:
        return self.state == SectionState.LOCKED

    def milestone_met(self, name: str) -> bool:
        return self.state in MILESTONE_MET_IN[name]

    def open_milestones(self):
        """The milestones set and not yet met, in order: (field name, label, when)."""
        return [
            (name, label, getattr(self, name))
            for name, label in SECTION_MILESTONES
            if getattr(self, name) is not None and not self.milestone_met(name)
        ]

    def late_milestones(self, now):
        """The milestones passed and not met: the section is late on each."""
        return [milestone for milestone in self.open_milestones() if milestone[2] < now]

    def next_milestone(self, now):
        """The first milestone not yet met (late or ahead of ``now``): (field name, label, when), or None."""
        milestones = self.open_milestones()
        return milestones[0] if milestones else None

    # The words of the section's recommendations, which the documents print as its last numbered
    # paragraphs: not a column (a recommendation changes no version of the text), set by the selectors
    # that count sections against their budget (submissions.recommendation_selectors.recommendation_words).
    recommendation_words = 0

    @property
    def word_count(self) -> WordCount:
        """The cached counts of the stored text, body and notes apart; the body with the section's
        recommendations when a selector set ``recommendation_words``."""
        return WordCount(body=self.body_words + self.recommendation_words, notes=self.note_words)


class SectionVersion(models.Model):
    """One saved state of a section. Autosaves by one author within a few minutes share one row."""

    class Kind(models.TextChoices):
        SAVE = "save", _("Saved")
        AUTOSAVE = "autosave", _("Autosaved")
        RESTORE = "restore", _("Restored")
        IMPORT = "import", _("Imported from Word")

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


class SubmissionSignatory(models.Model):
    """One organisation named as submitting the document, in the order the document lists them.

    A submission without rows lists the coalition's current member organisations by name
    (``selectors.submission_signatories``); coordinators choose and order them otherwise.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="signatories")
    organisation = models.ForeignKey(
        "coalitions.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    position = models.PositiveIntegerField(_("position"))

    class Meta:
        verbose_name = _("signatory organisation")
        verbose_name_plural = _("signatory organisations")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "organisation"], name="submissions_signatory_unique"),
            models.UniqueConstraint(fields=["submission", "position"], name="submissions_signatory_position_unique"),
        ]

    def __str__(self):
        return f"{self.position}. {self.organisation_id}"


def generated_document_path(instance: "GeneratedDocument", filename: str) -> str:
    # A random folder per file: with debug on, MEDIA_URL is served without a permission check, and
    # the documents are only ever handed out by the permission-checked download view.
    if instance.submission_id is None:
        return f"coalition-documents/{instance.coalition_id}/{secrets.token_urlsafe(16)}/{filename}"
    return f"submission-documents/{instance.submission_id}/{secrets.token_urlsafe(16)}/{filename}"


class GeneratedDocument(models.Model):
    """One run of the document job: the PDF and DOCX of a submission, its figures and its sources; or
    the PDF of another kind of document of a coalition (its implementation matrix, a factsheet), whose
    producer the kind names (``submissions.services.documents.register_document_kind``).

    The job moves the row through queued → counting → rendering_pdf → rendering_docx → done, or to
    failed with the reason in plain words. ``report`` holds the figures (words, pages, limits, what is
    over and where); ``section_versions`` maps each section's id to the version the text came from.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        COUNTING = "counting", _("Counting words")
        RENDERING_PDF = "rendering_pdf", _("Rendering the PDF")
        RENDERING_DOCX = "rendering_docx", _("Rendering the DOCX")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Kind(models.TextChoices):
        SUBMISSION = "submission", _("Submission")
        MATRIX = "matrix", _("Implementation matrix")
        FACTSHEET = "factsheet", _("Factsheet")

    RUNNING = (Status.QUEUED, Status.COUNTING, Status.RENDERING_PDF, Status.RENDERING_DOCX)

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SUBMISSION)
    coalition = models.ForeignKey(
        "coalitions.Coalition", on_delete=models.CASCADE, related_name="generated_documents", null=True
    )
    # The submission of a submission's documents; empty for the other kinds.
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="documents", null=True, blank=True
    )
    # What the other kinds are of: the review of a matrix, the factsheet's id. Read by the kind's producer.
    subject_id = models.PositiveIntegerField(null=True, blank=True)
    # One running job per key: "submission:12", "matrix:3:40", "factsheet:9".
    job_key = models.CharField(max_length=100, default="", db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(_("reason of the failure"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    report = models.JSONField(_("figures"), default=dict, blank=True)
    section_versions = models.JSONField(_("section versions"), default=dict, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=generated_document_path, max_length=300, blank=True)
    docx = models.FileField(_("DOCX"), upload_to=generated_document_path, max_length=300, blank=True)
    pdf_sha256 = models.CharField(_("PDF checksum (SHA-256)"), max_length=64, blank=True)
    docx_sha256 = models.CharField(_("DOCX checksum (SHA-256)"), max_length=64, blank=True)
    task_id = models.CharField(_("task id"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["submission", "-created_at"], name="submissions_document_latest"),
            models.Index(fields=["job_key", "-created_at"], name="submissions_doc_key_latest"),
        ]
        constraints = [
            # Pressing "Generate documents" twice, even at the same instant, never starts a second job.
            models.UniqueConstraint(
                fields=["job_key"],
                condition=Q(status__in=["queued", "counting", "rendering_pdf", "rendering_docx"]),
                name="submissions_document_one_running_key",
            ),
            # A submission's documents are a PDF and a DOCX; the other kinds are a PDF.
            models.CheckConstraint(
                condition=~Q(status="done")
                | (Q(finished_at__isnull=False) & ~Q(pdf="") & (~Q(docx="") | ~Q(kind="submission"))),
                name="submissions_document_done_has_files_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kind="submission") | Q(submission__isnull=False),
                name="submissions_document_submission_kind_has_submission",
            ),
            models.CheckConstraint(
                condition=~Q(status="failed") | (Q(finished_at__isnull=False) & ~Q(error="")),
                name="submissions_document_failed_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.job_key or self.submission_id} #{self.pk} ({self.status})"

    def save(self, *args, **kwargs):
        # A submission's documents: the key and the coalition follow from the submission.
        if self.submission_id is not None:
            self.job_key = self.job_key or f"submission:{self.submission_id}"
            if self.coalition_id is None:
                self.coalition_id = self.submission.coalition_id
        super().save(*args, **kwargs)

    @staticmethod
    def key_for(kind: str, coalition_id: int, subject_id: int) -> str:
        """The job key of a kind other than a submission's: one job runs at a time per key."""
        return f"{kind}:{coalition_id}:{subject_id}"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def is_over(self) -> bool:
        return bool(self.report.get("is_over"))
