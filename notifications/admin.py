from django.contrib import admin

from notifications.models import Notification, OutboxMessage
from upr_portal.admin_export import CsvExportMixin


@admin.register(OutboxMessage)
class OutboxMessageAdmin(CsvExportMixin, admin.ModelAdmin):
    list_display = ["created_at", "kind", "to_email", "status", "attempts", "sent_at", "subject"]
    list_filter = ["status", "kind"]
    search_fields = ["to_email", "subject"]
    date_hierarchy = "created_at"
    # The outbox is a record of what the portal sent: it is read here, never edited.
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(CsvExportMixin, admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "title", "read_at"]
    list_filter = ["kind"]
    search_fields = ["user__email", "title"]
    raw_id_fields = ["user"]
