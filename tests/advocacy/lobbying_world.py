"""The implementation matrix's world (tests/advocacy/matrix_world.py) with what the lobbying log,
the factsheets and the pre-session statement work on: three recommendations of the coalition, a
meeting with Kenya, a factsheet and a saved statement."""

import datetime

from advocacy.models import Factsheet, Meeting
from advocacy.services.statements import statement_save
from reviews.models import State
from tests.advocacy.matrix_world import build_matrix_world
from tests.factories import StateFactory
from tests.factories.recommendations import add_recommendation
from tests.submissions.conftest import World

FIRST = "Amend the Children Act by 2028 so that no child is held with adults."
SECOND = "Publish yearly figures on children in pre-trial detention."
THIRD = "Fund legal aid for every child in detention from 2027."
STATEMENT = "Children are held with adults in three prisons."
TORTURE_THEME = "Torture and other cruel treatment"


def build_lobbying_world() -> World:
    world = build_matrix_world()
    world.kenya = StateFactory(name="Kenya")
    world.holy_see = StateFactory(name="Holy See", status=State.Status.OBSERVER)
    drafter = world.people["drafter"]
    world.first = add_recommendation(
        world.section_b,
        author=drafter,
        text=FIRST,
        theme="Detention",
        smart="all",
        confirmed_by=world.people["reviewer"],
    )
    world.second = add_recommendation(world.section_b, author=drafter, text=SECOND)
    world.third = add_recommendation(world.section_b, author=drafter, text=THIRD, smart="all")
    today = datetime.date.today()
    world.meeting = Meeting.objects.create(
        coalition=world.coalition,
        review=world.review,
        state=world.kenya,
        channel=Meeting.Channel.EMBASSY,
        held_on=today - datetime.timedelta(days=10),
        people="Deputy head of mission",
        outcome="Will consider the detention ask.",
        follow_up_on=today + datetime.timedelta(days=5),
        created_by=drafter,
    )
    world.meeting.raised.set([world.first, world.second])
    world.factsheet = Factsheet.objects.create(
        coalition=world.coalition, review=world.review, theme=TORTURE_THEME, key_facts="Three prisons hold children."
    )
    world.factsheet.previous.set([world.upr_torture])
    world.factsheet.asks.set([world.first, world.second])
    world.statement = statement_save(submission=world.submission, actor=world.coordinator, text=STATEMENT, version=0)
    return world
