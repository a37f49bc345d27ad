"""Organisations, the coalitions they form for a review, and the people who work in them."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from coalitions.validators import validate_description_length, validate_logo
from upr_portal.db import TimeStampedModel
from upr_portal.validators import validate_no_control_characters

# Names go into mail subjects, documents and lists: each is one line (upr_portal/validators.py).
ONE_LINE = [validate_no_control_characters]


class Organisation(TimeStampedModel):
    class Kind(models.TextChoices):
        NGO = "ngo", _("NGO")
        NHRI = "nhri", _("National human rights institution")
        NETWORK = "network", _("Network")
        ACADEMIC = "academic", _("Academic")
        FAITH_BASED = "faith", _("Faith-based organisation")
        OTHER = "other", _("Other")

    # Not unique: a refusal of a taken name would tell anyone which organisations use the portal, and
    # two organisations may share a name. Only coordinators adding members are matched to an
    # existing one they already see (coalitions/selectors.py, organisation_matching).
    name = models.CharField(_("name"), max_length=200, db_index=True, validators=ONE_LINE)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True, validators=ONE_LINE)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NGO)
    city = models.CharField(_("city"), max_length=100, validators=ONE_LINE)
    country = models.ForeignKey(
        "reviews.State", on_delete=models.PROTECT, related_name="organisations", verbose_name=_("country")
    )
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    description = models.TextField(
        _("mandate and activities"),
        blank=True,
        validators=[validate_description_length],
        help_text=_("At most 200 words: used in pre-session applications and submission annexes."),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.display_name(self.name, self.acronym)

    @staticmethod
    def display_name(name: str, acronym: str) -> str:
        """How an organisation is named on pages: for lists read as values rather than as rows."""
        return f"{name} ({acronym})" if acronym else name


class Coalition(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200, unique=True, validators=ONE_LINE)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True, validators=ONE_LINE)
    secretariat = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="coalitions_led",
        verbose_name=_("secretariat"),
    )
    reviews = models.ManyToManyField(
        "reviews.Review", related_name="coalitions", blank=True, verbose_name=_("reviews worked on")
    )
    description = models.TextField(_("description"), blank=True)
    logo = models.ImageField(
        _("logo"),
        upload_to="coalition-logos/",
        blank=True,
        validators=[validate_logo],
        help_text=_("PNG, JPEG or WebP, at most 1 MB."),
    )
    # Its pages open to a member only in a session that passed two-factor sign-in (coalitions/access.py).
    require_two_factor = models.BooleanField(
        _("require two-factor sign-in"),
        default=False,
        help_text=_("Members open the coalition's pages only after signing in with a code from their phone."),
    )

    class Meta:
        verbose_name = _("coalition")
        verbose_name_plural = _("coalitions")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CoalitionOrganisationQuerySet(models.QuerySet):
    def current(self):
        """Invited or active: the organisation is in the coalition until it has left."""
        return self.exclude(status=CoalitionOrganisation.Status.LEFT)


class CoalitionOrganisation(TimeStampedModel):
    """An organisation's membership of a coalition."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACTIVE = "active", _("Active")
        LEFT = "left", _("Left")

    coalition = models.ForeignKey(Coalition, on_delete=models.CASCADE, related_name="member_organisations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="coalition_memberships")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = CoalitionOrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("member organisation")
        verbose_name_plural = _("member organisations")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "organisation"],
                name="coalitions_org_membership_unique",
                violation_error_message=_("This organisation is already a member of this coalition."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(joined_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="coalitions_org_membership_dates_ordered",
                violation_error_message=_("An organisation cannot leave before it joined."),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.coalition}"


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator (secretariat)")
    CLUSTER_LEAD = "cluster_lead", _("Cluster lead")
    DRAFTER = "drafter", _("Drafter")
    REVIEWER = "reviewer", _("Reviewer (comments, no edits)")
    OBSERVER = "observer", _("Observer (read only)")


class Membership(TimeStampedModel):
    """A person in a coalition, through one of its member organisations, with one role."""

    coalition = models.ForeignKey(Coalition, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coalition_memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="people")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.DRAFTER)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["user__full_name", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "user"],
                name="coalitions_membership_one_per_person",
                violation_error_message=_("This person is already a member of this coalition."),
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.coalition} ({self.get_role_display()})"


