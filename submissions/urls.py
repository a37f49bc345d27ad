from django.urls import path

from submissions.views import documents, history, sections, submissions

app_name = "submissions"

urlpatterns = [
    path("coalitions/<int:coalition_pk>/submissions/", submissions.submission_list, name="list"),
    path("coalitions/<int:coalition_pk>/submissions/new/", submissions.submission_create, name="create"),
    path("submissions/<int:pk>/", submissions.submission_detail, name="detail"),
    path("submissions/<int:pk>/edit/", submissions.submission_edit, name="edit"),
    path("submissions/<int:pk>/status/", submissions.submission_status, name="status"),
    path("submissions/<int:pk>/signatories/", documents.signatories_edit, name="signatories"),
    path("submissions/<int:pk>/signatories/reset/", documents.signatories_reset, name="signatories_reset"),
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
    path("submissions/<int:pk>/sections/<int:section_pk>/", sections.section_read, name="section"),
    path("submissions/<int:pk>/sections/<int:section_pk>/edit/", sections.section_edit, name="section_edit"),
    path("submissions/<int:pk>/sections/<int:section_pk>/save/", sections.section_save, name="section_save"),
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
]
