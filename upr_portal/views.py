from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from coalitions import selectors as coalition_selectors
from deadlines import selectors as deadline_selectors
from reviews import selectors as review_selectors
from upr_portal import health


@require_GET
def home(request):
    if request.user.is_authenticated:
        context = {
            "due": deadline_selectors.due_next_for_user(user=request.user),
            "coalitions": coalition_selectors.coalitions_for_user(user=request.user),
        }
    else:
        context = {"upcoming": review_selectors.upcoming_reviews()}
    return render(request, "home.html", context)


@never_cache
@require_GET
def healthz(request):
    database = "ok" if health.database_ok() else "down"
    broker = health.broker_status()
    healthy = database == "ok" and broker != "down"
    return JsonResponse(
        {
            "status": "ok" if healthy else "down",
            "database": database,
            "broker": broker,
            "beat_heartbeat": health.last_heartbeat(),
        },
        status=200 if healthy else 503,
    )
