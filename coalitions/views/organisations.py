from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coalitions import selectors, services
from coalitions.access import get_visible_or_404, require
from coalitions.forms import OrganisationForm
from coalitions.models import Organisation
from coalitions.rules import can


def _organisation(request, pk: int) -> Organisation:
    return get_visible_or_404(
        request.user, "coalitions.view_organisation", Organisation.objects.select_related("country"), pk=pk
    )


@login_required
@require_GET
def organisation_profile(request, pk: int):
    organisation = _organisation(request, pk)
    return render(
        request,
        "coalitions/organisation.html",
        {
            "organisation": organisation,
            "can_edit": can(request.user, "coalitions.change_organisation", organisation),
            **selectors.organisation_profile(organisation=organisation, user=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk: int):
    organisation = _organisation(request, pk)
    require(request.user, "coalitions.change_organisation", organisation)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.fields}
        organisation.refresh_from_db()
        services.organisation_update(organisation=organisation, actor=request.user, **fields)
        messages.success(request, _("The profile of %(name)s is saved.") % {"name": organisation})
        return redirect("coalitions:organisation", pk=organisation.pk)
    return render(request, "coalitions/organisation_form.html", {"organisation": organisation, "form": form})
