"""Reads for the UPR calendar: what is coming up, and the recommendations States made at reviews."""

import datetime

from django.db import connection
from django.db.models import Prefetch, QuerySet

from reviews.models import Cycle, IndexTerm, RegionalGroup, Review, Session, State, UPRRecommendation, by_local_name
from reviews.state_names import name_fields


def upcoming_reviews(*, today: datetime.date | None = None, limit: int | None = 30) -> QuerySet[Review]:
    """Reviews whose Working Group session has not ended, or whose dates are not known yet.

    In date order (``ReviewQuerySet.in_date_order``). Ordering by the deadline first put a session's
    review without a deadline (submissions suspended) after every later session.
    """
    reviews = (
        Review.objects.upcoming(today=today).in_date_order().select_related("state", "session", "rescheduled_from")
    )
    return reviews[:limit] if limit is not None else reviews


# The recommendations of the UN calendar (issue 12): the search page, its export and the editor's picker.

# The rows of one export at most: beyond, the page asks to narrow the search.
RECOMMENDATION_EXPORT_LIMIT = 20_000


def recommendation_rows(queryset: QuerySet[UPRRecommendation]) -> QuerySet[UPRRecommendation]:
    """What a list of recommendations shows of each: its review, States and terms, in a constant
    number of queries whatever the number of rows (one for the rows, one for the States, one for the
    terms)."""
    return queryset.select_related("review__state", "review__session__cycle").prefetch_related(
        Prefetch(
            "recommending_states",
            queryset=State.objects.only("code", *name_fields(), "status").order_by(by_local_name()),
        ),
        Prefetch("terms", queryset=IndexTerm.objects.order_by("kind", "name")),
    )


def recommendation_search(
    *,
    state: State | None = None,
    recommending_state: State | None = None,
    regional_group: RegionalGroup | None = None,
    term: IndexTerm | None = None,
    position: str = "",
    cycle: Cycle | None = None,
    session: Session | None = None,
    text: str = "",
    language: str = "en",
) -> QuerySet[UPRRecommendation]:
    """The recommendations matching every filter given, newest review first, in paragraph order; with
    ``text``, the best matches first on PostgreSQL (``matching_text``).

    The filters through many-to-many relations are subqueries: a join would list a recommendation
    once for each of its recommending States in the group, and ``distinct()`` does not mix with an
    order by rank.
    """
    recommendations = UPRRecommendation.objects.all()
    if state is not None:
        recommendations = recommendations.filter(review__state=state)
    if recommending_state is not None:
        recommendations = recommendations.filter(
            pk__in=UPRRecommendation.recommending_states.through.objects.filter(state=recommending_state).values(
                "uprrecommendation_id"
            )
        )
    if regional_group is not None:
        recommendations = recommendations.filter(
            pk__in=UPRRecommendation.recommending_states.through.objects.filter(
                state__group_memberships__group=regional_group
            ).values("uprrecommendation_id")
        )
    if term is not None:
        recommendations = recommendations.filter(
            pk__in=UPRRecommendation.terms.through.objects.filter(indexterm=term).values("uprrecommendation_id")
        )
    if position:
        recommendations = recommendations.filter(position=position)
    if cycle is not None:
        recommendations = recommendations.filter(review__session__cycle=cycle)
    if session is not None:
        recommendations = recommendations.filter(review__session=session)
    recommendations = recommendations.order_by(
        "-review__session__number", "review__state__name", "paragraph_major", "paragraph_minor", "pk"
    )
    return matching_text(recommendations, text, language=language)


def earlier_recommendations(
    *, review: Review, text: str = "", language: str = "en", include_own: bool = False, limit: int = 20
) -> list[UPRRecommendation]:
    """The recommendations made to ``review``'s State at its earlier reviews (sessions before its
    own), matching ``text``; with ``include_own``, also those of ``review`` itself (a mid-term report
    follows up the review it belongs to). At most ``limit``, the latest review first."""
    sessions = {"review__session__number__lte" if include_own else "review__session__number__lt": review.session.number}
    recommendations = UPRRecommendation.objects.filter(review__state_id=review.state_id, **sessions).order_by(
        "-review__session__number", "paragraph_major", "paragraph_minor", "pk"
    )
    return list(recommendation_rows(matching_text(recommendations, text, language=language))[:limit])


def matching_text(
    recommendations: QuerySet[UPRRecommendation], text: str, *, language: str = "en"
) -> QuerySet[UPRRecommendation]:
    """The recommendations whose text matches ``text``: the one place that knows the database.

    PostgreSQL: full-text search with the web search syntax ("quoted phrases", or, -excluded), in the
    English dictionary (stemming: "ratifies" finds "ratify") or, for text in another language, the
    "simple" one, best match first (SearchRank), then the queryset's own order. SQLite (development,
    tests): every word of ``text`` somewhere in the recommendation, ignoring case (ASCII only).
    """
    text = text.strip()
    if not text:
        return recommendations
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        config = "english" if (language or "en").lower().startswith("en") else "simple"
        vector = SearchVector("text", config=config)
        query = SearchQuery(text, search_type="websearch", config=config)
        ordering = recommendations.query.order_by
        return (
            recommendations.annotate(search=vector)
            .filter(search=query)
            .annotate(rank=SearchRank(vector, query))
            .order_by("-rank", *ordering)
        )
    for word in text.split():
        recommendations = recommendations.filter(text__icontains=word.strip("\"'"))
    return recommendations
