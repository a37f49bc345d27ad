"""The coalition's "After the review" page: each part of advocacy/ shows its own panel on it."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from advocacy.selectors import previous_reviews
from advocacy.uptake_selectors import uptake_overview
from coalitions.selectors import coalition_reviews
from coalitions.views.coalitions import coalition_for


@login_required
@require_GET
def overview(request, pk: int):
    coalition = coalition_for(request, pk, "advocacy.view_matrix")
    reviews = list(coalition_reviews(coalition=coalition))
    context = {"coalition": coalition, "reviews": reviews}
    # The matrix panel: each review's previous review of the State and its counts (two queries).
    context["previous_reviews"] = previous_reviews(coalition=coalition, reviews=reviews)
    # The uptake panel: per review asked / made / supported and its mid-term report (three queries).
    context["uptake_reviews"] = uptake_overview(coalition=coalition, reviews=reviews)
    return render(request, "advocacy/overview.html", context)
