from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UprPortalConfig(AppConfig):
    # Installed for its project-level management commands (seed_demo draws on every app, so it
    # cannot live in one of them); it has no models.
    name = "upr_portal"
    verbose_name = _("UPR Coalition Portal")
