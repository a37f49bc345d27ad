"""The portal's one word-count rule, shared by the server, the API and the editor.

static/js/wordcount.js is a line-for-line port: the character classes below are copied there
verbatim, and tests/upr_portal/test_wordcount.py runs the same fixtures through both.

A word is a run of characters between separators, as LibreOffice Writer 7.4 and Microsoft Word count:

- Separators are the Unicode White_Space characters (no-break U+00A0, narrow no-break U+202F, thin
  U+2009, ideographic U+3000 and the rest) plus the en dash U+2013 and the em dash U+2014, so
  `rights—especially` is 2 words and `2010–2014` is 2.
- Every other dash joins, like the hyphens U+002D, U+2010 and U+2011: figure dash U+2012, horizontal
  bar U+2015 and the two- and three-em dashes. LibreOffice 7.4, measured, splits on none of them.
- Zero-width characters (zero-width space U+200B, joiners, word joiner, BOM, soft hyphen) join too:
  LibreOffice counts `a<U+200B>b` as one word, and in pasted text they usually sit invisibly inside a
  word or URL.
- A run made only of those dashes and invisible characters is not a word (`— – -` is 0). Any other
  run is one, lone symbols included (`&`, `§`, `−` minus sign, an emoji), and so are URLs,
  `A/HRC/52/1` and `and/or`.
- Runs without spaces are one word whatever the script: `人权理事会` is 1 here, where Word and
  LibreOffice count each ideograph.

In HTML, block elements separate words and inline ones do not (`well-<strong>known</strong>` is one
word). List numbers and footnote call numbers are generated at rendering and so never counted. A
footnote is stored where its call goes as `<span data-footnote="">note text</span>`: its words are
counted apart as notes, and its boundaries separate the body words around it.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser

WHITESPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
SEPARATING_DASHES = "\u2013\u2014"
JOINING_DASHES = "\\-\u2010\u2011\u2012\u2015\u2e3a\u2e3b"
INVISIBLE = "\xad\u200b\u200c\u200d\u2060\ufeff"

_SEPARATOR_RUN = re.compile(f"[{WHITESPACE}{SEPARATING_DASHES}]+")
_WORD_CHARACTER = re.compile(f"[^{JOINING_DASHES}{INVISIBLE}]")

BLOCK_ELEMENTS = frozenset(
    {
        *("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd"),
        *("blockquote", "pre", "div", "section", "article", "aside", "header", "footer", "nav", "main"),
        *("table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th"),
        *("figure", "figcaption", "address", "details", "summary", "br", "hr"),
    }
)
# Documentation and the parity test only: any element not in BLOCK_ELEMENTS (these, unknown ones like
# Word's <o:p>, void ones like <img>) leaves the words around it joined, as a browser shows it inline.
INLINE_ELEMENTS = frozenset(
    {"a", "abbr", "b", "cite", "code", "em", "i", "mark", "q", "s", "small", "span", "strong", "sub", "sup", "u"}
)
# Their content is not text; html.parser reads it as raw text until the closing tag.
RAW_TEXT_ELEMENTS = frozenset({"script", "style"})
FOOTNOTE_ATTRIBUTE = "data-footnote"


@dataclass(frozen=True, slots=True)
class WordCount:
    body: int
    notes: int

    @property
    def total(self) -> int:
        return self.body + self.notes


def split_words(text: str) -> list[str]:
    return [run for run in _SEPARATOR_RUN.split(text) if _WORD_CHARACTER.search(run)]


def count_words(text: str) -> int:
    return len(split_words(text))


def count_html(html: str) -> WordCount:
    parser = _TextCollector()
    parser.feed(html)
    parser.close()
    return WordCount(body=count_words("".join(parser.body)), notes=count_words("".join(parser.notes)))


def words_counted(count: WordCount, *, notes_count: bool) -> int:
    """The words a limit applies to: Word's dialog counts footnotes or not, by a per-document switch."""
    return count.total if notes_count else count.body


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.body: list[str] = []
        self.notes: list[str] = []
        self._open_spans: list[bool] = []  # True for a footnote, so its </span> ends the note
        self._footnote_depth = 0
        self._raw_text: str | None = None

    def _separate(self) -> None:
        self.body.append("\n")
        self.notes.append("\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK_ELEMENTS:
            self._separate()
        elif tag == "span":
            is_footnote = any(name == FOOTNOTE_ATTRIBUTE for name, _ in attrs)
            self._open_spans.append(is_footnote)
            if is_footnote:
                self._separate()
                self._footnote_depth += 1
        elif tag in RAW_TEXT_ELEMENTS:
            self._raw_text = tag

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCK_ELEMENTS:
            self._separate()
        elif tag == "span" and self._open_spans:
            if self._open_spans.pop():
                self._separate()
                self._footnote_depth -= 1
        elif tag == self._raw_text:
            self._raw_text = None

    def handle_data(self, data: str) -> None:
        if self._raw_text is None:
            (self.notes if self._footnote_depth else self.body).append(data)
