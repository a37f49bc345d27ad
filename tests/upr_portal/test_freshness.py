"""The data generation (upr_portal/freshness.py): every kind of write makes remembered values be
recomputed, in this process at once and in others from the commit on; reads never do."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction

from reviews.models import State
from upr_portal import freshness

pytestmark = pytest.mark.django_db


def counter():
    """A value to remember that says how many times it was computed."""
    calls = []

    def compute():
        calls.append(1)
        return State.objects.count()

    return calls, compute


def make_state(code="ZZZ", name="Atlantis"):
    return State.objects.create(code=code, name=name)


def test_a_value_is_computed_once_while_nothing_changes():
    calls, compute = counter()
    first = freshness.remember("states", ["a"], compute)
    second = freshness.remember("states", ["a"], compute)
    assert first == second == State.objects.count()
    assert len(calls) == 1


def test_other_parts_are_other_values():
    calls, compute = counter()
    freshness.remember("states", ["en"], compute)
    freshness.remember("states", ["fr"], compute)
    freshness.remember("other-name", ["en"], compute)
    assert len(calls) == 3


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda: make_state(), id="save"),
        pytest.param(lambda: State.objects.filter(code="ZZX").update(name="Gaule"), id="queryset update"),
        pytest.param(lambda: State.objects.filter(code="ZZX").delete(), id="queryset delete"),
        pytest.param(
            lambda: State.objects.bulk_create([State(code="ZZY", name="Utopia")]),
            id="bulk create",
        ),
        pytest.param(
            lambda: connection.cursor().execute("UPDATE reviews_state SET name = name || '' WHERE code = 'ZZX'"),
            id="raw SQL",
        ),
    ],
)
def test_every_kind_of_write_has_the_value_computed_again(write):
    make_state("ZZX", "Ruritania")
    calls, compute = counter()
    freshness.remember("states", [], compute)
    write()
    after = freshness.remember("states", [], compute)
    assert len(calls) == 2
    assert after == State.objects.count()


def test_reads_and_sessions_leave_the_generation_alone():
    generation = freshness.generation()
    list(State.objects.all()[:3])
    session = SessionStore()
    session["seen"] = True
    session.save()
    assert freshness.generation() == generation


@pytest.mark.django_db(transaction=True)
def test_a_transaction_moves_the_generation_on_when_it_commits_and_once():
    generation = freshness.generation()
    with transaction.atomic():
        make_state("ZZA", "One")
        make_state("ZZB", "Two")
        # Other processes cannot see the writes yet; this one reads them (its own transaction), and
        # stores nothing meanwhile: a rollback would undo what it read.
        calls, compute = counter()
        freshness.remember("states", [], compute)
        freshness.remember("states", [], compute)
        assert len(calls) == 2
        assert sum(entry[1] is freshness.bump for entry in connection.run_on_commit) == 1
    committed = freshness.generation()
    assert committed > generation
    calls, compute = counter()
    freshness.remember("states", [], compute)
    freshness.remember("states", [], compute)
    assert len(calls) == 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_leaves_no_callback_behind():
    def rolled_back():
        with transaction.atomic():
            make_state("ZZC", "Gone")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        rolled_back()
    assert connection.run_on_commit == []
    generation = freshness.generation()
    with transaction.atomic():
        make_state("ZZD", "Kept")
    assert freshness.generation() > generation


@pytest.mark.django_db(transaction=True)
def test_an_autocommit_write_moves_the_shared_generation_at_once():
    generation = freshness.generation()
    make_state("ZZE", "At once")
    # Not through this process's "stale" mark: straight from the cache, as another process reads it.
    from django.core.cache import cache

    assert cache.get(freshness.GENERATION_KEY) > generation


def test_statements_that_do_not_write():
    assert not freshness.is_write('SELECT "reviews_state"."id" FROM "reviews_state"')
    assert not freshness.is_write("  savepoint s1")
    assert not freshness.is_write('UPDATE "django_session" SET "session_data" = %s')
    assert not freshness.is_write('INSERT INTO "axes_accessattempt" ("username") VALUES (%s)')
    assert freshness.is_write('UPDATE "reviews_state" SET "name" = %s')
    assert freshness.is_write('INSERT INTO "django_session_extra" ("x") VALUES (%s)')
    assert freshness.is_write('DELETE FROM "submissions_section" WHERE "id" = %s')


def test_a_request_holds_the_generation_it_read_and_sees_its_own_writes():
    from django.core.cache import cache

    calls, compute = counter()
    freshness.hold_for_request(sender=None)
    try:
        freshness.remember("states", ["a"], compute)
        cache.incr(freshness.GENERATION_KEY)  # another process commits meanwhile
        freshness.remember("states", ["a"], compute)
        held = len(calls)
        make_state("ZZF", "Own write")
        freshness.remember("states", ["a"], compute)
        after_own_write = len(calls)
    finally:
        freshness.release_after_request(sender=None)
    cache.incr(freshness.GENERATION_KEY)  # outside a request, another process's commit is seen at once
    freshness.remember("states", ["a"], compute)

    assert (held, after_own_write, len(calls)) == (1, 2, 3)


def test_a_page_reads_the_generation_once_however_many_values_it_remembers(client, monkeypatch):
    from django.core.cache import cache
    from django.urls import reverse

    from tests.factories import UserFactory

    reads = []
    remembered = []
    get_or_set, remember = cache.get_or_set, freshness.remember

    def counted_get_or_set(key, *args, **kwargs):
        if key == freshness.GENERATION_KEY:
            reads.append(key)
        return get_or_set(key, *args, **kwargs)

    def counted_remember(name, *args, **kwargs):
        remembered.append(name)
        return remember(name, *args, **kwargs)

    client.force_login(UserFactory())
    monkeypatch.setattr(cache, "get_or_set", counted_get_or_set)
    monkeypatch.setattr(freshness, "remember", counted_remember)

    assert "My coalitions" in client.get(reverse("home")).content.decode()
    assert (len(reads), len(remembered) >= 2) == (1, True)


def test_forget_remembered_has_every_value_computed_again_after_a_change_made_outside_the_portal():
    from io import StringIO

    from django.core.management import call_command

    calls, compute = counter()
    freshness.remember("states", [], compute)
    generation = freshness.generation()
    out = StringIO()

    call_command("forget_remembered", stdout=out)
    freshness.remember("states", [], compute)

    assert len(calls) == 2
    assert f"(data generation {generation + 1})" in out.getvalue()


def test_a_generation_lost_with_the_cache_starts_again_past_every_number_used_before():
    from django.core.cache import cache

    calls, compute = counter()
    freshness.remember("states", [], compute)
    before = freshness.generation()
    cache.delete(freshness.GENERATION_KEY)  # a cache emptied, restarted, or that evicted the key

    after = freshness.generation()
    freshness.remember("states", [], compute)

    assert after > before
    assert len(calls) == 2


def test_a_connection_reconnected_is_watched_once():
    from django.db.backends.signals import connection_created

    watchers = len(connection.execute_wrappers)
    for _ in range(3):
        connection_created.send(sender=connection.__class__, connection=connection)
    assert len(connection.execute_wrappers) == watchers == 1
