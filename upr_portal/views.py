from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from coalitions import selectors as coalition_selectors
from coalitions.models import Role
from deadlines import selectors as deadline_selectors
from reviews import selectors as review_selectors
from upr_portal import health
from upr_portal.timezones import geneva_today


@require_GET
def home(request):
    # Everyone sees the public calendar; a signed-in person also sees their coalitions, what is due
    # and the sections they draft.
    context = {"upcoming": review_selectors.upcoming_reviews()}
    if request.user.is_authenticated:
        today = geneva_today()
        due = deadline_selectors.due_next_for_user(user=request.user, today=today)
        coalitions = list(coalition_selectors.coalitions_for_user(user=request.user))
        context |= {
            "due": due,
            "my_sections": deadline_selectors.sections_due_for_user(user=request.user, due=due, today=today),
            "coalitions": coalitions,
            # Coordinators may edit every section; the empty "my sections" tells them where to go.
            "coordinates": any(coalition.my_role == Role.COORDINATOR for coalition in coalitions),
        }
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
