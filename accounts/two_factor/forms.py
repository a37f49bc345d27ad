from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

from accounts.two_factor import services


def _code_field(*, label, help_text, numeric: bool = False) -> forms.CharField:
    attrs = {
        "autocomplete": "one-time-code",
        "autofocus": True,
        "spellcheck": "false",
        "autocapitalize": "off",
        "class": "font-monospace",
    }
    if numeric:
        attrs["inputmode"] = "numeric"
    return forms.CharField(label=label, help_text=help_text, max_length=40, widget=forms.TextInput(attrs=attrs))


class SignInCodeForm(forms.Form):
    """The second step of the sign-in: a code from the app, or a recovery code."""

    code = _code_field(
        label=_("Code"),
        help_text=_("The six-digit code your authenticator app shows now, or one of your recovery codes."),
    )


class EnrolmentConfirmForm(forms.Form):
    code = _code_field(
        label=_("Code from your app"),
        help_text=_("Once the app shows the portal, enter the six digits it shows for it."),
        numeric=True,
    )


class TurnOffForm(forms.Form):
    """Turning off asks for proof that the person at the keyboard is the account's owner."""

    password = forms.CharField(
        label=_("Your password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = _code_field(
        label=_("Or a code from your app, or a recovery code"),
        help_text=_("Give your password or a code: one of the two is enough."),
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields["code"].required = False
        self.fields["code"].widget.attrs.pop("autofocus")

    def clean(self):
        cleaned = super().clean()
        password, code = cleaned.get("password"), cleaned.get("code")
        user = self.request.user
        if code:
            try:
                services.two_factor_verify(user=user, code=code)
            except services.TwoFactorError as error:
                self.add_error("code", error.message)
        elif password:
            # Through the authentication backends, so that django-axes counts wrong passwords here too.
            authenticated = authenticate(self.request, username=user.email, password=password)
            if authenticated is None or authenticated.pk != user.pk:
                self.add_error("password", _("This password is not right."))
        else:
            raise forms.ValidationError(_("Give your password or a code to turn two-factor sign-in off."))
        return cleaned
