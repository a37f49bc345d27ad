"""The UN's recommendations in the admin: their lists, and "Import recommendations" on a review."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from reviews.models import IndexTerm, RecommendationImport, Review, StateAlias, UPRRecommendation
from reviews.recommendation_import.flow import done_message, recommendation_import_step
from upr_portal.admin_export import CsvExportMixin


class RecommendationImportMixin:
    """Adds "Import recommendations" to a review's page in the admin (a mixin of ReviewAdmin)."""

    recommendation_import_template = "admin/reviews/recommendation_import.html"

    def get_urls(self):
        opts = self.opts
        urls = [
            path(
                "<int:review_pk>/import-recommendations/",
                self.admin_site.admin_view(self.recommendation_import_view),
                name=f"{opts.app_label}_{opts.model_name}_import_recommendations",
            )
        ]
        return [*urls, *super().get_urls()]

    def has_import_recommendations_permission(self, request) -> bool:
        return request.user.has_perms(["reviews.add_uprrecommendation", "reviews.change_uprrecommendation"])

    def recommendation_import_view(self, request, review_pk: int):
        if not self.has_import_recommendations_permission(request):
            raise PermissionDenied
        review = get_object_or_404(Review.objects.select_related("state", "session"), pk=review_pk)
        step = recommendation_import_step(request, review=review)
        if step.name == "done":
            messages.success(request, done_message(step))
            changelist = reverse("admin:reviews_uprrecommendation_changelist", current_app=self.admin_site.name)
            return HttpResponseRedirect(f"{changelist}?review__id__exact={review.pk}")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import recommendations"),
            "review": review,
            "step": step,
            "changelist_url": reverse("admin:reviews_review_changelist", current_app=self.admin_site.name),
        }
        return TemplateResponse(request, self.recommendation_import_template, context)


@admin.action(
    permissions=["import_recommendations"],
    description=_("Import recommendations into the selected review"),
    location=[admin.ActionLocation.CHANGE_LIST, admin.ActionLocation.CHANGE_FORM],
)
def import_recommendations(modeladmin, request, queryset):
    """Opens the import page of the one review selected (an import fills one review)."""
    reviews = list(queryset.values_list("pk", flat=True)[:2])
    if len(reviews) != 1:
        modeladmin.message_user(
            request, _("Select exactly one review to import its recommendations."), messages.WARNING
        )
        return None
    return HttpResponseRedirect(
        reverse(
            "admin:reviews_review_import_recommendations", args=[reviews[0]], current_app=modeladmin.admin_site.name
        )
    )


@admin.register(UPRRecommendation)
class UPRRecommendationAdmin(CsvExportMixin, admin.ModelAdmin):
    list_display = ["paragraph", "review", "position", "short_text", "recommending_states_text"]
    list_filter = ["position", "review__session__cycle", "review", "recommending_states"]
    search_fields = ["paragraph", "text", "recommending_states_text", "report_symbol", "review__state__name"]
    list_select_related = ["review__state", "review__session"]
    autocomplete_fields = ["review", "recommending_states", "terms"]
    readonly_fields = ["fingerprint"]

    @admin.display(description=_("text"))
    def short_text(self, obj):
        return obj.text[:120]


@admin.register(IndexTerm)
class IndexTermAdmin(CsvExportMixin, admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(StateAlias)
class StateAliasAdmin(CsvExportMixin, admin.ModelAdmin):
    list_display = ["name", "state"]
    list_filter = ["state__regional_groups"]
    search_fields = ["name", "state__name", "state__code"]
    list_select_related = ["state"]
    autocomplete_fields = ["state"]


@admin.register(RecommendationImport)
class RecommendationImportAdmin(CsvExportMixin, admin.ModelAdmin):
    list_display = ["imported_at", "review", "file_name", "file_format", "imported_by"]
    list_filter = ["file_format", "review__session__cycle"]
    search_fields = ["file_name", "review__state__name"]
    list_select_related = ["review__state", "review__session", "imported_by"]
    readonly_fields = ["review", "imported_by", "file_name", "file_format", "summary", "imported_at"]

    def has_add_permission(self, request):
        return False
