from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UprPortalConfig(AppConfig):
    # Installed for its project-level management commands (seed_demo draws on every app, so it
    # cannot live in one of them); it has no models.
    name = "upr_portal"
    verbose_name = _("UPR Coalition Portal")

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started
        from django.db.backends.signals import connection_created

        from upr_portal import freshness

        # Every database connection reports its writes: values remembered from the database
        # (upr_portal/freshness.py) are recomputed after any change, whatever made it.
        connection_created.connect(freshness.watch_writes, dispatch_uid="upr_portal.freshness")
        # A request reads the generation once, however many values its page remembers.
        request_started.connect(freshness.hold_for_request, dispatch_uid="upr_portal.freshness.hold")
        request_finished.connect(freshness.release_after_request, dispatch_uid="upr_portal.freshness.release")
