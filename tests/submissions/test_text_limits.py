"""The limits of a section's text, and the nesting gauge checked against an HTML5 parser."""

import random
from pathlib import Path

import pytest
from tinyhtml5.parser import HTMLParser
from tinyhtml5.treebuilder import TreeBuilder

from submissions.errors import TextRefused
from submissions.text_limits import (
    MAX_BODY_CHARACTERS,
    MAX_NESTING_DEPTH,
    MAX_TAGS,
    TOO_DEEP,
    TOO_LARGE,
    TOO_MUCH_MARKUP,
    UNSUPPORTED,
    check_text,
    measure_nesting,
)

DEMO_TEXTS = Path(__file__).resolve().parents[2] / "submissions" / "demo_texts"


class _Deepest(list):
    """The stack of open elements, remembering how deep it ever was."""

    deepest = 0

    def append(self, item):
        super().append(item)
        self.deepest = max(self.deepest, len(self))

    def insert(self, index, item):
        super().insert(index, item)
        self.deepest = max(self.deepest, len(self))


class _Counting(TreeBuilder):
    created = 0

    def reset(self):
        super().reset()
        self.open_elements = _Deepest()

    def create_element(self, token):
        self.created += 1
        return super().create_element(token)


def html5(html: str) -> tuple[int, int]:
    """(deepest stack of open elements, elements created) when tinyhtml5 parses ``html`` as nh3 does:
    a fragment in a div, with scripting on (noscript's content is text)."""
    parser = HTMLParser(namespace_html_elements=False)
    parser.tree.__class__ = _Counting  # the phases hold this very tree builder
    parser.parse_fragment(html, container="div", scripting=True)
    return parser.tree.open_elements.deepest - 1, parser.tree.created  # less the html root


def refusal(html: str) -> TextRefused:
    with pytest.raises(TextRefused) as caught:
        check_text(html)
    return caught.value


# The limits


def test_check_text_accepts_every_demo_text_and_all_of_them_at_once():
    texts = [path.read_text() for path in sorted(DEMO_TEXTS.glob("*.html"))]

    for text in [*texts, "\n".join(texts)]:
        check_text(text)


def test_check_text_refuses_a_text_over_the_size_limit_saying_so():
    error = refusal("<p>" + "x" * MAX_BODY_CHARACTERS + "</p>")

    assert (error.code, error.message) == (
        TOO_LARGE,
        "This text is too long to save: 500,007 characters with its formatting, where a section can hold "
        "500,000 (many times a whole submission). Split it into several sections.",
    )


def test_check_text_accepts_a_text_at_the_size_limit():
    check_text("x" * MAX_BODY_CHARACTERS)


