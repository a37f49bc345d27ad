from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.two_factor.policy import staff_must_verify
from accounts.two_factor.views import redirect_for_two_factor, safe_next


class PortalAdminSite(admin.AdminSite):
    """Django's admin site; with debug off, site administrators open it only after two-factor sign-in.

    Like django-otp's OTPAdminSite, an unverified session is treated as having no admin rights; unlike
    it, the admin's sign-in form stays Django's own (django-axes watches it), and a signed-in
    administrator without a verified session is sent to the portal's code step, or to set up
    two-factor sign-in, instead of being shown the sign-in form again.
    """

    def has_permission(self, request):
        return super().has_permission(request) and not staff_must_verify(request.user)

    def login(self, request, extra_context=None):
        user = request.user
        if request.method == "GET" and user.is_active and user.is_staff and staff_must_verify(user):
            next_url = safe_next(request, default=reverse("admin:index", current_app=self.name))
            return redirect_for_two_factor(
                request,
                next_url,
                reason=_("The administration pages open only after two-factor sign-in: enter your code."),
            )
        return super().login(request, extra_context)
