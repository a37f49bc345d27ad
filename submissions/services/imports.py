"""A Word file imported into a section: converted once, kept on the server, then saved or set beside.

The converted text waits in the shared cache (Redis in production), keyed by person and section,
between the upload and the person's choice: the page that shows it sends back only the choice and
the version it was shown with, never the text, so nothing the browser sends becomes a version
without going through the upload's conversion. Replacing the text is a save like any other
(submissions/services/sections.py: the version check, the cleaner, sign-off invalidation), recorded
as a version of kind "import".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from coalitions.models import AuditEvent
from coalitions.services.coalitions import audit
from submissions.errors import SubmissionError
from submissions.imports import convert_docx, refuse_oversized
from submissions.models import Section
from submissions.services.sections import SaveResult, section_save

# Long enough to read the preview, compare and merge; an abandoned import expires on its own.
PENDING_SECONDS = 2 * 3600


@dataclass(frozen=True)
class PendingImport:
    """A converted Word file waiting for its uploader's choice."""

    file_name: str
    html: str
    body_words: int
    note_words: int
    warnings: tuple[str, ...]
    uploaded_at: str  # ISO 8601

    @property
    def total_words(self) -> int:
        return self.body_words + self.note_words


def _key(*, user_id: int, section_id: int) -> str:
    return f"submissions:word-import:{user_id}:{section_id}"


def word_import_convert(*, section: Section, actor: User, upload: UploadedFile) -> PendingImport:
    """Converts an uploaded .docx (SubmissionError when it cannot be imported, saying why) and keeps
    the result for ``actor`` and ``section``, replacing an earlier one."""
    # Django knows the size of the upload before anything reads it.
    refuse_oversized(upload.size)
    upload.seek(0)
    converted = convert_docx(upload.read())
    pending = PendingImport(
        file_name=(upload.name or "")[:200],
        html=converted.html,
        body_words=converted.words.body,
        note_words=converted.words.notes,
        warnings=converted.warnings,
        uploaded_at=timezone.now().isoformat(),
    )
    cache.set(_key(user_id=actor.pk, section_id=section.pk), asdict(pending), PENDING_SECONDS)
    return pending


def word_import_pending(*, section: Section, user: User) -> PendingImport | None:
    stored = cache.get(_key(user_id=user.pk, section_id=section.pk))
    if not stored:
        return None
    return PendingImport(**{**stored, "warnings": tuple(stored["warnings"])})


def word_import_discard(*, section: Section, user: User) -> None:
    cache.delete(_key(user_id=user.pk, section_id=section.pk))


def word_import_replace(*, section: Section, actor: User, base_version: int) -> SaveResult:
    """Makes the person's pending import the section's text: a new version of kind "import".

    ``base_version`` is the version the preview showed: SectionConflict when someone saved since,
    and the import stays pending for the person to merge it instead. The save and its audit event
    are written in one transaction.
    """
    pending = word_import_pending(section=section, user=actor)
    if pending is None:
        raise SubmissionError(
            _("The imported file is no longer kept (after two hours it is forgotten). Upload it again."),
            code="expired",
        )
    with transaction.atomic():
        result = section_save(
            section_id=section.pk, author=actor, body=pending.html, base_version=base_version, imported=True
        )
        if result.changed:
            audit(
                coalition=section.submission.coalition,
                actor=actor,
                action=AuditEvent.Action.SECTION_IMPORTED,
                subject=section.title,
                file=pending.file_name,
                version=result.section.version,
                body_words=result.section.body_words,
                note_words=result.section.note_words,
            )
    word_import_discard(section=section, user=actor)
    return result
