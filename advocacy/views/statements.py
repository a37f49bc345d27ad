"""The pre-session statement of a submission: edit, draft from the submission, estimate, history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from advocacy.lobbying_forms import STATEMENT_MAX_LENGTH, StatementForm
from advocacy.models import Statement, StatementVersion
from advocacy.services import statements as services
from coalitions.rules import can
from coalitions.views.coalitions import coalition_for
from submissions.models import Submission


def _submission_for(request, pk: int, submission_pk: int, rule: str):
    coalition = coalition_for(request, pk, rule)
    submission = (
        Submission.objects.filter(coalition=coalition, pk=submission_pk).select_related("review__state").first()
    )
    if submission is None:
        raise Http404
    statement = Statement.objects.filter(submission=submission).first()
    return coalition, submission, statement


def _page_url(coalition, submission) -> str:
    return reverse("advocacy:statement", args=[coalition.pk, submission.pk])


def _page(request, coalition, submission, statement, form, *, status=200):
    text = form["text"].value() or ""
    return render(
        request,
        "advocacy/statement.html",
        {
            "coalition": coalition,
            "statement_submission": submission,
            "statement": statement,
            "form": form,
            "estimate": services.spoken_estimate(text),
            "max_length": STATEMENT_MAX_LENGTH,
            "can_change": can(request.user, "advocacy.change_statement", coalition),
            "versions": statement.versions.count() if statement else 0,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def statement_edit(request, pk: int, submission_pk: int):
    rule = "advocacy.change_statement" if request.method == "POST" else "advocacy.view_statement"
    coalition, submission, statement = _submission_for(request, pk, submission_pk, rule)
    initial = {"text": statement.text if statement else "", "version": statement.version if statement else 0}
    form = StatementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.statement_save(
                submission=submission,
                actor=request.user,
                text=form.cleaned_data["text"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            form.add_error("text", error)
        else:
            messages.success(request, _("The statement is saved."))
            return redirect(_page_url(coalition, submission))
    return _page(request, coalition, submission, statement, form)


@login_required
@require_http_methods(["GET", "POST"])
def statement_draft(request, pk: int, submission_pk: int):
    coalition, submission, statement = _submission_for(request, pk, submission_pk, "advocacy.change_statement")
    version = statement.version if statement else 0
    if request.method == "POST":
        replace = request.POST.get("replace") == "1"
        try:
            sent_version = int(request.POST.get("version", version))
        except ValueError:
            sent_version = -1
        try:
            services.statement_draft(submission=submission, actor=request.user, version=sent_version, replace=replace)
        except ValidationError as error:
            if error.code != "confirm":
                messages.error(request, error.messages[0])
                return redirect(_page_url(coalition, submission))
        else:
            messages.success(
                request,
                _("The statement is drafted from the submission; the earlier text is in the history.")
                if replace
                else _("The statement is drafted from the submission."),
            )
            return redirect(_page_url(coalition, submission))
    return render(
        request,
        "confirm.html",
        {
            "coalition": coalition,
            "title": _("Replace the statement with a draft from the submission?"),
            "explanation": _(
                "The statement's text is replaced with the executive summary, the section titles and the "
                "recommendations of “%(title)s”. The current text stays in the statement's history, where it "
                "can be restored."
            )
            % {"title": submission.title},
            "confirm_label": _("Replace with the draft"),
            "cancel_url": _page_url(coalition, submission),
            "hidden": {"replace": "1", "version": version},
        },
    )


@login_required
@require_POST
def statement_estimate(request, pk: int, submission_pk: int):
    """The spoken-length estimate of the text being typed (the page's live estimate): the words are
    counted here, by the portal's one rule, not by a second counter in the browser."""
    _submission_for(request, pk, submission_pk, "advocacy.view_statement")
    text = request.POST.get("text", "")[:STATEMENT_MAX_LENGTH]
    estimate = services.spoken_estimate(text)
    return JsonResponse(
        {
            "words": estimate.words,
            "seconds": estimate.seconds,
            "over": estimate.over,
            "message": estimate.message,
            "words_message": estimate.words_message,
            "warning": estimate.warning,
        }
    )


@login_required
@require_GET
def statement_history(request, pk: int, submission_pk: int):
    coalition, submission, statement = _submission_for(request, pk, submission_pk, "advocacy.view_statement")
    versions = (
        list(StatementVersion.objects.filter(statement=statement).select_related("saved_by").order_by("-number"))
        if statement
        else []
    )
    rows = [(version, services.spoken_estimate(version.text)) for version in versions]
    return render(
        request,
        "advocacy/statement_history.html",
        {
            "coalition": coalition,
            "statement_submission": submission,
            "statement": statement,
            "rows": rows,
            "can_change": can(request.user, "advocacy.change_statement", coalition),
        },
    )


@login_required
@require_POST
def statement_restore(request, pk: int, submission_pk: int, number: int):
    coalition, submission, statement = _submission_for(request, pk, submission_pk, "advocacy.change_statement")
    if statement is None:
        raise Http404
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        services.statement_restore(statement=statement, number=number, actor=request.user, version=version)
    except ValidationError as error:
        if error.code == "missing":
            raise Http404 from error
        messages.error(request, error.messages[0])
        return redirect(reverse("advocacy:statement_history", args=[coalition.pk, submission.pk]))
    messages.success(request, _("Version %(n)d is restored as the current text.") % {"n": number})
    return redirect(_page_url(coalition, submission))
