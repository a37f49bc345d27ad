"""A State's name in the active language where rows are read as values or with ``only()``.

``State.local_name`` and ``by_local_name`` (reviews/models.py) serve model instances and ordering;
these serve the rest: the fields a deferred load must keep so that ``local_name`` costs no query, the
local name as a query expression for ``values()``, and a sort key for lists sorted in Python.
"""

import unicodedata

from reviews.models import NAME_FIELDS, local_name_expression

__all__ = ["NAME_FIELDS", "local_name_expression", "name_fields", "name_sort_key"]


def name_fields(prefix: str = "") -> tuple[str, ...]:
    """The State's name fields behind ``prefix`` ("review__state__"), for ``only()``."""
    return tuple(f"{prefix}{field}" for field in NAME_FIELDS)


def name_sort_key(name: str) -> str:
    """Sort names as a reader of the language expects: "Égypte" among the E, not after "Zimbabwe"."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
