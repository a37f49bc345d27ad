"""A session's page: its dates, the milestones it sets for its reviews, and its reviews in UN order."""

import datetime

from django.contrib import admin
from django.db.models import F
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from reviews.forms import ReviewAdminForm, ReviewInlineFormSet
from reviews.models import Review
from upr_portal.admin_labels import LabelledTabularInline
from upr_portal.timezones import GENEVA

# Short dates keep the inline's eight columns within a 1,366-pixel screen.
_DAY = "SHORT_DATE_FORMAT"
_MOMENT = "SHORT_DATETIME_FORMAT"


def _day(value: datetime.date | None) -> str:
    return formats.date_format(value, _DAY) if value is not None else "–"


def _moment(value: datetime.datetime | None) -> str:
    return formats.date_format(timezone.localtime(value, GENEVA), _MOMENT) if value is not None else "–"


class ReviewInline(LabelledTabularInline):
    """Every review of the session in UN order, with its effective milestones, read-only: a review's
    own dates are set on its page (the pencil), after unticking "milestones from the session"."""

    model = Review
    fk_name = "session"
    form = ReviewAdminForm
    formset = ReviewInlineFormSet
    extra = 0
    show_change_link = True
    fields = [
        "order",
        "state",
        "status",
        "milestones_from_session",
        "stakeholder_deadline_geneva",
        "national_report_deadline_geneva",
        "pre_session_day",
        "after_review",
    ]
    readonly_fields = [
        "stakeholder_deadline_geneva",
        "national_report_deadline_geneva",
        "pre_session_day",
        "after_review",
    ]
    autocomplete_fields = ["state"]

    class Media:
        css = {"all": ["css/admin-session-reviews.css"]}

    def get_queryset(self, request):
        # UN order (HRC decision 17/119): the place in the session, then the State's name.
        return (
            super()
            .get_queryset(request)
            .select_related("state")
            .order_by(F("order").asc(nulls_last=True), "state__name")
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "order":
            # A column as narrow as its numbers; the help text keeps the full name.
            field.label = _("order")
        if db_field.name == "state":
            # A State is edited on its own page: the add/change/delete/view icons under each of fourteen
            # rows would double the page's height. Select2 reads its width from data-width (a style
            # attribute would be refused by the content security policy).
            for action in ("add", "change", "delete", "view"):
                setattr(field.widget, f"can_{action}_related", False)
            field.widget.widget.attrs["data-width"] = "12em"
        return field

    @admin.display(description=_("stakeholder deadline (Geneva)"))
    def stakeholder_deadline_geneva(self, obj):
        return _moment(obj.stakeholder_deadline)

    @admin.display(description=_("national report deadline (Geneva)"))
    def national_report_deadline_geneva(self, obj):
        return _moment(obj.national_report_deadline)

    @admin.display(description=_("pre-session"))
    def pre_session_day(self, obj):
        return _day(obj.pre_session)

    @admin.display(description=_("adoption, then mid-term report"))
    def after_review(self, obj):
        return format_html("{}<br>{}", _day(obj.adoption_date), _day(obj.mid_term_report_due))


class SessionMilestones:
    """The session's form in three groups; saving it gives its milestones to the reviews that follow it."""

    fieldsets = [
        (None, {"fields": ["number", "cycle", "hrc_session"]}),
        (_("Working Group dates"), {"fields": ["wg_start", "wg_end", "dates_provisional"]}),
        (
            _("Milestones of its reviews"),
            {
                "description": _(
                    "Set once here for every review of the session. On saving, each review with "
                    "“milestones from the session” ticked takes them; a review the UN gave its own dates "
                    "keeps them (untick the box on the review's page)."
                ),
                "fields": [
                    "submission_window_opens",
                    "stakeholder_deadline",
                    "national_report_deadline",
                    "deadline_time",
                    "pre_session",
                    "adoption_date",
                    "mid_term_report_due",
                ],
            },
        ),
        (_("Source"), {"fields": ["source"]}),
    ]

    def save_related(self, request, form, formsets, change):
        # After the inline's reviews are saved, so that a review added or re-ticked on this page follows
        # the session too; the deadline time of day is part of each deadline, so a change to it re-applies.
        super().save_related(request, form, formsets, change)
        form.instance.apply_milestones()
