"""Shows a stored section text with numbered footnote calls and the notes listed after it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from submissions.sanitize import clean_html

# The cleaner guarantees the footnote markup: a span with only data-footnote, and no other span.
_FOOTNOTE = re.compile(r'<span data-footnote="[^"]*">(.*?)</span>', re.DOTALL)


@dataclass(frozen=True)
class Rendered:
    body: SafeString
    notes: list[SafeString]


def render_with_notes(html: str, *, first_number: int = 1, anchor_prefix: str = "fn") -> Rendered:
    notes: list[SafeString] = []

    def call(match: re.Match) -> str:
        number = first_number + len(notes)
        notes.append(mark_safe(match.group(1)))  # noqa: S308 - cleaned by the one allowlist just above
        return (
            f'<sup class="footnote-call"><a href="#{anchor_prefix}-{number}" id="{anchor_prefix}ref-{number}">'
            f"{number}</a></sup>"
        )

    body = _FOOTNOTE.sub(call, clean_html(html))
    return Rendered(body=mark_safe(body), notes=notes)  # noqa: S308 - cleaned above
