from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from accounts.throttles import client_ip, invitation_link_failures, try_again_in
from coalitions import selectors, services
from coalitions.forms import AcceptInvitationForm, InvitationForm
from coalitions.models import Invitation
from coalitions.services.errors import CoalitionError
from coalitions.views.coalitions import coalition_for


@login_required
@require_GET
def invitation_list(request, pk: int):
    coalition = coalition_for(request, pk, "coalitions.manage_invitations")
    return render(
        request,
        "coalitions/invitations.html",
        {"coalition": coalition, "invitations": selectors.invitations_of(coalition=coalition)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create(request, pk: int):
    coalition = coalition_for(request, pk, "coalitions.manage_invitations")
    form = InvitationForm(request.POST or None, coalition=coalition)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # One transaction: a refused invitation leaves no new organisation behind.
            with transaction.atomic():
                organisation = data["organisation"] or services.organisation_for_invitation(
                    actor=request.user, **form.new_organisation_fields()
                )
                invitation = services.invitation_create(
                    coalition=coalition,
                    actor=request.user,
                    email=data["email"],
                    full_name=data["full_name"],
                    role=data["role"],
                    organisation=organisation,
                    message=data["message"],
                )
        except CoalitionError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The invitation to %(email)s is on its way.") % {"email": invitation.email})
            return redirect("coalitions:invitations", pk=pk)
    return render(request, "coalitions/invitation_form.html", {"coalition": coalition, "form": form})


def _invitation(request, pk: int, invitation_pk: int) -> Invitation:
    coalition = coalition_for(request, pk, "coalitions.manage_invitations")
    return get_object_or_404(Invitation.objects.select_related("coalition"), pk=invitation_pk, coalition=coalition)


@login_required
@require_POST
def invitation_resend(request, pk: int, invitation_pk: int):
    invitation = _invitation(request, pk, invitation_pk)
    try:
        services.invitation_resend(invitation=invitation, actor=request.user)
    except CoalitionError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("A new link was sent to %(email)s; the previous one no longer works.") % {"email": invitation.email},
        )
    return redirect("coalitions:invitations", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_revoke(request, pk: int, invitation_pk: int):
    invitation = _invitation(request, pk, invitation_pk)
    if request.method == "POST":
        try:
            services.invitation_revoke(invitation=invitation, actor=request.user)
        except CoalitionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email})
        return redirect("coalitions:invitations", pk=pk)
    return render(
        request,
        "confirm.html",
        {
            "coalition": invitation.coalition,
            "title": _("Withdraw the invitation to %(email)s?") % {"email": invitation.email},
            "explanation": _("The link in their email will stop working. You can invite them again later."),
            "confirm_label": _("Withdraw"),
            "cancel_url": reverse("coalitions:invitations", args=[pk]),
        },
    )


def _link_attempts(request, token: str) -> list[str]:
    """What failed uses of invitation links count against: the client's address and the link."""
    return [f"address:{client_ip(request) or 'unknown'}", f"link:{token}"]


def _count_failure(request, token: str) -> None:
    limit = invitation_link_failures()
    for key in _link_attempts(request, token):
        limit.hit(key)


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    """Open to anyone holding the link; what happens depends on who is signed in.

    Failed uses (an unusable link, a refused acceptance, a form sent back with errors) count per client
    address and per link, with the sign-in's limit and wait: beyond it the link is not even read.
    """
    limit = invitation_link_failures()
    wait = max(limit.wait(key) for key in _link_attempts(request, token))
    if wait:
        problem = _("There were too many unsuccessful attempts to use an invitation link.") + " " + try_again_in(wait)
        response = render(request, "coalitions/invitation_problem.html", {"problem": problem}, status=429)
        response["Retry-After"] = str(wait)
        return response
    check = services.invitation_from_token(token)
    if not check.ok:
        _count_failure(request, token)
        return render(request, "coalitions/invitation_problem.html", {"problem": check.problem}, status=400)
    invitation = check.invitation
    context = {"invitation": invitation}

    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                services.invitation_accept(invitation=invitation, user=request.user)
            except CoalitionError as error:
                _count_failure(request, token)
                return render(request, "coalitions/invitation_problem.html", {"problem": error.message}, status=400)
            messages.success(request, _("Welcome to %(coalition)s.") % {"coalition": invitation.coalition})
            return redirect("coalitions:home", pk=invitation.coalition_id)
        context["email_matches"] = request.user.email.lower() == invitation.email.lower()
        return render(request, "coalitions/invitation_accept.html", context)

    if User.objects.filter(email__iexact=invitation.email).exists():
        messages.info(request, _("You already have an account: sign in to accept the invitation."))
        return redirect_to_login(request.get_full_path())

    form = AcceptInvitationForm(
        request.POST or None, email=invitation.email, initial={"full_name": invitation.full_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user, _membership = services.invitation_accept_as_new_user(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
                # The language the person read the invitation page in becomes theirs.
                language=request.LANGUAGE_CODE,
            )
        except CoalitionError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to %(coalition)s.") % {"coalition": invitation.coalition})
            return redirect("coalitions:home", pk=invitation.coalition_id)
    if form.is_bound and form.errors:
        _count_failure(request, token)
    context["form"] = form
    return render(request, "coalitions/invitation_accept.html", context)
