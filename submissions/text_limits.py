"""How large and how deeply nested a section's text may be: the one place these limits live.

Every way a text reaches a section (the editor's save API, the form that saves without JavaScript,
a restore from the history) goes through ``check_text`` before anything parses the text, and the
cleaned text is checked again, so a stored text always passes the limits it was saved under.

Why a depth limit, and why checked here: html5ever (inside nh3) does work in proportion to the
depth of the open elements for every element it opens, so 98,000 nested ``<div>`` (490 KB) cost
40 s of CPU while a 5,600-word section costs milliseconds. ``check_text`` reads the raw text once
with a small streaming tokenizer, stops at the first element past the limit, and never builds a tree.

The gauge follows the HTML tokenizer exactly wherever it decides what is markup and what is text
(comments, quoted attribute values, the raw text of style, textarea, title and the like, script's
escape states, ASCII-only case folding), and models the tree builder only as far as it can without
ever counting less than a browser builds:

- an element is closed by its end tag only when nothing but formatting elements lies above it (the
  browser closes those too), and by a new p, li, dd, dt, heading or option as the spec says;
  anything else stays counted, so sloppy markup errs toward "deeper" (anchors left open, or a bold
  left open in paragraph after paragraph, are refused: the editor never writes them);
- formatting elements (b, i, a...) that a block's end tag closes implicitly are counted as
  "reopened": the browser rebuilds them at the next text (the HTML spec's "reconstruct the active
  formatting elements"), which is how 120 KB of ``<div>x</div>`` after 99 unclosed ``<b>`` made nh3
  build 990,000 elements. They stay in the depth, and every rebuild adds to a budget;
- svg, math and select change the tokenizer's or the tree builder's rules in ways the gauge does not
  model: a text containing them is refused (the editor never writes them, and the cleaner drops svg
  and math whole anyway).

A browser may still nest up to twice as deep as the gauge counts (the tbody and tr it adds to a
table's cells; a br for an instant). tests/submissions/test_text_limits.py checks all this against
tinyhtml5, a Python implementation of the HTML parsing algorithm, on hand-made and random documents.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from submissions.errors import TextRefused

# The longest real section (5,630 words with 60 footnotes, the whole of a joint submission) is about
# 45,000 characters of the editor's HTML; the demo texts are under 7,000. Ten times the former.
MAX_BODY_CHARACTERS = 500_000
# Parsing costs by the tag, not by the character: the cleaner takes about 40 microseconds a tag, so
# 500,000 characters of "<b>x</b>" would cost 5 seconds. That longest section has about 1,500 tags.
MAX_TAGS = 20_000
# The editor's deepest structures (a list three levels deep in a table cell, with bold, italic and a
# link) are about 15 elements deep; pasted office documents about 30.
MAX_NESTING_DEPTH = 100
# Formatting elements the browser may rebuild after markup that closed them implicitly. Well-formed
# text needs none; a paragraph left with an unclosed <b> needs one per following paragraph.
MAX_REOPENED_FORMATTING = 10_000

TOO_LARGE = "too_large"
TOO_MUCH_MARKUP = "too_much_markup"
TOO_DEEP = "too_deep"
UNSUPPORTED = "unsupported"


@dataclass(frozen=True)
class Nesting:
    """What the gauge saw: the deepest nesting, the formatting elements rebuilt, an element it does not model."""

    depth: int
    reopened: int
    unsupported: str | None = None


def check_text(html: str) -> None:
    """Raises TextRefused, saying why in plain words, when a section may not hold ``html``."""
    if len(html) > MAX_BODY_CHARACTERS:
        raise too_large(len(html))
    # Every tag starts with "<", and the editor writes a "<" of the text as "&lt;": an upper bound, in C.
    tags = html.count("<")
    if tags > MAX_TAGS:
        raise TextRefused(
            _(
                "This text has too much formatting to save: %(count)s tags (the marks that make headings, "
                "bold, links and the like), where a section can hold %(limit)s. Paste it without its "
                "formatting, or split it into several sections."
            )
            % {
                "count": number_format(tags, force_grouping=True),
                "limit": number_format(MAX_TAGS, force_grouping=True),
            },
            code=TOO_MUCH_MARKUP,
        )
    nesting = measure_nesting(html, stop_after_depth=MAX_NESTING_DEPTH, stop_after_reopened=MAX_REOPENED_FORMATTING)
    if nesting.unsupported:
        raise TextRefused(
            _(
                "This text contains a drawing, a formula or a form field (<%(element)s>), which a section "
                "cannot hold. Remove it, or paste the text without its formatting, then save again."
            )
            % {"element": nesting.unsupported},
            code=UNSUPPORTED,
        )
    if nesting.depth > MAX_NESTING_DEPTH or nesting.reopened > MAX_REOPENED_FORMATTING:
        raise TextRefused(
            _(
                "This text cannot be saved: its formatting is nested more than %(limit)s levels deep. "
                "This happens when a web page or a converted document is pasted with its markup: paste "
                "the text without its formatting, then add headings, lists and bold again."
            )
            % {"limit": MAX_NESTING_DEPTH},
            code=TOO_DEEP,
        )


def too_large(size: int) -> TextRefused:
    """The refusal of a text of ``size`` characters (for a request too large to read, its bytes)."""
    return TextRefused(
        _(
            "This text is too long to save: %(size)s characters with its formatting, where a section "
            "can hold %(limit)s (many times a whole submission). Split it into several sections."
        )
        % {
            "size": number_format(size, force_grouping=True),
            "limit": number_format(MAX_BODY_CHARACTERS, force_grouping=True),
        },
        code=TOO_LARGE,
    )


# --- The gauge ----------------------------------------------------------------------------------

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
# The tokenizer's whitespace: tab, LF, FF, CR and space, nothing else.
_TAG_NAME = re.compile(r"[A-Za-z][^\t\n\f\r />]*")
_BEFORE_ATTRIBUTE = re.compile(r"[\t\n\f\r /]*")
_ATTRIBUTE_NAME = re.compile(r"[^\t\n\f\r />][^\t\n\f\r /=>]*")
_SPACES = re.compile(r"[\t\n\f\r ]*")
_UNQUOTED_VALUE = re.compile(r"[^\t\n\f\r >]*")
_COMMENT_END = re.compile(r"--!?>")
# re.ASCII: with IGNORECASE alone, the Kelvin sign would match "k" and the long s "s".
_FLAGS = re.ASCII | re.IGNORECASE
_SCRIPT_DATA = re.compile(r"</script[\t\n\f\r />]|<!--", _FLAGS)
_SCRIPT_ESCAPED = re.compile(r"-->|</script[\t\n\f\r />]|<script[\t\n\f\r />]", _FLAGS)
_SCRIPT_DOUBLE_ESCAPED = re.compile(r"-->|</script[\t\n\f\r />]", _FLAGS)

VOID = frozenset(
    {
        *("area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img"),
        *("input", "keygen", "link", "meta", "param", "source", "track", "wbr"),
    }
)
# Their content is text to the tokenizer (RAWTEXT and RCDATA; noscript because html5ever parses with
# scripting on). Script has escape states of its own, and plaintext makes the rest of the text text.
_RAW_TEXT = frozenset({"style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title"})
_RAW_TEXT_END = {name: re.compile(rf"</{name}[\t\n\f\r />]", _FLAGS) for name in _RAW_TEXT}
_UNMODELLED = frozenset({"svg", "math", "select"})
FORMATTING = frozenset(
    {"a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u"}
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Start tags that close an open p element ("close a p element" when p is in button scope).
_CLOSES_P = frozenset(
    {
        *("address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl"),
        *("fieldset", "figcaption", "figure", "footer", "header", "hgroup", "main", "menu", "nav", "ol", "p"),
        *("search", "section", "summary", "ul", "pre", "listing", "form", "li", "dd", "dt", "plaintext", "xmp"),
        *_HEADINGS,
    }
)
_P = frozenset({"p"})
_CLOSED_BY = {**dict.fromkeys(_HEADINGS, _HEADINGS), "option": {"option"}, "optgroup": {"option"}}
_ITEMS = {"li": frozenset({"li"}), "dd": frozenset({"dd", "dt"}), "dt": frozenset({"dd", "dt"})}
# What a new list item closes on its way down to the open item, besides formatting elements.
_ITEM_PASSES = frozenset({"address", "div", "p"})


class _Stop(Exception):
    pass


class _Gauge:
    def __init__(self, stop_after_depth: int | None, stop_after_reopened: int | None) -> None:
        self.stack: list[str] = []
        # Formatting elements closed implicitly, which the browser rebuilds at the next text.
        self.reopen: list[str] = []
        self.depth = 0
        self.reopened = 0
        self.unsupported: str | None = None
        self._stop_depth = stop_after_depth
        self._stop_reopened = stop_after_reopened

    def _measure(self) -> None:
        depth = len(self.stack) + len(self.reopen)
        if depth > self.depth:
            self.depth = depth
            if self._stop_depth is not None and depth > self._stop_depth:
                raise _Stop
        if self._stop_reopened is not None and self.reopened > self._stop_reopened:
            raise _Stop

    def _close_from(self, index: int) -> None:
        """Pops the stack down to ``index``; formatting elements popped on the way are rebuilt later."""
        self.reopen.extend(name for name in self.stack[index + 1 :] if name in FORMATTING)
        del self.stack[index:]

    def _find_below(self, names: frozenset[str], passable: frozenset[str] = frozenset()) -> int | None:
        """Where the nearest of ``names`` is, if only formatting and ``passable`` elements lie above it.

        Every end tag and implied end the gauge models closes an element only through formatting
        elements (and, for a new list item, address, div and p), which the browser closes too;
        anything else stops it, so the gauge may count deeper than a browser but never shallower.
        """
        for index in range(len(self.stack) - 1, -1, -1):
            open_name = self.stack[index]
            if open_name in names:
                return index
            if open_name not in FORMATTING and open_name not in passable:
                return None
        return None

    def text(self) -> None:
        if self.reopen:  # rare: only after markup that closed formatting elements implicitly
            self.reopened += len(self.reopen)
            self.stack.extend(self.reopen)
            self.reopen.clear()
            self._measure()

    def start(self, name: str) -> None:
        if name in _UNMODELLED:
            self.unsupported = name
            raise _Stop
        # The browser may rebuild the closed formatting elements before inserting this element (inline
        # ones) or at the next text (blocks): count the work now, keep them pending until text.
        if self.reopen:
            self.reopened += len(self.reopen)
        stack = self.stack
        if name in _CLOSES_P:
            index = self._find_below(_P)
            if index is not None:
                self._close_from(index)
        if name in _ITEMS:
            index = self._find_below(_ITEMS[name], _ITEM_PASSES)
            if index is not None:
                self._close_from(index)
        elif stack and stack[-1] in _CLOSED_BY.get(name, ()):  # a heading closes a heading, an option an option
            stack.pop()
        if name not in VOID:
            stack.append(name)
        if self.reopen or len(stack) > self.depth:
            self._measure()

    def end(self, name: str) -> None:
        stack = self.stack
        if stack and stack[-1] == name and name not in ("body", "html"):
            stack.pop()
            return
        if name in FORMATTING:
            # The adoption agency algorithm: only its simple cases (on top, or closed already) are modelled.
            if name in self.reopen and name not in stack:
                del self.reopen[len(self.reopen) - 1 - self.reopen[::-1].index(name)]
            return
        if name in ("body", "html"):  # the browser switches insertion mode and closes nothing
            return
        index = self._find_below(frozenset({name}))
        if index is not None:
            self._close_from(index)


def measure_nesting(
    html: str, *, stop_after_depth: int | None = None, stop_after_reopened: int | None = None
) -> Nesting:
    """The deepest nesting of elements a browser could build from ``html``, read in one pass.

    Stops early (the answer is then just past the limit) once the depth or the rebuilt formatting
    elements pass the given limits, and at the first element it does not model.
    """
    gauge = _Gauge(stop_after_depth, stop_after_reopened)
    with contextlib.suppress(_Stop):
        _tokenize(html, gauge)
    return Nesting(depth=gauge.depth, reopened=gauge.reopened, unsupported=gauge.unsupported)


# The next thing a "<" starts: a tag (with no attributes: its end too), a comment, a bogus comment.
_NEXT = re.compile(r"<(?:(/?)([A-Za-z][^\t\n\f\r />]*)([\t\n\f\r /]*>)?|(!--)|([!?]|/(?![A-Za-z])))")


def _tokenize(html: str, gauge: _Gauge) -> None:
    end_of_text = len(html)
    position = 0
    search = _NEXT.search
    while position < end_of_text:
        found = search(html, position)
        if found is None:
            if position < end_of_text:
                gauge.text()
            return
        if found.start() > position:
            gauge.text()
        closing, raw_name, simple_end, comment, bogus = found.groups()
        if raw_name is not None:
            tag_end = found.end() if simple_end else _tag_end(html, found.end(2))
            if tag_end is None:  # a tag cut off by the end of the text is dropped
                return
            # ASCII case folding only: str.lower() would turn the Kelvin sign into "k".
            name = raw_name.lower() if raw_name.isascii() else raw_name.translate(_ASCII_LOWER)
            position = tag_end
            if closing:
                gauge.end(name)
                continue
            gauge.start(name)
            if name in _RAW_TEXT:
                raw_end = _RAW_TEXT_END[name].search(html, position)
                position = end_of_text if raw_end is None else raw_end.start()
            elif name == "script":
                position = _script_end(html, position)
            elif name == "plaintext":
                return
        elif comment is not None:
            position = _comment_end(html, found.end())
        elif bogus == "/" and found.end() >= end_of_text:  # "</" at the very end is text
            gauge.text()
            return
        elif bogus == "/" and html.startswith(">", found.end()):  # "</>" is dropped
            position = found.end() + 1
        else:  # doctype, CDATA outside foreign content, processing instructions, "</" + not a letter
            position = _after(html, ">", found.end())
    # A "<" followed by anything else is text: the search above skips it with the text around it.


def _after(html: str, character: str, start: int) -> int:
    found = html.find(character, start)
    return len(html) if found < 0 else found + 1


def _comment_end(html: str, start: int) -> int:
    """Where a comment whose text begins at ``start`` ends: "<!-->", "<!--->", then "-->" or "--!>"."""
    if html.startswith(">", start):
        return start + 1
    if html.startswith("->", start):
        return start + 2
    found = _COMMENT_END.search(html, start)
    return len(html) if found is None else found.end()


def _tag_end(html: str, position: int) -> int | None:
    """Where a tag whose name ends at ``position`` ends, reading its attributes as the tokenizer does."""
    end_of_text = len(html)
    while True:
        position = _BEFORE_ATTRIBUTE.match(html, position).end()
        if position >= end_of_text:
            return None
        if html[position] == ">":
            return position + 1
        position = _ATTRIBUTE_NAME.match(html, position).end()
        position = _SPACES.match(html, position).end()
        if position < end_of_text and html[position] == "=":
            position = _SPACES.match(html, position + 1).end()
            if position >= end_of_text:
                return None
            quote = html[position]
            if quote in "\"'":
                closing = html.find(quote, position + 1)
                if closing < 0:
                    return None
                position = closing + 1
            elif quote == ">":
                return position + 1
            else:
                position = _UNQUOTED_VALUE.match(html, position).end()


def _script_end(html: str, position: int) -> int:
    """Where a script's text ends (at its end tag), through the escaped and double-escaped states."""
    state = "data"
    while True:
        if state == "data":
            found = _SCRIPT_DATA.search(html, position)
            if found is None:
                return len(html)
            if found.group().startswith("</"):
                return found.start()
            # "<!--" leaves the tokenizer in the escaped dash-dash state: "<!-->" ends the escape.
            state, position = "escaped", found.end() - 2
        elif state == "escaped":
            found = _SCRIPT_ESCAPED.search(html, position)
            if found is None:
                return len(html)
            if found.group() == "-->":
                state = "data"
            elif found.group().startswith("</"):
                return found.start()
            else:
                state = "double"
            position = found.end()
        else:
            found = _SCRIPT_DOUBLE_ESCAPED.search(html, position)
            if found is None:
                return len(html)
            state = "data" if found.group() == "-->" else "escaped"
            position = found.end()
