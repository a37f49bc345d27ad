"""The section editor in a real browser: paste, footnotes, counts, autosave, conflicts, keyboard."""

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from coalitions.models import Role
from submissions.models import Section, SectionVersion
from submissions.services.sections import section_save
from submissions.services.submissions import section_add, submission_create
from tests.factories import DocumentLimitFactory, MembershipFactory, ReviewFactory
from upr_portal.timezones import GENEVA
from upr_portal.wordcount import count_html

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASTE_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "paste"
EDITABLE = ".ProseMirror[contenteditable=true]"
# After a save in the page: the time of the save, in Geneva time and saying so.
SAVED_AT = re.compile(r"^Saved at \d\d:\d\d Geneva time$")

PASTE = """
(args) => {
  const [selector, html] = args
  const target = document.querySelector(selector)
  const data = new DataTransfer()
  data.setData("text/html", html)
  data.setData("text/plain", "")
  target.focus()
  target.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }))
}
"""


def leave(page: Page) -> None:
    """Leaves the editor and lets its last requests (the leaving presence call) finish.

    The live server shares the test's SQLite connection: a request still running while the test's
    database is flushed makes the flush fail.
    """
    page.goto("about:blank")
    page.wait_for_timeout(500)


@pytest.fixture
def page(page: Page):
    yield page
    leave(page)


@dataclass
class Setup:
    section: Section
    url: str
    save_url: str
    user: object


@pytest.fixture
def setup(live_server) -> Setup:
    membership = MembershipFactory(role=Role.COORDINATOR, user__full_name="Amina Diallo")
    review = ReviewFactory()
    membership.coalition.reviews.add(review)
    DocumentLimitFactory(cycle=review.session.cycle, kind="joint", max_words=5630)
    submission = submission_create(
        coalition=membership.coalition, review=review, actor=membership.user, title="Joint submission"
    )
    section = section_add(submission=submission, actor=membership.user, title="Detention", word_budget=400)
    url = live_server.url + reverse("submissions:section_edit", args=[submission.pk, section.pk])
    save_url = live_server.url + reverse("submissions:section_save", args=[submission.pk, section.pk])
    return Setup(section=section, url=url, save_url=save_url, user=membership.user)


def sign_in(context: BrowserContext, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])


def open_editor(page: Page, url: str, problems: list[str] | None = None):
    if problems is not None:
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(url)
    editor = page.locator(EDITABLE)
    expect(editor).to_be_visible()
    expect(page.locator("#save-status")).to_have_text("Saved")
    return editor


def insert_footnote(page: Page, text: str) -> None:
    page.get_by_role("button", name="Footnote", exact=True).click()
    dialog = page.get_by_role("dialog", name="Insert a footnote")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Footnote text").fill(text)
    dialog.get_by_role("button", name="Insert").click()
    expect(dialog).to_be_hidden()


def section_counter_words(page: Page) -> tuple[int, int]:
    counter = page.locator("#section-count")
    return int(counter.get_attribute("data-body")), int(counter.get_attribute("data-notes"))


