import datetime
from dataclasses import dataclass, replace

from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from coalitions import selectors as coalition_selectors
from coalitions.models import Role
from deadlines import selectors as deadline_selectors
from reviews import selectors as review_selectors
from reviews.models import ReviewStatus
from reviews.state_names import local_name_expression
from upr_portal import freshness, health
from upr_portal.tables import ROWS_CACHE_SECONDS, review_badge, review_badge_of, rows_digest
from upr_portal.timezones import geneva_today


@dataclass(frozen=True, slots=True)
class UpcomingReview:
    """One row of the public calendar, in plain values: the table is cached under a digest of them."""

    state: str
    badge: dict  # what reviews/_status.html reads of the review
    session: int
    wg_start: datetime.date | None
    wg_end: datetime.date | None
    provisional: bool
    stakeholder_deadline: datetime.datetime | None


def upcoming_rows(*, today: datetime.date) -> list[UpcomingReview]:
    """The public calendar as values: the same for everyone in a language on a Geneva day."""
    rows = review_selectors.upcoming_reviews(today=today).annotate(state_local_name=local_name_expression("state__"))
    rows = rows.values_list(
        *("state_local_name", "status", "rescheduled_from__number", "session__number", "session__wg_start"),
        *("session__wg_end", "session__dates_provisional", "stakeholder_deadline"),
    )
    return [
        UpcomingReview(
            state=state,
            badge=review_badge(status=status, status_display=str(ReviewStatus(status).label), rescheduled_from=moved),
            session=number,
            wg_start=wg_start,
            wg_end=wg_end,
            provisional=provisional,
            stakeholder_deadline=deadline,
        )
        for state, status, moved, number, wg_start, wg_end, provisional, deadline in rows
    ]


def _review_shown(review) -> tuple:
    """What the home page's tables show of a review: its label and its status badge."""
    return (review.state.local_name, review.session.number, review_badge_of(review))


def _due_shown(due) -> list[tuple]:
    """Every value a row of "Due next" shows, for the digest its table is cached under."""
    reviews = {}  # once a review: it has several milestones
    for d in due:
        if d.review and d.review.pk not in reviews:
            reviews[d.review.pk] = _review_shown(d.review)
    return [
        (d.when, d.is_all_day, str(d.label), reviews[d.review.pk] if d.review else None, d.coalition.name) for d in due
    ]


def _sections_shown(items) -> list[tuple]:
    """Every value a row of "My sections" shows (links are made of the ids), for its digest."""
    shown = []
    for item in items:
        section, submission = item.section, item.section.submission
        deadline = item.next_deadline
        shown.append(
            (
                *(section.pk, section.title, section.cluster.name if section.cluster else None),
                *(submission.pk, submission.title, submission.coalition.name, _review_shown(submission.review)),
                (deadline.when, deadline.provisional, str(deadline.label)) if deadline else None,
                *(item.days_left, item.un_deadline, submission.review.dates_provisional),
            )
        )
    return shown


def _calendar(today: datetime.date) -> tuple[list[UpcomingReview], str]:
    """The public calendar's rows and the digest its table is cached under."""
    upcoming = upcoming_rows(today=today)
    return upcoming, rows_digest(upcoming)


def _persons_tables(user, today: datetime.date) -> dict:
    """What the home page shows the person of their own: what is due, their sections, their
    coalitions, and the digests the tables are cached under."""
    # Labels as text (the page's language is one of the remembered value's parts): a lazy translation
    # takes milliseconds to unpickle, each.
    due = [replace(d, label=str(d.label)) for d in deadline_selectors.due_next_for_user(user=user, today=today)]
    my_sections = deadline_selectors.sections_due_for_user(user=user, due=due, today=today)
    coalitions = coalition_selectors.coalition_summaries_for_user(user=user)
    return {
        "due": due,
        "due_key": rows_digest(_due_shown(due)),
        "my_sections": my_sections,
        "sections_key": rows_digest(_sections_shown(my_sections)),
        "coalitions": coalitions,
        # Coordinators may edit every section: the empty "my sections" tells them where to go.
        "coordinates": any(coalition.my_role == Role.COORDINATOR for coalition in coalitions),
    }


@require_GET
def home(request):
    # Everyone sees the public calendar; a signed-in person also sees their coalitions, what is due
    # and the sections they draft. Each table is cached under a digest of every value it shows (the
    # person's own tables under their own values), so a change shows at once; the values and digests
    # are remembered until the database changes (upr_portal/freshness.py): the calendar for everyone
    # in a language on a Geneva day, the rest for the person alone.
    today = geneva_today()
    language = translation.get_language()
    upcoming, upcoming_key = freshness.remember("home-calendar", (language, today), lambda: _calendar(today))
    context = {"upcoming": upcoming, "upcoming_key": upcoming_key, "rows_cache_seconds": ROWS_CACHE_SECONDS}
    if request.user.is_authenticated:
        user = request.user
        context |= freshness.remember("home-person", (user.pk, language, today), lambda: _persons_tables(user, today))
    return render(request, "home.html", context)


@never_cache
@require_GET
def healthz(request):
    """503 when this web process cannot serve (database or broker down): a load balancer then takes it
    out. A beat heartbeat that is stale or missing is "degraded" with 200: the pages still work (only
    reminders and retries wait), and taking the web out would not bring beat back."""
    database = "ok" if health.database_ok() else "down"
    broker = health.broker_status()
    heartbeat = health.last_heartbeat()
    beat = health.beat_status(heartbeat)
    healthy = database == "ok" and broker != "down"
    return JsonResponse(
        {
            "status": ("ok" if beat == "ok" else "degraded") if healthy else "down",
            "database": database,
            "broker": broker,
            "beat": beat,
            "beat_heartbeat": heartbeat,
        },
        status=200 if healthy else 503,
    )


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico where a page names no icon (a PDF, a JSON answer, an error page
    of the server): the portal's icon, not a 404 in every log. Not permanent: the file's hashed name
    changes with it."""
    return redirect(static("favicon.svg"))
