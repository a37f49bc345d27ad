"""Rows written once for a whole module of tests, as Django's ``TestCase.setUpTestData`` does for a class.

A module-scoped fixture made by ``module_rows`` writes the rows inside a transaction that stays open
while the module's tests run, and rolls it back after the last one. Each test still asks for ``db``:
pytest-django's test case then works inside a savepoint of that transaction, so whatever one test
writes is undone before the next. Tests take a deep copy of the built objects (``setUpTestData``
copies its attributes the same way), so one test's ``refresh_from_db()`` or cached relations never
reach another.

The open transaction is in the way of a ``transaction=True`` test (the live server of the browser
tests, a Celery worker thread, concurrent writers): it would see no rows, and its flush would fail.
So in each module the tests on shared rows run after all the others (tests/conftest.py).
"""

from collections.abc import Callable, Iterator

import pytest
from django.db import transaction

# The names of the fixtures made by module_rows, for the ordering in tests/conftest.py.
SHARED_ROWS_FIXTURES: set[str] = set()


def module_rows[T](name: str, build: Callable[[], T]):
    """A module-scoped fixture ``name`` giving what ``build()`` returns, its rows rolled back at the end."""

    @pytest.fixture(scope="module", name=name)
    def fixture(django_db_setup, django_db_blocker) -> Iterator[T]:
        block = transaction.atomic()
        # Marked as Django marks the blocks of its own test cases, which the code under test tells apart
        # from its own (upr_portal/db.py in_business_transaction, durable=True blocks).
        block._from_testcase = True
        with django_db_blocker.unblock(), block:
            data = build()
            # Between the tests, the database is as closed as pytest-django leaves it for any test.
            with django_db_blocker.block():
                yield data
            transaction.set_rollback(True)

    SHARED_ROWS_FIXTURES.add(name)
    return fixture


def shared_rows_last(items: list[pytest.Item]) -> None:
    """Sorts ``items`` so that, within each module, the tests on shared rows come after the others."""
    first_index: dict[object, int] = {}
    for index, item in enumerate(items):
        first_index.setdefault(item.path, index)

    def on_shared_rows(item: pytest.Item) -> bool:
        return not SHARED_ROWS_FIXTURES.isdisjoint(getattr(item, "fixturenames", ()))

    items.sort(key=lambda item: (first_index[item.path], on_shared_rows(item)))
