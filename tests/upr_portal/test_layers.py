"""The import contracts of pyproject.toml ([tool.importlinter]), checked as `make lint` checks them.

The apps are layered deadlines > submissions > coalitions > reviews > accounts > notifications; the
shared pieces of upr_portal import no app; no app imports the project's URLs, views or commands.
The second half builds a miniature portal with the same contracts and one wrong-way import at a time,
to show that the check fails when a layer is crossed.
"""

import json
import re
from pathlib import Path

import pytest
from importlinter import api  # importing it configures import-linter (readers, graph builder)
from importlinter.application.use_cases import lint_imports

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = ROOT / "pyproject.toml"
PREFIX = "layerscheck_"


def check(config: Path) -> bool:
    """True when every contract in `config` is kept; the report goes to stdout."""
    return lint_imports(config_filename=str(config), cache_dir=None, no_logo=True)


def test_project_keeps_its_import_contracts(capsys):
    passed = check(PYPROJECT)

    report = capsys.readouterr().out
    assert passed, report
    assert "3 kept, 0 broken" in report


# --- The same contracts on a miniature portal -------------------------------------------------

PROJECT = api.read_configuration(str(PYPROJECT))
ROOT_PACKAGES = PROJECT["session_options"]["root_packages"]
LABELS = {"id", "name", "type"}  # contract options that hold no module names
_ROOT_ALTERNATIVES = "|".join(map(re.escape, ROOT_PACKAGES))
_ROOT_NAME = re.compile(rf"(?<![\w.])({_ROOT_ALTERNATIVES})(?!\w)")

# Imports that go the right way: each app uses the ones below it and the shared pieces, and the
# project-level URLs use the top app.
RIGHT_WAY = {
    "upr_portal.urls": ["deadlines.views"],
    "deadlines.views": ["submissions.models", "upr_portal.timezones"],
    "submissions.models": ["coalitions.models", "upr_portal.wordcount"],
    "coalitions.models": ["reviews.models", "upr_portal.db"],
    "reviews.models": ["accounts.models", "upr_portal.db"],
    "accounts.models": ["notifications.models"],
    "notifications.models": ["upr_portal.mail"],
}


def renamed(value):
    """The project's module names in the miniature: `reviews.models` becomes `layerscheck_reviews.models`."""
    if isinstance(value, list):
        return [renamed(item) for item in value]
    if isinstance(value, str):
        return _ROOT_NAME.sub(lambda match: PREFIX + match.group(1), value)
    return value


def contract_modules() -> set[str]:
    """Every module the contracts name, so the miniature has each of them."""
    names = set(ROOT_PACKAGES)
    for contract in PROJECT["contracts_options"]:
        for key in ("layers", "source_modules", "forbidden_modules"):
            names.update(contract.get(key, []))
    return names


def build_miniature(tmp_path: Path, imports: dict[str, list[str]]) -> Path:
    """Writes the miniature packages and a config holding the project's contracts, renamed."""
    modules = contract_modules() | set(imports) | {name for names in imports.values() for name in names}
    for module in sorted(modules):
        parts = renamed(module).split(".")
        for depth in range(1, len(parts) + 1):
            package = tmp_path.joinpath(*parts[:depth])
            package.mkdir(exist_ok=True)
            (package / "__init__.py").touch()
    for importer, imported in imports.items():
        init = tmp_path.joinpath(*renamed(importer).split("."), "__init__.py")
        init.write_text("".join(f"import {renamed(name)}\n" for name in imported), encoding="utf-8")

    # json.dumps writes strings, lists and booleans as valid TOML.
    lines = ["[tool.importlinter]"]
    lines += [f"{key} = {json.dumps(renamed(value))}" for key, value in PROJECT["session_options"].items()]
    for contract in PROJECT["contracts_options"]:
        lines += ["", "[[tool.importlinter.contracts]]"]
        lines += [
            f"{key} = {json.dumps(value if key in LABELS else renamed(value))}" for key, value in contract.items()
        ]
    config = tmp_path / "contracts.toml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


@pytest.fixture
def miniature(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    return lambda imports: build_miniature(tmp_path, imports)


def test_miniature_with_right_way_imports_keeps_the_contracts(miniature, capsys):
    passed = check(miniature(RIGHT_WAY))

    report = capsys.readouterr().out
    assert passed, report
    assert "3 kept, 0 broken" in report


@pytest.mark.parametrize(
    ("importer", "imported", "contract"),
    [
        # The word count once lived in submissions and the coalitions' validators imported it.
        ("coalitions.validators", "submissions.wordcount", "Apps import only the apps below them"),
        ("notifications.services", "accounts.models", "Apps import only the apps below them"),
        ("upr_portal.wordcount", "submissions.models", "The shared pieces of upr_portal import no app"),
        ("upr_portal.timezones", "reviews.models", "The shared pieces of upr_portal import no app"),
        ("coalitions.views", "upr_portal.urls", "No app imports the project-level URLs, views or commands"),
        ("reviews.tasks", "upr_portal.management", "No app imports the project-level URLs, views or commands"),
    ],
)
def test_miniature_with_a_wrong_way_import_breaks_its_contract(miniature, capsys, importer, imported, contract):
    passed = check(miniature({**RIGHT_WAY, importer: [imported]}))

    report = capsys.readouterr().out
    assert not passed, report
    # A wrong-way import can break another contract too, through the chain it closes.
    assert f"{contract} BROKEN" in report
    assert f"{renamed(importer)} -> {renamed(imported)}" in report
