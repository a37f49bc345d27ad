"""Reads the permission tables of docs/permissions.md: the contract both permission test modules check."""

import re
from pathlib import Path

MATRIX_DOCUMENT = Path(__file__).resolve().parents[1] / "docs" / "permissions.md"
OUTCOMES = {"yes", "403", "404", "login"}


def parse_matrix(text: str, *, name: str = "matrix") -> tuple[list[str], dict[str, dict[str, str]]]:
    """The role columns and, for each action, its outcome per role, from the table between
    ``<!-- {name}:start -->`` and ``<!-- {name}:end -->``."""
    start_marker, end_marker = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    start = text.index(start_marker) + len(start_marker)
    end = text.index(end_marker, start)
    lines = [line.strip() for line in text[start:end].splitlines() if line.strip()]

    def cells(line: str) -> list[str]:
        if not (line.startswith("|") and line.endswith("|")):
            raise ValueError(f"Not a table row in docs/permissions.md: {line!r}")
        return [cell.strip() for cell in line[1:-1].split("|")]

    header, separator, *rows = lines
    action_heading, *roles = cells(header)
    if action_heading != "action" or not roles:
        raise ValueError(f"The matrix header must be '| action | <role> | ... |', not {header!r}")
    if not all(re.fullmatch(r":?-{3,}:?", cell) for cell in cells(separator)):
        raise ValueError(f"The matrix's second line must separate the header: {separator!r}")
    matrix: dict[str, dict[str, str]] = {}
    for row in rows:
        action, *outcomes = cells(row)
        if len(outcomes) != len(roles):
            raise ValueError(f"{action!r} has {len(outcomes)} cells for {len(roles)} roles")
        if action in matrix:
            raise ValueError(f"{action!r} appears twice in the matrix")
        unknown = set(outcomes) - OUTCOMES
        if unknown:
            raise ValueError(f"{action!r} has outcomes {sorted(unknown)}; a cell is one of {sorted(OUTCOMES)}")
        matrix[action] = dict(zip(roles, outcomes, strict=True))
    return roles, matrix


def read_matrix(name: str) -> tuple[list[str], dict[str, dict[str, str]]]:
    return parse_matrix(MATRIX_DOCUMENT.read_text(encoding="utf-8"), name=name)
