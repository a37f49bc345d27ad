"""Comments on a section: writing one (with its @mentions and who is told), resolving and reopening a thread.

Mentions: the form posts the ids of the people chosen (the autocomplete inserts "@Full Name" and adds the
id; without JavaScript a "Notify" list posts the ids alone), and the text is also read for "@Name" of a
member typed by hand. Only the coalition's active members can be mentioned: an id of anyone else is
dropped, and an "@Name" that names no member, or two members at once, stays plain text.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from accounts.throttles import RateLimit, try_again_in
from coalitions.models import AuditEvent, Membership
from coalitions.services.coalitions import audit
from notifications.services import email_queue, notification_create
from submissions.errors import SubmissionError
from submissions.models import Comment, Section
from submissions.models.comments import COMMENT_MAX_LENGTH, QUOTE_MAX_LENGTH
from submissions.selectors import section_people

# The notification's and the email's kind (submissions/comment_emails.py).
COMMENT_NOTIFICATION = "submissions.comment"
# Enough for a working group; a comment naming more is a broadcast, which the coalition's mail is for.
MAX_MENTIONS = 20
# One person's comments: enough for a reviewer going through a section, not for a script flooding
# everyone's bell and mailbox (each comment tells the section's people).
COMMENTS_PER_PERSON = 30
COMMENTS_WINDOW_SECONDS = 600
# What a notification shows of the comment.
EXCERPT_LENGTH = 200

# An @ that starts a mention: at the start of the text or after a character that is no part of a word
# (so the @ inside "jane@example.org" starts nothing).
MENTION_START = re.compile(r"(?<![\w@])@")


def comment_rate() -> RateLimit:
    return RateLimit(name="comments", limit=COMMENTS_PER_PERSON, window=COMMENTS_WINDOW_SECONDS)


@dataclass(frozen=True)
class Member:
    pk: int
    name: str  # the name shown: the full name, or the email address of a person without one


def coalition_members(*, coalition_id: int) -> list[Member]:
    """The coalition's active members (active accounts), by the name shown. One query."""
    rows = (
        Membership.objects.filter(coalition_id=coalition_id, is_active=True, user__is_active=True)
        .order_by("user__full_name", "user__email")
        .values_list("user_id", "user__full_name", "user__email")
    )
    return [Member(pk, full_name or email) for pk, full_name, email in rows]


def mentions_in_text(body: str, members: Iterable[Member]) -> set[int]:
    """The members named "@Name" in the text (the shown name, in any case, not followed by a letter or
    digit). A name two members share names neither: the autocomplete's ids tell them apart."""
    by_name: dict[str, set[int]] = {}
    for member in members:
        by_name.setdefault(member.name.casefold(), set()).add(member.pk)
    # Longest first: "@Anna Maria Lopez" is Anna Maria, not Anna.
    names = sorted(by_name, key=len, reverse=True)
    folded = body.casefold()
    found: set[int] = set()
    for match in MENTION_START.finditer(body):
        start = match.end()
        for name in names:
            end = start + len(name)
            if folded[start:end] == name and not (end < len(body) and (body[end].isalnum() or body[end] == "_")):
                if len(by_name[name]) == 1:
                    found |= by_name[name]
                break
    return found


def comment_mentions(*, body: str, chosen_ids: Iterable[int], coalition_id: int) -> set[int]:
    """The people a comment mentions: the ids chosen and the "@Name"s typed, members only."""
    members = coalition_members(coalition_id=coalition_id)
    member_ids = {member.pk for member in members}
    return ({int(pk) for pk in chosen_ids} & member_ids) | mentions_in_text(body, members)


def section_audience(*, section: Section) -> set[int]:
    """Who hears of the section's comments: its people (submissions.selectors.section_people)."""
    return set(section_people([section])[section.pk])


def _refuse_if_flooding(author: User) -> None:
    wait = comment_rate().wait(str(author.pk))
    if wait:
        raise SubmissionError(
            _("You have written many comments in a short time. Please wait before writing another.")
            + " "
            + try_again_in(wait),
            code="comment_rate",
        )


def _clean(body: str, quote: str, parent: Comment | None, section: Section) -> tuple[str, str]:
    body, quote = body.strip(), quote.strip()
    if not body:
        raise SubmissionError(_("Write the comment before sending it."), code="empty")
    if len(body) > COMMENT_MAX_LENGTH:
        raise SubmissionError(
            _("A comment has at most %(max)d characters; this one has %(count)d.")
            % {"max": COMMENT_MAX_LENGTH, "count": len(body)},
            code="too_long",
        )
    if len(quote) > QUOTE_MAX_LENGTH:
        raise SubmissionError(
            _("A quoted passage has at most %(max)d characters; this one has %(count)d. Select a shorter one.")
            % {"max": QUOTE_MAX_LENGTH, "count": len(quote)},
            code="quote_too_long",
        )
    if parent is not None:
        if parent.section_id != section.pk or parent.parent_id is not None:
            raise SubmissionError(_("This answer belongs to no thread of this section."), code="bad_parent")
        # A reply answers the thread; the passage it is about is the thread's.
        quote = ""
    return body, quote


