from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    name = "deadlines"
    verbose_name = _("Deadlines, reminders and calendars")

    def ready(self):
        # The providers of deadlines: each kind of deadline is one small module registered here.
        from deadlines import emails, providers

        providers.register_builtin()
        emails.register_kinds()

        # The people working on a review are told when it moves to another session.
        from deadlines.review_moves import on_review_moved
        from reviews.signals import review_moved

        review_moved.connect(on_review_moved, dispatch_uid="deadlines.review_moved")
