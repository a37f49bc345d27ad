import json
from typing import NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.two_factor.policy import TwoFactorRequired
from coalitions.access import REFUSALS
from coalitions.rules import can
from submissions import presence, selectors, text_limits
from submissions.comment_selectors import PanelRows, comment_panel, panel_rows
from submissions.diff import text_diff
from submissions.errors import SectionConflict, SubmissionError, TextRefused
from submissions.forms import SectionEditForm, SectionSettingsForm
from submissions.models import Section
from submissions.rendering import render_with_notes
from submissions.services import sections as section_services
from submissions.services import submissions as services
from submissions.views.common import section_for, submission_for
from submissions.views.recommendations import section_recommendations_context
from submissions.views.workflow import section_steps, section_workflow_context
from upr_portal.freshness import remember


def _settings_fields(form: SectionSettingsForm) -> dict:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "cluster": data["cluster"],
        "word_budget": data["word_budget"],
        "organisations": data["assigned_organisations"],
        "people": data["assigned_people"],
        "lead_organisation": data["lead_organisation"],
        "milestones": form.milestones,
    }


@login_required
@require_http_methods(["GET", "POST"])
def section_add(request, pk: int):
    submission = submission_for(request, pk, "submissions.manage_sections")
    form = SectionSettingsForm(
        request.POST or None, coalition=submission.coalition, un_deadline=submission.review.stakeholder_deadline
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.section_add(submission=submission, actor=request.user, **_settings_fields(form))
        except SubmissionError as error:
            form.add_error("word_budget", error)
        else:
            messages.success(request, _("The section is added."))
            return redirect("submissions:detail", pk=pk)
    return render(
        request,
        "submissions/section_settings.html",
        {"coalition": submission.coalition, "submission": submission, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def section_settings(request, pk: int, section_pk: int):
    section = section_for(request, pk, section_pk)
    submission = submission_for(request, pk, "submissions.manage_sections")
    form = SectionSettingsForm(
        request.POST or None,
        instance=section,
        coalition=submission.coalition,
        un_deadline=submission.review.stakeholder_deadline,
    )
    if request.method == "POST" and form.is_valid():
        fields = _settings_fields(form)
        section.refresh_from_db()
        try:
            services.section_update_settings(section=section, actor=request.user, **fields)
        except SubmissionError as error:
            form.add_error("word_budget", error)
        else:
            messages.success(request, _("The section %(title)s is saved.") % {"title": section.title})
            return redirect("submissions:detail", pk=pk)
    return render(
        request,
        "submissions/section_settings.html",
        {"coalition": submission.coalition, "submission": submission, "form": form, "section": section},
    )


@login_required
@require_POST
def section_move(request, pk: int, section_pk: int):
    section = section_for(request, pk, section_pk)
    submission_for(request, pk, "submissions.manage_sections")
    offset = -1 if request.POST.get("direction") == "up" else 1
    services.section_move(section=section, actor=request.user, offset=offset)
    messages.success(request, _("The section %(title)s is moved.") % {"title": section.title})
    return redirect("submissions:detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def section_delete(request, pk: int, section_pk: int):
    section = section_for(request, pk, section_pk)
    submission = submission_for(request, pk, "submissions.manage_sections")
    if request.method == "POST":
        try:
            services.section_delete(section=section, actor=request.user)
        except SubmissionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The section %(title)s is deleted.") % {"title": section.title})
        return redirect("submissions:detail", pk=pk)
    return render(
        request,
        "confirm.html",
        {
            "coalition": submission.coalition,
            "submission": submission,
            "title": _("Delete the section %(title)s?") % {"title": section.title},
            "explanation": _("Only a section that was never saved can be deleted: a saved one keeps its history."),
            "confirm_label": _("Delete"),
            "cancel_url": reverse("submissions:detail", args=[pk]),
        },
    )


class EditorRows(NamedTuple):
    """What the editor and the read page show of the database beyond the section, the same for everyone."""

    totals: selectors.Totals
    comments: PanelRows
    steps: list


def _editor_rows(section: Section) -> EditorRows:
    """Remembered until the database changes (upr_portal/freshness.py): the submission's counts (every
    section's and its recommendations' words), the comments, the coalition's members and the steps
    taken. What each person may do with them is decided on each request."""

    def read() -> EditorRows:
        submission = section.submission
        sections = list(selectors.section_counts(submission=submission))
        return EditorRows(
            totals=selectors.submission_totals(submission=submission, sections=sections),
            comments=panel_rows(section=section),
            steps=section_steps(section),
        )

    return remember("section-editor", (section.submission_id, section.pk), read)


def _editor_context(request, section, form, conflict=None) -> dict:
    submission = section.submission
    rows = _editor_rows(section)
    totals = rows.totals
    others = totals.counted - totals.counted_words(section)
    return {
        "coalition": submission.coalition,
        "submission": submission,
        "section": section,
        "form": form,
        "totals": totals,
        "other_words": others,
        "conflict": conflict,
        "can_edit": can(request.user, "submissions.edit_section", section),
        "save_url": reverse("submissions:section_save", args=[submission.pk, section.pk]),
        "presence_url": reverse("submissions:section_presence", args=[submission.pk, section.pk]),
        "comments": comment_panel(user=request.user, section=section, rows=rows.comments),
        # The read page has no form; the editor's buttons bring the person back to the editor.
        **section_workflow_context(request, section, origin="read" if form is None else "edit", steps=rows.steps),
    }


@login_required
@require_GET
def section_read(request, pk: int, section_pk: int):
    section = section_for(request, pk, section_pk)
    context = _editor_context(request, section, None)
    context["rendered"] = render_with_notes(section.body)
    context["read_only_reason"] = selectors.section_read_only_reason(user=request.user, section=section)
    context.update(section_recommendations_context(request, section))
    return render(request, "submissions/section_read.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request, pk: int, section_pk: int):
    """The editor page; its form also saves without JavaScript, under the same version check."""
    section = section_for(request, pk, section_pk, "submissions.edit_section")
    if request.method == "POST":
        form = SectionEditForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                section_services.section_save(
                    section_id=section.pk,
                    author=request.user,
                    body=data["body"],
                    title=data["title"],
                    base_version=data["base_version"],
                )
            except SectionConflict as conflict:
                # The writer's text stays in the form; the stored text is shown beside it to merge.
                form = SectionEditForm(
                    {**request.POST.dict(), "base_version": conflict.section.version},
                )
                context = _editor_context(request, section, form, conflict=conflict.section)
                context["conflict_diff"] = text_diff(conflict.section.body, conflict.attempted)
                return render(request, "submissions/section_edit.html", context, status=409)
            except TextRefused as refusal:
                # Over a limit: said next to the text, which stays in the form as it was sent.
                form.add_error("body", refusal)
                return render(
                    request, "submissions/section_edit.html", _editor_context(request, section, form), status=400
                )
            messages.success(request, _("Saved."))
            return redirect("submissions:section_edit", pk=pk, section_pk=section_pk)
    else:
        form = SectionEditForm(initial={"title": section.title, "body": section.body, "base_version": section.version})
    return render(request, "submissions/section_edit.html", _editor_context(request, section, form))


def _json_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": code, "message": message}, status=status)


@require_POST
def section_save(request, pk: int, section_pk: int):
    """The editor's save API: JSON in, JSON out; 409 with the stored text and the differences when
    versions differ, 400 with the reason when the text is over a limit (submissions/text_limits.py)."""
    if not request.user.is_authenticated:
        return _json_error(401, "signed_out", _("You are signed out. Sign in again in another tab, then retry."))
    try:
        section = section_for(request, pk, section_pk, "submissions.edit_section")
    except Http404:
        return _json_error(404, "not_found", _("This section does not exist or is not yours to see."))
    except TwoFactorRequired as refusal:
        # The coalition asks for two-factor sign-in, which this session has not passed: the editor
        # shows the reason, and the text stays in the browser.
        return _json_error(403, "two_factor_required", refusal.reason)
    except PermissionDenied:
        return _json_error(403, "forbidden", str(REFUSALS["submissions.edit_section"]))
    try:
        raw = request.body
    except RequestDataTooBig:
        # Over DATA_UPLOAD_MAX_MEMORY_SIZE Django refuses to read the body at all: its length is all we know.
        refusal = text_limits.too_large(int(request.META.get("CONTENT_LENGTH") or 0))
        return _json_error(400, refusal.code, refusal.message)
    try:
        payload = json.loads(raw or b"{}")
        body = payload["body"]
        base_version = payload["base_version"]
        # Strict types: a version is a whole number, never a float or a boolean coerced into one.
        if not isinstance(body, str) or type(base_version) is not int:
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return _json_error(400, "bad_request", _("The editor sent an incomplete save. Reload the page."))
    title = payload.get("title")
    # The form's max_length does not guard this path; PostgreSQL would refuse a longer title with a 500.
    if title is not None and len(str(title).strip()) > Section._meta.get_field("title").max_length:
        return _json_error(400, "bad_request", _("The section title is too long."))
    try:
        result = section_services.section_save(
            section_id=section.pk,
            author=request.user,
            body=body,
            title=str(title) if title is not None else None,
            base_version=base_version,
            autosave=bool(payload.get("autosave")),
        )
    except SectionConflict as conflict:
        stored = conflict.section
        return JsonResponse(
            {
                "error": "conflict",
                "message": _(
                    "%(name)s saved this section while you were writing. Your text is kept here: "
                    "compare the two and merge them, then save again."
                )
                % {"name": stored.last_edited_by or _("Someone")},
                "version": stored.version,
                "title": stored.title,
                "body": stored.body,
                "saved_by": str(stored.last_edited_by or ""),
                "saved_at": stored.last_edited_at.isoformat() if stored.last_edited_at else None,
                # From their text to the one refused: struck through only theirs, underlined only yours.
                "diff_html": render_to_string(
                    "submissions/_diff.html", {"diff": text_diff(stored.body, conflict.attempted)}, request=request
                ),
            },
            status=409,
        )
    except TextRefused as refusal:
        return _json_error(400, refusal.code, refusal.message)
    except SubmissionError as error:
        return _json_error(403, "locked", error.message)
    saved = result.section
    return JsonResponse(
        {
            "version": saved.version,
            "changed": result.changed,
            "body_words": saved.body_words,
            "note_words": saved.note_words,
            "saved_by": str(saved.last_edited_by or ""),
            "saved_at": saved.last_edited_at.isoformat() if saved.last_edited_at else None,
        }
    )


@require_POST
def section_presence(request, pk: int, section_pk: int):
    """Heartbeat of an open editor: who else has the section open, and its current version."""
    if not request.user.is_authenticated:
        return _json_error(401, "signed_out", _("You are signed out."))
    try:
        section = section_for(request, pk, section_pk)
    except Http404:
        return _json_error(404, "not_found", _("This section does not exist or is not yours to see."))
    others = presence.presence_touch(
        section_id=section.pk,
        user_id=request.user.pk,
        name=str(request.user),
        leaving=request.POST.get("leaving") == "1",
    )
    return JsonResponse(
        {
            "others": [other["name"] for other in others],
            "version": section.version,
            "saved_by": str(section.last_edited_by or ""),
            "saved_at": section.last_edited_at.isoformat() if section.last_edited_at else None,
        }
    )
