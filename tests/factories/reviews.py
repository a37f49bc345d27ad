import datetime
import string

import factory

from reviews.models import Cycle, DocumentLimit, RegionalGroup, Review, Session, State


def _code(n: int) -> str:
    letters = string.ascii_uppercase
    return "Q" + letters[(n // 26) % 26] + letters[n % 26]


class RegionalGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionalGroup
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"group-{n}")
    name = factory.Sequence(lambda n: f"Regional group {n}")


class StateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = State

    code = factory.Sequence(_code)
    name = factory.Sequence(lambda n: f"Testland {n}")
    status = State.Status.MEMBER


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cycle
        django_get_or_create = ["number"]

    number = 4
    start_year = 2022
    end_year = 2027


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    number = factory.Sequence(lambda n: 100 + n)
    cycle = factory.SubFactory(CycleFactory)
    wg_start = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=200))
    wg_end = factory.LazyAttribute(lambda o: o.wg_start + datetime.timedelta(days=11) if o.wg_start else None)


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    state = factory.SubFactory(StateFactory)
    session = factory.SubFactory(SessionFactory)


class DocumentLimitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentLimit
        django_get_or_create = ["cycle", "kind"]

    cycle = factory.SubFactory(CycleFactory)
    kind = DocumentLimit.Kind.JOINT
    max_words = 5630
    max_pages = 10
