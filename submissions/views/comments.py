"""Comments on a section: write one or answer a thread, resolve and reopen, and find members to mention."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coalitions.access import get_visible_or_404, require
from coalitions.models import Coalition
from coalitions.rules import can
from submissions import comment_selectors
from submissions.comment_forms import BACK_TO, CommentForm
from submissions.errors import SubmissionError
from submissions.models import Comment
from submissions.services import comments as services
from submissions.views.common import section_for


def _back(request, section, key: str, comment: Comment) -> str:
    """The page the form was sent from, at the comment: the editor only for someone who may still
    edit (a section submitted for review meanwhile would answer 403), else the section's page."""
    if key != "edit" or not can(request.user, "submissions.edit_section", section):
        key = "read"
    url = reverse(BACK_TO[key], args=[section.submission_id, section.pk])
    return f"{url}#comment-{comment.pk}"


@login_required
@require_http_methods(["GET", "POST"])
def comment_add(request, pk: int, section_pk: int):
    """A page of its own for a comment or an answer: where the form on the section's pages sends its
    errors, and where an answer is written without JavaScript (``?parent=``)."""
    section = section_for(request, pk, section_pk, "submissions.comment_section", text=False)
    members = services.coalition_members(coalition_id=section.submission.coalition_id)
    members = [member for member in members if member.pk != request.user.pk]
    parent_pk = request.POST.get("parent") or request.GET.get("parent") or ""
    parent = None
    if parent_pk:
        # An answer goes to a thread of this very section; anything else is no page.
        threads = Comment.objects.filter(section=section, parent__isnull=True)
        parent = get_object_or_404(threads, pk=int(parent_pk) if parent_pk.isdigit() else 0)
    form = CommentForm(
        request.POST if request.method == "POST" else None,
        members=members,
        initial={"parent": parent.pk if parent else None},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                comment = services.comment_add(
                    section=section,
                    author=request.user,
                    body=data["body"],
                    quote=data["quote"],
                    parent=parent,
                    mention_ids=data["mentions"],
                )
            except SubmissionError as error:
                form.add_error("body", error)
            else:
                messages.success(request, _("Your answer is added.") if parent else _("Your comment is added."))
                return redirect(_back(request, section, data["back"], comment))
        status = 400
    return render(
        request,
        "submissions/comment_form.html",
        {
            "coalition": section.submission.coalition,
            "submission": section.submission,
            "section": section,
            "form": form,
            "parent": parent,
            "search_url": reverse("submissions:mention_search", args=[section.submission.coalition_id]),
        },
        status=status,
    )


def _thread_for(request, pk: int, section_pk: int, comment_pk: int) -> Comment:
    section = section_for(request, pk, section_pk, text=False)
    comment = get_object_or_404(Comment.objects.filter(section=section, parent__isnull=True), pk=comment_pk)
    comment.section = section
    return comment


@login_required
@require_POST
def comment_resolve(request, pk: int, section_pk: int, comment_pk: int):
    comment = _thread_for(request, pk, section_pk, comment_pk)
    require(request.user, "submissions.resolve_comment", comment)
    services.comment_resolve(comment=comment, actor=request.user)
    messages.success(request, _("The thread is resolved."))
    return redirect(_back(request, comment.section, request.POST.get("back", ""), comment))


@login_required
@require_POST
def comment_reopen(request, pk: int, section_pk: int, comment_pk: int):
    comment = _thread_for(request, pk, section_pk, comment_pk)
    require(request.user, "submissions.resolve_comment", comment)
    services.comment_reopen(comment=comment, actor=request.user)
    messages.success(request, _("The thread is open again."))
    return redirect(_back(request, comment.section, request.POST.get("back", ""), comment))


@login_required
@require_GET
def mention_search(request, coalition_pk: int):
    """The comment form's autocomplete: members of the coalition whose name starts with ``q``, as JSON.
    Members only (404 to anyone else, like every page of the coalition)."""
    coalition = get_visible_or_404(request.user, "coalitions.view_members", Coalition.objects.all(), pk=coalition_pk)
    results = comment_selectors.mention_candidates(
        coalition_id=coalition.pk, query=request.GET.get("q", "")[:100], exclude_user_id=request.user.pk
    )
    return JsonResponse({"results": results})
