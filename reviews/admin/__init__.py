from django.contrib import admin
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

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
from upr_portal.admin_labels import LabelledTabularInline
from upr_portal.timezones import GENEVA


class UpcomingFilter(admin.SimpleListFilter):
    """Sessions or reviews whose Working Group has not closed yet, or whose dates are not known
    (the models' `upcoming()` querysets)."""

    title = _("upcoming")
    parameter_name = "upcoming"

    def lookups(self, request, model_admin):
        return [("yes", _("Upcoming or dates unknown")), ("no", _("Past"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.upcoming()
        if self.value() == "no":
            return queryset.exclude(pk__in=queryset.model.objects.upcoming().values("pk"))
        return queryset


@admin.register(RegionalGroup)
class RegionalGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class RegionalGroupMembershipInline(LabelledTabularInline):
    model = RegionalGroupMembership
    extra = 0


@admin.register(State)
class StateAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "status", "groups"]
    list_filter = ["regional_groups", "status"]
    search_fields = ["name", "code"]
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
class CycleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "start_year", "end_year"]
    inlines = [DocumentLimitInline]


class ReviewInline(LabelledTabularInline):
    model = Review
    fk_name = "session"
    form = ReviewAdminForm
    extra = 0
    fields = ["state", "status", "stakeholder_deadline", "national_report_deadline", "review_date"]
    autocomplete_fields = ["state"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "cycle", "wg_start", "wg_end", "dates_provisional", "deadline_time", "hrc_session"]
    list_filter = ["cycle", UpcomingFilter, "dates_provisional"]
    search_fields = ["number", "reviews__state__name", "reviews__state__code"]
    list_select_related = ["cycle"]
    inlines = [ReviewInline]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    form = ReviewAdminForm
    list_display = ["state", "session", "status", "stakeholder_deadline_geneva", "review_date"]
    list_filter = ["status", "session__cycle", "session", "state__regional_groups", UpcomingFilter]
    search_fields = ["state__name", "state__code"]
    list_select_related = ["state", "session"]
    autocomplete_fields = ["state", "session"]
    date_hierarchy = "stakeholder_deadline"

    @admin.display(description=_("stakeholder deadline (Geneva time)"), ordering="stakeholder_deadline")
    def stakeholder_deadline_geneva(self, obj):
        if obj.stakeholder_deadline is None:
            return None
        return formats.date_format(timezone.localtime(obj.stakeholder_deadline, GENEVA), "j M Y, H:i")


@admin.register(DocumentLimit)
class DocumentLimitAdmin(admin.ModelAdmin):
    list_display = ["kind", "cycle", "max_words", "max_pages", "notes_count"]
    list_filter = ["cycle", "kind"]
    list_select_related = ["cycle"]
