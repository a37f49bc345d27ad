from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = _("Submissions")

    def ready(self):
        from submissions.comment_emails import register_email_kinds as register_comment_emails

        register_comment_emails()

        from submissions.signoff_emails import register_kinds as register_sign_off_emails

        register_sign_off_emails()

        from submissions.workflow_emails import register_email_kinds as register_workflow_emails

        register_workflow_emails()