def test_check_text_refuses_too_many_tags_saying_so():
    error = refusal("<b>x</b>" * (MAX_TAGS // 2 + 1))

    assert (error.code, error.message) == (
        TOO_MUCH_MARKUP,
        "This text has too much formatting to save: 20,002 tags (the marks that make headings, bold, links "
        "and the like), where a section can hold 20,000. Paste it without its formatting, or split it into "
        "several sections.",
    )


def test_check_text_refuses_the_nested_divs_that_stalled_a_worker_by_their_tags():
    body = "<div>" * 98_000  # 490 KB: 40 s of nh3 inside the section's lock before the limits

    error = refusal(body)

    assert (len(body), error.code) == (490_000, TOO_MUCH_MARKUP)


def test_check_text_refuses_deep_nesting_within_the_tag_limit_saying_so():
    error = refusal("<div>" * (MAX_TAGS - 1))  # 100 KB, and 1.6 s of nh3

    assert (error.code, error.message) == (
        TOO_DEEP,
        "This text cannot be saved: its formatting is nested more than 100 levels deep. This happens when a "
        "web page or a converted document is pasted with its markup: paste the text without its formatting, "
        "then add headings, lists and bold again.",
    )


def test_measure_nesting_stops_at_the_first_element_past_the_limit():
    nesting = measure_nesting("<div>" * 98_000 + "x", stop_after_depth=MAX_NESTING_DEPTH)

    assert nesting.depth == MAX_NESTING_DEPTH + 1


def test_check_text_accepts_nesting_at_the_limit():
    check_text("<div>" * MAX_NESTING_DEPTH + "x" + "</div>" * MAX_NESTING_DEPTH)


@pytest.mark.parametrize("element", ["svg", "math", "select", "SVG"])
def test_check_text_refuses_elements_the_gauge_does_not_model(element):
    error = refusal(f"<p>A drawing: <{element}><g></g></{element}></p>")

    assert (error.code, error.message) == (
        UNSUPPORTED,
        f"This text contains a drawing, a formula or a form field (<{element.lower()}>), which a section cannot "
        "hold. Remove it, or paste the text without its formatting, then save again.",
    )


def test_check_text_refuses_formatting_rebuilt_in_every_paragraph():
    # 99 unclosed bold elements closed by a div, then 4,000 divs of text: the browser rebuilds the 99
    # in each (nh3 built 990,000 elements from 120 KB of this), the gauge counts them as it reads.
    body = "<div>" + "".join(f'<b title="{n}">' for n in range(99)) + "</div>" + "<div>x</div>" * 4_000

    error = refusal(body)

    assert error.code == TOO_DEEP
    assert measure_nesting(body).reopened == 99 * 4_000 * 2


def test_check_text_accepts_a_paragraph_left_with_an_unclosed_bold():
    check_text("<p><b>Bold to the end</p>" + "<p>and on.</p>" * 200)


# The gauge against an HTML5 parser: never shallower, on markup built to fool a simpler reading.

N = 60
ADVERSARIAL = {
    "nested divs": "<div>" * N,
    "end tag inside a quoted attribute": '<div title="</div>">' * N,
    "end tag inside a single-quoted attribute": "<div title='</div>'>" * N,
    "quote in an attribute name": '<div a"b></div>' * N + "<div>" * N,
    "attribute starting with =": '<span ="><div>' * N + '">',
    "end tag in a comment": "<div><!-- </div> -->" * N,
    "empty comment": "<div><!--></div>" * N,
    "comment ended by --!>": "<div><!-- --!></div>-->" * N,
    "textarea holding an end tag": "<div><textarea></div></textarea>" * N,
    "title holding an end tag": "<div><title></div></title>" * N,
    "style holding a quoted end tag": '<style><a title="</style>' + "<div>" * N + '">',
    "noscript holding an end tag": "<div><noscript></div></noscript>" * N,
    "iframe, noembed, noframes, xmp": "<div><iframe></div></iframe><div><noembed></div></noembed>"
    "<div><noframes></div></noframes><div><xmp></div></xmp>" * (N // 4),
    "script double-escaped": "<div><script><!--<script></script></div>--></script>" * N,
    "script escaped": "<div><script><!--</div>--></script>" * N,
    "end tag closing no element": "<div></span>" * N,
    "kelvin sign in a tag name": "<lin\u212a>" * N,
    "long s in an end tag": "<div><style></\u017ftyle></div></style>" * N,
    "unclosed formatting": "<b>" * N,
    "misnested formatting": "<b><i></b></i>" * N,
    "anchors": "<a href=x>" * N,
    "paragraph closed through formatting": "<p><b>x</p>" * N,
    "list items": "<ul>" + "<li><div>x" * N,
    "tables": "<table><td>" * (N // 2),
    "body and html end tags": "<body><rt></body>" * N,
    "br end tags": "<div></br>" * N,
    "bogus comments": "<div><!x></div><?y></div></ x></div>" * N,
    "cdata outside foreign content": "<div><![CDATA[</div>]]>" * N,
    "plaintext": "<div>" * N + "<plaintext></div>" * N,
}


@pytest.mark.parametrize("html", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_measure_nesting_is_never_shallower_than_an_html5_parser(html):
    deepest, _created = html5(html)

    # A table's cells sit in a tbody and a tr the parser adds: two levels the text does not show. And
    # the parser pushes a br (or the p of a stray </p>) for an instant, one level more.
    assert measure_nesting(html).depth >= deepest - 1 - 2 * html.count("<table>")


# The tricks that nest further with every repetition. The others stay shallow in a browser: comments,
# list items and plaintext for the gauge too; anchors and misnested or unclosed-in-a-paragraph
# formatting the gauge counts deeper (it models the adoption agency algorithm only in its simple
# cases), so it refuses them once repeated: the editor never writes them.
SHALLOW = {"empty comment", "comment ended by --!>", "list items", "bogus comments", "plaintext"}
SHALLOW |= {"anchors", "misnested formatting", "paragraph closed through formatting"}
DEEPENING = [name for name in ADVERSARIAL if name not in SHALLOW]


@pytest.mark.parametrize("name", DEEPENING)
def test_check_text_refuses_the_deep_version_of_each_trick(name):
    deep = ADVERSARIAL[name] * 5
    deepest, _created = html5(deep)

    assert deepest > MAX_NESTING_DEPTH
    assert refusal(deep).code == TOO_DEEP


# fmt: off
NAMES = [
    "div", "p", "span", "b", "i", "a", "em", "strong", "li", "ul", "ol", "dd", "dt", "h2", "h3", "table", "tr",
    "td", "th", "tbody", "caption", "br", "img", "style", "textarea", "title", "script", "noscript", "xmp",
    "iframe", "template", "object", "button", "option", "optgroup", "rt", "rb", "ruby", "form", "body", "html",
    "head", "font", "nobr", "u", "s", "code", "x-y", "colgroup", "col", "hr", "pre", "blockquote", "marquee",
    "applet",
]
# fmt: on
ATTRIBUTES = ["", ' a="</div>"', " a='>'", ' a=">"', ' =">', ' a"b', " a=b>", ' a = "x"', "/", " x=</b>"]
OTHERS = ["x", " ", "a < b", "&amp;", "-->", "</", "<!-- c -->", "<!-->", "<!--->", "<!-- --!>", "<![CDATA[ x ]]>"]
OTHERS += ["<!doctype html>", "<?x?>", "</ x>", "</>", "<!--<script>-->"]


def random_document(rng: random.Random) -> str:
    starts = rng.choice([0.45, 0.6, 0.7])
    parts = []
    for _ in range(rng.randint(20, 300)):
        roll, name = rng.random(), rng.choice(NAMES)
        if rng.random() < 0.1:
            name = name.upper()
        if roll < starts:
            parts.append(f"<{name}{rng.choice(ATTRIBUTES) if rng.random() < 0.3 else ''}>")
        elif roll < 0.9:
            parts.append(f"</{name}>")
        else:
            parts.append(rng.choice(OTHERS))
    return "".join(parts)


def test_measure_nesting_bounds_an_html5_parser_on_random_markup():
    rng = random.Random(9)  # the number: the same documents on every run
    misses = []
    for _ in range(150):
        html = random_document(rng)
        nesting = measure_nesting(html)
        if nesting.unsupported:
            continue
        deepest, created = html5(html)
        # Depth: implied tbody and tr at most double a table's two levels. Work: no element is built
        # that is not a tag of the text, implied by one, or a rebuilt formatting element the gauge counted.
        if deepest > 2 * nesting.depth + 1 or created > 2 * html.count("<") + nesting.reopened + 1:
            misses.append(html)

    assert misses == []