def test_write_with_footnotes_and_a_pasted_word_list_then_reload(live_server, page: Page, setup: Setup):
    problems: list[str] = []
    sign_in(page.context, live_server, setup.user)
    editor = open_editor(page, setup.url, problems)

    editor.click()
    page.keyboard.type("Detention conditions remain harsh")
    insert_footnote(page, "Report of the Special Rapporteur on torture, 2024.")
    page.keyboard.type(" and overcrowded")
    insert_footnote(page, "Interview with a former detainee, March 2025.")
    page.keyboard.type(".")
    page.keyboard.press("Enter")
    word = (PASTE_FIXTURES / "word.html").read_text(encoding="utf-8")
    page.evaluate(PASTE, [EDITABLE, word])

    # The Word list arrives as a nested list, its footnote as a footnote, without Word's labels or styles.
    expect(editor.locator("ul > li").first).to_contain_text("Ratify the Optional Protocol")
    expect(editor.locator("ul ul li").first).to_contain_text("covering sexual orientation & gender identity;")
    expect(editor.locator("span.footnote-call")).to_have_count(3)
    expect(editor.locator("h2").first).to_have_text("I. Background and framework")
    expect(editor.locator("table td").first).to_contain_text("Recommendation")
    expect(editor.locator("p[style], span[style], li[style], h2[style], td[style]")).to_have_count(0)
    expect(editor).not_to_contain_text("·")
    expect(editor).not_to_contain_text("mso-")

    expect(page.locator("#save-status")).to_have_text(SAVED_AT, timeout=15_000)
    setup.section.refresh_from_db()
    stored = setup.section.body
    for words in (
        "Detention conditions remain harsh",
        "welcomes",
        "rights—especially women’s rights—remain",
        "Ratify the Optional Protocol to the Convention against Torture (OP-CAT).",
        "with <strong>effective</strong> remedies under law § 12.",
        "128.1 (Norway)",
        '<a href="https://www.ohchr.org/en/hr-bodies/upr/upr-main" rel="noopener noreferrer nofollow">the UPR page</a>',
        "Report of the Working Group on the Universal Periodic Review, Freedonia, A/HRC/52/1, 2022, para.",
        "Contact:",
        "Annex A",
    ):
        assert words in stored, words
    assert stored.count("<span data-footnote=") == 3
    for junk in ("font-family", "color", "mso"):
        assert junk not in stored

    page.reload()
    editor = page.locator(EDITABLE)
    expect(editor).to_contain_text("Detention conditions remain harsh and overcrowded.")
    expect(editor.locator(":scope > ul > li")).to_have_count(1)
    expect(editor.locator(":scope > ul > li > ul > li")).to_have_count(1)
    expect(editor.locator(":scope > ul > li > ul > li > ul > li")).to_contain_text("with effective remedies")
    calls = editor.locator("span.footnote-call")
    expect(calls).to_have_count(3)
    first, second = calls.nth(0), calls.nth(1)
    expect(first).to_have_attribute("aria-label", "Footnote 1: Report of the Special Rapporteur on torture, 2024.")
    expect(second).to_have_attribute("aria-label", "Footnote 2: Interview with a former detainee, March 2025.")
    assert calls.nth(1).evaluate("(el) => getComputedStyle(el, '::after').content") == "counter(footnote)"

    expected = count_html(setup.section.body)
    assert (expected.body, expected.notes) == (setup.section.body_words, setup.section.note_words)
    assert section_counter_words(page) == (expected.body, expected.notes)
    expect(page.locator("#section-count")).to_contain_text(
        f"{expected.total} words ({expected.body} in the text, {expected.notes} in notes)"
    )
    expect(page.locator("#submission-count")).to_contain_text(f"Submission: {expected.total} of 5,630 words")
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
    assert not problems, problems


def test_a_save_based_on_an_old_version_shows_both_texts_and_keeps_every_word(live_server, browser, setup: Setup):
    contexts = [browser.new_context(), browser.new_context()]
    for context in contexts:
        sign_in(context, live_server, setup.user)
    page_a, page_b = (context.new_page() for context in contexts)
    page_b.on("dialog", lambda dialog: dialog.accept())
    editor_a = open_editor(page_a, setup.url)
    editor_b = open_editor(page_b, setup.url)

    editor_a.click()
    page_a.keyboard.type("Alpha wrote about prison visits.")
    page_a.get_by_role("button", name="Save", exact=True).click()
    expect(page_a.locator("#save-status")).to_have_text(SAVED_AT)
    setup.section.refresh_from_db()
    assert setup.section.version == 1

    editor_b.click()
    page_b.keyboard.type("Beta wrote about pre-trial detention.")
    panel = page_b.locator("#conflict-panel")
    expect(panel).to_be_visible(timeout=15_000)
    expect(page_b.locator("#save-status")).to_have_text("Conflict")
    expect(page_b.locator("#conflict-theirs")).to_contain_text("Alpha wrote about prison visits.")
    expect(editor_b).to_have_text("Beta wrote about pre-trial detention.")
    # The server's diff (submissions/diff.py), from their text to B's, word by word inside the paragraph.
    diff = page_b.locator("#conflict-diff .diff-block")
    expect(diff).to_have_count(1)
    expect(diff.locator("del")).to_have_text(["removed: Alpha", "removed: prison visits."])
    expect(diff.locator("ins")).to_have_text(["added: Beta", "added: pre-trial detention."])
    setup.section.refresh_from_db()
    assert setup.section.version == 1  # nothing was overwritten

    # B merges by hand, then decides to save.
    editor_b.press("End")
    page_b.keyboard.type(" Alpha wrote about prison visits.")
    page_b.get_by_role("button", name="I have merged: save my text").click()
    expect(panel).to_be_hidden()
    expect(page_b.locator("#save-status")).to_have_text(SAVED_AT)
    setup.section.refresh_from_db()
    assert setup.section.version == 2
    assert "Beta wrote about pre-trial detention. Alpha wrote about prison visits." in setup.section.body
    history = {v.version: v.body for v in SectionVersion.objects.filter(section=setup.section)}
    assert "Alpha wrote about prison visits." in history[1]
    assert "Beta" not in history[1]
    for context in contexts:
        for opened in context.pages:
            leave(opened)
        context.close()


