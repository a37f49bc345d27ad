"""A coordinator imports the UN's recommendations of a review of a State the coalition works on: the
admin's flow (reviews.recommendation_import.flow) in the coalition's pages."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from advocacy.selectors import coalition_states, matrix_reviews
from coalitions.views.coalitions import coalition_for
from reviews.models import State, by_local_name
from reviews.recommendation_import import ReviewChoiceError, review_for_import
from reviews.recommendation_import.flow import done_message, recommendation_import_step

RULE = "advocacy.import_recommendations"


class ReviewChoiceForm(forms.Form):
    state = forms.ModelChoiceField(label=_("State under review"), queryset=State.objects.none())
    session = forms.IntegerField(
        label=_("Working Group session"),
        min_value=1,
        help_text=_(
            "The session of the review whose recommendations you import, for example 35 for a 3rd-cycle review."
        ),
    )

    def __init__(self, *args, coalition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].queryset = coalition_states(coalition=coalition)


@login_required
@require_http_methods(["GET", "POST"])
def import_choose(request, pk: int):
    coalition = coalition_for(request, pk, RULE)
    form = ReviewChoiceForm(request.POST or None, coalition=coalition)
    if request.method == "POST" and form.is_valid():
        try:
            review = review_for_import(
                state_code=form.cleaned_data["state"].code,
                session_number=form.cleaned_data["session"],
                past_only=True,
            )
        except ReviewChoiceError as exc:
            form.add_error("session", str(exc))
        else:
            return redirect("advocacy:import", pk=coalition.pk, review_pk=review.pk)
    reviews = matrix_reviews(coalition=coalition).select_related("state", "session")
    reviews = reviews.order_by(by_local_name("state__"), "-session__number")
    return render(
        request,
        "advocacy/import_choose.html",
        {"coalition": coalition, "form": form, "reviews": reviews},
    )


def _after_import_url(coalition, review) -> str:
    return reverse("advocacy:matrix", kwargs={"pk": coalition.pk, "review_pk": review.pk})


@login_required
@require_http_methods(["GET", "POST"])
def import_recommendations(request, pk: int, review_pk: int):
    coalition = coalition_for(request, pk, RULE)
    # Only a review of a State the coalition works on: any other is not the coalition's to import (404).
    review = get_object_or_404(matrix_reviews(coalition=coalition).select_related("state", "session"), pk=review_pk)
    step = recommendation_import_step(request, review=review)
    if step.name == "done":
        messages.success(request, done_message(step))
        return redirect(_after_import_url(coalition, review))
    return render(request, "advocacy/import.html", {"coalition": coalition, "review": review, "step": step})
