from coalitions.access import require, visible_or_404
from submissions import selectors
from submissions.models import Section, Submission
from upr_portal.freshness import remember


def _submission(pk: int) -> Submission | None:
    return selectors.submission_with_review(pk=pk).first()


def submission_for(request, pk: int, rule: str = "submissions.view_submission") -> Submission:
    """The submission, or 404 to whoever may not see it. Its row (a join of seven tables, whose
    planning alone cost PostgreSQL more than running it) is remembered until the database changes
    (upr_portal/freshness.py); who may see it is checked on every request."""
    submission = visible_or_404(
        request.user, "submissions.view_submission", remember("submission", (pk,), lambda: _submission(pk))
    )
    if rule != "submissions.view_submission":
        require(request.user, rule, submission)
    return submission


def section_for(
    request, submission_pk: int, pk: int, rule: str = "submissions.view_section", *, text: bool = True
) -> Section:
    """The section, with its assignees; without its text (``body``, read on access) when ``text`` is
    False: a page about the section that does not show it leaves the largest column in the database.

    The submission and the section are remembered together until the database changes (four queries
    read them); the checks of ``submission_for`` and of the section's rule run on every request."""

    def read() -> tuple[Submission | None, Section | None]:
        submission = _submission(submission_pk)
        if submission is None:
            return None, None
        # Remembered in the cache: not the password hash of whoever saved last.
        sections = selectors.section_for_editing(submission=submission, pk=pk).defer("last_edited_by__password")
        section = (sections if text else sections.defer("body")).first()
        if section is not None:
            selectors.with_assignees([section])
        return submission, section

    submission, section = remember("section", (submission_pk, pk, text), read)
    visible_or_404(request.user, "submissions.view_submission", submission)
    visible_or_404(request.user, "submissions.view_section", section)
    section.submission = submission
    if rule != "submissions.view_section":
        require(request.user, rule, section)
    return section
