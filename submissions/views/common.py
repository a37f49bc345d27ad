from coalitions.access import get_visible_or_404, require
from submissions import selectors
from submissions.models import Section, Submission


def submission_for(request, pk: int, rule: str = "submissions.view_submission") -> Submission:
    submission = get_visible_or_404(
        request.user, "submissions.view_submission", selectors.submission_with_review(pk=pk), pk=pk
    )
    if rule != "submissions.view_submission":
        require(request.user, rule, submission)
    return submission


def section_for(
    request, submission_pk: int, pk: int, rule: str = "submissions.view_section", *, text: bool = True
) -> Section:
    """The section, with its assignees; without its text (``body``, read on access) when ``text`` is
    False: a page about the section that does not show it leaves the largest column in the database."""
    submission = submission_for(request, submission_pk)
    sections = selectors.section_for_editing(submission=submission, pk=pk)
    section = get_visible_or_404(
        request.user, "submissions.view_section", sections if text else sections.defer("body"), pk=pk
    )
    section.submission = submission
    selectors.with_assignees([section])
    if rule != "submissions.view_section":
        require(request.user, rule, section)
    return section
