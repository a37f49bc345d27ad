"""CSV export of any admin list, as it is filtered, searched and sorted on the page.

A model admin that takes ``CsvExportMixin`` gets an "Export CSV" link above its list
(templates/admin/change_list_object_tools.html) and an address, ``admin:<app>_<model>_export_csv``,
that answers the list's rows as a CSV file: the list's own ``ChangeList`` builds the queryset, so
the filters, the search and the order are exactly the page's; the columns are the list's, headed by
their labels. Each cell holds what the page shows, as plain text a spreadsheet reads: days and moments
in ISO 8601 (moments in Geneva time, with their offset), yes/no for booleans, choices by their label.

The file is streamed a chunk of rows at a time (memory stays bounded whatever the list's length), in
UTF-8 with a byte order mark (Excel otherwise reads it in the computer's legacy code page), and every
cell a spreadsheet would read as a formula is defused with a leading apostrophe (OWASP's "CSV
injection"). Only staff who may view the model get it; the admin site's own check (staff, two-factor
sign-in) comes first.

A column whose page value is made for reading (a date formatted short) can give the file another
value with ``exported_as``.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import html
from collections.abc import Callable, Iterator
from typing import Any

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import label_for_field, lookup_field
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.safestring import SafeData
from django.utils.translation import gettext

from upr_portal.timezones import GENEVA, geneva_today

# Rows read from the database at a time; their related rows are prefetched per chunk.
EXPORT_CHUNK_SIZE = 500

# What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

BYTE_ORDER_MARK = "\ufeff"


def exported_as(value: str | Callable[[Any], Any]):
    """Gives an admin column another value in the CSV file than the text the page shows: the name of
    an attribute of the row (``"stakeholder_deadline"``, ``"session__number"``) or a function of it.

    Use it under ``@admin.display``, on a column that formats a date or a moment for the page.
    """

    def mark(column):
        column.exported_as = value
        return column

    return mark


def defused(cell: str) -> str:
    """The cell, with a leading apostrophe when a spreadsheet would run it as a formula."""
    return f"'{cell}" if cell.startswith(FORMULA_PREFIXES) else cell


def _attribute(obj, name: str):
    for part in name.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, part)
    return obj


class CsvExportMixin:
    """Adds "Export CSV" to a model admin's list. Put it before ``admin.ModelAdmin`` in the bases."""

    csv_export_enabled = True
    csv_export_chunk_size = EXPORT_CHUNK_SIZE

    def get_urls(self):
        opts = self.opts
        export = path(
            "export-csv/",
            self.admin_site.admin_view(self.export_csv_view),
            name=f"{opts.app_label}_{opts.model_name}_export_csv",
        )
        # Before the admin's own, whose "<object_id>/" would take the address.
        return [export, *super().get_urls()]

    def export_csv_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            # As the list itself answers a filter it cannot apply.
            opts = self.opts
            changelist_url = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_changelist", current_app=self.admin_site.name
            )
            return HttpResponseRedirect(f"{changelist_url}?{ERROR_FLAG}=1")
        columns = self.get_csv_columns(request, [name for name in changelist.list_display if name != "action_checkbox"])
        queryset = changelist.queryset
        response = StreamingHttpResponse(
            self._csv_lines(columns, queryset, language=translation.get_language()),
            content_type="text/csv; charset=utf-8",
        )
        filename = f"{self.opts.app_label}-{self.opts.model_name}-{geneva_today().isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def get_csv_columns(self, request, columns: list) -> list:
        """The file's columns: those of the list (``columns``), in its order. A model admin may add some."""
        return list(columns)

    def _csv_lines(self, columns: list, queryset, *, language: str | None) -> Iterator[str]:
        # The lines are written while the response is sent, after the view has returned: in the
        # language of the request, which the middleware may have let go by then.
        writer = csv.writer(_Line())
        with translation.override(language):
            header = [defused(str(label_for_field(name, self.model, self))) for name in columns]
            yield BYTE_ORDER_MARK + writer.writerow(header)
            for obj in queryset.iterator(chunk_size=self.csv_export_chunk_size):
                yield writer.writerow([defused(self.csv_cell(obj, name)) for name in columns])

    def csv_cell(self, obj, name) -> str:
        """The text of column ``name`` for the row ``obj``, as the file holds it."""
        column = getattr(self, name, None) if isinstance(name, str) else name
        if column is not None and hasattr(column, "exported_as"):
            value = column.exported_as
            return plain_text(value(obj) if callable(value) else _attribute(obj, value))
        field, attr, value = lookup_field(name, obj, self)
        if field is not None:
            if field.name == "password" and isinstance(field, models.CharField):
                return ""
            choices = getattr(field, "flatchoices", None)
            if choices and value not in (None, ""):
                value = dict(choices).get(value, value)
        elif getattr(attr, "boolean", False) and value is not None:
            value = bool(value)
        return plain_text(value)


class _Line:
    """A file that gives back what the CSV writer writes into it, one line at a time."""

    def write(self, line: str) -> str:
        return line


def plain_text(value) -> str:
    """A value as a spreadsheet reads it: ISO dates and Geneva moments, yes/no, text without markup."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime.datetime):
        moment = timezone.localtime(value, GENEVA) if timezone.is_aware(value) else value
        return moment.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | int | float):
        return str(value)
    if isinstance(value, list | tuple):
        return ", ".join(plain_text(item) for item in value)
    if isinstance(value, SafeData):
        # HTML the admin would show as is (format_html): its text.
        return html.unescape(strip_tags(value)).strip()
    return str(value).strip()