def test_autosave_retries_when_the_server_refuses_a_request(live_server, page: Page, setup: Setup):
    sign_in(page.context, live_server, setup.user)
    editor = open_editor(page, setup.url)
    calls = {"count": 0}

    def refuse_first(route):
        calls["count"] += 1
        if calls["count"] == 1:
            route.fulfill(status=503, content_type="application/json", body='{"error": "unavailable"}')
        else:
            route.continue_()

    page.route(setup.save_url, refuse_first)
    editor.click()
    page.keyboard.type("Typed while the server was down.")
    expect(page.locator("#save-status")).to_have_text("Not saved – retrying", timeout=10_000)
    # The text is kept in the browser meanwhile.
    kept = page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('upr-portal:section-draft:'))")
    assert kept
    expect(page.locator("#save-status")).to_have_text(SAVED_AT, timeout=15_000)
    assert calls["count"] >= 2
    setup.section.refresh_from_db()
    assert "Typed while the server was down." in setup.section.body
    kept = page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('upr-portal:section-draft:'))")
    assert kept == []


def test_unsaved_text_left_in_the_browser_is_offered_back(live_server, page: Page, setup: Setup):
    sign_in(page.context, live_server, setup.user)
    page.route(setup.save_url, lambda route: route.abort())
    editor = open_editor(page, setup.url)
    editor.click()
    page.keyboard.type("Words the server never received.")
    # The request never reached a server: said as being offline, the text kept in this browser.
    expect(page.locator("#save-status")).to_have_text("Offline, kept in this browser", timeout=10_000)
    setup.section.refresh_from_db()
    assert setup.section.version == 0
    # The network is gone when the page is left: the keepalive save on leaving fails too (a route
    # cannot stop a keepalive request that outlives its page, so fetch itself fails here).
    page.evaluate("() => { window.fetch = () => Promise.reject(new TypeError('Failed to fetch')) }")
    leave(page)
    page.unroute(setup.save_url)
    setup.section.refresh_from_db()
    assert setup.section.version == 0

    editor = open_editor(page, setup.url)
    offer = page.locator("#restore-offer")
    expect(offer).to_be_visible()
    expect(editor).not_to_contain_text("Words the server never received.")
    page.get_by_role("button", name="Restore my unsaved text").click()
    expect(editor).to_contain_text("Words the server never received.")
    expect(page.locator("#save-status")).to_have_text(SAVED_AT, timeout=15_000)
    setup.section.refresh_from_db()
    assert "Words the server never received." in setup.section.body


def test_over_budget_shows_in_colour_and_words_and_typing_continues(live_server, page: Page, setup: Setup):
    Section.objects.filter(pk=setup.section.pk).update(word_budget=5)
    sign_in(page.context, live_server, setup.user)
    editor = open_editor(page, setup.url)
    counter = page.locator("#section-count")
    editor.click()
    page.keyboard.type("one two three four five")
    expect(counter).to_contain_text("budget 5: 0 words left")
    expect(counter).not_to_have_class(re.compile("is-over"))
    page.keyboard.type(" six seven")
    expect(counter).to_contain_text("2 words over the budget")
    expect(counter).to_have_class(re.compile("is-over"))
    colour = counter.evaluate("(el) => getComputedStyle(el).color")
    assert colour == "rgb(176, 42, 55)"
    # Screen readers hear when the budget is crossed, not every word after.
    expect(page.locator("#count-alert")).to_have_text("1 word over the budget")
    page.keyboard.type(" eight")
    expect(editor).to_have_text("one two three four five six seven eight")
    expect(counter).to_contain_text("3 words over the budget")
    expect(page.locator("#save-status")).to_have_text(SAVED_AT, timeout=15_000)
    setup.section.refresh_from_db()
    assert setup.section.body_words == 8


