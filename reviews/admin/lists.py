"""The admin's lists of sessions and reviews: their columns, their "upcoming" filter.

The lists fit a 1,366-pixel-wide screen (short column headings, dates as "3 Dec 2026") and cost the
same few queries however many rows they show: the number of reviews and of coalitions are counted by
the database, the coalitions' names prefetched.
"""

import datetime

from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from reviews.models import Review
from upr_portal.admin_export import exported_as
from upr_portal.timezones import GENEVA, geneva_today

DAY = "SHORT_DATE_FORMAT"
MOMENT = "SHORT_DATETIME_FORMAT"


def _day(value: datetime.date | None):
    """A day as "3 Dec 2026", kept on one line."""
    return format_html('<span class="day">{}</span>', date_format(value, DAY)) if value else None


def _moment(value: datetime.datetime | None) -> str | None:
    """A moment in Geneva time as "3 Dec 2026, 23:59" (the column's heading says Geneva)."""
    return date_format(value.astimezone(GENEVA), MOMENT) if value else None


def _count_of(rows, link: str):
    """How many of ``rows`` point through ``link`` at the outer row, 0 when none.

    A subquery rather than an aggregate: an aggregate would group the outer query, and Django leaves a
    model's default order out of grouped queries, which the admin's autocomplete lists read too.
    """
    counted = rows.filter(**{link: OuterRef("pk")}).order_by().values(link).annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


class ListStyle:
    """The style sheet that lets the list fit a 1,366-pixel screen (static/css/admin-lists.css)."""

    class Media:
        css = {"all": ["css/admin-lists.css"]}


class UpcomingFilter(admin.SimpleListFilter):
    """Sessions or reviews by their Working Group's dates: upcoming (dated, not closed yet in Geneva),
    past, or dates unknown.

    Unlike the models' ``upcoming()`` querysets, which the portal's pages use to offer every review
    still to come, an undated session is not "upcoming" here: an admin looking for the next sessions
    should not find sessions nobody has dated yet among them.
    """

    title = _("Working Group dates")
    parameter_name = "upcoming"
    # The path from the listed model to the session's dates.
    prefix = ""

    def lookups(self, request, model_admin):
        return [("yes", _("Upcoming")), ("no", _("Past")), ("unknown", _("Dates unknown"))]

    def queryset(self, request, queryset):
        closes = f"{self.prefix}wg_end"
        today = geneva_today()
        conditions = {
            "yes": Q(**{f"{closes}__gte": today}),
            "no": Q(**{f"{closes}__lt": today}),
            "unknown": Q(**{f"{closes}__isnull": True}),
        }
        if self.value() in conditions:
            return queryset.filter(conditions[self.value()])
        return queryset


class ReviewUpcomingFilter(UpcomingFilter):
    prefix = "session__"


class SessionListColumns(ListStyle):
    """The columns of the admin's list of sessions (a mixin of SessionAdmin)."""

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(review_count=_count_of(Review.objects.all(), "session"))

    @admin.display(description=_("session"), ordering="number")
    def session_number(self, obj):
        return obj.number

    @admin.display(description=_("cycle"), ordering="cycle__number")
    def cycle_number(self, obj):
        return obj.cycle.number

    @admin.display(description=_("opens"), ordering="wg_start")
    @exported_as("wg_start")
    def opens(self, obj):
        return _day(obj.wg_start)

    @admin.display(description=_("closes"), ordering="wg_end")
    @exported_as("wg_end")
    def closes(self, obj):
        return _day(obj.wg_end)

    @admin.display(description=_("provisional"), boolean=True, ordering="dates_provisional")
    def provisional(self, obj):
        return obj.dates_provisional

    @admin.display(description=_("reviews"), ordering="review_count")
    def review_count(self, obj):
        return obj.review_count

    @admin.display(description=_("stakeholder deadline (Geneva)"), ordering="stakeholder_deadline")
    @exported_as(lambda session: session.review_milestones().get("stakeholder_deadline"))
    def session_stakeholder_deadline(self, obj):
        return _moment(obj.review_milestones().get("stakeholder_deadline"))

    @admin.display(description=_("national report (Geneva)"), ordering="national_report_deadline")
    @exported_as(lambda session: session.review_milestones().get("national_report_deadline"))
    def session_national_report_deadline(self, obj):
        return _moment(obj.review_milestones().get("national_report_deadline"))

    @admin.display(description=_("HRC"), ordering="hrc_session")
    def hrc(self, obj):
        return obj.hrc_session


class ReviewListColumns(ListStyle):
    """The columns of the admin's list of reviews (a mixin of ReviewAdmin, before CsvExportMixin: it adds
    the number of coalitions to the file's columns)."""

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(coalition_count=_count_of(Review.coalitions.through.objects.all(), "review"))
            .prefetch_related("coalitions")
        )

    @admin.display(description=_("cycle"), ordering="session__cycle__number")
    def cycle(self, obj):
        return obj.session.cycle.number

    @admin.display(description=_("session"), ordering="session__number")
    def session_number(self, obj):
        return obj.session.number

    @admin.display(description=_("order"), ordering="order")
    def order_in_session(self, obj):
        return obj.order

    @admin.display(description=_("stakeholder deadline (Geneva)"), ordering="stakeholder_deadline")
    @exported_as("stakeholder_deadline")
    def stakeholder_deadline_geneva(self, obj):
        return _moment(obj.stakeholder_deadline)

    @admin.display(description=_("national report (Geneva)"), ordering="national_report_deadline")
    @exported_as("national_report_deadline")
    def national_report_deadline_geneva(self, obj):
        return _moment(obj.national_report_deadline)

    @admin.display(description=_("coalitions"), ordering="coalition_count")
    @exported_as(lambda review: ", ".join(coalition.name for coalition in review.coalitions.all()))
    def coalitions_working_on_it(self, obj):
        """How many coalitions work on the review, and which: "2: Coalition A, Coalition B"."""
        if not obj.coalition_count:
            return "0"
        names = ", ".join(coalition.name for coalition in obj.coalitions.all())
        return _("%(count)s: %(names)s") % {"count": obj.coalition_count, "names": names}

    @admin.display(description=_("number of coalitions"))
    def coalition_count(self, obj):
        return obj.coalition_count

    def get_csv_columns(self, request, columns):
        # The file gives the number of coalitions a column of its own, beside their names.
        columns = super().get_csv_columns(request, columns)
        if "coalitions_working_on_it" in columns:
            columns.insert(columns.index("coalitions_working_on_it") + 1, "coalition_count")
        return columns
