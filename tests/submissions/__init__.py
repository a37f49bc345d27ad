import random

# Pieces of text and markup, well-formed or not, that random_markup strings together.
MARKUP_PIECES = (
    *("word", "state-of-the-art", "A/HRC/52/1", "é", "人权", "🙂", "&", "§", " < "),
    *(" ", "\n", "\t", "\u00a0", "\u2009", "\u2014", "\u2013", "-", "\u200b", "\u00ad"),
    *("&nbsp;", "&mdash;", "&ndash;", "&amp;", "&lt;", "&#8211;", "&#x2014;", "&shy;", "&thinsp;"),
    *("<p>", "</p>", "<h1>", "</h1>", "<h2>", "</h2>", "<h5>", "</h5>", "<br>", "<br/>", "<hr>"),
    *("<ul>", "</ul>", "<ol>", "<li>", "</li>", "<dl><dt>", "<div>", "</div>", "<pre>", "</pre>"),
    *("<table>", "<tr>", "<td>", "</td>", "<th colspan=2>", "</table>", "<caption>", "</caption>", "<tfoot>"),
    *("<strong>", "</strong>", "<em>", "</em>", "<b>", "</b>", "<i>", "</i>", "<sup>", "</sup>"),
    *("<span>", "</span>", '<span data-footnote="">', "<span data-footnote>", "<SPAN Data-Footnote=''>"),
    *('<span title="a>b">', "<span style='font-weight:700'>", "<b style='font-weight:normal'>"),
    *("<a href='https://x.org/?a>b'>", '<a href="../etc/passwd" rel=attachment>', "<a name=x>", "</a>"),
    *("<!-- comment -->", "<script>two words</script>", "<style>p { margin: 0 }</style>", "<o:p>", "</o:p>"),
    *("<img src=x onerror=alert(1)>", "<math><mi>m</mi></math>", "<svg><text>t</text></svg>"),
)


def random_markup(*, seed: int, count: int) -> list[str]:
    """Deterministic random fragments: the same list on every run and machine."""
    generator = random.Random(seed)
    return ["".join(generator.choices(MARKUP_PIECES, k=generator.randint(1, 50))) for _ in range(count)]
