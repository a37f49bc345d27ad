"""`manage.py seed_demo`: the project-level command that `make run` calls after load_reference_data."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from coalitions.demo import DEMO_PASSWORD, PEOPLE
from reviews.models import State
from submissions.models import Submission
from tests.factories import CycleFactory, DocumentLimitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference_data():
    State.objects.create(code="FIN", name="Finland")
    DocumentLimitFactory(cycle=CycleFactory(number=4), kind="joint", max_words=5630)


def test_seed_demo_with_debug_off_refuses(reference_data, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError) as raised:
        call_command("seed_demo", stdout=StringIO())

    assert str(raised.value) == "Refusing to create demo accounts with DJANGO_DEBUG off: their password is public."
    assert Submission.objects.count() == 0


def test_seed_demo_without_states_asks_for_the_reference_data(settings):
    settings.DEBUG = True

    with pytest.raises(CommandError) as raised:
        call_command("seed_demo", stdout=StringIO())

    assert str(raised.value) == "No States in the database: run `python manage.py load_reference_data` first."


def test_seed_demo_prints_the_coalition_submission_and_sign_ins(reference_data):
    out = StringIO()

    call_command("seed_demo", "--allow-without-debug", stdout=out)

    submission = Submission.objects.get()
    lines = out.getvalue().splitlines()
    assert lines[:3] == [
        f"Demo coalition: {submission.coalition}, working on the review of {submission.review}.",
        f"Demo submission: {submission.title} ({submission.sections.count()} sections).",
        f"Demo sign-ins (password for all: {DEMO_PASSWORD}):",
    ]
    signed_in = [line.split()[0] for line in lines[3:]]
    assert signed_in[: len(PEOPLE)] == [email for email, *_rest in PEOPLE]
    assert len(signed_in) == len(PEOPLE) + 1  # and the site administrator


def test_seed_demo_twice_creates_nothing_more(reference_data, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())

    call_command("seed_demo", stdout=StringIO())

    assert Submission.objects.count() == 1