def test_toolbar_and_footnote_dialog_work_from_the_keyboard(live_server, page: Page, setup: Setup):
    sign_in(page.context, live_server, setup.user)
    editor = open_editor(page, setup.url)
    for name in (
        # The portal names the package's buttons (static/js/menu-labels.js), in the page's language.
        "Bold",
        "Italic",
        "Heading 2",
        "Heading 3",
        "Heading 4",
        "Bulleted list",
        "Numbered list",
        "Block quote",
        "Insert a link",
        "Insert a table",
        "Footnote",
        "Undo",
    ):
        expect(page.locator(".prose-menubar").get_by_role("button", name=name, exact=True)).to_have_count(1)

    editor.click()
    page.keyboard.type("A claim")
    footnote = page.get_by_role("button", name="Footnote", exact=True)
    footnote.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Insert a footnote")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Footnote text")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(editor).to_be_focused()
    expect(editor.locator("span.footnote-call")).to_have_count(0)

    # The keyboard shortcut opens it too; Insert adds the note at the cursor.
    page.keyboard.press("Control+Alt+f")
    expect(dialog).to_be_visible()
    page.keyboard.type("The source of the claim.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(editor).to_be_focused()
    call = editor.locator("span.footnote-call")
    expect(call).to_have_attribute("aria-label", "Footnote 1: The source of the claim.")

    # Enter on a selected call edits it.
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Enter")
    edit = page.get_by_role("dialog", name="Edit the footnote")
    expect(edit).to_be_visible()
    expect(edit.get_by_label("Footnote text")).to_have_value("The source of the claim.")
    edit.get_by_label("Footnote text").fill("The corrected source.")
    edit.get_by_role("button", name="Update").click()
    expect(call).to_have_attribute("aria-label", "Footnote 1: The corrected source.")
    expect(editor).to_be_focused()


def test_presence_shows_who_else_is_editing_and_a_newer_version(live_server, browser, setup: Setup):
    other = MembershipFactory(
        coalition=setup.section.submission.coalition, role=Role.COORDINATOR, user__full_name="Bo Chen"
    )
    contexts = [browser.new_context(), browser.new_context()]
    sign_in(contexts[0], live_server, setup.user)
    sign_in(contexts[1], live_server, other.user)
    page_a, page_b = (context.new_page() for context in contexts)
    page_a.clock.install()
    open_editor(page_a, setup.url)
    open_editor(page_b, setup.url)
    expect(page_b.locator("#presence")).to_have_text("Also open by: Amina Diallo.")

    # B saves (here through the service); A has not typed anything yet.
    section_save(section_id=setup.section.pk, author=other.user, body="<p>Newer text.</p>", base_version=0)
    page_a.clock.fast_forward(21_000)  # the next heartbeat
    expect(page_a.locator("#presence")).to_have_text("Also open by: Bo Chen.")
    expect(page_a.locator("#newer-version")).to_contain_text(re.compile(r"Bo Chen saved a newer version at \d\d:\d\d"))
    for context in contexts:
        for opened in context.pages:
            leave(opened)
        context.close()


LONG_TEXT = "".join(f"<p>Paragraph {n} on conditions of detention and access to lawyers.</p>" for n in range(80))


def in_view(page: Page, selector: str) -> bool:
    """Whether the element is wholly inside the window as it is scrolled now."""
    box = page.locator(selector).bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def test_save_status_stays_in_view_beside_the_counts_in_a_long_section(live_server, page: Page, setup: Setup):
    sign_in(page.context, live_server, setup.user)
    page.set_viewport_size({"width": 1280, "height": 720})
    editor = open_editor(page, setup.url)
    status = page.locator("#save-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_attribute("aria-live", "polite")

    page.evaluate(
        "([selector, html]) => document.querySelector(selector).editor.commands.setContent(html)", [EDITABLE, LONG_TEXT]
    )
    editor.press("Control+End")
    page.keyboard.type(" More.")
    expect(status).to_have_text("Unsaved changes")
    # Typing at the end of a long text: the page is scrolled far down (the editor scrolls smoothly to
    # the cursor), and the status and counts stay in view all the same.
    page.wait_for_function("() => window.scrollY > 1000")
    page.wait_for_timeout(500)
    assert (in_view(page, "#save-status"), in_view(page, "#section-count"), in_view(page, "#save-button")) == (
        True,
        True,
        True,
    )
    status_box, counts_box = status.bounding_box(), page.locator("#word-counts").bounding_box()
    # Side by side in one bar, not one above the other.
    assert status_box["x"] + status_box["width"] <= counts_box["x"]
    assert abs(status_box["y"] - counts_box["y"]) < counts_box["height"]

    expect(status).to_have_text(SAVED_AT, timeout=15_000)
    page.mouse.wheel(0, -800)  # reading back up the text
    page.wait_for_timeout(200)
    assert in_view(page, "#save-status")
    setup.section.refresh_from_db()
    assert "Paragraph 79 on conditions of detention and access to lawyers. More." in setup.section.body


def test_saved_at_gives_the_time_of_the_save_in_geneva_time(live_server, page: Page, setup: Setup):
    sign_in(page.context, live_server, setup.user)
    editor = open_editor(page, setup.url)
    editor.click()
    page.keyboard.type("A sentence.")

    expect(page.locator("#save-status")).to_have_text(SAVED_AT, timeout=15_000)

    setup.section.refresh_from_db()
    saved = timezone.localtime(setup.section.last_edited_at, GENEVA)
    expect(page.locator("#save-status")).to_have_text(f"Saved at {saved:%H:%M} Geneva time")


def test_offline_typing_is_kept_in_the_browser_and_saved_once_back_online(live_server, page: Page, setup: Setup):
    sign_in(page.context, live_server, setup.user)
    editor = open_editor(page, setup.url)
    status = page.locator("#save-status")
    page.context.set_offline(True)

    editor.click()
    page.keyboard.type("Written on a train without network.")

    expect(status).to_have_text("Offline, kept in this browser", timeout=10_000)
    expect(status).to_have_attribute("data-state", "offline")
    kept = page.evaluate(
        "() => Object.keys(localStorage).filter(k => k.startsWith('upr-portal:section-draft:'))"
        ".map(k => JSON.parse(localStorage.getItem(k)).body)"
    )
    assert kept == ["<p>Written on a train without network.</p>"]
    # Typing on while offline leaves the status as it is.
    page.keyboard.type(" Still.")
    expect(status).to_have_text("Offline, kept in this browser")

    page.context.set_offline(False)
    # Back online, it saves at once instead of waiting for the next retry.
    expect(status).to_have_text(SAVED_AT, timeout=5_000)
    setup.section.refresh_from_db()
    assert setup.section.body == "<p>Written on a train without network. Still.</p>"


def font_size(page: Page, selector: str) -> float:
    return page.locator(selector).first.evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)")


@pytest.mark.parametrize("width", [375, 1280])
def test_headings_in_the_text_are_smaller_than_the_page_title(live_server, page: Page, setup: Setup, width):
    section_save(
        section_id=setup.section.pk,
        author=setup.user,
        body="<h2>Background</h2><h3>Detention</h3><h4>Pre-trial</h4><p>Text.</p>",
        base_version=0,
    )
    sign_in(page.context, live_server, setup.user)
    page.set_viewport_size({"width": width, "height": 800})
    open_editor(page, setup.url)

    title = font_size(page, "main h2.h4")
    sizes = [font_size(page, f"{EDITABLE} {level}") for level in ("h2", "h3", "h4")]

    assert sizes == sorted(sizes, reverse=True)
    assert max(sizes) < title
    body = font_size(page, f"{EDITABLE} p")
    assert min(sizes) >= body

    page.goto(setup.url.replace("/edit/", "/"))
    read = [font_size(page, f".submission-text {level}") for level in ("h2", "h3", "h4")]
    assert max(read) < font_size(page, "main h2.h4")
