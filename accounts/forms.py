from django.contrib.auth.forms import AdminUserCreationForm, AuthenticationForm, PasswordResetForm, UserChangeForm
from django.template import loader
from django.utils.translation import gettext_lazy as _

from accounts.models import User


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
    """Django's reset form, with the message sent by a Celery task: a slow or failing mail server
    neither delays the page nor turns it into an error, and the task retries."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        from accounts.tasks import send_email

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        html = loader.render_to_string(html_email_template_name, context) if html_email_template_name else None
        send_email.delay(subject=subject, body=body, to=[to_email], html=html)
