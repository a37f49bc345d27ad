"""The French and Spanish catalogues: complete, consistent with their English strings, and used.

`make test` runs scripts/messages.py check first (makemessages, then no untranslated or fuzzy
string); these tests check what that cannot: the translations keep every placeholder and tag, plurals
follow each language's rule, numbers and dates are written each language's way, and the editor's own
strings are in the catalogues.
"""

import datetime
import re
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template.defaultfilters import floatformat
from django.utils import formats, translation
from django.utils.translation import ngettext

from scripts import messages as catalogues

BASE = Path(settings.BASE_DIR)

PLACEHOLDER = re.compile(r"%\(\w+\)[sdi]|%[sdi]|\{\w*\}")
TAG = re.compile(r"</?([a-zA-Z][\w-]*)")


def entries():
    for path in catalogues.catalogue_paths():
        for entry in polib.pofile(str(path)):
            yield path.relative_to(BASE).as_posix(), entry


ENTRIES = list(entries())


def test_both_languages_have_both_catalogues_with_every_string():
    counts = Counter(path for path, _entry in ENTRIES)
    english = {path: len(polib.pofile(str(BASE / path))) for path in counts}

    assert sorted(counts) == [
        "locale/es/LC_MESSAGES/django.po",
        "locale/es/LC_MESSAGES/djangojs.po",
        "locale/fr/LC_MESSAGES/django.po",
        "locale/fr/LC_MESSAGES/djangojs.po",
    ]
    assert counts["locale/fr/LC_MESSAGES/django.po"] == counts["locale/es/LC_MESSAGES/django.po"] > 2000
    assert counts == english


def _texts(entry):
    if entry.msgid_plural:
        return [(entry.msgid_plural, text) for text in entry.msgstr_plural.values()]
    return [(entry.msgid, entry.msgstr)]


def test_translations_keep_every_placeholder_and_tag():
    wrong = []
    for path, entry in ENTRIES:
        for source, text in _texts(entry):
            source_marks = Counter(PLACEHOLDER.findall(source))
            marks = Counter(PLACEHOLDER.findall(text))
            # A plural's forms may leave out the count ("Une recommandation"), never add one.
            if (marks != source_marks) if not entry.msgid_plural else (set(marks) - set(source_marks)):
                wrong.append((path, entry.msgid, "placeholders"))
            if Counter(TAG.findall(source)) != Counter(TAG.findall(text)):
                wrong.append((path, entry.msgid, "tags"))
    assert wrong == []


def test_plurals_have_every_form_of_the_language():
    short = [
        (path, entry.msgid)
        for path, entry in ENTRIES
        if entry.msgid_plural and sorted(entry.msgstr_plural) != [0, 1, 2]
    ]
    assert short == []


@pytest.mark.parametrize(
    ("language", "count", "singular"),
    [("fr", 0, True), ("fr", 1, True), ("fr", 2, False), ("es", 0, False), ("es", 1, True), ("en", 0, False)],
)
def test_plural_rule_of_each_language(language, count, singular):
    """French says "0 recommandation trouvée" (0 is singular), Spanish and English "0 ... found" plural."""
    with translation.override(language):
        one = ngettext("%(count)s recommendation found.", "%(count)s recommendations found.", 1) % {"count": count}
        text = ngettext("%(count)s recommendation found.", "%(count)s recommendations found.", count) % {"count": count}
        many = ngettext("%(count)s recommendation found.", "%(count)s recommendations found.", 5) % {"count": count}
    assert one != many, "the catalogue has distinct singular and plural forms"
    assert text == (one if singular else many)


@pytest.mark.parametrize(
    ("language", "number", "date"),
    [
        ("en", "4,712", "4 January 2027"),
        ("fr", "4\u202f712", "4 janvier 2027"),
        ("es", "4.712", "4 de enero de 2027"),
    ],
)
def test_numbers_and_dates_in_each_language(language, number, date):
    with translation.override(language):
        assert floatformat(4712, "g") == number
        assert formats.number_format(2.5, 1) == ("2.5" if language == "en" else "2,5")
        assert formats.date_format(datetime.date(2027, 1, 4), "DATE_FORMAT") == date


