"""The admin action that rolls a cycle forward: a form, a preview of the sessions it will create with
their provisional dates, then the roll-forward itself (reviews.services.roll_forward).

The form's pages post back to the cycle list with the action's name and the selected cycle, as
Django's own "delete selected" confirmation does, so the action needs no URL of its own.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reviews.services.roll_forward import RollForwardError, cycle_roll_forward, cycle_roll_forward_preview

# What a roll-forward creates, beyond the cycle the action's own permission covers.
ROLL_FORWARD_PERMISSIONS = ("reviews.add_session", "reviews.add_review", "reviews.add_documentlimit")


class RollForwardForm(forms.Form):
    required_css_class = "required"

    first_session = forms.IntegerField(
        label=gettext_lazy("Number of the first session"),
        min_value=1,
        max_value=32000,
        help_text=gettext_lazy("The new cycle's sessions are numbered on from this one."),
    )
    # A text field read with the portal's input formats, ISO or day first (upr_portal/formats): a browser's
    # date picker would show and read the day in the browser's own locale, month first in en-US.
    first_day = forms.DateField(
        label=gettext_lazy("First day of the first session"),
        widget=forms.DateInput(format="%Y-%m-%d"),
        help_text=gettext_lazy(
            "The day the Working Group opens the new cycle's first session: YYYY-MM-DD, or day first as "
            "01/11/2027. Moved to the Monday on or after it. The other sessions follow the pattern of the "
            "cycle rolled forward."
        ),
    )


@admin.action(permissions=["add"], description=gettext_lazy("Roll forward to the next cycle…"))
def roll_forward(modeladmin, request, queryset):
    """Rolls ONE cycle forward, after a form and a preview."""
    if not request.user.has_perms(ROLL_FORWARD_PERMISSIONS):
        modeladmin.message_user(
            request,
            _("Rolling a cycle forward creates sessions, reviews and document limits: you may not add all of them."),
            messages.ERROR,
        )
        return None
    cycles = list(queryset[:2])
    if len(cycles) != 1:
        modeladmin.message_user(request, _("Select exactly one cycle to roll forward."), messages.WARNING)
        return None
    source = cycles[0]
    plan = None
    if "_preview" in request.POST or "_confirm" in request.POST:
        form = RollForwardForm(request.POST)
        if form.is_valid():
            arguments = {"source": source, **form.cleaned_data}
            try:
                if "_confirm" in request.POST:
                    report = cycle_roll_forward(**arguments)
                else:
                    plan = cycle_roll_forward_preview(**arguments)
            except RollForwardError as exc:
                form.add_error(None, str(exc))
            else:
                if "_confirm" in request.POST:
                    modeladmin.message_user(
                        request,
                        _("Cycle %(cycle)s rolled forward to cycle %(new)s: %(counts)s. Check the provisional dates.")
                        % {"cycle": source.number, "new": report.cycle.number, "counts": "; ".join(report.lines())},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(
                        f"{reverse('admin:reviews_session_changelist')}?cycle__id__exact={report.cycle.pk}"
                    )
    else:
        last = source.sessions.order_by("-number").first()
        form = RollForwardForm(initial={"first_session": last.number + 1 if last else None})

    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Roll cycle %(cycle)s forward") % {"cycle": source.number},
        "subtitle": None,
        "opts": opts,
        "source": source,
        "new_cycle_number": source.number + 1,
        "form": form,
        "plan": plan,
        "plan_lines": plan.report().lines() if plan else [],
        "action_name": roll_forward.__name__,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "admin/reviews/cycle/roll_forward.html", context)
