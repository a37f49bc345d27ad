import zoneinfo

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AdminUserCreationForm, AuthenticationForm, PasswordResetForm, UserChangeForm
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services import password_reset_request


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class SignInForm(AuthenticationForm):
    """Django's sign-in form, labelled for an email address."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Email address")
        self.fields["username"].widget.attrs.update({"autocomplete": "email", "autofocus": True})


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the message queued in the outbox: a slow or failing mail server
    neither delays the page nor turns it into an error, and transient failures are retried.

    The request does the same work whether or not the address has an account, and stores no link: the
    outbox keeps only the user's id, and the link with its token is made when the message is sent
    (accounts/services.py, accounts/emails.py).
    """

    def save(self, **kwargs):
        # Django's save() renders a link and loops over the matching accounts; none of it happens here.
        password_reset_request(email=self.cleaned_data["email"], language=get_language())


def language_choices() -> list[tuple[str, str]]:
    """The languages the portal speaks, each named in itself ("Français"), so anyone can find theirs."""
    return [(code, get_language_info(code)["name_local"].capitalize()) for code, _name in settings.LANGUAGES]


def timezone_choices() -> list[tuple[str, str]]:
    return [("", _("Geneva time (the time OHCHR sets deadlines in)"))] + [
        (name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones()) if "/" in name
    ]


class AccountSettingsForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        choices=language_choices,
        # Left out, the language stays as it is (the footer's switcher changes it too).
        required=False,
        help_text=_("The portal, its emails and reminders use this language."),
    )
    timezone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        choices=timezone_choices,
        help_text=_("Times are shown in this time zone; deadlines show Geneva time beside it."),
    )
    email_notifications = forms.BooleanField(
        label=_("Email me about comments and my sections"),
        required=False,
        help_text=_(
            "Mentions of you in comments, comments on the sections you work on and changes to them reach you "
            "by email as well as under the bell. Reminders of deadlines have their own settings."
        ),
    )