def test_french_typography_adds_no_break_spaces_when_compiling():
    assert catalogues.french_typography("Date limite : « oui » ; non ?") == (
        "Date limite\u00a0: «\u00a0oui\u00a0»\u202f; non\u202f?"
    )
    with translation.override("fr"):
        text = translation.gettext("Language")
    assert text == "Langue"


def test_prose_editor_dialog_strings_are_in_the_portal_catalogues():
    """The editor package translates its dialogs with gettext() but ships no Spanish: its strings are
    listed in submissions/prose-editor-strings.js so that they enter the portal's catalogues."""
    import django_prose_editor

    editor_js = Path(django_prose_editor.__file__).parent / "static" / "django_prose_editor" / "editor.js"
    used = set(re.findall(r'\b\w{1,3}\("((?:[^"\\]|\\.)*)"\)', editor_js.read_text(encoding="utf-8")))
    listed = set(re.findall(r'gettext\("([^"]*)"\)', (BASE / "submissions" / "prose-editor-strings.js").read_text()))
    package = {
        entry.msgid
        for entry in polib.pofile(str(editor_js.parents[2] / "locale" / "fr" / "LC_MESSAGES" / "djangojs.po"))
    }
    assert package - {""} <= listed
    assert listed <= used
    spanish = {entry.msgid: entry.msgstr for entry in polib.pofile(str(BASE / "locale/es/LC_MESSAGES/djangojs.po"))}
    assert all(spanish.get(msgid) for msgid in listed)


def _catalogue(path: Path, entries: list[polib.POEntry]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    catalogue = polib.POFile()
    catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for entry in entries:
        catalogue.append(entry)
    catalogue.save(str(path))


def test_check_names_each_untranslated_fuzzy_or_missing_catalogue(tmp_path):
    """What `make test` fails on (scripts/messages.py check, after makemessages has added new strings)."""
    locale = tmp_path / "locale"
    done = polib.POEntry(msgid="Save", msgstr="Enregistrer", occurrences=[("templates/a.html", "3")])
    new = polib.POEntry(msgid="Export the matrix", msgstr="", occurrences=[("templates/b.html", "7")])
    guessed = polib.POEntry(msgid="Saved at %(time)s", msgstr="Enregistré", flags=["fuzzy"])
    _catalogue(locale / "fr/LC_MESSAGES/django.po", [done, new, guessed])
    _catalogue(locale / "fr/LC_MESSAGES/djangojs.po", [done])
    _catalogue(locale / "es/LC_MESSAGES/django.po", [polib.POEntry(msgid="Save", msgstr="Guardar")])

    assert catalogues.catalogue_problems(locale) == [
        "locale/fr/LC_MESSAGES/django.po: untranslated: 'Export the matrix' (templates/b.html:7)",
        "locale/fr/LC_MESSAGES/django.po: fuzzy: 'Saved at %(time)s' (no source)",
        "locale/es/LC_MESSAGES/djangojs.po: missing",
    ]


def test_check_passes_the_portals_own_catalogues():
    assert catalogues.catalogue_problems() == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["3 Jun 2026", "3 Jul 2026, 09:05"]),
        ("fr", ["3 juin 2026", "3 juil. 2026, 09:05"]),
        ("es", ["3 jun 2026", "3 jul 2026, 09:05"]),
    ],
)
def test_short_dates_abbreviate_months_as_each_language_does(language, expected):
    with translation.override(language):
        shown = [
            formats.date_format(datetime.date(2026, 6, 3), "SHORT_DATE_FORMAT"),
            formats.date_format(datetime.datetime(2026, 7, 3, 9, 5), "SHORT_DATETIME_FORMAT"),
        ]
    assert shown == expected
