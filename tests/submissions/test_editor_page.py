"""The section editor page under the site's Content Security Policy: what the server sends."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from coalitions.models import Role
from submissions.services.submissions import section_add, submission_create
from submissions.widgets import EDITOR_EXTENSIONS, EXTENSIONS_MODULE
from tests.factories import DocumentLimitFactory, MembershipFactory, ReviewFactory

pytestmark = pytest.mark.django_db

STATIC_JS = Path(settings.BASE_DIR) / "static" / "js"


@pytest.fixture
def editor_page(client):
    membership = MembershipFactory(role=Role.COORDINATOR)
    review = ReviewFactory()
    membership.coalition.reviews.add(review)
    DocumentLimitFactory(cycle=review.session.cycle, kind="joint", max_words=5630)
    submission = submission_create(
        coalition=membership.coalition, review=review, actor=membership.user, title="Joint submission"
    )
    section = section_add(submission=submission, actor=membership.user, title="Detention", word_budget=500)
    client.force_login(membership.user)
    response = client.get(reverse("submissions:section_edit", args=[submission.pk, section.pk]))
    assert (response.status_code, response.context["section"]) == (200, section)
    return response, section


def _nonce(response) -> str:
    policy = response.headers["Content-Security-Policy"]
    match = re.search(r"script-src [^;]*'nonce-([^']+)'", policy)
    assert match, policy
    return match.group(1)


def test_the_policy_allows_no_eval_and_no_inline_code(editor_page):
    response, _ = editor_page
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert "'unsafe-eval'" not in policy
    assert "'unsafe-inline'" not in policy
    assert directives["style-src"] == "'self'"
    assert "'self'" in directives["script-src"]
    assert _nonce(response)


def test_the_import_map_and_every_script_carry_the_nonce(editor_page):
    response, _ = editor_page
    nonce = _nonce(response)
    html = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    importmaps = [tag for tag in scripts if 'type="importmap"' in tag]
    assert len(importmaps) == 1
    inline = [tag for tag in scripts if "src=" not in tag]
    assert inline, "the import map is an inline script"
    for tag in inline:
        assert f'nonce="{nonce}"' in tag, tag
    module_scripts = [tag for tag in scripts if 'type="module"' in tag]
    assert any("js/section-editor.js" in tag for tag in module_scripts)
    assert any("django_prose_editor/configurable.js" in tag for tag in module_scripts)


def test_the_import_map_names_the_projects_modules(editor_page):
    response, _ = editor_page
    html = response.content.decode()
    body = re.search(r'<script[^>]*type="importmap"[^>]*>(.*?)</script>', html, re.S).group(1)
    imports = json.loads(body)["imports"]
    assert imports["django-prose-editor/editor"] == "/static/django_prose_editor/editor.js"
    assert imports[EXTENSIONS_MODULE] == "/static/js/editor-extensions.js"


def test_the_editor_needs_no_inline_styles(editor_page):
    response, _ = editor_page
    html = response.content.decode()
    assert not re.search(r"<style\b", html)
    assert not re.search(r"\sstyle=", html)
    assert "/static/css/editor.css" in html


def test_the_widget_config_names_our_extensions(editor_page):
    response, _ = editor_page
    html = response.content.decode()
    match = re.search(r"data-django-prose-editor-configurable=\"([^\"]+)\"", html)
    assert match
    config = json.loads(match.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    assert config["js_modules"] == [EXTENSIONS_MODULE]
    for name in ("Footnote", "PasteCleanup", "StaticStyles", "Table", "Link"):
        assert name in config["extensions"]
    assert config["extensions"]["Heading"] == {"levels": [2, 3, 4]}
    assert set(config["extensions"]) >= set(EDITOR_EXTENSIONS)


def test_the_page_carries_what_the_script_needs(editor_page):
    response, section = editor_page
    html = response.content.decode()
    assert f'data-save-url="{reverse("submissions:section_save", args=[section.submission_id, section.pk])}"' in html
    assert 'data-presence-url="' in html
    assert 'data-budget="500"' in html
    assert 'data-limit="5630"' in html
    assert 'data-other-words="0"' in html
    assert 'data-notes-count="' in html
    assert 'name="csrfmiddlewaretoken"' in html


@pytest.mark.parametrize(
    "path",
    [
        "django_prose_editor/editor.js",
        "django_prose_editor/configurable.js",
        "django_prose_editor/editor.css",
        "js/editor-extensions.js",
        "js/footnote-extension.js",
        "js/paste-cleanup.js",
        "js/section-editor.js",
        "js/wordcount.js",
        "css/editor.css",
    ],
)
def test_the_editor_files_are_served_from_our_static_files(path):
    assert finders.find(path), path


def test_our_scripts_use_no_eval_and_set_no_style_attributes():
    for name in ("editor-extensions.js", "footnote-extension.js", "paste-cleanup.js", "section-editor.js"):
        source = (STATIC_JS / name).read_text()
        assert "eval(" not in source, name
        assert "new Function" not in source, name
        assert "innerHTML =" not in source, name
        if name != "paste-cleanup.js":  # which only trims styles inside a detached, parsed paste
            assert not re.search(r"setAttribute\(\s*[\"']style", source), name


def test_the_save_status_sits_in_the_pinned_bar_with_the_counts_and_save(editor_page):
    response, _ = editor_page
    html = response.content.decode()

    bar = re.search(r'<div class="editor-status mb-3" id="editor-status">(.*?)</form>', html, re.S).group(1)
    ids = re.findall(r'\sid="([\w-]+)"', bar)
    assert ids[:3] == ["save-status", "word-counts", "word-counts-static"]
    assert ids[-1] == "save-button"
    status = re.search(r'<p [^>]*id="save-status"[^>]*>', bar).group(0)
    # Shown by the script, which is what saves on its own; announced politely when it changes.
    assert ('role="status"' in status, 'aria-live="polite"' in status, status.endswith(" hidden>")) == (
        True,
        True,
        True,
    )


def test_the_counts_without_javascript_have_thousands_separators(editor_page):
    response, section = editor_page
    type(section).objects.filter(pk=section.pk).update(body_words=1234, word_budget=2500)

    html = response.client.get(response.request["PATH_INFO"]).content.decode()

    assert re.search(r"1,234 words, 0 in notes · budget 2,500\s*· submission: 1,234 of 5,630 words", html)
