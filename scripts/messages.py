"""The portal's translation catalogues (locale/<language>/LC_MESSAGES/django.po and djangojs.po).

    python scripts/messages.py compile   # .po -> .mo with polib (no system gettext needed to run the portal)
    python scripts/messages.py update    # makemessages for every language, then compile
    python scripts/messages.py check     # update, then fail on any untranslated or fuzzy string

``check`` runs in ``make test``: a new string in a template, a form or a script appears in the catalogues
as untranslated and fails the build until it is translated. makemessages needs GNU gettext (xgettext,
msgmerge); compiling does not.
"""

import os
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


def catalogue_paths():
    for language in LANGUAGES:
        for domain in DOMAINS:
            yield LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"


def compile_catalogues() -> int:
    for po_path in catalogue_paths():
        if po_path.exists():
            polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
    return 0


def update_catalogues() -> int:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "upr_portal.settings", "DJANGO_DEBUG": "1"}
    for domain in DOMAINS:
        command = [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--domain", domain, "--no-wrap"]
        command += [f"--ignore={pattern}" for pattern in IGNORE]
        command += [f"--locale={language}" for language in LANGUAGES]
        subprocess.run(command, cwd=BASE_DIR, env=env, check=True, stdout=subprocess.DEVNULL)
    return compile_catalogues()


def check_catalogues() -> int:
    update_catalogues()
    problems = []
    for po_path in catalogue_paths():
        catalogue = polib.pofile(str(po_path))
        relative = po_path.relative_to(BASE_DIR)
        for entry in catalogue.untranslated_entries():
            problems.append(f"{relative}: untranslated: {entry.msgid!r} ({_where(entry)})")
        for entry in catalogue.fuzzy_entries():
            problems.append(f"{relative}: fuzzy: {entry.msgid!r} ({_where(entry)})")
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


def _where(entry) -> str:
    return ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:2]) or "no source"


if __name__ == "__main__":
    actions = {"compile": compile_catalogues, "update": update_catalogues, "check": check_catalogues}
    if len(sys.argv) != 2 or sys.argv[1] not in actions:
        sys.exit(f"usage: python scripts/messages.py {{{'|'.join(actions)}}}")
    sys.exit(actions[sys.argv[1]]())
