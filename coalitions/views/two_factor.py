from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.two_factor.policy import session_is_verified
from coalitions import services
from coalitions.forms import CoalitionTwoFactorForm
from coalitions.views.coalitions import coalition_for


@login_required
@require_POST
def coalition_two_factor(request, pk: int):
    """The two-factor setting of the coalition's settings page (its form is on coalitions:edit)."""
    coalition = coalition_for(request, pk, "coalitions.require_two_factor")
    form = CoalitionTwoFactorForm(request.POST)
    form.is_valid()  # one checkbox: always valid, unticked or absent meaning off
    required = form.cleaned_data["require_two_factor"]
    services.coalition_two_factor_set(coalition=coalition, actor=request.user, required=required)
    if not required:
        messages.success(request, _("Members no longer need two-factor sign-in to open the coalition's pages."))
    elif session_is_verified(request.user):
        messages.success(
            request,
            _(
                "Members now need two-factor sign-in to open the coalition's pages; "
                "those without it are asked to set it up."
            ),
        )
    else:
        # The settings page this redirects to sends the coordinator on to set it up, like everyone.
        messages.success(
            request,
            _("Members now need two-factor sign-in to open the coalition's pages, and so do you: set it up now."),
        )
    return redirect("coalitions:edit", pk=coalition.pk)
