"""The coalition of docs/permissions.md (tests/submissions/conftest.py) after its review: the
coalition's three recommendations (asks) in its joint submission, four recommendations made at the
review, a meeting in the lobbying log, matches in each state and assessments for the mid-term report."""

import datetime

from advocacy.models import Assessment, ImplementationLevel, Meeting, UptakeMatch
from reviews.models import IndexTerm, UPRRecommendation
from tests.factories import StateFactory
from tests.factories.recommendations import add_recommendation
from tests.submissions.conftest import World, build_world

REPORT = "A/HRC/60/12"
ASK_TORTURE = (
    "Ratify the Optional Protocol to the Convention against Torture and set up a national preventive mechanism by 2027."
)
ASK_CHILDREN = "Separate children from adults in all places of detention by 2026."
ASK_DEFENDERS = "Adopt a law on the protection of human rights defenders."
MADE_TORTURE = (
    "Ratify the Optional Protocol to the Convention against Torture and establish a national preventive mechanism"
)
MADE_CHILDREN = "Ensure that children deprived of liberty are separated from adults in all detention facilities"
MADE_EDUCATION = "Increase the budget allocated to primary education in rural areas"
MADE_DEFENDERS = "Enact legislation recognising and protecting human rights defenders and journalists"


def made(review, paragraph: str, text: str, position: str, states=()) -> UPRRecommendation:
    recommendation = UPRRecommendation.objects.create(
        review=review,
        report_symbol=REPORT,
        paragraph=paragraph,
        text=text,
        position=position,
        recommending_states_text=" ".join(f"({s.name})" for s in states),
    )
    recommendation.recommending_states.set(states)
    return recommendation


def build_uptake_world() -> World:
    """The permissions world plus, for ``world.review``:
    - asks ``ask_torture`` (theme Detention, asked of France), ``ask_children`` (Juvenile justice,
      asked of Portugal) and ``ask_defenders`` (Civic space, no State), in the section of B's cluster;
    - made ``made_torture`` (150.1, France, supported), ``made_children`` (150.2, Portugal, noted),
      ``made_education`` (150.3, Brazil, supported), ``made_defenders`` (150.4, Brazil, supported);
    - a meeting with Brazil;
    - matches: ``proposed`` (torture, 150.1), ``proposed_children`` (children, 150.2) and ``rejected``
      (defenders, 150.3);
    - assessments of 150.1 (B's cluster), 150.2 (no cluster, theme "Rights of the child"), 150.3
      (neither) and 150.4 (not relevant)."""
    world = build_world()
    world.france = StateFactory(name="France")
    world.portugal = StateFactory(name="Portugal")
    world.brazil = StateFactory(name="Brazil")
    author = world.coordinator
    world.ask_torture = add_recommendation(
        world.section_b, author=author, text=ASK_TORTURE, theme="Detention", states=[world.france]
    )
    world.ask_children = add_recommendation(
        world.section_b, author=author, text=ASK_CHILDREN, theme="Juvenile justice", states=[world.portugal]
    )
    world.ask_defenders = add_recommendation(world.section_b, author=author, text=ASK_DEFENDERS, theme="Civic space")
    Position = UPRRecommendation.Position
    world.made_torture = made(world.review, "150.1", MADE_TORTURE, Position.SUPPORTED, [world.france])
    world.made_children = made(world.review, "150.2", MADE_CHILDREN, Position.NOTED, [world.portugal])
    world.made_education = made(world.review, "150.3", MADE_EDUCATION, Position.SUPPORTED, [world.brazil])
    world.made_defenders = made(world.review, "150.4", MADE_DEFENDERS, Position.SUPPORTED, [world.brazil])
    Meeting.objects.create(
        coalition=world.coalition,
        review=world.review,
        state=world.brazil,
        held_on=datetime.date(2026, 3, 2),
        created_by=author,
    )
    world.proposed = UptakeMatch.objects.create(
        coalition=world.coalition, asked=world.ask_torture, made=world.made_torture, score=95
    )
    world.proposed_children = UptakeMatch.objects.create(
        coalition=world.coalition, asked=world.ask_children, made=world.made_children, score=70
    )
    world.rejected = UptakeMatch.objects.create(
        coalition=world.coalition,
        asked=world.ask_defenders,
        made=world.made_education,
        score=61,
        status=UptakeMatch.Status.REJECTED,
        decided_by=author,
    )
    children = IndexTerm.objects.create(name="Rights of the child")
    world.made_children.terms.set([children])
    world.assessments = [
        Assessment.objects.create(
            coalition=world.coalition,
            recommendation=world.made_torture,
            cluster=world.cluster_b,
            level=ImplementationLevel.PARTIALLY,
            evidence="The bill was tabled in 2026 but not adopted.",
            indicator="OPCAT ratified",
            baseline="not ratified",
            target="ratified by 2027",
        ),
        Assessment.objects.create(
            coalition=world.coalition,
            recommendation=world.made_children,
            level=ImplementationLevel.NOT_IMPLEMENTED,
            evidence="Children are held with adults in three prisons <b>still</b>.",
        ),
        Assessment.objects.create(
            coalition=world.coalition, recommendation=world.made_education, level=ImplementationLevel.IMPLEMENTED
        ),
        Assessment.objects.create(coalition=world.coalition, recommendation=world.made_defenders, relevant=False),
    ]
    return world
