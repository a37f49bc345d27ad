"""What the comments beside a section show: its threads and who may do what with them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Q, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from coalitions.models import Membership
from coalitions.rules import can
from submissions.models import Comment, Section
from submissions.services.comments import Member, coalition_members

MENTION_RESULTS = 10


@dataclass
class Thread:
    comment: Comment
    replies: list[Comment] = field(default_factory=list)
    can_resolve: bool = False


@dataclass
class CommentPanel:
    section: Section
    open_threads: list[Thread]
    resolved_threads: list[Thread]
    can_comment: bool
    # The "Notify" list: an ``<option>`` for each member a comment can notify (``member_options``).
    member_options: str

    @property
    def count(self) -> int:
        return len(self.open_threads) + len(self.resolved_threads)


class PanelRows(NamedTuple):
    """What the comment panel reads from the database, the same for everyone: plain data, to remember."""

    comments: list[Comment]  # without their ``section`` (the page's own is set on them)
    member_options: str  # ``member_options`` of every member of the coalition


def member_options(members: list[Member]) -> str:
    """The ``<option>`` of each member, in one string: two hundred people rendered one by one in the
    template cost a national coalition's editor more than the rest of its comments, and a string is
    one object to remember where a list of members was a thousand to unpickle on each visit."""
    return format_html_join("", '<option value="{}">{}</option>', ((member.pk, member.name) for member in members))


def without_option(options: str, pk: int) -> str:
    """``member_options`` without the member ``pk``'s (nobody is offered to notify themselves)."""
    start = options.find(f'<option value="{int(pk)}">')
    if start != -1:
        # A name is escaped: the first "</option>" after its start ends the option.
        options = options[:start] + options[options.index("</option>", start) + len("</option>") :]
    return mark_safe(options)  # noqa: S308 - format_html_join's markup, less one whole option


def _comments(section: Section) -> list[Comment]:
    return list(
        Comment.objects.filter(section=section)
        .select_related("author", "resolved_by")
        .only(
            *("section", "parent", "body", "quote", "created_at", "resolved_at"),
            *("author__full_name", "author__email", "resolved_by__full_name", "resolved_by__email"),
        )
        .order_by("created_at", "pk")
    )


def panel_rows(*, section: Section) -> PanelRows:
    """The section's comments with their authors, oldest first, and its coalition's members: two queries."""
    members = coalition_members(coalition_id=section.submission.coalition_id)
    return PanelRows(_comments(section), member_options(members))


def comment_panel(*, user, section: Section, rows: PanelRows | None = None) -> CommentPanel:
    """The section's threads, open ones first (oldest first), each with its answers; and the members
    a comment can notify. Two queries whatever the number of comments: the comments with their
    authors, and the members (only for someone who may comment), unless the caller passes ``rows``
    (``panel_rows``, which it may have remembered). The rules read the section's assignees already on
    it (``with_assignees``) and the person's memberships, cached per request."""
    can_comment = can(user, "submissions.comment_section", section)
    if rows is None:
        rows = panel_rows(section=section) if can_comment else PanelRows(_comments(section), "")
    threads: dict[int, Thread] = {}
    for comment in rows.comments:
        comment.section = section  # the rules read the section (and its assignees) from the comment
        if comment.parent_id is None:
            threads[comment.pk] = Thread(comment)
    for comment in rows.comments:
        if comment.parent_id in threads:
            threads[comment.parent_id].replies.append(comment)
    for thread in threads.values():
        thread.can_resolve = can(user, "submissions.resolve_comment", thread.comment)
    return CommentPanel(
        section=section,
        open_threads=[t for t in threads.values() if not t.comment.is_resolved],
        resolved_threads=[t for t in threads.values() if t.comment.is_resolved],
        can_comment=can_comment,
        member_options=without_option(rows.member_options, user.pk) if can_comment else "",
    )


def mention_candidates(*, coalition_id: int, query: str, exclude_user_id: int | None = None) -> list[dict]:
    """At most MENTION_RESULTS active members whose name (any word of it) or email address starts with
    ``query``, by the name shown, with their organisation. One query."""
    members = Membership.objects.filter(coalition_id=coalition_id, is_active=True, user__is_active=True)
    query = query.strip()
    if query:
        members = members.filter(
            Q(user__full_name__istartswith=query)
            | Q(user__full_name__icontains=" " + query)
            | Q(user__email__istartswith=query)
        )
    if exclude_user_id is not None:
        members = members.exclude(user_id=exclude_user_id)
    shown = Lower(Coalesce(NullIf("user__full_name", Value("")), "user__email"))
    rows = members.order_by(shown, "user__email").values_list(
        "user_id", "user__full_name", "user__email", "organisation__name"
    )[:MENTION_RESULTS]
    return [
        {"id": pk, "name": full_name or email, "organisation": organisation}
        for pk, full_name, email, organisation in rows
    ]
