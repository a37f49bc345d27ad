"""Django's account views, with the limits that protect them (accounts/throttles.py)."""

from __future__ import annotations

import math

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import i18n as i18n_views
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import AccountSettingsForm, QueuedPasswordResetForm
from accounts.services import account_settings_update, language_update, sign_in_lockout_lift
from accounts.throttles import client_ip, password_reset_requests, try_again_in


def locked_out(request, original_response=None, credentials=None):
    """The answer to a sign-in refused by django-axes (AXES_LOCKOUT_CALLABLE), on the portal's and the
    admin's sign-in: why, and until when, in plain words. The wait starts again at every attempt, so it
    runs from now."""
    cool_off = get_cool_off(request)
    response = render(
        request,
        "accounts/locked_out.html",
        {"minutes": max(math.ceil(cool_off.total_seconds() / 60), 1), "until": timezone.now() + cool_off},
        status=429,
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset request, limited per client address (PASSWORD_RESET_REQUESTS_PER_IP_PER_HOUR).

    The limit per address asked about is the outbox's, and silent (accounts/services.py); this one is
    about who asks, so saying it was reached tells nothing about any account.
    """

    form_class = QueuedPasswordResetForm

    def post(self, request, *args, **kwargs):
        limit = password_reset_requests()
        address = client_ip(request) or "unknown"
        wait = limit.wait(address)
        if wait:
            form = self.get_form()
            form.is_valid()
            form.add_error(
                None,
                _("Too many password reset requests came from your network.") + " " + try_again_in(wait),
            )
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(wait)
            return response
        limit.hit(address)
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's new-password page; a person who proved they hold the address may sign in at once, even
    if someone had been guessing their password."""

    def form_valid(self, form):
        response = super().form_valid(form)
        sign_in_lockout_lift(user=form.user)
        return response


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request):
    """The person's own settings: their language, whether comments and their sections' steps come by email,
    and their time zone."""
    # Bound on every POST: an unticked box sends nothing, and an empty POST is still a choice.
    form = AccountSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={
            "email_notifications": request.user.email_notifications,
            "timezone": request.user.timezone,
            "language": request.user.language,
        },
    )
    if request.method == "POST" and form.is_valid():
        account_settings_update(
            user=request.user,
            email_notifications=form.cleaned_data["email_notifications"],
            timezone=form.cleaned_data["timezone"],
            language=form.cleaned_data["language"],
        )
        # The confirmation in the language just chosen.
        translation.activate(request.user.language)
        messages.success(request, _("Your settings are saved."))
        return redirect("account_settings")
    return render(request, "accounts/settings.html", {"form": form})


@require_POST
def set_language(request):
    """The language switcher: Django's own view (a cookie, then back to the page), and for a signed-in
    person their settings too, so emails and reminders follow the language they chose."""
    response = i18n_views.set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        language_update(user=request.user, language=language)
    return response
