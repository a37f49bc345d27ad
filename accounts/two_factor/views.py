"""The account's two-factor pages, and the sign-in's second step after Django's LoginView."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from accounts.two_factor import selectors, services
from accounts.two_factor.forms import EnrolmentConfirmForm, SignInCodeForm, TurnOffForm
from accounts.two_factor.policy import PENDING_SESSION_KEY, requirement_reasons, session_is_verified


def safe_next(request, default: str = "") -> str:
    """The ``next`` address of the request, if it stays on this site."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def with_next(url_name: str, next_url: str) -> str:
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def redirect_for_two_factor(request, next_url: str, reason: str = ""):
    """To the code step for someone with two-factor sign-in, else to setting it up (where the page
    lists the reasons, so ``reason`` is shown only with the code step)."""
    if selectors.has_two_factor(user=request.user):
        if reason:
            messages.info(request, reason)
        return redirect(with_next("two_factor_verify", next_url))
    return redirect(with_next("two_factor", next_url))


def verify_session(request, device) -> None:
    otp_login(request, device)
    request.session.pop(PENDING_SESSION_KEY, None)
    # A new session key for the raised privilege, as Django's own login does at the password step.
    request.session.cycle_key()


class SignInView(LoginView):
    """Django's sign-in; a person with two-factor sign-in then goes on to the code step, ``next`` kept.

    The password alone signs them in unverified (accounts/two_factor/signals.py marks the session),
    and the middleware keeps that session at the code step, whatever address it asks for next.
    """

    def get_success_url(self):
        url = super().get_success_url()
        if self.request.session.get(PENDING_SESSION_KEY):
            return with_next("two_factor_verify", url)
        return url


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    next_url = safe_next(request, default=resolve_url(settings.LOGIN_REDIRECT_URL))
    user = request.user
    if session_is_verified(user) or not selectors.has_two_factor(user=user):
        request.session.pop(PENDING_SESSION_KEY, None)
        return redirect(next_url)
    form = SignInCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.two_factor_verify(user=user, code=form.cleaned_data["code"])
        except services.TwoFactorError as error:
            form.add_error("code", error.message)
        else:
            verify_session(request, device)
            if isinstance(device, StaticDevice):
                left = selectors.recovery_codes_left(user=user)
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code: it will not work again. %(count)d is left; make new ones "
                        "on your two-factor sign-in page if you need them.",
                        "You used a recovery code: it will not work again. %(count)d are left; make new ones "
                        "on your two-factor sign-in page if you need them.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(next_url)
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": next_url})


@login_required
@require_GET
def two_factor(request):
    user = request.user
    enabled = selectors.has_two_factor(user=user)
    if enabled and not session_is_verified(user):
        # Changing it needs a session that passed it, not one signed in before it was set up.
        return redirect_for_two_factor(request, request.get_full_path())
    return render(
        request,
        "accounts/two_factor.html",
        {
            "enabled": enabled,
            "reasons": requirement_reasons(user),
            "codes_left": selectors.recovery_codes_left(user=user) if enabled else None,
            "next": safe_next(request),
        },
    )


@login_required
@require_POST
def two_factor_setup_start(request):
    next_url = safe_next(request)
    if selectors.has_two_factor(user=request.user):
        return redirect(with_next("two_factor", next_url))
    services.totp_enrolment_start(user=request.user)
    return redirect(with_next("two_factor_setup", next_url))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    user = request.user
    next_url = safe_next(request)
    enrolment = None if selectors.has_two_factor(user=user) else selectors.totp_enrolment_of(user=user)
    if enrolment is None:
        return redirect(with_next("two_factor", next_url))
    form = EnrolmentConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.totp_enrolment_confirm(user=user, code=form.cleaned_data["code"])
        except services.TwoFactorError as error:
            form.add_error("code", error.message)
        else:
            verify_session(request, device)
            # Shown in this answer only (never_cache): the codes are not kept anywhere they could be read again.
            return render(
                request,
                "accounts/two_factor_codes.html",
                {"codes": codes, "first_time": True, "next": next_url},
            )
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "secret": selectors.totp_secret(enrolment),
            "qr_code": selectors.totp_qr_code(enrolment),
            "next": next_url,
        },
    )


@login_required
@never_cache
@require_POST
def recovery_codes_regenerate(request):
    user = request.user
    if not session_is_verified(user):
        return redirect_for_two_factor(request, reverse("two_factor"))
    try:
        codes = services.recovery_codes_regenerate(user=user)
    except services.TwoFactorError as error:
        messages.error(request, error.message)
        return redirect("two_factor")
    return render(request, "accounts/two_factor_codes.html", {"codes": codes, "first_time": False, "next": ""})


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_turn_off(request):
    user = request.user
    if not selectors.has_two_factor(user=user):
        return redirect("two_factor")
    if not session_is_verified(user):
        return redirect_for_two_factor(request, request.get_full_path())
    reasons = requirement_reasons(user)
    form = TurnOffForm(request.POST if request.method == "POST" else None, request=request)
    # With a requirement the page only explains it: no code is used up on a refusal known in advance.
    if request.method == "POST" and not reasons and form.is_valid():
        try:
            services.two_factor_disable(user=user)
        except services.TwoFactorError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Two-factor sign-in is off: your password alone signs you in. Your recovery codes no longer work."),
            )
            return redirect("two_factor")
    return render(request, "accounts/two_factor_turn_off.html", {"form": form, "reasons": reasons})
