from django.contrib.auth.forms import AdminUserCreationForm, AuthenticationForm, PasswordResetForm, UserChangeForm
from django.utils.translation import get_language
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
