"""The differences between two texts of a section: blocks first, then words, unchanged passages folded."""

from django.template.loader import render_to_string

from submissions.diff import Block, Fold, Segment, blocks_of, plain_text, text_diff


def paragraphs(*texts: str) -> str:
    return "".join(f"<p>{text}</p>" for text in texts)


def test_text_diff_of_one_changed_word_marks_it_inside_its_paragraph():
    diff = text_diff("<p>The State detains children with adults.</p>", "<p>The State detains girls with adults.</p>")

    assert diff.items == (
        Block(
            kind="paragraph",
            status="changed",
            segments=(
                Segment("equal", "The State detains"),
                Segment("delete", "children"),
                Segment("insert", "girls"),
                Segment("equal", "with adults."),
            ),
        ),
    )


def test_text_diff_of_the_same_words_is_unchanged_whatever_the_inline_formatting():
    diff = text_diff("<p>No <strong>change</strong>.</p>", "<p>No change.</p>")

    assert (diff.changed, plain_text(diff)) == (False, "No change.")


def test_text_diff_from_nothing_is_one_added_paragraph():
    assert plain_text(text_diff("", "<p>First words.</p>")) == "{+First words.+}"


def test_text_diff_keeps_headings_list_items_and_footnotes_visible():
    old = (
        "<h2>Detention</h2>"
        '<p>Children<span data-footnote="">Ombudsperson, 2024.</span> are held with adults.</p>'
        "<ol><li><p>Separate children from adults.</p></li><li><p>Visit every prison.</p>"
        "<ul><li><p>Without notice</p></li></ul></li></ol>"
    )
    new = old.replace("2024", "2025").replace("Without notice", "Without prior notice")

    diff = text_diff(old, new)

    assert plain_text(diff) == (
        "Detention\n"
        "Children [Ombudsperson, [-2024.]-] {+2025.]+} are held with adults.\n"
        "  1. Separate children from adults.\n"
        "  2. Visit every prison.\n"
        "    • Without {+prior+} notice"
    )
    assert [(item.kind, item.level, item.status) for item in diff.items] == [
        ("heading", 2, "equal"),
        ("paragraph", 0, "changed"),
        ("item", 1, "equal"),
        ("item", 1, "equal"),
        ("item", 2, "changed"),
    ]
    assert diff.items[1].segments[1:4] == (
        Segment("equal", "[Ombudsperson,", note=True),
        Segment("delete", "2024.]", note=True),
        Segment("insert", "2025.]", note=True),
    )


def test_text_diff_folds_unchanged_paragraphs_but_one_on_each_side_of_a_change():
    old = paragraphs(*(f"Paragraph {n} as it was." for n in range(1, 11)))
    new = old.replace("Paragraph 5 as it was.", "Paragraph 5 as it is now.")

    items = text_diff(old, new).items

    assert [type(item).__name__ for item in items] == ["Fold", "Block", "Block", "Block", "Fold"]
    assert [len(items[0].blocks), len(items[4].blocks)] == [3, 4]
    assert [items[1].segments, items[3].segments] == [
        (Segment("equal", "Paragraph 4 as it was."),),
        (Segment("equal", "Paragraph 6 as it was."),),
    ]


def test_text_diff_folds_nothing_shorter_than_two_paragraphs():
    old = paragraphs("One.", "Two.", "Three.", "Four.")
    new = paragraphs("One.", "Two, changed.", "Three.", "Four, changed.")

    assert not any(item.folded for item in text_diff(old, new).items)


def test_text_diff_pairs_a_changed_paragraph_past_an_inserted_one():
    old = paragraphs("Children are held with adults in two prisons.")
    new = paragraphs(
        "A new paragraph about something else entirely.", "Children are held with adults in three prisons."
    )

    assert plain_text(text_diff(old, new)).splitlines() == [
        "{+A new paragraph about something else entirely.+}",
        "Children are held with adults in [-two-] {+three+} prisons.",
    ]


