"""The coalition's work after the review. Each part keeps its routes in its own list, joined here."""

from django.urls import path

from advocacy.views import hub
from advocacy.views.urls_imports import urlpatterns as import_urls
from advocacy.views.urls_lobbying import urlpatterns as lobbying_urls
from advocacy.views.urls_matrix import urlpatterns as matrix_urls
from advocacy.views.urls_uptake import urlpatterns as uptake_urls

app_name = "advocacy"

urlpatterns = [
    path("coalitions/<int:pk>/after-review/", hub.overview, name="overview"),
    *matrix_urls,
    *lobbying_urls,
    *uptake_urls,
    *import_urls,
]
