"""Importing the recommendations a State received at its review (issue 12): OHCHR's thematic list
(.docx) and UHRI's export (CSV, XLSX), previewed, then written in one transaction."""

from reviews.recommendation_import.rows import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    ImportFileError,
    RecommendationRow,
    RowProblem,
)
from reviews.recommendation_import.service import (
    ImportSummary,
    ReviewChoiceError,
    import_recommendations,
    review_for_import,
)
from reviews.recommendation_import.states import StateMatcher, match_state, state_key
from reviews.recommendation_import.tables import (
    COLUMNS,
    FORMATS,
    ParsedFile,
    mapping_from_options,
    read_recommendations,
)

__all__ = [
    "COLUMNS",
    "FORMATS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "ImportFileError",
    "ImportSummary",
    "ParsedFile",
    "RecommendationRow",
    "ReviewChoiceError",
    "RowProblem",
    "StateMatcher",
    "import_recommendations",
    "mapping_from_options",
    "match_state",
    "read_recommendations",
    "review_for_import",
    "state_key",
]
