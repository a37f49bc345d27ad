"""The kinds of email the portal sends, each registered by the app that owns its objects.

An app describes a kind in its ``emails.py`` and registers it from ``AppConfig.ready()``. The outbox
only knows the kind's name: when a message is sent, the kind turns the message's object ids into a
template context, in the recipient's language. Templates live in ``templates/emails/<name>/`` as
``subject.txt``, ``body.txt`` and ``body.html``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from notifications.models import OutboxMessage


@dataclass(frozen=True, slots=True)
class EmailKind:
    # "<app>.<what>", for example "coalitions.invitation".
    name: str
    # The template context from the message's ids, or None when the message is no longer needed (the
    # invitation was revoked, the person left): it is then cancelled, not sent.
    build_context: Callable[[OutboxMessage], dict | None]
    # An email that asks the recipient to do something says so in its subject.
    action: bool = False
    # Called once when the message has failed for good (a permanent refusal, or retries exhausted).
    on_failure: Callable[[OutboxMessage], None] | None = None
    # Called once after the mail server accepted the message, for an app that records deliveries.
    on_sent: Callable[[OutboxMessage], None] | None = None
    # What the message is, in words, for the lists of sent mail (before its subject is rendered).
    label: str = ""

    @property
    def template_dir(self) -> str:
        return "emails/" + self.name.replace(".", "/")


_kinds: dict[str, EmailKind] = {}


def register(kind: EmailKind) -> EmailKind:
    if kind.name in _kinds and _kinds[kind.name] != kind:
        raise ValueError(f"Email kind {kind.name!r} is registered twice.")
    _kinds[kind.name] = kind
    return kind


def get(name: str) -> EmailKind:
    try:
        return _kinds[name]
    except KeyError:
        raise LookupError(f"No email kind {name!r} is registered (is its app's emails module loaded?).") from None


def find(name: str) -> EmailKind | None:
    """The kind, or None when no app registers it any more (for lists and failure paths)."""
    return _kinds.get(name)


def names() -> list[str]:
    return sorted(_kinds)
