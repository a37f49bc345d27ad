"""Reading recommendations: a section's list, the submission's lobbying plan, their words.

Every function reads in a constant number of queries whatever the number of recommendations: the
rows with their section and confirmer in one, the target States of all of them in one more.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet

from coalitions.themes import SUGGESTED_CLUSTERS
from reviews.models import Review, State, UPRRecommendation, by_local_name
from reviews.state_names import local_name_expression, name_sort_key
from submissions.models import Recommendation, Section, Submission
from upr_portal.wordcount import count_words


@dataclass(frozen=True)
class TargetState:
    pk: int
    name: str
    observer: bool


def _with_states(recommendations: list[Recommendation]) -> list[Recommendation]:
    """Sets ``states`` (TargetState tuples, by name in the active language) on each: one query for all
    of them."""
    states: dict[int, list[TargetState]] = {r.pk: [] for r in recommendations}
    rows = (
        Recommendation.recommending_states.through.objects.filter(recommendation_id__in=states)
        .annotate(state_local_name=local_name_expression("state__"))
        .values_list("recommendation_id", "state_id", "state_local_name", "state__status")
        .order_by(by_local_name("state__"), "state_id")
    )
    for recommendation_id, state_id, name, status in rows:
        states[recommendation_id].append(TargetState(state_id, name, status == State.Status.OBSERVER))
    for recommendation in recommendations:
        recommendation.states = tuple(states[recommendation.pk])
    return _with_follow_ups(recommendations)


@dataclass(frozen=True)
class FollowedUp:
    """A recommendation of an earlier review that one of the coalition's recommendations follows up."""

    pk: int
    citation: str


def _with_follow_ups(recommendations: list[Recommendation]) -> list[Recommendation]:
    """Sets ``followed_up`` (FollowedUp tuples, in paragraph order) on each: one query for all of them."""
    followed: dict[int, list[FollowedUp]] = {r.pk: [] for r in recommendations}
    links = (
        Recommendation.follows_up_recommendations.through.objects.filter(recommendation_id__in=followed)
        .select_related("uprrecommendation")
        .only("recommendation_id", "uprrecommendation__paragraph", "uprrecommendation__report_symbol")
        .order_by(
            "uprrecommendation__review_id", "uprrecommendation__paragraph_major", "uprrecommendation__paragraph_minor"
        )
    )
    for link in links:
        upr = link.uprrecommendation
        followed[link.recommendation_id].append(FollowedUp(upr.pk, upr.citation))
    for recommendation in recommendations:
        recommendation.followed_up = tuple(followed[recommendation.pk])
    return recommendations


def _rows(queryset: QuerySet[Recommendation]) -> list[Recommendation]:
    return _with_states(
        list(
            queryset.select_related("smart_confirmed_by", "section").only(
                *("submission", "section", "position", "text", "theme", "follows_up"),
                *("smart_specific", "smart_measurable", "smart_achievable", "smart_relevant", "smart_time_bound"),
                *("smart_confirmed_at", "smart_confirmed_by__full_name", "smart_confirmed_by__email"),
                *("section__title", "section__position", "section__submission"),
            )
        )
    )


def recommendations_of_section(*, section: Section) -> list[Recommendation]:
    """The section's recommendations in their order (1..n), each with ``states``: two queries."""
    return _rows(Recommendation.objects.filter(section=section).order_by("position", "pk"))


def recommendations_of_submission(*, submission: Submission) -> list[Recommendation]:
    """All of a submission's recommendations, in document order, each with ``states``: two queries."""
    return _rows(
        Recommendation.objects.filter(submission=submission).order_by(
            "section__position", "section_id", "position", "pk"
        )
    )


def recommendation_words(*, submission: Submission) -> dict[int, int]:
    """Words of each section's recommendations (section id -> words), in one query. The generated
    documents print each recommendation as one more numbered paragraph of its section, so these words
    count toward the section's budget and the limit, beside the section's cached ``body_words``."""
    words: dict[int, int] = defaultdict(int)
    for section_id, text in Recommendation.objects.filter(submission=submission).values_list("section_id", "text"):
        words[section_id] += count_words(text)
    return dict(words)


@dataclass(frozen=True)
class PlanGroup:
    key: str  # the theme, or the State's name
    recommendations: tuple[Recommendation, ...]
    observer: bool = False

    @property
    def count(self) -> int:
        return len(self.recommendations)


@dataclass(frozen=True)
class LobbyingPlan:
    recommendations: tuple[Recommendation, ...]
    by_theme: tuple[PlanGroup, ...]  # themes by name; recommendations without a theme last (key "")
    by_state: tuple[PlanGroup, ...]  # States by name; each recommendation under every State it targets
    without_state: tuple[Recommendation, ...]  # recommendations no State is to be asked to make yet


def lobbying_plan(*, submission: Submission) -> LobbyingPlan:
    """The submission's recommendations grouped by theme and by target State: two queries."""
    recommendations = recommendations_of_submission(submission=submission)
    themes: dict[str, list[Recommendation]] = defaultdict(list)
    states: dict[TargetState, list[Recommendation]] = defaultdict(list)
    without_state = []
    for recommendation in recommendations:
        themes[recommendation.theme].append(recommendation)
        for state in recommendation.states:
            states[state].append(recommendation)
        if not recommendation.states:
            without_state.append(recommendation)
    by_theme = sorted(themes.items(), key=lambda item: (item[0] == "", item[0].casefold()))
    by_state = sorted(states.items(), key=lambda item: (name_sort_key(item[0].name), item[0].pk))
    return LobbyingPlan(
        recommendations=tuple(recommendations),
        by_theme=tuple(PlanGroup(key, tuple(rows)) for key, rows in by_theme),
        by_state=tuple(PlanGroup(state.name, tuple(rows), observer=state.observer) for state, rows in by_state),
        without_state=tuple(without_state),
    )


def theme_suggestions(*, submission: Submission) -> list[str]:
    """The coalition's cluster names, then the suggested clusters not among them, for a datalist."""
    names = list(submission.coalition.clusters.order_by("name").values_list("name", flat=True))
    known = {name.casefold() for name in names}
    return names + [str(s) for s in SUGGESTED_CLUSTERS if str(s).casefold() not in known]


def state_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """All States as optgroups: member States, then observer States (observers included)."""
    groups: dict[str, list[tuple[int, str]]] = {State.Status.MEMBER: [], State.Status.OBSERVER: []}
    states = State.objects.annotate(local_name_value=local_name_expression()).order_by(by_local_name())
    for pk, name, status in states.values_list("pk", "local_name_value", "status"):
        groups[status].append((pk, name))
    return [
        (str(State.Status.MEMBER.label), groups[State.Status.MEMBER]),
        (str(State.Status.OBSERVER.label), groups[State.Status.OBSERVER]),
    ]


def earlier_recommendation_choices(*, review: Review) -> list[tuple[int, str]]:
    """The recommendations made to the State at its reviews before this one (the latest session first,
    then by paragraph) as "citation: first 80 characters", for the "Follows up" choice. One query."""
    rows = (
        UPRRecommendation.objects.filter(
            review__state_id=review.state_id, review__session__number__lt=review.session.number
        )
        .only("paragraph", "report_symbol", "text")
        .order_by("-review__session__number", "paragraph_major", "paragraph_minor", "pk")
    )
    return [(row.pk, f"{row.citation}: {row.text if len(row.text) <= 80 else row.text[:79] + '…'}") for row in rows]
