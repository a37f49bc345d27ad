from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from accounts.emails import register_email_kinds

        register_email_kinds()

        from accounts.two_factor import signals

        signals.connect()
