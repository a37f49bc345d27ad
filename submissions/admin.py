from django.contrib import admin

from submissions.models import GeneratedDocument, Section, SectionVersion, Submission
from upr_portal.admin_export import CsvExportMixin
from upr_portal.admin_labels import LabelledTabularInline


class SectionInline(LabelledTabularInline):
    model = Section
    extra = 0
    fields = ["position", "title", "cluster", "word_budget", "version", "body_words", "note_words", "last_edited_at"]
    readonly_fields = ["version", "body_words", "note_words", "last_edited_at"]
    show_change_link = True


@admin.register(Submission)
class SubmissionAdmin(CsvExportMixin, admin.ModelAdmin):
    list_display = ["title", "coalition", "review", "kind", "status", "updated_at"]
    list_filter = ["kind", "status", "language", "review__session__cycle"]
    search_fields = ["title", "coalition__name", "review__state__name"]
    autocomplete_fields = ["coalition", "review"]
    list_select_related = ["coalition", "review__state", "review__session"]
    inlines = [SectionInline]


class SectionVersionInline(LabelledTabularInline):
    model = SectionVersion
    extra = 0
    can_delete = False
    fields = ["version", "kind", "author", "saved_at", "body_words", "note_words", "restored_from"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Section)
class SectionAdmin(CsvExportMixin, admin.ModelAdmin):
    """Read-mostly: text is written in the portal's editor, where versions and conflicts are handled."""

    list_display = ["title", "submission", "position", "word_budget", "body_words", "note_words", "version"]
    list_select_related = ["submission"]
    search_fields = ["title", "submission__title"]
    readonly_fields = ["body", "version", "body_words", "note_words", "last_edited_by", "last_edited_at"]
    autocomplete_fields = ["cluster", "assigned_organisations", "assigned_people"]
    inlines = [SectionVersionInline]


@admin.register(GeneratedDocument)
class GeneratedDocumentAdmin(CsvExportMixin, admin.ModelAdmin):
    """Read-only: documents are made by the job ("Generate documents" on the submission page)."""

    list_display = ["submission", "status", "requested_by", "created_at", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["submission", "requested_by"]
    search_fields = ["submission__title"]
    readonly_fields = [f.name for f in GeneratedDocument._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
