"""Reading the implementation matrix: a coalition's assessments of the recommendations of one review.

Every function reads in a constant number of queries whatever the number of rows: the matrix of a
review of about 280 recommendations is about seven queries, and the filters run over those rows in
Python (a review has a few hundred recommendations at most, and the counts at the top are of the
filtered rows, which the database would otherwise have to be asked for again).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils.translation import gettext

from advocacy.models import Assessment, AssessmentVersion, ImplementationLevel
from coalitions.models import Cluster, Coalition
from reviews.models import IndexTerm, Review, State, UPRRecommendation, by_local_name
from submissions.models import Recommendation, Section

# The value of the level filter that selects the recommendations no one has assessed yet.
NOT_ASSESSED = "not_assessed"


@dataclass(frozen=True)
class MatrixFilters:
    """What the matrix page's filter form chose (advocacy/forms.py MatrixFilterForm)."""

    cluster: int | None = None
    theme: int | None = None
    level: str = ""
    position: str = ""
    relevant_only: bool = True
    text: str = ""


@dataclass(frozen=True)
class LinkedSection:
    pk: int
    submission_id: int
    title: str


@dataclass(frozen=True)
class FollowUp:
    """One of the coalition's own recommendations that follows a UN recommendation up."""

    pk: int
    submission_id: int
    section_id: int
    section_title: str
    position: int
    text: str


@dataclass
class MatrixRow:
    recommendation: UPRRecommendation
    assessment: Assessment | None
    states: list[State] = field(default_factory=list)
    terms: list[IndexTerm] = field(default_factory=list)
    sections: list[LinkedSection] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)

    @property
    def relevant(self) -> bool:
        # A recommendation no one has assessed yet counts as relevant: it still waits for its assessment.
        return self.assessment is None or self.assessment.relevant

    @property
    def level(self) -> str:
        return self.assessment.level if self.assessment is not None else NOT_ASSESSED

    @property
    def states_text(self) -> str:
        if self.states:
            return ", ".join(state.local_name for state in self.states)
        return self.recommendation.recommending_states_text

    @property
    def themes_text(self) -> str:
        return ", ".join(term.name for term in self.terms if term.kind == IndexTerm.Kind.THEME)

    @property
    def persons_text(self) -> str:
        """The groups of persons concerned (UHRI names some, such as indigenous peoples, as a theme too)."""
        return ", ".join(term.name for term in self.terms if term.kind == IndexTerm.Kind.PERSONS)


@dataclass(frozen=True)
class LevelCount:
    level: str
    label: str
    count: int


@dataclass
class Matrix:
    review: Review
    rows: list[MatrixRow]
    total: int
    counts: list[LevelCount]


def coalition_states(*, coalition: Coalition) -> QuerySet[State]:
    """The States the coalition works on: those of the reviews it works on."""
    return State.objects.filter(reviews__coalitions=coalition).distinct().order_by(by_local_name())


def matrix_reviews(*, coalition: Coalition) -> QuerySet[Review]:
    """The reviews whose recommendations the coalition may assess and import: every review of a State it
    works on (earlier cycles included)."""
    return Review.objects.filter(state__in=coalition_states(coalition=coalition))


def matrix_review(*, coalition: Coalition, review_pk: int) -> Review | None:
    return (
        matrix_reviews(coalition=coalition)
        .select_related("state", "session", "session__cycle")
        .filter(pk=review_pk)
        .first()
    )


def matrix_recommendation(*, coalition: Coalition, recommendation_pk: int) -> UPRRecommendation | None:
    """A recommendation of one of the coalition's matrix reviews, or None (which the view answers 404)."""
    return (
        UPRRecommendation.objects.filter(pk=recommendation_pk, review__in=matrix_reviews(coalition=coalition))
        .select_related("review", "review__state", "review__session")
        .first()
    )


def _level_labels() -> dict[str, str]:
    return {**dict(ImplementationLevel.choices), NOT_ASSESSED: gettext("Not assessed yet")}


def _matches(row: MatrixRow, filters: MatrixFilters, needle: str) -> bool:
    assessment = row.assessment
    if filters.relevant_only and not row.relevant:
        return False
    if filters.cluster is not None and (assessment is None or assessment.cluster_id != filters.cluster):
        return False
    if filters.theme is not None and all(term.pk != filters.theme for term in row.terms):
        return False
    if filters.level and row.level != filters.level:
        return False
    if filters.position and row.recommendation.position != filters.position:
        return False
    if needle:
        haystack = [
            row.recommendation.paragraph,
            row.recommendation.text,
            row.states_text,
            row.themes_text,
            row.persons_text,
        ]
        if assessment is not None:
            haystack += [
                assessment.evidence,
                assessment.sources,
                assessment.indicator,
                assessment.responsible,
            ]
        return needle in " ".join(haystack).casefold()
    return True


