"""The sign-off page: every organisation's answer on the final text, the designated person's
"Endorse" and "Decline", and the coordinators' reminder and choice of who answers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from coalitions.access import require
from coalitions.rules import can
from submissions import signoff_selectors as selectors
from submissions.errors import SubmissionError
from submissions.models import SignOff, Submission
from submissions.services import signoff as services
from submissions.signoff_forms import DeclineForm, DesignatedPersonForm
from submissions.views.common import submission_for


def _sign_off_for(request, submission: Submission, pk: int) -> SignOff:
    """The submission's sign-off; 404 for one of another submission, as for one that does not exist."""
    sign_off = SignOff.objects.filter(submission=submission, pk=pk).select_related("organisation", "person").first()
    if sign_off is None:
        raise Http404
    sign_off.submission = submission
    return sign_off


def _page_url(submission: Submission) -> str:
    return reverse("submissions:sign_off", args=[submission.pk])


def sign_off_context(request, submission: Submission, *, decline_form: DeclineForm | None = None) -> dict:
    """What the page shows, in a constant number of queries whatever the number of organisations."""
    figures = selectors.text_figures(submission)
    rows = selectors.sign_offs_of(submission)
    mine = next((row for row in rows if row.person_id == request.user.pk), None)
    for row in rows:
        row.submission = submission
        row.declined_on_older_text = selectors.declined_text_changed(row, figures.versions)
    counts = selectors.sign_off_counts(submission)
    return {
        "coalition": submission.coalition,
        "submission": submission,
        "rows": rows,
        "counts": counts,
        "figures": figures,
        "mine": mine,
        "can_answer": mine is not None and can(request.user, "submissions.answer_sign_off", mine),
        "can_manage": can(request.user, "submissions.manage_sign_off", submission),
        "is_open": submission.status == Submission.Status.SIGN_OFF,
        "decline_form": decline_form or DeclineForm(prefix="decline"),
    }


@login_required
@require_GET
def sign_off(request, pk: int):
    submission = submission_for(request, pk, "submissions.view_sign_off")
    return render(request, "submissions/sign_off.html", sign_off_context(request, submission))


@login_required
@require_POST
def sign_off_endorse(request, pk: int, sign_off_pk: int):
    """Endorses the text the person read: the form carries every section's version as shown to them."""
    submission = submission_for(request, pk, "submissions.view_sign_off")
    sign_off = _sign_off_for(request, submission, sign_off_pk)
    require(request.user, "submissions.answer_sign_off", sign_off)
    versions = {}
    for name, value in request.POST.items():
        if name.startswith("version_"):
            try:
                versions[name.removeprefix("version_")] = int(value)
            except ValueError:
                continue
    try:
        services.sign_off_endorse(sign_off=sign_off, actor=request.user, versions=versions)
    except SubmissionError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(organisation)s endorses the text as it stands now.") % {"organisation": sign_off.organisation.name},
        )
    return redirect(_page_url(submission))


@login_required
@require_POST
def sign_off_decline(request, pk: int, sign_off_pk: int):
    submission = submission_for(request, pk, "submissions.view_sign_off")
    sign_off = _sign_off_for(request, submission, sign_off_pk)
    require(request.user, "submissions.answer_sign_off", sign_off)
    form = DeclineForm(request.POST, prefix="decline")
    if form.is_valid():
        try:
            services.sign_off_decline(sign_off=sign_off, actor=request.user, reason=form.cleaned_data["reason"])
        except SubmissionError as error:
            form.add_error("reason", error.message)
        else:
            messages.success(
                request,
                _("%(organisation)s declines; the coordinators can read why.")
                % {"organisation": sign_off.organisation.name},
            )
            return redirect(_page_url(submission))
    return render(request, "submissions/sign_off.html", sign_off_context(request, submission, decline_form=form))


@login_required
@require_POST
def sign_offs_remind(request, pk: int):
    submission = submission_for(request, pk, "submissions.manage_sign_off")
    try:
        count = services.sign_offs_remind(submission=submission, actor=request.user)
    except SubmissionError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d person who has not answered was reminded.",
                "%(count)d people who have not answered were reminded.",
                count,
            )
            % {"count": count},
        )
    return redirect(_page_url(submission))


@login_required
@require_http_methods(["GET", "POST"])
def sign_off_person(request, pk: int, sign_off_pk: int):
    """A coordinator designates another member of the organisation to answer for it."""
    submission = submission_for(request, pk, "submissions.view_sign_off")
    sign_off = _sign_off_for(request, submission, sign_off_pk)
    require(request.user, "submissions.manage_sign_off", submission)
    people = User.objects.filter(
        pk__in=selectors.designatable_people(sign_off).values("user_id"), is_active=True
    ).order_by("full_name", "email", "pk")
    form = DesignatedPersonForm(request.POST or None, people=people, initial={"person": sign_off.person_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_off_set_person(sign_off=sign_off, actor=request.user, person=form.cleaned_data["person"])
        except SubmissionError as error:
            form.add_error("person", error.message)
        else:
            messages.success(
                request,
                _("%(person)s now answers for %(organisation)s.")
                % {"person": form.cleaned_data["person"], "organisation": sign_off.organisation.name},
            )
            return redirect(_page_url(submission))
    return render(
        request,
        "submissions/sign_off_person.html",
        {
            "coalition": submission.coalition,
            "submission": submission,
            "sign_off": sign_off,
            "form": form,
            "has_people": people.exists(),
        },
    )