def comment_add(
    *,
    section: Section,
    author: User,
    body: str,
    quote: str = "",
    parent: Comment | None = None,
    mention_ids: Iterable[int] = (),
) -> Comment:
    """Writes a comment (a new thread, or with ``parent`` an answer to one) and tells its people.

    In one transaction: the comment, its mentions, a notification to each person told and, for those
    who want it (``User.email_notifications``), an email queued in the outbox, sent once it commits.
    Told, once each and never the author: the people mentioned, the section's people
    (``section_audience``) and, for an answer, the person who started the thread. Refused with
    SubmissionError when empty, over a length, naming too many people, or when the author wrote too
    many comments in the last minutes (``comment_rate``).
    """
    body, quote = _clean(body, quote, parent, section)
    _refuse_if_flooding(author)
    coalition_id = section.submission.coalition_id
    mentioned = comment_mentions(body=body, chosen_ids=mention_ids, coalition_id=coalition_id) - {author.pk}
    if len(mentioned) > MAX_MENTIONS:
        raise SubmissionError(
            ngettext(
                "A comment can mention at most %(max)d person; this one mentions %(count)d.",
                "A comment can mention at most %(max)d people; this one mentions %(count)d.",
                MAX_MENTIONS,
            )
            % {"max": MAX_MENTIONS, "count": len(mentioned)},
            code="too_many_mentions",
        )
    with transaction.atomic():
        comment = Comment.objects.create(section=section, parent=parent, author=author, body=body, quote=quote)
        comment.mentions.set(mentioned)
        audience = section_audience(section=section) | mentioned
        if parent is not None and parent.author_id is not None:
            # Only while the thread's author is still a member: nobody outside the coalition is told.
            audience |= set(
                Membership.objects.filter(
                    coalition_id=coalition_id, user_id=parent.author_id, is_active=True, user__is_active=True
                ).values_list("user_id", flat=True)
            )
        audience.discard(author.pk)
        _tell(comment=comment, section=section, author=author, audience=audience, mentioned=mentioned)
    comment_rate().hit(str(author.pk))
    return comment


def comment_url(comment: Comment) -> str:
    section = comment.section
    return reverse("submissions:section", args=[section.submission_id, section.pk]) + f"#comment-{comment.pk}"


def comment_headline(*, comment: Comment, author: User, section: Section, mentioned: bool) -> str:
    """The notification's title in the active language."""
    names = {"name": str(author), "section": section.title}
    if mentioned:
        return _("%(name)s mentioned you in a comment on %(section)s") % names
    if comment.parent_id is not None:
        return _("%(name)s answered a comment on %(section)s") % names
    return _("%(name)s commented on %(section)s") % names


def excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_LENGTH else text[: EXCERPT_LENGTH - 1].rstrip() + "…"


def _tell(*, comment: Comment, section: Section, author: User, audience: set[int], mentioned: set[int]) -> None:
    url = comment_url(comment)
    coalition_id = section.submission.coalition_id
    for user in User.objects.filter(pk__in=audience).order_by("pk"):
        is_mentioned = user.pk in mentioned
        with translation.override(user.language or settings.LANGUAGE_CODE):
            title = comment_headline(comment=comment, author=author, section=section, mentioned=is_mentioned)
        notification_create(
            user=user,
            kind=COMMENT_NOTIFICATION,
            title=title,
            body=excerpt(comment.body),
            url=url,
            coalition_id=coalition_id,
        )
        if user.email_notifications and user.email:
            email_queue(
                kind=COMMENT_NOTIFICATION,
                to_email=user.email,
                recipient=user,
                context={"comment": comment.pk, "mentioned": int(is_mentioned)},
                coalition_id=coalition_id,
                sender=author,
            )


def _refuse_unless_thread(comment: Comment) -> None:
    if comment.parent_id is not None:
        raise SubmissionError(_("Only a thread is resolved or reopened, not an answer in it."), code="not_a_thread")


def comment_resolve(*, comment: Comment, actor: User, now: datetime.datetime | None = None) -> bool:
    """Marks the thread resolved and records it in the coalition's activity log; False (and nothing
    recorded) when it already was. The conditional UPDATE keeps two people pressing "Resolve" at once
    from recording it twice."""
    _refuse_unless_thread(comment)
    now = now or timezone.now()
    with transaction.atomic():
        changed = Comment.objects.filter(pk=comment.pk, resolved_at__isnull=True).update(
            resolved_at=now, resolved_by=actor
        )
        if changed:
            comment.resolved_at, comment.resolved_by = now, actor
            _audit(comment, actor, AuditEvent.Action.COMMENT_RESOLVED)
    return bool(changed)


def comment_reopen(*, comment: Comment, actor: User) -> bool:
    """Opens the resolved thread again and records it; False (and nothing recorded) when it was open."""
    _refuse_unless_thread(comment)
    with transaction.atomic():
        changed = Comment.objects.filter(pk=comment.pk, resolved_at__isnull=False).update(
            resolved_at=None, resolved_by=None
        )
        if changed:
            comment.resolved_at, comment.resolved_by = None, None
            _audit(comment, actor, AuditEvent.Action.COMMENT_REOPENED)
    return bool(changed)


def _audit(comment: Comment, actor: User, action: str) -> None:
    section = comment.section
    audit(
        coalition=section.submission.coalition,
        actor=actor,
        action=action,
        subject=section.title,
        submission=section.submission_id,
        section=section.pk,
        comment=comment.pk,
        excerpt=excerpt(comment.body)[:100],
    )
