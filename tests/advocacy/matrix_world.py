"""The coalition of docs/permissions.md (tests/submissions/conftest.py) with an earlier review of its
State whose recommendations are imported, for the implementation matrix's tests."""

import datetime

from advocacy.services.matrix import AssessmentValues, assessment_save
from reviews.models import IndexTerm, Review, UPRRecommendation
from tests.factories import ReviewFactory, SessionFactory, StateFactory
from tests.submissions.conftest import World, build_world

REPORT = "A/HRC/44/9"


def add_upr_recommendations(review: Review, count: int, *, start: int = 1, states=(), terms=()):
    """``count`` recommendations of the review, paragraphs 140.<start>..; created in bulk with their
    paragraph numbers as ``save()`` would set them."""
    rows = UPRRecommendation.objects.bulk_create(
        [
            UPRRecommendation(
                review=review,
                report_symbol=REPORT,
                paragraph=f"140.{n}",
                paragraph_major=140,
                paragraph_minor=n,
                text=f"Recommendation number {n}: ratify the treaty and report on it.",
                position=UPRRecommendation.Position.SUPPORTED if n % 2 else UPRRecommendation.Position.NOTED,
            )
            for n in range(start, start + count)
        ]
    )
    through = UPRRecommendation.recommending_states.through
    through.objects.bulk_create(
        [through(uprrecommendation_id=row.pk, state_id=state.pk) for row in rows for state in states]
    )
    terms_through = UPRRecommendation.terms.through
    terms_through.objects.bulk_create(
        [terms_through(uprrecommendation_id=row.pk, indexterm_id=term.pk) for row in rows for term in terms]
    )
    return rows


def build_matrix_world() -> World:
    """The permissions world plus ``previous`` (session 44 of the same State, two years ago) with three
    recommendations: ``upr_torture`` (140.7, assessed "partially" by the coordinator, linked to the
    section of B's cluster), ``upr_health`` (140.10, themed "Right to health") and ``upr_other``
    (140.9, not relevant)."""
    world = build_world()
    world.portugal = StateFactory(name="Portugal")
    world.maldives = StateFactory(name="Maldives")
    world.health = IndexTerm.objects.create(name="Right to health")
    world.torture_term = IndexTerm.objects.create(name="Torture and other cruel treatment")
    today = datetime.date.today()
    world.previous = ReviewFactory(
        state=world.review.state,
        session=SessionFactory(number=44, wg_start=today - datetime.timedelta(days=700)),
    )
    world.upr_torture = UPRRecommendation.objects.create(
        review=world.previous,
        report_symbol=REPORT,
        paragraph="140.7",
        text="Ratify the Optional Protocol to the Convention against Torture.",
        recommending_states_text="(Maldives) (Portugal)",
        position=UPRRecommendation.Position.SUPPORTED,
    )
    world.upr_torture.recommending_states.set([world.maldives, world.portugal])
    world.upr_torture.terms.set([world.torture_term])
    world.upr_health = UPRRecommendation.objects.create(
        review=world.previous,
        report_symbol=REPORT,
        paragraph="140.10",
        text="Increase the health budget to reach primary health care in rural areas.",
        position=UPRRecommendation.Position.NOTED,
    )
    world.upr_health.terms.set([world.health])
    world.upr_other = UPRRecommendation.objects.create(
        review=world.previous,
        report_symbol=REPORT,
        paragraph="140.9",
        text="Strengthen cooperation with the treaty bodies.",
        position=UPRRecommendation.Position.SUPPORTED,
    )
    world.assessment = assessment_save(
        coalition=world.coalition,
        recommendation=world.upr_torture,
        actor=world.coordinator,
        values=AssessmentValues(
            level="partially",
            cluster_id=world.cluster_b.pk,
            evidence="A bill was tabled in 2024.\nhttps://example.org/bill",
            sources="Parliament record",
            indicator="Protocol ratified",
            section_ids=(world.section_b.pk,),
        ),
        expected_version=0,
    )
    assessment_save(
        coalition=world.coalition,
        recommendation=world.upr_other,
        actor=world.coordinator,
        values=AssessmentValues(level="no_information", relevant=False),
        expected_version=0,
    )
    return world
