from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog

from upr_portal import views

admin.site.site_header = _("UPR Coalition Portal administration")
admin.site.site_title = _("UPR Coalition Portal")
admin.site.index_title = _("Calendar, coalitions and accounts")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("accounts/", include("accounts.urls")),
    path("", include("coalitions.urls")),
    path("", include("submissions.urls")),
    path("", include("advocacy.urls")),
    path("", include("reviews.urls")),
    path("", include("deadlines.urls")),
    path("notifications/", include("notifications.urls")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
