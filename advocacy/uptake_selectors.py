"""Reading the uptake of a coalition's recommendations after a review: the matches to decide, the
figures per theme and per lobbied State, and which asks were taken up and by whom.

Every reader here runs a constant number of queries whatever the number of asks, matches and
States: rows are read once and grouped in Python.

The figures count the coalition's asks (its own recommendations for the review):
- asked: the asks (per State: the asks that name the State among the States to ask);
- made: the asks with at least one confirmed match (per State: with a confirmed match that the State
  made, whether or not the coalition asked that State);
- supported: of those, the asks with a confirmed match the State under review supported (fully:
  "partially supported" and "noted" are not counted).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, QuerySet
from django.utils.translation import gettext as _

from advocacy.models import Meeting, UptakeMatch
from advocacy.services.uptake import coalition_asks
from coalitions.models import Coalition
from reviews.models import RecommendationPosition, Review, State, UPRRecommendation, by_local_name
from reviews.state_names import local_name_expression, name_fields, name_sort_key
from submissions.models import Recommendation, Submission


def _states() -> QuerySet[State]:
    """The recommending States, by their name in the active language (built per call: the language
    is that of the request)."""
    return State.objects.order_by(by_local_name()).only("pk", *name_fields())


@dataclass
class Figures:
    label: str
    asked: int = 0
    made: int = 0
    supported: int = 0
    met: int = 0  # meetings with the State in the lobbying log (per State only)


@dataclass
class TakenUp:
    """One ask and the made recommendations confirmed as taking it up."""

    ask: Recommendation
    made: list[UPRRecommendation] = field(default_factory=list)

    @property
    def states(self) -> list[State]:
        seen: dict[int, State] = {}
        for recommendation in self.made:
            for state in recommendation.recommending_states.all():
                seen.setdefault(state.pk, state)
        return sorted(seen.values(), key=lambda state: name_sort_key(state.local_name))

    @property
    def supported(self) -> bool:
        return any(r.position == RecommendationPosition.SUPPORTED for r in self.made)


@dataclass
class Uptake:
    review: Review
    asks: list[Recommendation]
    made_count: int
    proposed: list[UptakeMatch]
    decided: list[UptakeMatch]
    without_proposal: list[Recommendation]
    taken_up: list[TakenUp]
    themes: list[Figures]
    states: list[Figures]
    total: Figures


def _asks(coalition: Coalition, review: Review) -> list[Recommendation]:
    return list(
        coalition_asks(coalition=coalition, review=review)
        .select_related("section", "submission")
        .prefetch_related(Prefetch("recommending_states", queryset=_states()))
        .order_by("submission__created_at", "submission_id", "section__position", "section_id", "position", "pk")
    )


def _matches(coalition: Coalition, review: Review) -> list[UptakeMatch]:
    return list(
        UptakeMatch.objects.filter(coalition=coalition, made__review=review)
        .select_related("made", "decided_by")
        .prefetch_related(Prefetch("made__recommending_states", queryset=_states()))
        .order_by("asked_id", "-score", "pk")
    )


def uptake_of_review(*, coalition: Coalition, review: Review) -> Uptake:
    """Everything the uptake page shows for one review. Seven queries whatever the sizes."""
    asks = _asks(coalition, review)
    by_pk = {ask.pk: ask for ask in asks}
    matches = [m for m in _matches(coalition, review) if m.asked_id in by_pk]
    for match in matches:
        match.asked = by_pk[match.asked_id]
    met = list(
        Meeting.objects.filter(coalition=coalition, review=review)
        .values("state_id", state_local_name=local_name_expression("state__"))
        .annotate(meetings=Count("pk"))
        .order_by()
    )
    made_count = UPRRecommendation.objects.filter(review=review).count()
    order = {ask.pk: index for index, ask in enumerate(asks)}
    matches.sort(key=lambda m: (order[m.asked_id], -m.score, m.pk))
    proposed = [m for m in matches if m.status == UptakeMatch.Status.PROPOSED]
    decided = [m for m in matches if m.status != UptakeMatch.Status.PROPOSED]
    open_or_confirmed = {m.asked_id for m in matches if m.status != UptakeMatch.Status.REJECTED}
    confirmed = [m for m in matches if m.status == UptakeMatch.Status.CONFIRMED]
    taken_up = _taken_up(asks, confirmed)
    themes, states, total = _figures(taken_up, met)
    return Uptake(
        review=review,
        asks=asks,
        made_count=made_count,
        proposed=proposed,
        decided=decided,
        without_proposal=[ask for ask in asks if ask.pk not in open_or_confirmed],
        taken_up=taken_up,
        themes=themes,
        states=states,
        total=total,
    )


def _taken_up(asks: list[Recommendation], confirmed: list[UptakeMatch]) -> list[TakenUp]:
    made_for: dict[int, list[UPRRecommendation]] = defaultdict(list)
    for match in confirmed:
        made_for[match.asked_id].append(match.made)
    rows = []
    for ask in asks:
        made = sorted(made_for.get(ask.pk, []), key=lambda r: (r.paragraph_major, r.paragraph_minor))
        rows.append(TakenUp(ask=ask, made=made))
    return rows


def _figures(taken_up: list[TakenUp], met: Iterable[dict]) -> tuple[list[Figures], list[Figures], Figures]:
    themes: dict[str, Figures] = {}
    states: dict[int, Figures] = {}
    total = Figures(label=_("All recommendations"))
    for row in met:
        states[row["state_id"]] = Figures(label=row["state_local_name"], met=row["meetings"])
    for row in taken_up:
        theme = themes.setdefault(row.ask.theme, Figures(label=row.ask.theme or _("No theme")))
        for figures in (theme, total):
            figures.asked += 1
            figures.made += bool(row.made)
            figures.supported += row.supported
        for state in row.ask.recommending_states.all():
            states.setdefault(state.pk, Figures(label=state.local_name)).asked += 1
        made_by: dict[int, bool] = {}  # State id -> whether a recommendation it made was supported
        for recommendation in row.made:
            for state in recommendation.recommending_states.all():
                states.setdefault(state.pk, Figures(label=state.local_name))
                supported = recommendation.position == RecommendationPosition.SUPPORTED
                made_by[state.pk] = made_by.get(state.pk, False) or supported
        for state_id, supported in made_by.items():
            states[state_id].made += 1
            states[state_id].supported += supported
    # Themes in alphabetical order, the asks without a theme last; States by name.
    theme_rows = sorted(themes.items(), key=lambda item: (item[0] == "", item[0].casefold()))
    return [f for _key, f in theme_rows], sorted(states.values(), key=lambda f: name_sort_key(f.label)), total


@dataclass
class ReviewUptake:
    """The overview panel's line for one review."""

    review: Review
    asked: int
    made: int
    supported: int
    proposed: int
    mid_term: Submission | None


