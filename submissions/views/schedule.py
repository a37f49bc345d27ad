"""The "Schedule sections" page: milestones of many sections at once, counted back from the UN deadline.

Two steps that need no JavaScript: the form shows a preview of every resulting date ("preview"),
then the same values are sent again to apply them ("apply"), in one transaction.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from submissions.errors import SubmissionError
from submissions.forms import ScheduleForm
from submissions.models.core import SECTION_MILESTONES
from submissions.services import schedule as services
from submissions.views.common import submission_for


@login_required
@require_http_methods(["GET", "POST"])
def sections_schedule(request, pk: int):
    submission = submission_for(request, pk, "submissions.manage_sections")
    un_deadline = submission.review.stakeholder_deadline
    form = ScheduleForm(request.POST or None, submission=submission)
    context = {
        "coalition": submission.coalition,
        "submission": submission,
        "un_deadline": un_deadline,
        "form": form,
        "milestone_columns": SECTION_MILESTONES,
    }
    if un_deadline is None:
        # Nothing to count back from: said plainly, with no form to fill in for nothing.
        return render(request, "submissions/section_schedule.html", context, status=400 if request.POST else 200)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "apply" in request.POST:
            try:
                count = services.sections_schedule(
                    submission=submission,
                    actor=request.user,
                    section_ids=[section.pk for section in data["sections"]],
                    rules=data["rules"],
                    lead_organisation=data["lead_organisation"],
                )
            except SubmissionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    ngettext(
                        "The milestones of %(count)d section are set.",
                        "The milestones of %(count)d sections are set.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect("submissions:detail", pk=pk)
        context["plan"] = services.schedule_plan(submission=submission, sections=data["sections"], rules=data["rules"])
        context["can_apply"] = not any(item.problems for item in context["plan"])
    return render(request, "submissions/section_schedule.html", context)
