"""The submissions app's models: the text (core), its review workflow, comments, recommendations and sign-off."""

from submissions.models.comments import Comment
from submissions.models.core import (
    GeneratedDocument,
    Section,
    SectionVersion,
    Submission,
    SubmissionSignatory,
    generated_document_path,
)
from submissions.models.recommendations import Recommendation
from submissions.models.workflow import (
    SECTION_ACTIONS,
    SUBMISSION_ACTIONS,
    SectionTransition,
    SignOff,
    SubmissionTransition,
    WorkflowAction,
)

__all__ = [
    "SECTION_ACTIONS",
    "SUBMISSION_ACTIONS",
    "Comment",
    "GeneratedDocument",
    "Recommendation",
    "Section",
    "SectionTransition",
    "SectionVersion",
    "SignOff",
    "Submission",
    "SubmissionSignatory",
    "SubmissionTransition",
    "WorkflowAction",
    "generated_document_path",
]
