from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coalitions.rules import can
from submissions import selectors
from submissions.diff import word_diff
from submissions.errors import SubmissionError
from submissions.services import sections as section_services
from submissions.views.common import section_for


@login_required
@require_GET
def history(request, pk: int, section_pk: int):
    section = section_for(request, pk, section_pk)
    versions = list(selectors.versions_of(section=section))
    by_number = {v.version: v for v in versions}
    try:
        a = int(request.GET.get("a", 0))
        b = int(request.GET.get("b", 0))
    except ValueError:
        a = b = 0
    diff = None
    older = newer = None
    if a and b:
        older, newer = by_number.get(min(a, b)), by_number.get(max(a, b))
        if older is None or newer is None:
            raise Http404
        diff = word_diff(older.body, newer.body)
    elif len(versions) >= 2:
        newer, older = versions[0], versions[1]
        diff = word_diff(older.body, newer.body)
    return render(
        request,
        "submissions/history.html",
        {
            "coalition": section.submission.coalition,
            "submission": section.submission,
            "section": section,
            "versions": versions,
            "diff": diff,
            "older": older,
            "newer": newer,
            "can_restore": can(request.user, "submissions.edit_section", section),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def restore(request, pk: int, section_pk: int, version: int):
    section = section_for(request, pk, section_pk, "submissions.edit_section")
    old = section.versions.filter(version=version).select_related("author").first()
    if old is None:
        raise Http404
    if request.method == "POST":
        try:
            result = section_services.section_restore(section_id=section.pk, author=request.user, version=version)
        except SubmissionError as error:
            messages.error(request, error.message)
            return redirect("submissions:history", pk=pk, section_pk=section_pk)
        messages.success(
            request,
            _("Version %(old)d is restored as version %(new)d. Nothing was lost: every version stays in the history.")
            % {"old": version, "new": result.section.version},
        )
        return redirect("submissions:history", pk=pk, section_pk=section_pk)
    return render(
        request,
        "submissions/restore_confirm.html",
        {
            "coalition": section.submission.coalition,
            "submission": section.submission,
            "section": section,
            "old": old,
            "diff": word_diff(section.body, old.body),
            "cancel_url": reverse("submissions:history", args=[pk, section_pk]),
        },
    )