def uptake_overview(*, coalition: Coalition, reviews: list[Review]) -> list[ReviewUptake]:
    """Per review of the coalition, the asked / made / supported figures, the proposals waiting for a
    decision and its mid-term report. Three queries whatever the number of reviews."""
    review_ids = [review.pk for review in reviews]
    asked = dict(
        Recommendation.objects.filter(submission__coalition=coalition, submission__review__in=review_ids)
        .values_list("submission__review_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    made: dict[int, set[int]] = defaultdict(set)
    supported: dict[int, set[int]] = defaultdict(set)
    proposed: dict[int, int] = defaultdict(int)
    # An ask counts for the review it was written for, matched with what was made at that review.
    matches = UptakeMatch.objects.filter(
        coalition=coalition, made__review__in=review_ids, asked__submission__review=F("made__review_id")
    ).values_list("made__review_id", "asked_id", "status", "made__position")
    for review_id, asked_id, status, position in matches:
        if status == UptakeMatch.Status.CONFIRMED:
            made[review_id].add(asked_id)
            if position == RecommendationPosition.SUPPORTED:
                supported[review_id].add(asked_id)
        elif status == UptakeMatch.Status.PROPOSED:
            proposed[review_id] += 1
    mid_terms: dict[int, Submission] = {}
    for submission in Submission.objects.filter(
        coalition=coalition, review__in=review_ids, kind=Submission.Kind.MID_TERM
    ).order_by("created_at", "pk"):
        mid_terms.setdefault(submission.review_id, submission)
    return [
        ReviewUptake(
            review=review,
            asked=asked.get(review.pk, 0),
            made=len(made[review.pk]),
            supported=len(supported[review.pk]),
            proposed=proposed[review.pk],
            mid_term=mid_terms.get(review.pk),
        )
        for review in reviews
    ]


def mid_term_report(*, coalition: Coalition, review: Review) -> Submission | None:
    """The coalition's mid-term report on the review, if it started one (the first, if several)."""
    return (
        Submission.objects.filter(coalition=coalition, review=review, kind=Submission.Kind.MID_TERM)
        .order_by("created_at", "pk")
        .first()
    )
