"""The pre-session statement of a submission: drafting it from the submission, saving, restoring.

Every save writes a StatementVersion (the saved text, numbered as the statement's ``version``), so a
replaced draft and an overwritten edit can always be seen and restored. Saves name the version they
started from and are refused when someone saved in between (optimistic concurrency).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from advocacy.models import Statement, StatementVersion
from submissions.models import Recommendation, Submission
from upr_portal.wordcount import count_words

# The pre-session gives each speaker five minutes; people read out about 130 words a minute.
PRE_SESSION_SECONDS = 5 * 60
WORDS_PER_MINUTE = 130


class StaleStatement(ValidationError):
    """Someone saved the statement after this person opened it."""


@dataclass(frozen=True)
class SpokenEstimate:
    words: int
    seconds: int

    @property
    def over(self) -> bool:
        return self.seconds > PRE_SESSION_SECONDS

    @property
    def message(self) -> str:
        minutes, seconds = divmod(self.seconds, 60)
        limit = PRE_SESSION_SECONDS // 60
        return ngettext(
            "About %(minutes)d min %(seconds)d s spoken, of the pre-session's %(limit)d minute.",
            "About %(minutes)d min %(seconds)d s spoken, of the pre-session's %(limit)d minutes.",
            limit,
        ) % {"minutes": minutes, "seconds": seconds, "limit": limit}

    @property
    def words_message(self) -> str:
        # Grouped as the language groups thousands (4,712 / 4 712), like every other count on the page.
        return ngettext(
            "%(n)s word at %(rate)d words a minute.", "%(n)s words at %(rate)d words a minute.", self.words
        ) % {"n": number_format(self.words, force_grouping=True), "rate": WORDS_PER_MINUTE}

    @property
    def warning(self) -> str:
        if not self.over:
            return ""
        extra = self.words - PRE_SESSION_SECONDS * WORDS_PER_MINUTE // 60
        return ngettext(
            "Longer than the pre-session's 5 minutes: cut about %(n)s word.",
            "Longer than the pre-session's 5 minutes: cut about %(n)s words.",
            extra,
        ) % {"n": number_format(extra, force_grouping=True)}


def spoken_estimate(text: str) -> SpokenEstimate:
    """The words by the portal's one word-count rule, read at WORDS_PER_MINUTE, to the second."""
    words = count_words(text)
    return SpokenEstimate(words=words, seconds=round(words * 60 / WORDS_PER_MINUTE))


def draft_from_submission(submission: Submission) -> str:
    """A first draft: the executive summary, one line per section title, then the recommendations."""
    parts = []
    summary = submission.executive_summary.strip()
    if summary:
        parts.append(summary)
    titles = list(submission.sections.order_by("position", "pk").values_list("title", flat=True))
    if titles:
        parts.append("\n".join(titles))
    recommendations = list(
        Recommendation.objects.filter(submission=submission)
        .order_by("section__position", "section_id", "position", "pk")
        .values_list("text", flat=True)
    )
    if recommendations:
        lines = [_("We ask the State under review to:")]
        lines += [f"{number}. {text}" for number, text in enumerate(recommendations, start=1)]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def _normalised(text: str) -> str:
    return text.replace("\r\n", "\n").strip()


@transaction.atomic
def statement_save(*, submission: Submission, actor: User, text: str, version: int) -> Statement:
    """Saves the statement's text as a new version. Atomic: the statement row is locked, the version
    checked, the text and its StatementVersion written together."""
    statement, _created = Statement.objects.get_or_create(submission=submission)
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if statement.version != version:
        raise StaleStatement(
            _(
                "Someone saved the statement while you were editing it. Your text is kept below: copy what "
                "you need, reload the page to see their version, and save again."
            ),
            code="stale",
        )
    statement.text = _normalised(text)
    statement.version += 1
    statement.updated_by = actor
    statement.save()
    StatementVersion.objects.create(statement=statement, number=statement.version, text=statement.text, saved_by=actor)
    return statement


def statement_draft(*, submission: Submission, actor: User, version: int, replace: bool = False) -> Statement:
    """Seeds the statement from the submission. A statement with text is replaced only when asked
    (``replace``); its text stays as the version it was saved as."""
    statement = Statement.objects.filter(submission=submission).first()
    if statement is not None and statement.text and not replace:
        raise ValidationError(_("The statement has text already: confirm that the draft replaces it."), code="confirm")
    return statement_save(submission=submission, actor=actor, text=draft_from_submission(submission), version=version)


def statement_restore(*, statement: Statement, number: int, actor: User, version: int) -> Statement:
    """Makes an earlier version the current text, as a new version (nothing is lost)."""
    old = StatementVersion.objects.filter(statement=statement, number=number).first()
    if old is None:
        raise ValidationError(_("This version does not exist."), code="missing")
    return statement_save(submission=statement.submission, actor=actor, text=old.text, version=version)
