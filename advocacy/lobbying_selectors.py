"""Reads of the lobbying log, the factsheets and the pre-session statements of one coalition."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from advocacy.models import Assessment, Factsheet, Meeting, Statement
from coalitions.models import Coalition, Role
from reviews.models import IndexTerm, Review, State, UPRRecommendation, by_local_name
from submissions.models import GeneratedDocument, Recommendation, Submission
from submissions.models.recommendations import SMART_CRITERIA
from upr_portal.timezones import geneva_today


def meetings_of(
    *,
    coalition: Coalition,
    review_id: int | None = None,
    state_id: int | None = None,
    follow_up_due: bool = False,
    today: datetime.date | None = None,
) -> QuerySet[Meeting]:
    """The coalition's meetings, newest first, with what a list shows of them (three queries)."""
    meetings = Meeting.objects.filter(coalition=coalition).select_related(
        "state", "review__state", "review__session", "created_by"
    )
    if review_id is not None:
        meetings = meetings.filter(review_id=review_id)
    if state_id is not None:
        meetings = meetings.filter(state_id=state_id)
    if follow_up_due:
        meetings = meetings.filter(follow_up_done=False, follow_up_on__lte=today or geneva_today())
    return meetings.prefetch_related(
        Prefetch(
            "raised", queryset=Recommendation.objects.select_related("section").order_by(*Recommendation._meta.ordering)
        )
    )


@dataclass(frozen=True)
class AskedOf:
    """What the coalition raised with one State: each recommendation and how often."""

    state: State
    meetings: int
    asks: list[tuple[Recommendation, int]]


def asked_of_states(meetings: list[Meeting]) -> list[AskedOf]:
    """Per State met (by name), the recommendations raised and in how many of ``meetings``; from the
    prefetched rows, no query."""
    by_state: dict[int, tuple[State, Counter, dict[int, Recommendation], int]] = {}
    for meeting in meetings:
        state, counter, rows, count = by_state.get(meeting.state_id, (meeting.state, Counter(), {}, 0))
        for recommendation in meeting.raised.all():
            counter[recommendation.pk] += 1
            rows[recommendation.pk] = recommendation
        by_state[meeting.state_id] = (state, counter, rows, count + 1)
    result = []
    for state, counter, rows, count in sorted(by_state.values(), key=lambda item: item[0].name):
        asks = sorted(((rows[pk], n) for pk, n in counter.items()), key=lambda item: (-item[1], item[0].text))
        result.append(AskedOf(state=state, meetings=count, asks=asks))
    return result


def states_met(*, coalition: Coalition) -> list[State]:
    met = Meeting.objects.filter(coalition=coalition).values("state_id")
    return list(State.objects.filter(pk__in=met).order_by(by_local_name()))


def coalition_recommendations(*, coalition: Coalition, review_id: int | None = None) -> QuerySet[Recommendation]:
    """The coalition's own recommendations (of its submissions for ``review_id``, or all of them)."""
    rows = Recommendation.objects.filter(submission__coalition=coalition).select_related(
        "section", "submission__review__state", "submission__review__session"
    )
    if review_id is not None:
        rows = rows.filter(submission__review_id=review_id)
    return rows.order_by("submission__review_id", "submission_id", "section__position", "section_id", "position")


def raised_choices(*, coalition: Coalition) -> list[tuple[str, list[tuple[int, str]]]]:
    """The coalition's recommendations grouped by section (and submission), for checkboxes."""
    groups: dict[tuple[int, int], tuple[str, list[tuple[int, str]]]] = {}
    for recommendation in coalition_recommendations(coalition=coalition):
        section = recommendation.section
        key = (recommendation.submission_id, section.pk)
        if key not in groups:
            label = f"{section.title} ({recommendation.submission.review})"
            groups[key] = (label, [])
        groups[key][1].append((recommendation.pk, f"{recommendation.position}. {recommendation.text}"))
    return list(groups.values())


def follow_up_audience(*, coalition_id: int) -> set[int]:
    """The coalition's active coordinators (they hear of every follow-up)."""
    from coalitions.models import Membership

    return set(
        Membership.objects.filter(coalition_id=coalition_id, is_active=True, role=Role.COORDINATOR).values_list(
            "user_id", flat=True
        )
    )


