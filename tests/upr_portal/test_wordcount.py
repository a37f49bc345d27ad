"""The word-count rule: every fixture in tests/fixtures/wordcount.json, in Python and in the browser's port.

A fixture's optional "libreoffice" key is what LibreOffice Writer 7.4 counted for the same text where
it differs from our rule (measured by converting the text to ODT and reading its word-count statistic).
"""

import dataclasses
import html
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

from tests.submissions import random_markup
from upr_portal import wordcount
from upr_portal.wordcount import WordCount, count_html, count_words, split_words, words_counted

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = json.loads((ROOT / "tests" / "fixtures" / "wordcount.json").read_text(encoding="utf-8"))
WORDCOUNT_JS = ROOT / "static" / "js" / "wordcount.js"
SHARED_CONSTANTS = ("WHITESPACE", "SEPARATING_DASHES", "JOINING_DASHES", "INVISIBLE", "FOOTNOTE_ATTRIBUTE")
SHARED_SETS = ("BLOCK_ELEMENTS", "INLINE_ELEMENTS", "RAW_TEXT_ELEMENTS")
RANDOM_MARKUP = random_markup(seed=2026, count=2000)

# Reads the fixtures and random markup on stdin, prints the JavaScript results and the shared constants.
NODE_SCRIPT = """
import * as wordcount from %s;
import { readFileSync } from "node:fs";
const { fixtures, markup } = JSON.parse(readFileSync(0, "utf8"));
const random = markup.map((html) => wordcount.countHtml(html));
const results = fixtures.map((f) =>
  "text" in f ? { body: wordcount.countWords(f.text), notes: 0 } : wordcount.countHtml(f.html),
);
const constants = Object.fromEntries(%s.map((name) => [name, wordcount[name]]));
const sets = Object.fromEntries(%s.map((name) => [name, [...wordcount[name]].sort()]));
const sample = wordcount.countHtml('<p>a b<span data-footnote="">c</span></p>');
const counted = [true, false].map((notesCount) => wordcount.wordsCounted(sample, { notesCount }));
process.stdout.write(JSON.stringify({ results, random, constants, sets, sample, counted }));
"""


def fixture_id(fixture: dict) -> str:
    return fixture["why"]


def expected(fixture: dict) -> dict:
    return {"body": fixture["body"], "notes": fixture.get("notes", 0)}


