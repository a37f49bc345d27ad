from django.contrib.auth.forms import AdminUserCreationForm, AuthenticationForm, PasswordResetForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from accounts.emails import PASSWORD_RESET
from accounts.models import User
from notifications.services import email_queue


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

    Django renders a link here; it is dropped. The outbox keeps only the user's id, and the link with
    its token is made when the message is sent (accounts/emails.py), so no token is stored or queued.
    """

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        user = context["user"]
        email_queue(kind=PASSWORD_RESET.name, to_email=to_email, recipient=user, context={"user": user.pk})
