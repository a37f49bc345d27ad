import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reviews.models import Cycle
from reviews.services.roll_forward import RollForwardError, cycle_roll_forward


class Command(BaseCommand):
    help = (
        "Creates the next UPR cycle from the one given: its sessions with provisional dates following the "
        "given cycle's pattern, a review for every member State in the same session place and order, and "
        "the document limits. Rows that exist are kept as they are; a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("cycle", help="The number of the cycle to roll forward, for example 4.")
        parser.add_argument(
            "--first-session",
            required=True,
            help="The number of the new cycle's first Working Group session, for example 55.",
        )
        parser.add_argument(
            "--first-day",
            required=True,
            help="The day the first session opens, YYYY-MM-DD (moved to the Monday on or after it).",
        )

    def handle(self, *args, **options):
        source = self._cycle(options["cycle"])
        first_session = self._whole_number(options["first_session"])
        first_day = self._day(options["first_day"])
        try:
            report = cycle_roll_forward(source=source, first_session=first_session, first_day=first_day)
        except RollForwardError as exc:
            raise CommandError(str(exc)) from exc
        for line in report.lines():
            self.stdout.write(line)

    def _cycle(self, value: str) -> Cycle:
        try:
            return Cycle.objects.get(number=int(value))
        except (ValueError, Cycle.DoesNotExist) as exc:
            raise CommandError(_("There is no cycle “%(value)s”.") % {"value": value}) from exc

    def _whole_number(self, value: str) -> int:
        try:
            return int(value)
        except ValueError as exc:
            raise CommandError(_("--first-session: “%(value)s” is not a whole number.") % {"value": value}) from exc

    def _day(self, value: str) -> datetime.date:
        try:
            return datetime.datetime.strptime(value, "%Y-%m-%d").date()
        except ValueError as exc:
            raise CommandError(
                _("--first-day: “%(value)s” is not a date; give it as YYYY-MM-DD.") % {"value": value}
            ) from exc
