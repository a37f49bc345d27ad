"""Threaded comments on a section, optionally anchored to a quoted passage, with @mentions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from submissions.models.core import Section

COMMENT_MAX_LENGTH = 5000
QUOTE_MAX_LENGTH = 1000


class Comment(models.Model):
    """A comment opens a thread (``parent`` empty) or answers one; only a thread is resolved and reopened.

    ``body`` and ``quote`` are plain text, escaped when shown. ``mentions`` are the coalition members
    named with @ whom the comment notified.
    """

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies", verbose_name=_("answer to")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    body = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    quote = models.TextField(_("quoted passage"), max_length=QUOTE_MAX_LENGTH, blank=True)
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("people mentioned")
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True, db_index=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["section", "parent", "created_at"], name="submissions_comment_thread")]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(resolved_at__isnull=True, quote=""),
                name="submissions_comment_only_threads_resolve",
            ),
        ]

    def __str__(self):
        return f"{self.section_id}: {self.body[:40]}"

    @property
    def submission(self):
        # coalitions.rules finds a comment's coalition through its submission.
        return self.section.submission

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None
