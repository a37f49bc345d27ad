from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from reviews.admin.calendar import ReviewInline, SessionMilestones
from reviews.admin.calendar_import import CalendarImportMixin
from reviews.admin.lists import ReviewListColumns, ReviewUpcomingFilter, SessionListColumns, UpcomingFilter
from reviews.admin.move import RescheduledFilter, move_to_another_session, rescheduled
from reviews.admin.recommendations import RecommendationImportMixin, import_recommendations
from reviews.admin.roll_forward import roll_forward
from reviews.forms import ReviewAdminForm
from reviews.models import (
    Cycle,
    DocumentLimit,
    RegionalGroup,
    RegionalGroupMembership,
    Review,
    Session,
    State,
)
from upr_portal.admin_export import CsvExportMixin
from upr_portal.admin_labels import LabelledTabularInline


@admin.register(RegionalGroup)
class RegionalGroupAdmin(CsvExportMixin, admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class RegionalGroupMembershipInline(LabelledTabularInline):
    model = RegionalGroupMembership
    extra = 0


@admin.register(State)
class StateAdmin(CsvExportMixin, admin.ModelAdmin):
    list_display = ["name", "code", "name_fr", "name_es", "status", "groups"]
    list_filter = ["regional_groups", "status"]
    search_fields = ["name", "name_fr", "name_es", "code"]
    inlines = [RegionalGroupMembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("regional_groups")

    @admin.display(description=_("UN regional groups"))
    def groups(self, obj):
        return ", ".join(group.name for group in obj.regional_groups.all())


class DocumentLimitInline(LabelledTabularInline):
    model = DocumentLimit
    extra = 0


@admin.register(Cycle)
class CycleAdmin(CsvExportMixin, admin.ModelAdmin):
    list_display = ["__str__", "start_year", "end_year", "session_count"]
    inlines = [DocumentLimitInline]
    actions = [roll_forward]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(session_count=Count("sessions"))

    @admin.display(description=_("sessions"), ordering="session_count")
    def session_count(self, obj):
        return obj.session_count


@admin.register(Session)
class SessionAdmin(CalendarImportMixin, CsvExportMixin, SessionListColumns, SessionMilestones, admin.ModelAdmin):
    list_display = [
        "session_number",
        "cycle_number",
        "opens",
        "closes",
        "provisional",
        "review_count",
        "session_stakeholder_deadline",
        "session_national_report_deadline",
        "hrc",
    ]
    list_filter = ["cycle", UpcomingFilter, "dates_provisional"]
    search_fields = ["number__exact", "reviews__state__name", "reviews__state__code"]
    list_select_related = ["cycle"]
    inlines = [ReviewInline]


@admin.register(Review)
class ReviewAdmin(RecommendationImportMixin, ReviewListColumns, CsvExportMixin, admin.ModelAdmin):
    form = ReviewAdminForm
    list_display = [
        "state",
        "cycle",
        "session_number",
        "order_in_session",
        "status",
        "stakeholder_deadline_geneva",
        "national_report_deadline_geneva",
        "coalitions_working_on_it",
        rescheduled,
    ]
    list_filter = [
        "status",
        "session__cycle",
        "session",
        "state__regional_groups",
        ReviewUpcomingFilter,
        RescheduledFilter,
    ]
    search_fields = ["state__name", "state__code", "session__number__exact"]
    list_select_related = ["state", "session__cycle", "rescheduled_from"]
    autocomplete_fields = ["state", "session"]
    date_hierarchy = "stakeholder_deadline"
    actions = [move_to_another_session, import_recommendations]


@admin.register(DocumentLimit)
class DocumentLimitAdmin(CsvExportMixin, admin.ModelAdmin):
    list_display = ["kind", "cycle", "max_words", "max_pages", "notes_count"]
    list_filter = ["cycle", "kind"]
    list_select_related = ["cycle"]
