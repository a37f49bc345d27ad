from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils.translation import gettext as _

from advocacy.demo import demo_after_review_seed
from coalitions.demo import (
    DEMO_PASSWORD,
    LARGE_ORGANISATIONS,
    LARGE_PEOPLE,
    demo_scale_seed,
    demo_seed,
    demo_sign_ins,
)
from deadlines.demo import demo_reminders_seed
from reviews.models import State
from submissions.demo import (
    LARGE_SECTIONS,
    LARGE_VERSIONS,
    demo_document_seed,
    demo_large_submission_seed,
    demo_submission_seed,
)
from submissions.demo_coordination import demo_cluster_submission_seed, demo_coordination_seed
from submissions.models import SectionVersion


def sign_in_lines(*, site_url: str, sign_ins: list[tuple[str, str]] | None = None) -> list[str]:
    """Where to sign in and with which demo accounts: printed by seed_demo and, once the server
    answers, by scripts/run-dev (`make run`), whose start-up lines push seed_demo's out of view."""
    sign_ins = demo_sign_ins() if sign_ins is None else sign_ins
    lines = [
        _("Sign in at %(url)s with a demo account (password for all: %(password)s):")
        % {"url": site_url.rstrip("/") + reverse("login"), "password": DEMO_PASSWORD}
    ]
    lines += [f"  {email:42} {role}" for email, role in sign_ins]
    return lines


class Command(BaseCommand):
    help = "Creates the demo coalition, its members and people (run load_reference_data first)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Seed even with DJANGO_DEBUG off (demo accounts share a published password).",
        )
        parser.add_argument(
            "--site-url",
            default="",
            help="The address the portal is served at, for the sign-in line (SITE_URL by default).",
        )
        parser.add_argument(
            "--scale",
            choices=["demo", "large"],
            default="demo",
            help=(
                f"large: also grow the coalition to {LARGE_ORGANISATIONS} organisations and {LARGE_PEOPLE} "
                f"people, with a second submission of {LARGE_SECTIONS} sections saved {LARGE_VERSIONS} times each."
            ),
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError(_("Refusing to create demo accounts with DJANGO_DEBUG off: their password is public."))
        if not State.objects.exists():
            raise CommandError(_("No States in the database: run `python manage.py load_reference_data` first."))
        report = demo_seed()
        submission = demo_submission_seed(coalition=report.coalition, review=report.review)
        demo_coordination_seed(submission=submission)
        cluster_submission = demo_cluster_submission_seed(coalition=report.coalition, review=report.review)
        document = demo_document_seed(submission=submission)
        reminders = demo_reminders_seed(coalition=report.coalition)
        after_review = demo_after_review_seed(coalition=report.coalition, review=report.review)
        self.stdout.write(
            _("Demo coalition: %(coalition)s, working on the review of %(review)s.")
            % {"coalition": report.coalition, "review": report.review}
        )
        self.stdout.write(
            _("Demo submission: %(title)s (%(count)d sections).")
            % {"title": submission, "count": submission.sections.count()}
        )
        if cluster_submission is not None:
            self.stdout.write(
                _("Cluster submission: %(title)s (%(status)s).")
                % {"title": cluster_submission, "status": cluster_submission.get_status_display()}
            )
        self.stdout.write(
            _("Demo documents: %(status)s (generated document %(id)d).")
            % {"status": document.get_status_display(), "id": document.pk}
        )
        self.stdout.write(
            _("Demo reminders: %(days)s days before each deadline.")
            % {"days": ", ".join(str(days) for days in reminders.offsets)}
        )
        self.stdout.write(
            _(
                "After the review of %(previous_review)s: recommendations %(previous)d, assessed %(assessed)d, "
                "meetings %(meetings)d, factsheets %(factsheets)d, confirmed uptake matches %(confirmed)d."
            )
            % {
                "previous": after_review.previous,
                "previous_review": after_review.previous_review,
                "assessed": after_review.assessed,
                "meetings": after_review.meetings,
                "factsheets": after_review.factsheets,
                "confirmed": after_review.confirmed,
            }
        )
        for line in sign_in_lines(site_url=options["site_url"] or settings.SITE_URL, sign_ins=report.sign_ins):
            self.stdout.write(line)
        if options["scale"] == "large":
            self._seed_large(report)

    def _seed_large(self, report) -> None:
        scale = demo_scale_seed(coalition=report.coalition, organisations=LARGE_ORGANISATIONS, people=LARGE_PEOPLE)
        large = demo_large_submission_seed(coalition=report.coalition, review=report.review)
        versions = SectionVersion.objects.filter(section__submission=large).count()
        self.stdout.write(
            _("National scale: %(organisations)d organisations, %(people)d people, %(clusters)d clusters.")
            % {"organisations": scale.organisations, "people": scale.people, "clusters": scale.clusters}
        )
        self.stdout.write(
            _("National-scale submission: %(title)s (%(sections)d sections, %(versions)d versions).")
            % {"title": large, "sections": large.sections.count(), "versions": versions}
        )
