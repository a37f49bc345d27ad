from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coalitions import selectors, services
from coalitions.access import require
from coalitions.forms import DirectoryFilterForm, RoleForm
from coalitions.models import CoalitionOrganisation, Membership
from coalitions.rules import can
from coalitions.services.errors import CoalitionError
from coalitions.views.coalitions import coalition_for


@login_required
@require_GET
def directory(request, pk: int):
    coalition = coalition_for(request, pk, "coalitions.view_members")
    form = DirectoryFilterForm(request.GET or None, coalition=coalition)
    filters = form.cleaned_data if form.is_valid() else {}
    members = selectors.member_directory(
        coalition=coalition,
        kind=filters.get("kind", ""),
        cluster=filters.get("cluster"),
        role=filters.get("role", ""),
        query=filters.get("q", ""),
    )
    can_manage = can(request.user, "coalitions.manage_members", coalition)
    return render(
        request,
        "coalitions/directory.html",
        {
            "coalition": coalition,
            "form": form,
            "members": members,
            "organisations": selectors.member_organisations(coalition=coalition),
            "can_manage": can_manage,
            "role_form": RoleForm() if can_manage else None,
        },
    )


def _membership(request, pk: int, membership_pk: int) -> Membership:
    coalition = coalition_for(request, pk)
    membership = get_object_or_404(
        Membership.objects.select_related("user", "organisation", "coalition"),
        pk=membership_pk,
        coalition=coalition,
        is_active=True,
    )
    require(request.user, "coalitions.manage_members", coalition)
    return membership


@login_required
@require_POST
def change_role(request, pk: int, membership_pk: int):
    membership = _membership(request, pk, membership_pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles offered."))
    else:
        try:
            services.membership_change_role(membership=membership, actor=request.user, role=form.cleaned_data["role"])
        except CoalitionError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(name)s is now %(role)s.") % {"name": membership.user, "role": membership.get_role_display()},
            )
    return redirect("coalitions:directory", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def remove_member(request, pk: int, membership_pk: int):
    membership = _membership(request, pk, membership_pk)
    if request.method == "POST":
        try:
            services.membership_remove(membership=membership, actor=request.user)
        except CoalitionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(name)s is no longer a member.") % {"name": membership.user})
        return redirect("coalitions:directory", pk=pk)
    return render(
        request,
        "confirm.html",
        {
            "coalition": membership.coalition,
            "title": _("Remove %(name)s from the coalition?") % {"name": membership.user},
            "explanation": _(
                "They will no longer see the coalition or its submissions. What they wrote stays. "
                "You can invite them again later."
            ),
            "confirm_label": _("Remove"),
            "cancel_url": reverse("coalitions:directory", args=[pk]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def remove_organisation(request, pk: int, member_pk: int):
    coalition = coalition_for(request, pk)
    member = get_object_or_404(
        CoalitionOrganisation.objects.select_related("organisation", "coalition"),
        pk=member_pk,
        coalition=coalition,
    )
    require(request.user, "coalitions.manage_members", coalition)
    if request.method == "POST":
        try:
            services.coalition_organisation_remove(member=member, actor=request.user)
        except CoalitionError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("%(organisation)s has left the coalition.") % {"organisation": member.organisation}
            )
        return redirect("coalitions:directory", pk=pk)
    return render(
        request,
        "confirm.html",
        {
            "coalition": coalition,
            "title": _("Remove %(organisation)s from the coalition?") % {"organisation": member.organisation},
            "explanation": _("The organisation will be listed as having left. Its people must be removed first."),
            "confirm_label": _("Remove the organisation"),
            "cancel_url": reverse("coalitions:directory", args=[pk]),
        },
    )
