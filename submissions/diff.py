"""A readable word-level difference between two versions of a section's text."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from upr_portal.wordcount import BLOCK_ELEMENTS, FOOTNOTE_ATTRIBUTE

_TOKENS = re.compile(r"\s+|[^\s]+")


class _Text(HTMLParser):
    """Visible text with a line break per block and footnotes shown in brackets where they are called."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.spans: list[bool] = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_ELEMENTS:
            self.parts.append("\n")
        if tag == "span":
            is_note = any(name == FOOTNOTE_ATTRIBUTE for name, _ in attrs)
            self.spans.append(is_note)
            if is_note:
                self.parts.append(" [")

    def handle_endtag(self, tag):
        if tag in BLOCK_ELEMENTS:
            self.parts.append("\n")
        if tag == "span" and self.spans and self.spans.pop():
            self.parts.append("]")

    def handle_data(self, data):
        self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    return re.sub(r"\n\s*\n+", "\n\n", text).strip()


@dataclass(frozen=True)
class Segment:
    op: str  # "equal", "insert" or "delete"
    text: str


def word_diff(old_html: str, new_html: str) -> list[Segment]:
    old = _TOKENS.findall(html_to_text(old_html))
    new = _TOKENS.findall(html_to_text(new_html))
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    segments: list[Segment] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment("equal", "".join(old[a1:a2])))
            continue
        if op in ("delete", "replace"):
            segments.append(Segment("delete", "".join(old[a1:a2])))
        if op in ("insert", "replace"):
            segments.append(Segment("insert", "".join(new[b1:b2])))
    return segments
