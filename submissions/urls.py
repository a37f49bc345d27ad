from django.urls import path

from submissions.views import (
    comments,
    dashboard,
    documents,
    history,
    kind_documents,
    previous_recommendations,
    recommendations,
    schedule,
    sections,
    signoff,
    submissions,
    workflow,
)
from submissions.views import imports as word_imports

app_name = "submissions"

urlpatterns = [
    # Recommendations (submissions/views/recommendations.py): a section's list, and the lobbying plan.
    path("submissions/<int:pk>/recommendations/", recommendations.lobbying_plan, name="lobbying_plan"),
    path("submissions/<int:pk>/recommendations.csv", recommendations.lobbying_plan_csv, name="lobbying_plan_csv"),
    path(
        "submissions/<int:pk>/sections/<int:section_pk>/recommendations/new/",
        recommendations.recommendation_add,
        name="recommendation_add",
    ),
    path(
        "submissions/<int:pk>/sections/<int:section_pk>/recommendations/<int:recommendation_pk>/edit/",
        recommendations.recommendation_edit,
        name="recommendation_edit",
    ),
    path(
        "submissions/<int:pk>/sections/<int:section_pk>/recommendations/<int:recommendation_pk>/delete/",
        recommendations.recommendation_delete,
        name="recommendation_delete",
    ),
    path(
        "submissions/<int:pk>/sections/<int:section_pk>/recommendations/<int:recommendation_pk>/move/",
        recommendations.recommendation_move,
        name="recommendation_move",
    ),
    path(
        "submissions/<int:pk>/sections/<int:section_pk>/recommendations/<int:recommendation_pk>/smart/",
        recommendations.recommendation_tick,
        name="recommendation_tick",
    ),
    path(
        "submissions/<int:pk>/sections/<int:section_pk>/recommendations/<int:recommendation_pk>/confirm/",
        recommendations.recommendation_confirm,
        name="recommendation_confirm",
    ),
    path("coalitions/<int:coalition_pk>/submissions/", submissions.submission_list, name="list"),
    path("coalitions/<int:coalition_pk>/submissions/new/", submissions.submission_create, name="create"),
    path("submissions/<int:pk>/", submissions.submission_detail, name="detail"),
    path("submissions/<int:pk>/edit/", submissions.submission_edit, name="edit"),
    # The workflow's buttons (submissions/views/workflow.py), POST only.
    path("submissions/<int:pk>/step/", workflow.submission_step, name="submission_step"),
    path("submissions/<int:pk>/sections/<int:section_pk>/step/", workflow.section_step, name="section_step"),
    path("submissions/<int:pk>/dashboard/", dashboard.dashboard, name="dashboard"),
    path("submissions/<int:pk>/dashboard/csv/", dashboard.dashboard_csv, name="dashboard_csv"),
    path("submissions/<int:pk>/signatories/", documents.signatories_edit, name="signatories"),
    path("submissions/<int:pk>/signatories/reset/", documents.signatories_reset, name="signatories_reset"),
    # The PDFs of the other kinds (advocacy's matrix and factsheets): status and download.
    path("documents/<int:document_pk>/status/", kind_documents.kind_document_status, name="kind_document_status"),
    path("documents/<int:document_pk>/pdf/", kind_documents.kind_document_download, name="kind_document_download"),
    path("submissions/<int:pk>/documents/generate/", documents.documents_generate, name="documents_generate"),
    path("submissions/<int:pk>/documents/status/", documents.documents_status, name="documents_status"),
    path(
        "submissions/<int:pk>/documents/<int:document_pk>/pdf/",
        documents.document_download,
        {"extension": "pdf"},
        name="document_pdf",
    ),
    path(
        "submissions/<int:pk>/documents/<int:document_pk>/docx/",
        documents.document_download,
        {"extension": "docx"},
        name="document_docx",
    ),
    path("submissions/<int:pk>/sections/new/", sections.section_add, name="section_add"),
    path("submissions/<int:pk>/sections/schedule/", schedule.sections_schedule, name="sections_schedule"),
    path("submissions/<int:pk>/sections/<int:section_pk>/", sections.section_read, name="section"),
    path("submissions/<int:pk>/sections/<int:section_pk>/edit/", sections.section_edit, name="section_edit"),
    path("submissions/<int:pk>/sections/<int:section_pk>/save/", sections.section_save, name="section_save"),
    # A member's Word file (submissions/views/imports.py): upload, preview, replace or merge, discard.
    path("submissions/<int:pk>/sections/<int:section_pk>/import/", word_imports.word_import, name="section_import"),
    # The section editor's picker of the State's previous recommendations (JSON).
    path(
        "submissions/<int:pk>/sections/<int:section_pk>/previous-recommendations/",
        previous_recommendations.previous_recommendations,
        name="previous_recommendations",
    ),
    path(
        "submissions/<int:pk>/sections/<int:section_pk>/import/preview/",
        word_imports.word_import_preview,
        name="section_import_preview",
    ),
    path(
        "submissions/<int:pk>/sections/<int:section_pk>/import/replace/",
        word_imports.word_import_replace,
        name="section_import_replace",
    ),
    path(
        "submissions/<int:pk>/sections/<int:section_pk>/import/discard/",
        word_imports.word_import_discard,
        name="section_import_discard",
    ),
    path(
        "submissions/<int:pk>/sections/<int:section_pk>/presence/",
        sections.section_presence,
        name="section_presence",
    ),
    path(
        "submissions/<int:pk>/sections/<int:section_pk>/settings/",
        sections.section_settings,
        name="section_settings",
    ),
    path("submissions/<int:pk>/sections/<int:section_pk>/move/", sections.section_move, name="section_move"),
    path("submissions/<int:pk>/sections/<int:section_pk>/delete/", sections.section_delete, name="section_delete"),
    path("submissions/<int:pk>/sections/<int:section_pk>/history/", history.history, name="history"),
    path(
        "submissions/<int:pk>/sections/<int:section_pk>/history/<int:version>/restore/",
        history.restore,
        name="restore",
    ),
    # Comments (submissions/views/comments.py): write or answer, resolve and reopen a thread; mentions.
    path("submissions/<int:pk>/sections/<int:section_pk>/comments/", comments.comment_add, name="comment_add"),
    path(
        "submissions/<int:pk>/sections/<int:section_pk>/comments/<int:comment_pk>/resolve/",
        comments.comment_resolve,
        name="comment_resolve",
    ),
    path(
        "submissions/<int:pk>/sections/<int:section_pk>/comments/<int:comment_pk>/reopen/",
        comments.comment_reopen,
        name="comment_reopen",
    ),
    path("coalitions/<int:coalition_pk>/mentions/", comments.mention_search, name="mention_search"),
    path("submissions/<int:pk>/sign-off/", signoff.sign_off, name="sign_off"),
    path("submissions/<int:pk>/sign-off/remind/", signoff.sign_offs_remind, name="sign_off_remind"),
    path("submissions/<int:pk>/sign-off/<int:sign_off_pk>/endorse/", signoff.sign_off_endorse, name="sign_off_endorse"),
    path("submissions/<int:pk>/sign-off/<int:sign_off_pk>/decline/", signoff.sign_off_decline, name="sign_off_decline"),
    path("submissions/<int:pk>/sign-off/<int:sign_off_pk>/person/", signoff.sign_off_person, name="sign_off_person"),
]
