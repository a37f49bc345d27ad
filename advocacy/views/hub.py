"""The coalition's "After the review" page: each part of advocacy/ shows its own panel on it."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from coalitions.selectors import coalition_reviews
from coalitions.views.coalitions import coalition_for


@login_required
@require_GET
def overview(request, pk: int):
    coalition = coalition_for(request, pk, "advocacy.view_matrix")
    reviews = list(coalition_reviews(coalition=coalition))
    return render(request, "advocacy/overview.html", {"coalition": coalition, "reviews": reviews})
