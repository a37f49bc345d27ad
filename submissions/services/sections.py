"""Saving, versioning and restoring the text of sections.

Every save names the version it was based on. The section row is locked while the save compares
that version with the stored one, so of two saves based on the same version exactly one wins and
the other is refused with the stored text, for the writer to merge: nothing is overwritten silently.

The lock covers the version check and the writes only. Checking a text against the limits, cleaning
and counting it happen before the lock is taken: they take milliseconds for a real section but grow
with the text, and a lock held meanwhile made every other save wait (on SQLite, every write).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from submissions.errors import SectionConflict, SubmissionError, refuse_if_locked
from submissions.models import Section, SectionVersion
from submissions.sanitize import clean_html
from submissions.services.signoff import sign_offs_invalidate
from submissions.text_limits import check_text
from upr_portal.wordcount import WordCount, count_html

# Autosaves by the same author within this window update one version instead of adding one each.
AUTOSAVE_FOLD_WINDOW = datetime.timedelta(minutes=5)
# What a save or a restore writes to the section's row.
_TEXT_FIELDS = [
    "body",
    "title",
    "body_words",
    "note_words",
    "version",
    "last_edited_by",
    "last_edited_at",
    "updated_at",
]


@dataclass(frozen=True)
class SaveResult:
    section: Section
    version: SectionVersion
    changed: bool


def _record_version(*, section: Section, author: User, kind: str, restored_from: int | None = None) -> SectionVersion:
    # Every new text goes through here (saves, restores, Word imports): an endorsement was for the
    # text before it, so it no longer stands (nothing happens outside sign-off).
    sign_offs_invalidate(section=section, actor=author)
    now = timezone.now()
    last = section.versions.order_by("-version").first()
    fold = (
        kind == SectionVersion.Kind.AUTOSAVE
        and last is not None
        and last.kind == SectionVersion.Kind.AUTOSAVE
        and last.author_id == author.pk
        and now - last.created_at < AUTOSAVE_FOLD_WINDOW
    )
    fields = {
        "version": section.version,
        "title": section.title,
        "body": section.body,
        "body_words": section.body_words,
        "note_words": section.note_words,
        "saved_at": now,
    }
    if fold:
        for name, value in fields.items():
            setattr(last, name, value)
        last.save(update_fields=list(fields))
        return last
    return SectionVersion.objects.create(
        section=section, author=author, kind=kind, restored_from=restored_from, **fields
    )


def _prepared(body: str) -> tuple[str, WordCount]:
    """The text checked against the limits (TextRefused), cleaned and counted: never inside a lock.

    The cleaned text is checked too, so a stored text always passes the limits it is saved under and
    saving it again is never refused.
    """
    check_text(body)
    cleaned = clean_html(body)
    check_text(cleaned)
    return cleaned, count_html(cleaned)


def section_save(
    *,
    section_id: int,
    author: User,
    body: str,
    base_version: int,
    title: str | None = None,
    autosave: bool = False,
    imported: bool = False,
) -> SaveResult:
    """Stores a new text for a section if it was based on the stored version.

    ``imported`` records the version as imported from a Word file (submissions/imports.py).

    The text is checked against the limits (raises TextRefused), cleaned with the one allowlist and
    counted first; then one transaction locks the section's row, compares versions and writes.
    Raises SectionConflict (carrying the stored section and the cleaned text) when ``base_version``
    is not the stored version.
    """
    cleaned, counts = _prepared(body)
    with transaction.atomic():
        section = Section.objects.select_for_update().select_related("submission").get(pk=section_id)
        refuse_if_locked(section.submission)
        if base_version != section.version:
            raise SectionConflict(section, attempted=cleaned)
        new_title = section.title if title is None else title.strip() or section.title
        if cleaned == section.body and new_title == section.title and section.version > 0:
            return SaveResult(section=section, version=section.versions.order_by("-version").first(), changed=False)
        section.body = cleaned
        section.title = new_title
        section.body_words = counts.body
        section.note_words = counts.notes
        section.version += 1
        section.last_edited_by = author
        section.last_edited_at = timezone.now()
        section.save(update_fields=_TEXT_FIELDS)
        kind = SectionVersion.Kind.AUTOSAVE if autosave else SectionVersion.Kind.SAVE
        if imported:
            kind = SectionVersion.Kind.IMPORT
        version = _record_version(section=section, author=author, kind=kind)
    return SaveResult(section=section, version=version, changed=True)


def section_restore(*, section_id: int, author: User, version: int) -> SaveResult:
    """Makes an earlier version the current text; the restore is itself a new version.

    The old text goes through the same limits, cleaning and counting as a save, before one
    transaction locks the section's row and writes (a version's text never changes, so it can be
    read before the lock).
    """
    old = SectionVersion.objects.filter(section_id=section_id, version=version).only("title", "body").first()
    if old is None:
        raise SubmissionError(_("There is no version %(number)d of this section.") % {"number": version})
    cleaned, counts = _prepared(old.body)
    with transaction.atomic():
        section = Section.objects.select_for_update().select_related("submission").get(pk=section_id)
        refuse_if_locked(section.submission)
        section.body = cleaned
        section.title = old.title
        section.body_words = counts.body
        section.note_words = counts.notes
        section.version += 1
        section.last_edited_by = author
        section.last_edited_at = timezone.now()
        section.save(update_fields=_TEXT_FIELDS)
        new = _record_version(section=section, author=author, kind=SectionVersion.Kind.RESTORE, restored_from=version)
    return SaveResult(section=section, version=new, changed=True)
