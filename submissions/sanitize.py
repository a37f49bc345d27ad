"""The one HTML cleaner for submission text: run on every save and again before any document is generated.

nh3 (ammonia) sanitises against the allowlist below. A small pass over nh3's output, which is
well-formed and fully escaped, then does what an allowlist cannot:

- `<span data-footnote="">` (the editor's footnote) is kept, with an empty attribute so no text can
  hide in it; every other span is unwrapped.
- Bold and italic survive a paste: `<b>`/`<i>` (Word, LibreOffice) and spans styled bold, italic,
  superscript or subscript (Google Docs) become strong, em, sup or sub; Google Docs' wrapping
  `<b style="font-weight:normal">` is unwrapped. No style attribute survives.
- h1 becomes h2 and h5/h6 become h4: the document generator owns the title (h1), and a submission
  needs no more than three levels. tfoot becomes tbody.
- Block elements that are not allowed (div, section, pre, hr, dl...) are unwrapped into a line break
  in the text, so the words on either side stay apart; a table caption is moved in front of its table.
- A link without an href (its URL was refused, or it was a Word bookmark) is unwrapped.

Words are never lost: unwrapped elements keep their text. Only content that is not text to a reader
goes with its element: script, style, template, title, Word's hidden <xml> document properties and
the fallback content of iframe, noscript, noembed and noframes (and SVG and MathML, see below).

Links keep href only for http(s)://, mailto: or a #fragment. nh3 lets relative URLs through by
default, and with those `rel="attachment"` plus a local path made WeasyPrint embed local files; the
`url_relative` callback refuses every relative URL but a fragment, the attribute filter checks the
same rule again, and `rel` is always overwritten.

Images are dropped: submissions are text under a word limit, an image would escape the count, and an
img src is one more URL for the document generator to fetch. Comments, forms, object and embed go
too (their text stays). SVG and MathML go whole, text included: ammonia drops foreign-namespace
content, where namespace confusion has broken sanitisers before.

clean_html is idempotent: clean_html(clean_html(x)) == clean_html(x).
"""

import re
from html.parser import HTMLParser

import nh3

from upr_portal.wordcount import BLOCK_ELEMENTS, FOOTNOTE_ATTRIBUTE

ALLOWED_TAGS = frozenset(
    {
        *("p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "br"),
        *("strong", "em", "sup", "sub", "a", "span"),
        *("table", "thead", "tbody", "tr", "th", "td"),
    }
)
LINK_REL = "noopener noreferrer nofollow"
URL_SCHEMES = frozenset({"http", "https", "mailto"})
MAX_CELL_SPAN = 100
_MAX_PASSES = 5

_RENAMED = {"h1": "h2", "h5": "h4", "h6": "h4", "tfoot": "tbody"}
_STYLED = frozenset({"b", "i", "span"})
# Unwrapped into a line break; nh3 must keep them until the post-pass has seen where they were.
_SEPARATING = BLOCK_ELEMENTS - ALLOWED_TAGS - set(_RENAMED) - {"caption"}
_CONTENT_DROPPED = frozenset(
    {"script", "style", "template", "title", "xml", "iframe", "noscript", "noembed", "noframes"}
)
_SAFE_HREF = re.compile(r"(?:https?://|mailto:)\S", re.IGNORECASE)
_CELL_SPAN = re.compile(r"[0-9]{1,3}")


def clean_html(html: str) -> str:
    """The text cleaned with the one allowlist. Callers that take text from users check its size and
    nesting first (submissions/text_limits.py): nh3's parser slows down with the square of the depth."""
    cleaned = _clean_once(html)
    if cleaned == html:
        # _clean_once is a function of its input alone: a second pass would give the same text again.
        return cleaned
    # Unwrapping can leave markup that the next parse nests differently (<h1><o:p><h1> gives <h2><h2>,
    # which a parser splits), so clean again until nothing changes: random markup settles within 3 passes.
    for _ in range(_MAX_PASSES):
        again = _clean_once(cleaned)
        if again == cleaned:
            break
        cleaned = again
    return cleaned


def _clean_once(html: str) -> str:
    normaliser = _Normaliser()
    normaliser.feed(_CLEANER.clean(html))
    normaliser.close()
    # Pasted documents leave the whitespace of their <head> behind; an HTML fragment's ends carry none.
    return "".join(normaliser.out).strip(" \t\n\r\f")


def _safe_href(value: str) -> str | None:
    value = value.strip()
    return value if value.startswith("#") or _SAFE_HREF.match(value) else None


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    # Called for every attribute, including those nh3 then drops; nh3 has already refused unsafe schemes.
    if attribute == "href":
        return _safe_href(value)
    if attribute in ("colspan", "rowspan"):
        if _CELL_SPAN.fullmatch(value.strip()) and 1 <= int(value) <= MAX_CELL_SPAN:
            return str(int(value))
        return None
    if attribute == FOOTNOTE_ATTRIBUTE:
        return ""
    return value


def _fragment_only(url: str) -> str | None:
    return url if url.startswith("#") else None


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS | _RENAMED.keys() | _STYLED | _SEPARATING | {"caption"}),
    clean_content_tags=set(_CONTENT_DROPPED),
    attributes={
        "*": set(),  # or ammonia keeps its default lang and title everywhere
        "a": {"href"},
        "td": {"colspan", "rowspan"},
        "th": {"colspan", "rowspan"},
        "span": {FOOTNOTE_ATTRIBUTE, "style"},
        "b": {"style"},
        "i": {"style"},
    },
    attribute_filter=_filter_attribute,
    filter_style_properties={"font-weight", "font-style", "vertical-align"},
    url_schemes=set(URL_SCHEMES),
    url_relative=_fragment_only,
    link_rel=LINK_REL,
    strip_comments=True,
)


