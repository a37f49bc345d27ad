from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """Django's admin app, with the portal's admin site (two-factor sign-in for site administrators).

    In its own small module: INSTALLED_APPS imports it before the app registry is ready, and the
    admin site itself (admin_site.py) is imported only when the registry asks for it.
    """

    default_site = "accounts.two_factor.admin_site.PortalAdminSite"
