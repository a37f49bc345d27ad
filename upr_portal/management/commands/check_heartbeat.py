from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from upr_portal import health


class Command(BaseCommand):
    help = (
        "Exits 0 while beat's heartbeat (queued every minute, recorded by a worker) is recent, 1 when it is "
        "stale or missing: the health check of the beat service in docker-compose.yml."
    )

    def handle(self, *args, **options):
        heartbeat = health.last_heartbeat()
        status = health.beat_status(heartbeat)
        if status == "ok":
            self.stdout.write(_("Beat heartbeat: ok (%(when)s).") % {"when": heartbeat})
            return
        minutes = int(health.HEARTBEAT_STALE_AFTER.total_seconds() // 60)
        if status == "stale":
            raise CommandError(
                _(
                    "Beat heartbeat: stale, last recorded %(when)s, more than %(minutes)d minutes ago. "
                    "Is beat running, and at least one worker?"
                )
                % {"when": heartbeat, "minutes": minutes}
            )
        raise CommandError(_("Beat heartbeat: missing, never recorded. Is beat running, and at least one worker?"))
