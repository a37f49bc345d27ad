"""The implementation matrix's routes (advocacy/views/matrix.py), joined in advocacy/urls.py."""

from django.urls import path

from advocacy.views import matrix

_REVIEW = "coalitions/<int:pk>/after-review/reviews/<int:review_pk>/matrix/"
_ASSESSMENT = "coalitions/<int:pk>/after-review/assessments/<int:recommendation_pk>/"

urlpatterns = [
    path(_REVIEW, matrix.matrix, name="matrix"),
    path(f"{_REVIEW}matrix.csv", matrix.matrix_csv, name="matrix_csv"),
    path(f"{_REVIEW}matrix.xlsx", matrix.matrix_xlsx, name="matrix_xlsx"),
    path(f"{_REVIEW}pdf/", matrix.matrix_pdf, name="matrix_pdf"),
    path(_ASSESSMENT, matrix.assessment_edit, name="assessment_edit"),
    path(f"{_ASSESSMENT}history/", matrix.assessment_history, name="assessment_history"),
    path(f"{_ASSESSMENT}history/<int:number>/restore/", matrix.assessment_restore, name="assessment_restore"),
]
