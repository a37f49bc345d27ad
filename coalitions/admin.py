from django.contrib import admin
from django.db import models

from coalitions.forms import LogoField
from coalitions.models import (
    AuditEvent,
    Cluster,
    Coalition,
    CoalitionOrganisation,
    Invitation,
    Membership,
    Organisation,
)
from coalitions.services.logos import delete_replaced_logo_on_commit, logo_without_metadata, stored_logo_name
from upr_portal.admin_export import CsvExportMixin
from upr_portal.admin_labels import LabelledFileInputsAdmin, LabelledTabularInline


@admin.register(Organisation)
class OrganisationAdmin(CsvExportMixin, admin.ModelAdmin):
    list_display = ["name", "acronym", "kind", "city", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "acronym", "city"]
    autocomplete_fields = ["country"]


class CoalitionOrganisationInline(LabelledTabularInline):
    model = CoalitionOrganisation
    extra = 0
    autocomplete_fields = ["organisation"]


class MembershipInline(LabelledTabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user", "organisation"]


class ClusterInline(admin.StackedInline):
    model = Cluster
    extra = 0
    autocomplete_fields = ["lead_organisation", "organisations"]


@admin.register(Coalition)
class CoalitionAdmin(CsvExportMixin, LabelledFileInputsAdmin):
    list_display = ["name", "acronym", "secretariat"]
    search_fields = ["name", "acronym", "secretariat__name"]
    autocomplete_fields = ["secretariat", "reviews"]
    inlines = [CoalitionOrganisationInline, MembershipInline, ClusterInline]
    formfield_overrides = {models.ImageField: {"form_class": LogoField}}

    def save_model(self, request, obj, form, change):
        # A logo changed here is stored as the portal's own pages store it: without its metadata,
        # and the file it replaces deleted once the change is committed.
        if "logo" not in form.changed_data:
            return super().save_model(request, obj, form, change)
        replaced = stored_logo_name(obj)
        if obj.logo:
            obj.logo = logo_without_metadata(form.cleaned_data["logo"])
        super().save_model(request, obj, form, change)
        delete_replaced_logo_on_commit(coalition=obj, replaced=replaced)
        return None


@admin.register(Membership)
class MembershipAdmin(CsvExportMixin, admin.ModelAdmin):
    list_display = ["user", "coalition", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active", "coalition"]
    search_fields = ["user__email", "user__full_name", "coalition__name", "organisation__name"]
    autocomplete_fields = ["user", "coalition", "organisation"]
    list_select_related = ["user", "coalition", "organisation"]


@admin.register(Cluster)
class ClusterAdmin(CsvExportMixin, admin.ModelAdmin):
    list_display = ["name", "coalition", "lead_organisation"]
    list_filter = ["coalition"]
    search_fields = ["name", "coalition__name"]
    autocomplete_fields = ["lead_organisation", "organisations"]


@admin.register(Invitation)
class InvitationAdmin(CsvExportMixin, admin.ModelAdmin):
    list_display = ["email", "coalition", "organisation", "role", "status", "sent_at", "accepted_at"]
    list_filter = ["status", "role", "coalition"]
    search_fields = ["email", "full_name", "coalition__name"]
    readonly_fields = ["key", "sent_at", "send_count", "accepted_at", "accepted_by", "revoked_at", "delivery_error"]
    autocomplete_fields = ["coalition", "organisation", "invited_by"]


@admin.register(AuditEvent)
class AuditEventAdmin(CsvExportMixin, admin.ModelAdmin):
    list_display = ["created_at", "coalition", "actor", "action", "subject"]
    list_filter = ["action", "coalition"]
    search_fields = ["subject", "actor__email"]
    readonly_fields = ["coalition", "actor", "action", "subject", "details", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