def test_text_diff_shows_a_rewritten_paragraph_removed_and_added_whole():
    diff = text_diff(paragraphs("The courts rarely hear these cases."), paragraphs("Police forces lack interpreters."))

    assert plain_text(diff) == "[-The courts rarely hear these cases.-]\n{+Police forces lack interpreters.+}"
    assert [item.status for item in diff.items] == ["deleted", "inserted"]


def test_text_diff_marks_a_paragraph_made_a_heading_as_a_change_of_form():
    diff = text_diff("<p>Detention</p>", "<h3>Detention</h3>")

    assert [(item.kind, item.status, item.restyled) for item in diff.items] == [("heading", "changed", True)]


def test_blocks_of_reads_table_cells_and_quotations_apart():
    html = (
        "<table><tbody><tr><th><p>Year</p></th><td><p>Cases</p></td></tr></tbody></table>"
        "<blockquote><p>We were never told why.</p></blockquote>"
    )

    assert [(block.kind, block.quoted, " ".join(w for w, _ in block.words)) for block in blocks_of(html)] == [
        ("cell", False, "Year"),
        ("cell", False, "Cases"),
        ("paragraph", True, "We were never told why."),
    ]


HIDDEN = '<span class="visually-hidden">'


def test_diff_partial_folds_in_details_and_marks_changes_for_screen_readers():
    old = paragraphs(*(f"Paragraph {n}." for n in range(1, 6)))
    new = old.replace("Paragraph 5.", "Paragraph five.")

    html = render_to_string("submissions/_diff.html", {"diff": text_diff(old, new)})

    assert html.splitlines() == [
        '<div class="diff">',
        '<details class="diff-fold"><summary>3 unchanged paragraphs</summary>',
        '<p class="diff-block diff-paragraph diff-equal">Paragraph 1.</p>',
        '<p class="diff-block diff-paragraph diff-equal">Paragraph 2.</p>',
        '<p class="diff-block diff-paragraph diff-equal">Paragraph 3.</p>',
        "</details>",
        '<p class="diff-block diff-paragraph diff-equal">Paragraph 4.</p>',
        '<p class="diff-block diff-paragraph diff-changed">Paragraph '
        f"<del>{HIDDEN}removed: </span>5.</del> <ins>{HIDDEN}added: </span>five.</ins></p>",
        "</div>",
    ]


def test_diff_partial_shows_heading_levels_and_list_markers():
    old = "<h2>Detention</h2><ul><li><p>One</p></li></ul>"
    new = "<h2>Detention today</h2><ul><li><p>One</p></li></ul>"

    html = render_to_string("submissions/_diff.html", {"diff": text_diff(old, new)})

    assert html.splitlines() == [
        '<div class="diff">',
        f'<p class="diff-block diff-heading diff-changed diff-level-2">{HIDDEN}Heading 2: </span>'
        f"Detention <ins>{HIDDEN}added: </span>today</ins></p>",
        '<p class="diff-block diff-item diff-equal diff-level-1"><span class="diff-marker">•</span> One</p>',
        "</div>",
    ]


def test_diff_partial_of_the_same_texts_says_so():
    html = render_to_string("submissions/_diff.html", {"diff": text_diff("<p>Same.</p>", "<p>Same.</p>")})

    assert html.strip() == '<p class="diff-same">The two texts are the same.</p>'


def test_diff_partial_escapes_text_that_looks_like_markup():
    html = render_to_string(
        "submissions/_diff.html",
        {"diff": text_diff("<p>Safe.</p>", "<p>Safe &lt;img src=x onerror=alert(1)&gt;</p>")},
    )

    assert html.splitlines()[1] == (
        f'<p class="diff-block diff-paragraph diff-changed"><del>{HIDDEN}removed: </span>Safe.</del> '
        f"<ins>{HIDDEN}added: </span>Safe &lt;img src=x onerror=alert(1)&gt;</ins></p>"
    )


def test_fold_and_block_tell_themselves_apart_in_templates():
    assert (Fold(blocks=()).folded, Block(kind="paragraph", status="equal", segments=()).folded) == (True, False)
