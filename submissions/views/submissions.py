from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coalitions.rules import can
from coalitions.views.coalitions import coalition_for
from submissions import selectors
from submissions.errors import SubmissionError
from submissions.forms import StatusForm, SubmissionCreateForm, SubmissionEditForm
from submissions.models import Submission
from submissions.services import submissions as services
from submissions.views.common import submission_for
from submissions.views.documents import documents_context


@login_required
@require_GET
def submission_list(request, coalition_pk: int):
    coalition = coalition_for(request, coalition_pk)
    return render(
        request,
        "submissions/submission_list.html",
        {
            "coalition": coalition,
            "submissions": selectors.submissions_of(coalition=coalition),
            "can_create": can(request.user, "submissions.create_submission", coalition),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def submission_create(request, coalition_pk: int):
    coalition = coalition_for(request, coalition_pk, "submissions.create_submission")
    form = SubmissionCreateForm(request.POST or None, coalition=coalition)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submission = services.submission_create(
                coalition=coalition,
                review=data["review"],
                actor=request.user,
                title=data["title"],
                kind=data["kind"],
                language=data["language"],
                keywords=data["keywords"],
                section_titles=data["section_titles"],
            )
        except SubmissionError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The submission is started. Share the word limit out over its sections."))
            return redirect("submissions:detail", pk=submission.pk)
    return render(request, "submissions/submission_form.html", {"coalition": coalition, "form": form})


@login_required
@require_GET
def submission_detail(request, pk: int):
    submission = submission_for(request, pk)
    sections = list(selectors.sections_for_overview(submission=submission))
    totals = selectors.submission_totals(submission=submission, sections=sections)
    rows = []
    for section in sections:
        counted = totals.counted_words(section)
        budget = section.word_budget
        rows.append(
            {
                "section": section,
                "counted": counted,
                "percent": min(round(100 * counted / budget), 100) if budget else 0,
                "over": bool(budget) and counted > budget,
                "can_edit": can(request.user, "submissions.edit_section", section),
            }
        )
    return render(
        request,
        "submissions/submission_detail.html",
        {
            "coalition": submission.coalition,
            "submission": submission,
            "rows": rows,
            "totals": totals,
            "can_change": can(request.user, "submissions.change_submission", submission),
            "can_manage": can(request.user, "submissions.manage_sections", submission),
            "can_change_status": can(request.user, "submissions.change_status", submission),
            **documents_context(request, submission, sections),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def submission_edit(request, pk: int):
    submission = submission_for(request, pk, "submissions.change_submission")
    form = SubmissionEditForm(request.POST or None, instance=submission)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.fields}
        submission.refresh_from_db()
        services.submission_update(submission=submission, actor=request.user, **fields)
        messages.success(request, _("The submission's details are saved."))
        return redirect("submissions:detail", pk=submission.pk)
    return render(
        request,
        "submissions/submission_edit.html",
        {"coalition": submission.coalition, "submission": submission, "form": form},
    )


STATUS_QUESTIONS = {
    Submission.Status.FINAL: _("Mark the submission final? Nobody can edit it until a coordinator reopens it."),
    Submission.Status.SUBMITTED: _("Record that the submission was sent to OHCHR? It becomes read-only."),
    Submission.Status.DRAFT: _("Reopen the submission for drafting? Everyone assigned can edit again."),
}


@login_required
@require_http_methods(["GET", "POST"])
def submission_status(request, pk: int):
    submission = submission_for(request, pk, "submissions.change_status")
    form = StatusForm(request.POST or request.GET or None)
    if not form.is_valid():
        messages.error(request, _("Choose one of the statuses offered."))
        return redirect("submissions:detail", pk=pk)
    status = form.cleaned_data["status"]
    if request.method == "POST":
        try:
            services.submission_set_status(submission=submission, actor=request.user, status=status)
        except SubmissionError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("submissions:detail", pk=pk)
        messages.success(
            request,
            _("The submission is now: %(status)s.") % {"status": Submission.Status(status).label},
        )
        return redirect("submissions:detail", pk=pk)
    return render(
        request,
        "confirm.html",
        {
            "coalition": submission.coalition,
            "submission": submission,
            "title": STATUS_QUESTIONS[status],
            "hidden": {"status": status},
            "confirm_label": Submission.Status(status).label,
            "cancel_url": reverse("submissions:detail", args=[submission.pk]),
        },
    )
