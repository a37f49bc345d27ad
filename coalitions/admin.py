from django.contrib import admin

from coalitions.models import Cluster, Coalition, CoalitionOrganisation, Membership, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "kind", "city", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "acronym", "city"]
    autocomplete_fields = ["country"]


class CoalitionOrganisationInline(admin.TabularInline):
    model = CoalitionOrganisation
    extra = 0
    autocomplete_fields = ["organisation"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user", "organisation"]


class ClusterInline(admin.StackedInline):
    model = Cluster
    extra = 0
    autocomplete_fields = ["lead_organisation", "organisations"]


@admin.register(Coalition)
class CoalitionAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "secretariat"]
    search_fields = ["name", "acronym", "secretariat__name"]
    autocomplete_fields = ["secretariat", "reviews"]
    inlines = [CoalitionOrganisationInline, MembershipInline, ClusterInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "coalition", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active", "coalition"]
    search_fields = ["user__email", "user__full_name", "coalition__name", "organisation__name"]
    autocomplete_fields = ["user", "coalition", "organisation"]
    list_select_related = ["user", "coalition", "organisation"]