def matrix_rows(*, coalition: Coalition, review: Review, filters: MatrixFilters | None = None) -> Matrix:
    """The review's recommendations in paragraph order with the coalition's assessment of each, what
    links to it and the counts per level of the rows the filters keep. Seven queries."""
    filters = filters or MatrixFilters()
    recommendations = list(
        UPRRecommendation.objects.filter(review=review).order_by("paragraph_major", "paragraph_minor", "pk")
    )
    ids = [r.pk for r in recommendations]
    states: dict[int, list[State]] = defaultdict(list)
    for link in (
        UPRRecommendation.recommending_states.through.objects.filter(uprrecommendation_id__in=ids)
        .select_related("state")
        .order_by(by_local_name("state__"))
    ):
        states[link.uprrecommendation_id].append(link.state)
    terms: dict[int, list[IndexTerm]] = defaultdict(list)
    for link in (
        UPRRecommendation.terms.through.objects.filter(uprrecommendation_id__in=ids)
        .select_related("indexterm")
        .order_by("indexterm__kind", "indexterm__name")
    ):
        terms[link.uprrecommendation_id].append(link.indexterm)
    assessments = {
        a.recommendation_id: a
        for a in Assessment.objects.filter(coalition=coalition, recommendation_id__in=ids).select_related(
            "cluster", "updated_by"
        )
    }
    sections: dict[int, list[LinkedSection]] = defaultdict(list)
    for assessment_id, section_id, submission_id, title in (
        Assessment.sections.through.objects.filter(assessment__in=[a.pk for a in assessments.values()])
        .order_by("section__submission_id", "section__position", "section_id")
        .values_list("assessment_id", "section_id", "section__submission_id", "section__title")
    ):
        sections[assessment_id].append(LinkedSection(section_id, submission_id, title))
    follow_ups: dict[int, list[FollowUp]] = defaultdict(list)
    for upr_id, pk, submission_id, section_id, section_title, position, text in (
        Recommendation.follows_up_recommendations.through.objects.filter(
            uprrecommendation_id__in=ids, recommendation__submission__coalition=coalition
        )
        .order_by("recommendation__submission_id", "recommendation__section__position", "recommendation__position")
        .values_list(
            "uprrecommendation_id",
            "recommendation_id",
            "recommendation__submission_id",
            "recommendation__section_id",
            "recommendation__section__title",
            "recommendation__position",
            "recommendation__text",
        )
    ):
        follow_ups[upr_id].append(FollowUp(pk, submission_id, section_id, section_title, position, text))

    needle = " ".join(filters.text.split()).casefold()
    rows = []
    for recommendation in recommendations:
        assessment = assessments.get(recommendation.pk)
        row = MatrixRow(
            recommendation=recommendation,
            assessment=assessment,
            states=states[recommendation.pk],
            terms=terms[recommendation.pk],
            sections=sections[assessment.pk] if assessment is not None else [],
            follow_ups=follow_ups[recommendation.pk],
        )
        if _matches(row, filters, needle):
            rows.append(row)
    counted = Counter(row.level for row in rows)
    labels = _level_labels()
    counts = [LevelCount(level, labels[level], counted[level]) for level in [*ImplementationLevel.values, NOT_ASSESSED]]
    return Matrix(review=review, rows=rows, total=len(rows), counts=counts)


def matrix_cluster_choices(*, coalition: Coalition) -> list[tuple[int, str]]:
    return list(Cluster.objects.filter(coalition=coalition).order_by("name").values_list("pk", "name"))


def matrix_theme_choices(*, review: Review) -> list[tuple[int, str]]:
    """The UHRI terms the review's recommendations carry, themes first."""
    return list(
        IndexTerm.objects.filter(recommendations__review=review)
        .distinct()
        .order_by("kind", "name")
        .values_list("pk", "name")
    )


def assessment_section_choices(*, coalition: Coalition, state_id: int) -> list[tuple[int, str]]:
    """The coalition's sections of its submissions for reviews of the State, as "submission: section"."""
    return [
        (pk, f"{submission_title}: {title}")
        for pk, title, submission_title in Section.objects.filter(
            submission__coalition=coalition, submission__review__state_id=state_id
        )
        .order_by("submission__review__session__number", "submission_id", "position", "pk")
        .values_list("pk", "title", "submission__title")
    ]


def assessment_of(*, coalition: Coalition, recommendation: UPRRecommendation) -> Assessment | None:
    return (
        Assessment.objects.filter(coalition=coalition, recommendation=recommendation)
        .select_related("cluster", "updated_by")
        .first()
    )


def assessment_versions(*, assessment: Assessment) -> list[AssessmentVersion]:
    """Its saved states, the latest first, each with who saved it."""
    return list(assessment.versions.select_related("saved_by").order_by("-number"))


@dataclass(frozen=True)
class PreviousReview:
    """For one of the coalition's reviews: the latest earlier review of its State with recommendations."""

    review: Review
    previous: Review | None
    imported: int = 0
    assessed: int = 0


def previous_reviews(*, coalition: Coalition, reviews: list[Review]) -> list[PreviousReview]:
    """For each review, the latest earlier review of the same State (by session number) that has
    recommendations, how many it has and how many the coalition assessed. Two queries."""
    state_ids = {review.state_id for review in reviews}
    if not state_ids:
        return []
    with_recommendations = list(
        Review.objects.filter(state_id__in=state_ids)
        .annotate(imported=Count("recommendations", distinct=True))
        .filter(imported__gt=0)
        .select_related("session", "state")
        .order_by("-session__number")
    )
    assessed = dict(
        Assessment.objects.filter(coalition=coalition, recommendation__review__in=with_recommendations)
        .values("recommendation__review")
        .annotate(n=Count("pk"))
        .values_list("recommendation__review", "n")
    )
    result = []
    for review in reviews:
        previous = next(
            (
                earlier
                for earlier in with_recommendations
                if earlier.state_id == review.state_id and earlier.session.number < review.session.number
            ),
            None,
        )
        result.append(
            PreviousReview(
                review=review,
                previous=previous,
                imported=previous.imported if previous else 0,
                assessed=assessed.get(previous.pk, 0) if previous else 0,
            )
        )
    return result
