"""What the reminder tests share: Geneva moments, reviews with a deadline, coalitions working on them,
and a tiny extra provider of deadlines (an internal "first draft" deadline reminded daily once late)."""

import datetime
import itertools
from collections.abc import Iterable

import pytest

from coalitions.models import Coalition, Role
from deadlines import providers
from deadlines.providers import Deadline
from reviews.models import Review
from tests.factories import MembershipFactory, ReviewFactory, StateFactory, UserFactory
from tests.factories.coalitions import new_coalition
from upr_portal.timezones import GENEVA

SITE = "https://upr.example.org"
_numbers = itertools.count()


def geneva(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    """A moment on the Geneva wall clock (CET in winter, CEST in summer)."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=GENEVA)


def review_due(moment: datetime.datetime, *, state: str | None = None, **fields) -> Review:
    """A review whose stakeholder deadline is ``moment``."""
    return ReviewFactory(
        state=StateFactory(name=state or f"Remindland {next(_numbers)}"), stakeholder_deadline=moment, **fields
    )


def coalition_on(review: Review | None, *emails: str, role: str = Role.DRAFTER, **fields) -> Coalition:
    """A coalition working on ``review``, with one active member per address."""
    coalition = new_coalition(**fields)
    if review is not None:
        coalition.reviews.add(review)
    for email in emails:
        MembershipFactory(coalition=coalition, user=UserFactory(email=email), role=role)
    return coalition


class DraftProvider:
    """An internal deadline, as later issues add them: one small provider, registered, nothing else.

    Reminded daily once late, mutable by each person, for the audience given (or every member).
    """

    name = "test_first_drafts"
    label = "First drafts of sections"
    mutable = True

    def __init__(self):
        self.items: list[tuple[Coalition, datetime.datetime | datetime.date, frozenset[int] | None]] = []

    def add(self, coalition: Coalition, when, *, audience: Iterable[int] | None = None) -> str:
        self.items.append((coalition, when, frozenset(audience) if audience is not None else None))
        return f"draft-{len(self.items)}"

    def deadlines(self, *, coalition_ids=None, start=None, end=None) -> list[Deadline]:
        found = []
        for number, (coalition, when, audience) in enumerate(self.items, start=1):
            deadline = Deadline(
                key=f"draft-{number}",
                provider=self.name,
                label="First draft due",
                when=when,
                coalition=coalition,
                url=f"/coalitions/{coalition.pk}/clusters/",
                remind_overdue=True,
                audience=audience,
            )
            if coalition_ids is not None and coalition.pk not in set(coalition_ids):
                continue
            if (start is None or deadline.day >= start) and (end is None or deadline.day <= end):
                found.append(deadline)
        return found


@pytest.fixture
def drafts():
    provider = DraftProvider()
    providers.register(provider)
    yield provider
    providers.unregister(provider.name)


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = SITE
    return SITE
