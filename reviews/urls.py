"""Pages on the UN calendar's data for every signed-in person: the recommendations search."""

from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns: list = [
    path("recommendations/", views.recommendation_list, name="recommendations"),
    path(
        "recommendations/export.csv",
        views.recommendation_export,
        {"file_format": "csv"},
        name="recommendations_csv",
    ),
    path(
        "recommendations/export.xlsx",
        views.recommendation_export,
        {"file_format": "xlsx"},
        name="recommendations_xlsx",
    ),
]
