"""The portal's translation catalogues (locale/<language>/LC_MESSAGES/django.po and djangojs.po).

    python scripts/messages.py compile   # .po -> .mo with polib (no system gettext needed to run the portal)
    python scripts/messages.py update    # makemessages for every language, then compile
    python scripts/messages.py check     # update, then fail on any untranslated or fuzzy string

``check`` runs in ``make test``: a new string in a template, a form or a script appears in the catalogues
as untranslated and fails the build until it is translated. makemessages needs GNU gettext (xgettext,
msgmerge); compiling does not.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import polib

BASE_DIR = Path(__file__).resolve().parent.parent
LOCALE_DIR = BASE_DIR / "locale"
# The languages with a catalogue, besides English (the language of the source strings).
LANGUAGES = ("fr", "es")
DOMAINS = ("django", "djangojs")
# What makemessages must not read: installed packages, built files, third-party scripts, and the
# word-count module, which holds no text to translate (its regular expressions confuse xgettext).
IGNORE = (".venv", "node_modules", "var", "static/vendor", "tests", "scripts", "static/js/wordcount.js")


def catalogue_paths(locale_dir: Path = LOCALE_DIR):
    for language in LANGUAGES:
        for domain in DOMAINS:
            yield locale_dir / language / "LC_MESSAGES" / f"{domain}.po"


# French typography: a no-break space before the high punctuation and inside guillemets. Translators
# type ordinary spaces (locale/GLOSSARY.md); compiling puts in the no-break ones, so a line never
# starts with "?" or ":". Narrow (U+202F) before ; ! ?, full width (U+00A0) before : and with « ».
FRENCH_SPACES = (
    (re.compile(r" ([;!?])"), "\u202f\\1"),
    (re.compile(r" (:)"), "\u00a0\\1"),
    (re.compile(r"« "), "«\u00a0"),
    (re.compile(r" »"), "\u00a0»"),
)


def french_typography(text: str) -> str:
    for pattern, replacement in FRENCH_SPACES:
        text = pattern.sub(replacement, text)
    return text


def compile_catalogues() -> int:
    for po_path in catalogue_paths():
        if not po_path.exists():
            continue
        catalogue = polib.pofile(str(po_path))
        if po_path.parent.parent.name == "fr":
            for entry in catalogue:
                entry.msgstr = french_typography(entry.msgstr)
                entry.msgstr_plural = {n: french_typography(text) for n, text in entry.msgstr_plural.items()}
        catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
    return 0


def _without_date(text: str) -> str:
    return re.sub(r'^"POT-Creation-Date: .*"$', "", text, flags=re.MULTILINE)


def update_catalogues() -> int:
    """makemessages for every language and domain; a catalogue whose strings did not change keeps its
    file as it was (makemessages stamps a new creation date on every run)."""
    before = {path: path.read_text(encoding="utf-8") for path in catalogue_paths() if path.exists()}
    _makemessages()
    for path, text in before.items():
        if _without_date(path.read_text(encoding="utf-8")) == _without_date(text):
            path.write_text(text, encoding="utf-8")
    return compile_catalogues()


def _makemessages() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "upr_portal.settings", "DJANGO_DEBUG": "1"}
    for domain in DOMAINS:
        command = [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--domain", domain, "--no-wrap"]
        command += [f"--ignore={pattern}" for pattern in IGNORE]
        command += [f"--locale={language}" for language in LANGUAGES]
        subprocess.run(command, cwd=BASE_DIR, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603 - our own argv


def check_catalogues() -> int:
    update_catalogues()
    problems = catalogue_problems()
    if problems:
        print("\n".join(problems), file=sys.stderr)
        print(
            f"{len(problems)} strings lack a checked translation. Translate them in the .po files named "
            "above (remove the 'fuzzy' flag once checked), then run: python scripts/messages.py compile",
            file=sys.stderr,
        )
        return 1
    print(f"catalogues complete: {', '.join(LANGUAGES)}")
    return 0


def catalogue_problems(locale_dir: Path = LOCALE_DIR) -> list[str]:
    """Every string of the catalogues under ``locale_dir`` left untranslated or fuzzy, and every missing
    catalogue, one line each."""
    problems = []
    for po_path in catalogue_paths(locale_dir):
        relative = po_path.relative_to(locale_dir.parent)
        if not po_path.exists():
            problems.append(f"{relative}: missing")
            continue
        catalogue = polib.pofile(str(po_path))
        for entry in catalogue.untranslated_entries():
            problems.append(f"{relative}: untranslated: {entry.msgid!r} ({_where(entry)})")
        for entry in catalogue.fuzzy_entries():
            problems.append(f"{relative}: fuzzy: {entry.msgid!r} ({_where(entry)})")
    return problems


def _where(entry) -> str:
    return ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:2]) or "no source"


if __name__ == "__main__":
    actions = {"compile": compile_catalogues, "update": update_catalogues, "check": check_catalogues}
    if len(sys.argv) != 2 or sys.argv[1] not in actions:
        sys.exit(f"usage: python scripts/messages.py {{{'|'.join(actions)}}}")
    sys.exit(actions[sys.argv[1]]())
