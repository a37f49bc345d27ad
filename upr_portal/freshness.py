"""Data a page computes from the database, kept in the cache until the database changes.

One number, the *data generation*, says which state of the database the cached data belongs to. It
moves on after every write that reaches the database, whatever made it: a model's save, a queryset's
``update()`` or ``bulk_create()``, a migration or raw SQL, in the web, a Celery worker or a command.
Writes are seen where they happen, in the SQL each database connection executes (``watch_writes``
installs the watcher on every connection), so no write path can forget to say so.

- A write in autocommit mode moves the generation on at once.
- A write inside a transaction marks this process's reads as stale at once (the same transaction reads
  its own writes), and moves the shared generation on when the transaction commits: other processes
  cannot see the write before then, and a rollback leaves nothing to forget.
- Inside a transaction of the code's own (not a test's), ``remember`` computes and does not store:
  what it read may still be rolled back.

``remember(name, parts, compute)`` gives ``compute()``'s value, from the cache when this generation of
the database already computed it for the same ``parts`` (whose values it depends on besides the
database: the person, the language, today's date...). The value must be picklable and must not depend
on anything else, not even the clock beyond what ``parts`` names.

Writes that no page shows do not move the generation: the sessions' table and django-axes' sign-in
records (written on every sign-in attempt).

A request reads the shared generation once (``hold_for_request``), not once a remembered value: a
page remembers several, each a round trip to the cache. Its own writes still move it on at once; a
write another process commits meanwhile is seen by the next request.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Callable, Hashable, Iterable
from typing import Any

from django.core.cache import cache
from django.db import connections, transaction

GENERATION_KEY = "data-generation"
# A value is only read again within its generation, which busy hours end every few seconds: entries of
# old generations expire on their own after this (and Redis may evict them first: docker-compose.yml).
REMEMBER_SECONDS = 600
READ_ONLY = re.compile(r"\s*(SELECT|SAVEPOINT|RELEASE|ROLLBACK|SET|SHOW|EXPLAIN|PRAGMA|BEGIN|COMMIT)\b", re.I)
UNSHOWN_TABLES = re.compile(r'\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(django_session|axes_\w+)"?[\s(]', re.I)

_stale_here = False  # a write this process has made (possibly not committed yet) that readers must see
_request = threading.local()  # the generation the thread's current request has read, while it runs


def is_write(sql: str) -> bool:
    return not READ_ONLY.match(sql) and not UNSHOWN_TABLES.match(sql)


def bump() -> None:
    """Moves the generation on: every value remembered so far is recomputed on its next use."""
    global _stale_here
    _stale_here = False
    _request.generation = None
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet (a new or emptied cache)
        if not cache.add(GENERATION_KEY, _new_start() + 1, timeout=None):
            cache.incr(GENERATION_KEY)


def _new_start() -> int:
    """Where a generation lost with the cache (emptied, restarted, or its key evicted) starts again:
    the clock in milliseconds, past every number it reached before (unless it moved on more than once a
    millisecond), so that no value remembered under an old number is ever read again."""
    return time.time_ns() // 1_000_000


def mark_stale() -> None:
    """The next read moves the generation on first."""
    global _stale_here
    _stale_here = True


def generation() -> int:
    if _stale_here:
        bump()
    held = getattr(_request, "generation", None)
    if held is not None:
        return held
    value = cache.get_or_set(GENERATION_KEY, _new_start, timeout=None)
    if getattr(_request, "running", False):
        _request.generation = value
    return value


def hold_for_request(sender, **kwargs) -> None:
    """``request_started`` receiver: the request reads the generation once, on its first use."""
    _request.running = True
    _request.generation = None


def release_after_request(sender, **kwargs) -> None:
    """``request_finished`` receiver: outside a request (a task, a command) every use reads it."""
    _request.running = False
    _request.generation = None


def _own_transaction(connection) -> bool:
    """Whether a transaction the code opened (not one a test wraps around everything) is open."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def _watcher(connection):
    def watch(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if is_write(sql):
            if connection.in_atomic_block:
                mark_stale()
                # Once per transaction: on_commit keeps every callback it is given (and forgets them
                # all on a rollback).
                if not any(entry[1] is bump for entry in connection.run_on_commit):
                    transaction.on_commit(bump, using=connection.alias)
            else:
                bump()
        return result

    return watch


def watch_writes(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: every database connection reports its writes.

    Once per connection object: Django keeps the object (and its execute wrappers) across reconnections,
    and sends the signal again at each."""
    if not getattr(connection, "_freshness_watched", False):
        connection._freshness_watched = True
        connection.execute_wrappers.append(_watcher(connection))


def key(name: str, parts: Iterable[Hashable]) -> str:
    digest = hashlib.blake2b(repr(tuple(parts)).encode(), digest_size=16).hexdigest()
    return f"remember:{name}:{generation()}:{digest}"


def remember(name: str, parts: Iterable[Hashable], compute: Callable[[], Any], *, using: str = "default") -> Any:
    connection = connections[using]
    # The database's name: two databases behind one cache (the tests' workers) never share values.
    cache_key = key(name, (connection.settings_dict["NAME"], *parts))
    if _own_transaction(connection):
        return compute()
    value = cache.get(cache_key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(cache_key, value, timeout=REMEMBER_SECONDS)
    return value


_MISSING = object()