# Factsheets


def factsheets_of(*, coalition: Coalition) -> QuerySet[Factsheet]:
    return (
        Factsheet.objects.filter(coalition=coalition)
        .select_related("review__state", "review__session")
        .annotate(asks_count=Count("asks", distinct=True), previous_count=Count("previous", distinct=True))
        .order_by("review_id", "theme")
    )


def factsheets_with_documents(*, coalition: Coalition) -> list[tuple[Factsheet, GeneratedDocument | None]]:
    """The coalition's factsheets, each with its latest PDF job (or None): two queries for any number."""
    factsheets = list(factsheets_of(coalition=coalition))
    keys = {GeneratedDocument.key_for(GeneratedDocument.Kind.FACTSHEET, coalition.pk, f.pk): f.pk for f in factsheets}
    latest: dict[int, GeneratedDocument] = {}
    if keys:
        documents = GeneratedDocument.objects.filter(job_key__in=list(keys)).order_by("-created_at", "-pk")
        for document in documents:
            latest.setdefault(keys[document.job_key], document)
    return [(f, latest.get(f.pk)) for f in factsheets]


def theme_suggestions(*, coalition: Coalition, review: Review | None) -> list[str]:
    """The coalition's cluster names, then the UHRI themes of the State's previous recommendations."""
    names = list(coalition.clusters.order_by("name").values_list("name", flat=True))
    known = {name.casefold() for name in names}
    if review is not None:
        terms = (
            IndexTerm.objects.filter(kind=IndexTerm.Kind.THEME, recommendations__review__state_id=review.state_id)
            .exclude(recommendations__review=review)
            .distinct()
            .order_by("name")
            .values_list("name", flat=True)
        )
        for name in terms:
            if name.casefold() not in known:
                names.append(name)
                known.add(name.casefold())
    return names


def previous_recommendations(*, review: Review, theme: str = "") -> QuerySet[UPRRecommendation]:
    """The recommendations of the State's earlier reviews; only the theme's when it names a UHRI theme."""
    rows = UPRRecommendation.objects.filter(review__state_id=review.state_id).exclude(review=review)
    if review.session_id is not None:
        rows = rows.filter(review__session__number__lt=review.session.number)
    theme = theme.strip()
    if theme and IndexTerm.objects.filter(kind=IndexTerm.Kind.THEME, name__iexact=theme).exists():
        rows = rows.filter(terms__kind=IndexTerm.Kind.THEME, terms__name__iexact=theme)
    return rows.select_related("review__session").order_by(
        "review__session__number", "paragraph_major", "paragraph_minor"
    )


def assessment_levels(*, coalition: Coalition, recommendation_ids) -> dict[int, Assessment]:
    return {
        a.recommendation_id: a
        for a in Assessment.objects.filter(coalition=coalition, recommendation_id__in=list(recommendation_ids))
    }


def smart_confirmed_first(rows):
    """Recommendations with a confirmed SMART checklist first, then fully ticked ones, then the rest."""
    return sorted(
        rows,
        key=lambda r: (
            r.smart_confirmed_at is None,
            not all(getattr(r, name) for name, _l, _h in SMART_CRITERIA),
        ),
    )


# Statements


def statements_of(*, coalition: Coalition) -> list[tuple[Submission, Statement | None]]:
    submissions = (
        Submission.objects.filter(coalition=coalition)
        .select_related("review__state", "review__session", "statement")
        .order_by("-created_at", "pk")
    )
    result = []
    for submission in submissions:
        try:
            statement = submission.statement
        except Statement.DoesNotExist:
            statement = None
        result.append((submission, statement))
    return result


def follow_ups_due(*, coalition: Coalition, today: datetime.date | None = None) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(coalition=coalition, follow_up_done=False, follow_up_on__isnull=False)
        .filter(Q(follow_up_on__lte=(today or geneva_today()) + datetime.timedelta(days=14)))
        .select_related("state")
        .order_by("follow_up_on", "pk")
    )
