"""docs/permissions.md's comments matrix, one test per cell, with the machinery of test_permissions.py.

Each cell first writes the thread it acts on (``THREADS``): the person's own, or someone else's, on
the section the row names; a cell that is refused must leave the comments and the activity log as
they were.
"""

from collections.abc import Callable

import pytest
from django.urls import reverse
from django.utils import timezone

from coalitions.models import AuditEvent
from submissions.models import Comment
from tests.permissions_matrix import read_matrix
from tests.submissions.conftest import World
from tests.submissions.test_permissions import Spec, check_cell, database_state

pytestmark = pytest.mark.django_db

ROLES, MATRIX = read_matrix("matrix:comments")
CELLS = [(action, role, outcome) for action, row in MATRIX.items() for role, outcome in row.items()]
CELL_IDS = [f"{action}-{role}" for action, role, _outcome in CELLS]


def comments_state() -> tuple:
    return (
        list(
            Comment.objects.order_by("pk").values_list(
                "pk", "section_id", "parent_id", "author_id", "body", "quote", "resolved_at", "resolved_by"
            )
        ),
        list(AuditEvent.objects.order_by("pk").values_list("action", "actor_id", "details")),
    )


def own_thread(world: World, role: str):
    """A thread on the section of B's cluster written by the person (the coordinator's for anonymous)."""
    return world.people[role] or world.coordinator


def someone_else(world: World, role: str):
    return world.people["reviewer"] if role == "coordinator" else world.coordinator


def write_thread(which: str, author: Callable, *, resolved: bool = False):
    def setup(world: World, role: str) -> Comment:
        thread = Comment.objects.create(
            section=getattr(world, which), author=author(world, role), body="Is this figure current?", quote="three"
        )
        if resolved:
            Comment.objects.filter(pk=thread.pk).update(resolved_at=timezone.now(), resolved_by=world.coordinator)
        return thread

    return setup


THREADS: dict[str, Callable[[World, str], Comment]] = {
    "read a section's comments": write_thread("section_b", someone_else),
    "comment on a section": write_thread("section_b", someone_else),
    "answer a thread": write_thread("section_b", someone_else),
    "resolve a thread they started": write_thread("section_b", own_thread),
    "resolve someone else's thread on a section they work on": write_thread("section_b", someone_else),
    "resolve someone else's thread on a section they don't work on": write_thread("section_a", someone_else),
    "reopen someone else's resolved thread on a section they work on": write_thread(
        "section_b", someone_else, resolved=True
    ),
    "search members to mention": write_thread("section_b", someone_else),
}


def thread_url(name: str) -> Callable[[World], str]:
    def url(world: World) -> str:
        thread = world.thread
        return reverse(f"submissions:{name}", args=[thread.section.submission_id, thread.section_id, thread.pk])

    return url


def section_url(name: str) -> Callable[[World], str]:
    return lambda world: reverse(f"submissions:{name}", args=[world.submission.pk, world.section_b.pk])


def _check_comment(*, parent: bool) -> Callable[[World, str, object], None]:
    def check(world: World, role: str, response) -> None:
        comment = Comment.objects.exclude(pk=world.thread.pk).get()
        assert (comment.section, comment.author, comment.body, comment.parent) == (
            world.section_b,
            world.people[role],
            "Checked: the figure is from 2025.",
            world.thread if parent else None,
        )

    return check


def _check_resolved(resolved: bool) -> Callable[[World, str, object], None]:
    def check(world: World, role: str, response) -> None:
        thread = Comment.objects.get(pk=world.thread.pk)
        action = AuditEvent.Action.COMMENT_RESOLVED if resolved else AuditEvent.Action.COMMENT_REOPENED
        assert (thread.is_resolved, thread.resolved_by) == ((True, world.people[role]) if resolved else (False, None))
        assert list(AuditEvent.objects.values_list("action", "actor")) == [(action, world.people[role].pk)]

    return check


def _back_to_thread(world: World) -> str:
    thread = world.thread
    return reverse("submissions:section", args=[thread.section.submission_id, thread.section_id]) + (
        f"#comment-{thread.pk}"
    )


def _back_to_new_comment(world: World) -> str:
    return section_url("section")(world) + f"#comment-{Comment.objects.latest('pk').pk}"


def _thread_state(world: World):
    return Comment.objects.filter(pk=world.thread.pk).values_list("resolved_at", "resolved_by").get()


SPECS: dict[str, Spec] = {
    "read a section's comments": Spec(
        "GET",
        section_url("section"),
        shows=lambda world, role: ["Is this figure current?", f'id="comment-{world.thread.pk}"'],
    ),
    "comment on a section": Spec(
        "POST",
        section_url("comment_add"),
        rule="submissions.comment_section",
        data=lambda world: {"body": "Checked: the figure is from 2025.", "back": "read"},
        snapshot=lambda world: Comment.objects.count(),
        redirects_to=_back_to_new_comment,
        check=_check_comment(parent=False),
    ),
    "answer a thread": Spec(
        "POST",
        section_url("comment_add"),
        rule="submissions.comment_section",
        data=lambda world: {"body": "Checked: the figure is from 2025.", "parent": world.thread.pk},
        snapshot=lambda world: Comment.objects.count(),
        redirects_to=_back_to_new_comment,
        check=_check_comment(parent=True),
    ),
    **{
        action: Spec(
            "POST",
            thread_url("comment_resolve"),
            rule="submissions.resolve_comment",
            snapshot=_thread_state,
            redirects_to=_back_to_thread,
            check=_check_resolved(True),
        )
        for action in (
            "resolve a thread they started",
            "resolve someone else's thread on a section they work on",
            "resolve someone else's thread on a section they don't work on",
        )
    },
    "reopen someone else's resolved thread on a section they work on": Spec(
        "POST",
        thread_url("comment_reopen"),
        rule="submissions.resolve_comment",
        snapshot=_thread_state,
        redirects_to=_back_to_thread,
        check=_check_resolved(False),
    ),
    "search members to mention": Spec(
        "GET",
        lambda world: reverse("submissions:mention_search", args=[world.coalition.pk]) + "?q=the+dr",
        shows=lambda world, role: (
            [f'{{"id": {world.people["drafter"].pk}, "name": "The drafter", "organisation": "Beta Legal Aid"}}']
            if role != "drafter"
            else ['{"results": []}']
        ),
    ),
}


def test_matrix_roles_are_the_people_of_the_fixture(world):
    assert list(world.people) == ROLES


def test_matrix_every_action_has_a_request_spec_and_a_thread():
    assert sorted(set(MATRIX) ^ set(SPECS)) == []
    assert sorted(set(MATRIX) ^ set(THREADS)) == []


@pytest.mark.parametrize(("action", "role", "outcome"), CELLS, ids=CELL_IDS)
def test_matrix_cell(action, role, outcome, world, client):
    world.thread = THREADS[action](world, role)
    check_cell(client, world, SPECS[action], role, outcome, state=lambda: (database_state(), comments_state()))