class Cluster(TimeStampedModel):
    """A thematic cluster of a coalition (for example the right to health), led by a member organisation."""

    coalition = models.ForeignKey(Coalition, on_delete=models.CASCADE, related_name="clusters")
    name = models.CharField(_("name"), max_length=200, validators=ONE_LINE)
    lead_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="clusters_led",
        null=True,
        blank=True,
        verbose_name=_("lead organisation"),
    )
    organisations = models.ManyToManyField(
        Organisation, related_name="clusters", blank=True, verbose_name=_("member organisations")
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "name"],
                name="coalitions_cluster_name_unique",
                violation_error_message=_("This coalition already has a cluster with this name."),
            ),
        ]

    def __str__(self):
        return self.name


class Invitation(TimeStampedModel):
    """An email invitation to join a coalition through an organisation, with a role.

    The link carries a signed token of the invitation's id and ``key``; resending rotates the key,
    so only the newest link works, and accepting or revoking ends it for good.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")

    coalition = models.ForeignKey(Coalition, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="invitations", verbose_name=_("organisation")
    )
    email = models.EmailField(_("email address"))
    full_name = models.CharField(_("name"), max_length=200, blank=True, validators=ONE_LINE)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.DRAFTER)
    message = models.TextField(_("personal message"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    key = models.CharField(max_length=64, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(_("times sent"), default=0)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    delivery_error = models.TextField(_("delivery problem"), blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "email"],
                condition=Q(status="pending"),
                name="coalitions_invitation_one_pending_per_email",
                violation_error_message=_("This person already has a pending invitation to this coalition."),
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.coalition}"


class AuditEvent(models.Model):
    """Who did what, and when, in a coalition (membership, submissions, their review): kept for accountability."""

    class Action(models.TextChoices):
        COALITION_CREATED = "coalition_created", _("created the coalition")
        COALITION_CHANGED = "coalition_changed", _("changed the coalition's details")
        INVITED = "invited", _("invited")
        INVITATION_RESENT = "invitation_resent", _("resent the invitation to")
        INVITATION_REVOKED = "invitation_revoked", _("revoked the invitation to")
        INVITATION_ACCEPTED = "invitation_accepted", _("accepted the invitation")
        ROLE_CHANGED = "role_changed", _("changed the role of")
        MEMBER_REMOVED = "member_removed", _("removed")
        ORGANISATION_REMOVED = "organisation_removed", _("removed the organisation")
        CLUSTER_CREATED = "cluster_created", _("created the cluster")
        CLUSTER_CHANGED = "cluster_changed", _("changed the cluster")
        CLUSTER_DELETED = "cluster_deleted", _("deleted the cluster")
        SUBMISSION_CREATED = "submission_created", _("started the submission")
        SUBMISSION_CHANGED = "submission_changed", _("changed the submission")
        SUBMISSION_STEP = "submission_step", _("moved the submission")
        SIGNATORIES_CHANGED = "signatories_changed", _("changed the signatories of")
        SECTION_ADDED = "section_added", _("added the section")
        SECTION_CHANGED = "section_changed", _("changed the settings of the section")
        SECTION_DELETED = "section_deleted", _("deleted the section")
        SECTIONS_SCHEDULED = "sections_scheduled", _("set the deadlines of sections of")
        SECTION_STEP = "section_step", _("moved the section")
        SECTION_IMPORTED = "section_imported", _("imported a Word document into")
        SIGN_OFF_OPENED = "sign_off_opened", _("opened sign-off of")
        SIGNED_OFF = "signed_off", _("endorsed")
        SIGN_OFF_DECLINED = "sign_off_declined", _("declined to endorse")
        SIGN_OFFS_INVALIDATED = "sign_offs_invalidated", _("changed the text endorsed in")
        SIGN_OFF_REMINDED = "sign_off_reminded", _("reminded the organisations yet to sign")
        COMMENT_RESOLVED = "comment_resolved", _("resolved a comment on")
        COMMENT_REOPENED = "comment_reopened", _("reopened a comment on")
        SMART_CONFIRMED = "smart_confirmed", _("confirmed the SMART checklist of a recommendation in")

    coalition = models.ForeignKey(Coalition, on_delete=models.CASCADE, related_name="audit_events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    subject = models.CharField(_("about"), max_length=300, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.actor} {self.description}"

    @property
    def description(self) -> str:
        """What was done, in the active language: "changed the role of Amina Diallo"."""
        if not self.subject:
            return self.get_action_display()
        return ACTION_ON_SUBJECT[self.action] % {"subject": self.subject}


# What was done to what, as one sentence for the translators ("changed the role of %(subject)s"): the
# activity page shows it after the person who did it, in the reader's language.
ACTION_ON_SUBJECT = {
    AuditEvent.Action.COALITION_CREATED: _("created the coalition %(subject)s"),
    AuditEvent.Action.COALITION_CHANGED: _("changed the coalition's details %(subject)s"),
    AuditEvent.Action.INVITED: _("invited %(subject)s"),
    AuditEvent.Action.INVITATION_RESENT: _("resent the invitation to %(subject)s"),
    AuditEvent.Action.INVITATION_REVOKED: _("revoked the invitation to %(subject)s"),
    AuditEvent.Action.INVITATION_ACCEPTED: _("accepted the invitation %(subject)s"),
    AuditEvent.Action.ROLE_CHANGED: _("changed the role of %(subject)s"),
    AuditEvent.Action.MEMBER_REMOVED: _("removed %(subject)s"),
    AuditEvent.Action.ORGANISATION_REMOVED: _("removed the organisation %(subject)s"),
    AuditEvent.Action.CLUSTER_CREATED: _("created the cluster %(subject)s"),
    AuditEvent.Action.CLUSTER_CHANGED: _("changed the cluster %(subject)s"),
    AuditEvent.Action.CLUSTER_DELETED: _("deleted the cluster %(subject)s"),
    AuditEvent.Action.SUBMISSION_CREATED: _("started the submission %(subject)s"),
    AuditEvent.Action.SUBMISSION_CHANGED: _("changed the submission %(subject)s"),
    AuditEvent.Action.SUBMISSION_STEP: _("moved the submission %(subject)s"),
    AuditEvent.Action.SIGNATORIES_CHANGED: _("changed the signatories of %(subject)s"),
    AuditEvent.Action.SECTION_ADDED: _("added the section %(subject)s"),
    AuditEvent.Action.SECTION_CHANGED: _("changed the settings of the section %(subject)s"),
    AuditEvent.Action.SECTION_DELETED: _("deleted the section %(subject)s"),
    AuditEvent.Action.SECTIONS_SCHEDULED: _("set the deadlines of sections of %(subject)s"),
    AuditEvent.Action.SECTION_STEP: _("moved the section %(subject)s"),
    AuditEvent.Action.SECTION_IMPORTED: _("imported a Word document into %(subject)s"),
    AuditEvent.Action.SIGN_OFF_OPENED: _("opened sign-off of %(subject)s"),
    AuditEvent.Action.SIGNED_OFF: _("endorsed %(subject)s"),
    AuditEvent.Action.SIGN_OFF_DECLINED: _("declined to endorse %(subject)s"),
    AuditEvent.Action.SIGN_OFFS_INVALIDATED: _("changed the text endorsed in %(subject)s"),
    AuditEvent.Action.SIGN_OFF_REMINDED: _("reminded the organisations yet to sign %(subject)s"),
    AuditEvent.Action.COMMENT_RESOLVED: _("resolved a comment on %(subject)s"),
    AuditEvent.Action.COMMENT_REOPENED: _("reopened a comment on %(subject)s"),
    AuditEvent.Action.SMART_CONFIRMED: _("confirmed the SMART checklist of a recommendation in %(subject)s"),
}
