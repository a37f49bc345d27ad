"""Routes of the uptake after a review and of the mid-term report (advocacy/views/uptake.py)."""

from django.urls import path

from advocacy.views import uptake

_REVIEW = "coalitions/<int:pk>/after-review/reviews/<int:review_pk>/"

urlpatterns = [
    path(f"{_REVIEW}uptake/", uptake.uptake, name="uptake"),
    path(f"{_REVIEW}uptake/propose/", uptake.uptake_propose, name="uptake_propose"),
    path(f"{_REVIEW}uptake/match/", uptake.uptake_match, name="uptake_match"),
    path(f"{_REVIEW}uptake/<int:match_pk>/decide/", uptake.uptake_decide, name="uptake_decide"),
    path(f"{_REVIEW}uptake/uptake.csv", uptake.uptake_csv, name="uptake_csv"),
    path(f"{_REVIEW}mid-term-report/start/", uptake.mid_term_start, name="mid_term_start"),
]
