from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from upr_portal import freshness


class Command(BaseCommand):
    help = (
        "Moves the data generation on, so that every page computes what it shows again: after a change made "
        "to the database outside the portal (psql, a restored backup). The portal's own writes need no such step."
    )

    def handle(self, *args, **options):
        freshness.bump()
        self.stdout.write(
            _("Every remembered value will be computed again (data generation %(number)d).")
            % {"number": freshness.generation()}
        )