@pytest.fixture(scope="module")
def javascript() -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.fail(
            "node is not on PATH: the browser's word count (static/js/wordcount.js) cannot be checked "
            "against the server's. Install Node.js 20 or newer (Debian: apt-get install nodejs)."
        )
    script = NODE_SCRIPT % (
        json.dumps(WORDCOUNT_JS.as_uri()),
        json.dumps(SHARED_CONSTANTS),
        json.dumps(SHARED_SETS),
    )
    completed = subprocess.run(  # noqa: S603 (fixed arguments, no shell)
        [node, "--disable-warning=MODULE_TYPELESS_PACKAGE_JSON", "--input-type=module", "-e", script],
        input=json.dumps({"fixtures": FIXTURES, "markup": RANDOM_MARKUP}),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def test_fixtures_hold_the_required_cases():
    texts = {fixture["text"]: fixture["body"] for fixture in FIXTURES if "text" in fixture}
    required = {
        "well-known state-of-the-art": 2,
        "rights\u2014especially women's": 3,
        "rights \u2014 especially": 2,
        "2010\u20132014 period": 3,
        "1,000 people; 10\u00a0000 others": 5,
        "see https://www.ohchr.org/en/hr-bodies/upr now": 3,
        "e.g. U.N. A/HRC/52/1 and/or": 4,
        "don't \u2018quoted\u2019 \u201cwords\u201d.": 3,
    }
    assert {text: texts.get(text) for text in required} == required


def test_fixtures_are_well_formed():
    malformed = [
        fixture
        for fixture in FIXTURES
        if len({"text", "html"} & fixture.keys()) != 1 or not fixture.get("why") or "body" not in fixture
    ]
    assert malformed == []
    assert len(FIXTURES) >= 38


@pytest.mark.parametrize("fixture", FIXTURES, ids=fixture_id)
def test_count_python_matches_fixture(fixture):
    if "text" in fixture:
        result = {"body": count_words(fixture["text"]), "notes": 0}
    else:
        result = dataclasses.asdict(count_html(fixture["html"]))
    assert result == expected(fixture)


@pytest.mark.parametrize("fixture", [f for f in FIXTURES if "text" in f], ids=fixture_id)
def test_count_html_of_escaped_text_matches_plain_count(fixture):
    assert count_html(f"<p>{html.escape(fixture['text'])}</p>") == WordCount(body=fixture["body"], notes=0)


@pytest.mark.parametrize(("index", "fixture"), list(enumerate(FIXTURES)), ids=[f["why"] for f in FIXTURES])
def test_count_javascript_matches_fixture(javascript, index, fixture):
    result = javascript["results"][index]
    assert {"body": result["body"], "notes": result["notes"]} == expected(fixture)
    if "total" in result:
        assert result["total"] == result["body"] + result["notes"]


def test_count_javascript_matches_python_on_random_markup(javascript):
    python = [{"body": c.body, "notes": c.notes, "total": c.total} for c in map(count_html, RANDOM_MARKUP)]
    differing = [
        (html, expected, result)
        for html, expected, result in zip(RANDOM_MARKUP, python, javascript["random"], strict=True)
        if expected != result
    ]
    assert differing == []


def test_character_classes_identical_in_python_and_javascript(javascript):
    assert javascript["constants"] == {name: getattr(wordcount, name) for name in SHARED_CONSTANTS}


def test_element_lists_identical_in_python_and_javascript(javascript):
    assert javascript["sets"] == {name: sorted(getattr(wordcount, name)) for name in SHARED_SETS}


def test_words_counted_javascript_matches_python(javascript):
    sample = count_html('<p>a b<span data-footnote="">c</span></p>')
    assert javascript["sample"] == {"body": 2, "notes": 1, "total": 3}
    assert javascript["counted"] == [
        words_counted(sample, notes_count=True),
        words_counted(sample, notes_count=False),
    ]


def test_block_and_inline_elements_disjoint():
    assert not wordcount.BLOCK_ELEMENTS & wordcount.INLINE_ELEMENTS


def test_word_count_total_is_body_plus_notes():
    assert WordCount(body=5, notes=3).total == 8


def test_word_count_is_frozen():
    count = WordCount(body=1, notes=0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        count.body = 2  # type: ignore[misc]


def test_words_counted_with_notes_counts_body_and_notes():
    assert words_counted(WordCount(body=5600, notes=400), notes_count=True) == 6000


def test_words_counted_without_notes_counts_body_only():
    assert words_counted(WordCount(body=5600, notes=400), notes_count=False) == 5600


def test_split_words_returns_the_runs_counted():
    words = split_words("\u2014 rights\u2014especially - \u00a7 12\u200b")
    assert words == ["rights", "especially", "\u00a7", "12\u200b"]


def test_count_html_of_a_long_submission_counts_every_word():
    paragraph = "<p>The state-of-the-art <strong>reform</strong> of A/HRC/52/1\u2014and/or more&nbsp;text.</p>"
    footnote = '<p>Claim.<span data-footnote="">See <em>ibid.</em>, para. 4.</span></p>'
    document = "<h2>Title</h2>" + paragraph * 750 + footnote * 50
    assert count_html(document) == WordCount(body=1 + 8 * 750 + 50, notes=4 * 50)


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_count_is_the_same_in_every_language(language):
    """One rule whatever the page's or the document's language (French elisions, Spanish ¿ ¡ included)."""
    texts = [fixture for fixture in FIXTURES if "text" in fixture]
    with translation.override(language):
        counted = [count_words(fixture["text"]) for fixture in texts]
    assert counted == [fixture["body"] for fixture in texts]
