"""Routes of the lobbying log, the factsheets and the pre-session statements (under the coalition)."""

from django.urls import path

from advocacy.views import factsheets, lobbying, statements

urlpatterns = [
    path("coalitions/<int:pk>/after-review/lobbying/", lobbying.lobbying_log, name="lobbying"),
    path("coalitions/<int:pk>/after-review/lobbying/add/", lobbying.meeting_add, name="meeting_add"),
    path("coalitions/<int:pk>/after-review/lobbying/<int:meeting_pk>/", lobbying.meeting_edit, name="meeting_edit"),
    path(
        "coalitions/<int:pk>/after-review/lobbying/<int:meeting_pk>/delete/",
        lobbying.meeting_delete,
        name="meeting_delete",
    ),
    path("coalitions/<int:pk>/after-review/factsheets/", factsheets.factsheet_list, name="factsheets"),
    path("coalitions/<int:pk>/after-review/factsheets/add/", factsheets.factsheet_add, name="factsheet_add"),
    path(
        "coalitions/<int:pk>/after-review/factsheets/<int:factsheet_pk>/",
        factsheets.factsheet_edit,
        name="factsheet_edit",
    ),
    path(
        "coalitions/<int:pk>/after-review/factsheets/<int:factsheet_pk>/delete/",
        factsheets.factsheet_delete,
        name="factsheet_delete",
    ),
    path(
        "coalitions/<int:pk>/after-review/factsheets/<int:factsheet_pk>/pdf/",
        factsheets.factsheet_generate,
        name="factsheet_generate",
    ),
    path(
        "coalitions/<int:pk>/after-review/submissions/<int:submission_pk>/statement/",
        statements.statement_edit,
        name="statement",
    ),
    path(
        "coalitions/<int:pk>/after-review/submissions/<int:submission_pk>/statement/draft/",
        statements.statement_draft,
        name="statement_draft",
    ),
    path(
        "coalitions/<int:pk>/after-review/submissions/<int:submission_pk>/statement/estimate/",
        statements.statement_estimate,
        name="statement_estimate",
    ),
    path(
        "coalitions/<int:pk>/after-review/submissions/<int:submission_pk>/statement/history/",
        statements.statement_history,
        name="statement_history",
    ),
    path(
        "coalitions/<int:pk>/after-review/submissions/<int:submission_pk>/statement/history/<int:number>/restore/",
        statements.statement_restore,
        name="statement_restore",
    ),
]
