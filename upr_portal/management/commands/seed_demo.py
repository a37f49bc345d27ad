from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from coalitions.demo import DEMO_PASSWORD, demo_seed
from deadlines.demo import demo_reminders_seed
from reviews.models import State
from submissions.demo import demo_document_seed, demo_submission_seed


class Command(BaseCommand):
    help = "Creates the demo coalition, its members and people (run load_reference_data first)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Seed even with DJANGO_DEBUG off (demo accounts share a published password).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError(_("Refusing to create demo accounts with DJANGO_DEBUG off: their password is public."))
        if not State.objects.exists():
            raise CommandError(_("No States in the database: run `python manage.py load_reference_data` first."))
        report = demo_seed()
        submission = demo_submission_seed(coalition=report.coalition, review=report.review)
        document = demo_document_seed(submission=submission)
        reminders = demo_reminders_seed(coalition=report.coalition)
        self.stdout.write(
            _("Demo coalition: %(coalition)s, working on the review of %(review)s.")
            % {"coalition": report.coalition, "review": report.review}
        )
        self.stdout.write(
            _("Demo submission: %(title)s (%(count)d sections).")
            % {"title": submission, "count": submission.sections.count()}
        )
        self.stdout.write(
            _("Demo documents: %(status)s (generated document %(id)d).")
            % {"status": document.get_status_display(), "id": document.pk}
        )
        self.stdout.write(
            _("Demo reminders: %(days)s days before each deadline.")
            % {"days": ", ".join(str(days) for days in reminders.offsets)}
        )
        self.stdout.write(_("Demo sign-ins (password for all: %(password)s):") % {"password": DEMO_PASSWORD})
        for email, role in report.sign_ins:
            self.stdout.write(f"  {email:42} {role}")
