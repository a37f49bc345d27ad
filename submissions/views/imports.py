"""Importing a member's Word file into a section: upload, preview with its count, then replace or merge."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from submissions import selectors
from submissions.errors import SectionConflict, SubmissionError
from submissions.imports import max_upload_bytes
from submissions.rendering import render_with_notes
from submissions.services import imports as services
from submissions.views.common import section_for

RULE = "submissions.import_docx"


class WordImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Word file (.docx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def word_import(request, pk: int, section_pk: int):
    section = section_for(request, pk, section_pk, RULE, text=False)
    form = WordImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.word_import_convert(section=section, actor=request.user, upload=form.cleaned_data["file"])
        except SubmissionError as error:
            form.add_error("file", error.message)
        else:
            return redirect("submissions:section_import_preview", pk=pk, section_pk=section_pk)
    return render(
        request,
        "submissions/word_import.html",
        {
            "coalition": section.submission.coalition,
            "submission": section.submission,
            "section": section,
            "form": form,
            "max_bytes": max_upload_bytes(),
        },
        status=400 if form.errors else 200,
    )


def _preview(request, section, pending, *, conflict=None, status: int = 200):
    submission = section.submission
    sections = list(selectors.section_counts(submission=submission))
    totals = selectors.submission_totals(submission=submission, sections=sections)
    # What the submission would count with the imported text in place of the section's current one.
    current = totals.counted_words(section)
    imported = pending.body_words + (pending.note_words if totals.notes_count else 0)
    return render(
        request,
        "submissions/word_import_preview.html",
        {
            "coalition": submission.coalition,
            "submission": submission,
            "section": section,
            "pending": pending,
            "rendered": render_with_notes(pending.html),
            "totals": totals,
            "counted_after": totals.counted - current + imported,
            "conflict": conflict,
            "base_version": section.version,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def word_import_preview(request, pk: int, section_pk: int):
    section = section_for(request, pk, section_pk, RULE, text=False)
    pending = services.word_import_pending(section=section, user=request.user)
    if pending is None:
        messages.info(request, _("Upload a Word file to import it into this section."))
        return redirect("submissions:section_import", pk=pk, section_pk=section_pk)
    return _preview(request, section, pending)


@login_required
@require_POST
def word_import_replace(request, pk: int, section_pk: int):
    section = section_for(request, pk, section_pk, RULE, text=False)
    try:
        base_version = int(request.POST.get("base_version", ""))
    except ValueError:
        base_version = -1
    try:
        services.word_import_replace(section=section, actor=request.user, base_version=base_version)
    except SectionConflict as conflict:
        # Nothing is lost: the import stays pending, and the preview says who saved meanwhile.
        section.version = conflict.section.version
        section.body_words, section.note_words = conflict.section.body_words, conflict.section.note_words
        pending = services.word_import_pending(section=section, user=request.user)
        return _preview(request, section, pending, conflict=conflict.section, status=409)
    except SubmissionError as error:
        messages.error(request, error.message)
        return redirect("submissions:section_import", pk=pk, section_pk=section_pk)
    messages.success(request, _("The section's text is now the imported one, saved as a new version."))
    return redirect("submissions:section_edit", pk=pk, section_pk=section_pk)


@login_required
@require_POST
def word_import_discard(request, pk: int, section_pk: int):
    section = section_for(request, pk, section_pk, RULE, text=False)
    services.word_import_discard(section=section, user=request.user)
    messages.success(request, _("The imported text is discarded."))
    return redirect(reverse("submissions:section_edit", args=[pk, section_pk]))
