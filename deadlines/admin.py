from django.contrib import admin

from deadlines.models import CoalitionReminderSettings, ReminderClaim, ReminderMute
from upr_portal.admin_export import CsvExportMixin


@admin.register(ReminderClaim)
class ReminderClaimAdmin(CsvExportMixin, admin.ModelAdmin):
    """What reminders were claimed and queued: a record, read only (each row stands for one reminder)."""

    list_display = ["created_at", "kind", "title", "user", "occurrence", "coalition"]
    list_filter = ["kind", "provider"]
    search_fields = ["title", "user__email", "deadline_key", "occurrence"]
    list_select_related = ["user", "coalition"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in ReminderClaim._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # Deleting a claim would send its reminder again at the next scan.
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CoalitionReminderSettings)
class CoalitionReminderSettingsAdmin(CsvExportMixin, admin.ModelAdmin):
    list_display = ["coalition", "offsets", "remind_overdue", "send_digest", "updated_at"]
    list_select_related = ["coalition"]
    raw_id_fields = ["coalition"]


@admin.register(ReminderMute)
class ReminderMuteAdmin(CsvExportMixin, admin.ModelAdmin):
    list_display = ["user", "provider", "created_at"]
    list_filter = ["provider"]
    raw_id_fields = ["user"]
