from django.urls import path

from advocacy.views import imports

urlpatterns = [
    path("coalitions/<int:pk>/after-review/import/", imports.import_choose, name="import_choose"),
    path(
        "coalitions/<int:pk>/after-review/reviews/<int:review_pk>/import/",
        imports.import_recommendations,
        name="import",
    ),
]
