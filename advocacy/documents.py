"""The matrix and factsheet PDFs, made by the submissions' document job (registered at start-up)."""


def register_document_kinds() -> None:
    """Filled in by the matrix and factsheet work: registers their producers with the document job."""