def _formatting(tag: str, style: str) -> list[str]:
    """The elements that say what a b, i or span's tag and style (as nh3 normalised it) mean."""
    declarations = {
        name.strip(): value.strip().lower() for name, _, value in (item.partition(":") for item in style.split(";"))
    }
    weight = declarations.get("font-weight", "bold" if tag == "b" else "normal")
    slant = declarations.get("font-style", "italic" if tag == "i" else "normal")
    position = declarations.get("vertical-align", "")
    wrappers = []
    if weight in ("bold", "bolder") or (weight.isdigit() and int(weight) >= 600):
        wrappers.append("strong")
    if slant.startswith(("italic", "oblique")):
        wrappers.append("em")
    if position in ("super", "sub"):
        wrappers.append("sup" if position == "super" else "sub")
    return wrappers


class _Normaliser(HTMLParser):
    """Re-emits nh3's output token by token, changing only the elements described in the module docstring."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self._closers: dict[str, list[str]] = {}  # per tag name, what each open element's end tag becomes
        self._tables: list[int] = []  # where each open table starts in out
        self._captions: list[int] = []

    def _open(self, tag: str, start: str, end: str) -> None:
        self.out.append(start)
        self._closers.setdefault(tag, []).append(end)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "span" and FOOTNOTE_ATTRIBUTE in attributes:
            self._open(tag, f'<span {FOOTNOTE_ATTRIBUTE}="">', "</span>")
        elif tag in _STYLED:
            wrappers = _formatting(tag, attributes.get("style") or "")
            self._open(tag, "".join(f"<{w}>" for w in wrappers), "".join(f"</{w}>" for w in reversed(wrappers)))
        elif tag in _RENAMED:
            self._open(tag, f"<{_RENAMED[tag]}>", f"</{_RENAMED[tag]}>")
        elif tag == "a":
            has_href = "href" in attributes
            self._open(tag, self.get_starttag_text() if has_href else "", "</a>" if has_href else "")
        elif tag == "hr":
            self.out.append("\n")
        elif tag in _SEPARATING:
            self._open(tag, "\n", "\n")
        elif tag == "caption":
            self._captions.append(len(self.out))
        else:
            if tag == "table":
                self._tables.append(len(self.out))
            self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption" and self._captions:
            start = self._captions.pop()
            caption = ["\n", *self.out[start:], "\n"]
            del self.out[start:]
            # Text left inside <table> would be moved before it by the next parse: move it there now.
            table = self._tables[-1] if self._tables else len(self.out)
            self.out[table:table] = caption
            if self._tables:
                self._tables[-1] += len(caption)
        elif self._closers.get(tag):
            self.out.append(self._closers[tag].pop())
        else:
            if tag == "table" and self._tables:
                self._tables.pop()
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")
