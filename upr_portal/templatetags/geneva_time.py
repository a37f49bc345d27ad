"""Dates and times as every page shows them: in Geneva time, and saying so.

OHCHR sets every UPR deadline in Geneva time and the portal shows every moment in it, whoever reads
it and wherever. ``{{ moment|geneva }}`` is the one way a template prints a moment: converted to
Geneva time, labelled "Geneva time", in a ``<time>`` element whose ``datetime`` carries the offset for
machines. A day without a time (a milestone, a session's dates) is the same day everywhere and gets no
label: ``{{ day|geneva }}`` prints it in the same format, so a template need not know which it holds.

Formats: "short" (3 Dec 2026, 14:02), the default, for tables and lines of detail; "long"
(3 December 2026, 14:02) for headings and sentences; "time" (14:02) for a moment whose day is obvious.
"""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from upr_portal.timezones import GENEVA

register = template.Library()

DAY_FORMATS = {"short": "SHORT_DATE_FORMAT", "long": "DATE_FORMAT", "time": "SHORT_DATE_FORMAT"}
TIME_FORMATS = {"short": "SHORT_DATETIME_FORMAT", "long": "DATETIME_FORMAT", "time": "H:i"}


def geneva_text(value: datetime.date | datetime.datetime, style: str = "short") -> str:
    """The words of ``geneva`` without the markup (for titles, attributes and plain text)."""
    if isinstance(value, datetime.datetime):
        moment = timezone.localtime(value, GENEVA) if timezone.is_aware(value) else value
        return _("%(when)s Geneva time") % {"when": date_format(moment, TIME_FORMATS.get(style, TIME_FORMATS["short"]))}
    return date_format(value, DAY_FORMATS.get(style, DAY_FORMATS["short"]))


@register.filter
def geneva(value, style: str = "short"):
    """A moment in Geneva time, labelled so; a day as it is. Empty for None or ""."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        moment = timezone.localtime(value, GENEVA) if timezone.is_aware(value) else value
        return format_html(
            '<time datetime="{}">{}</time>', moment.isoformat(timespec="minutes"), geneva_text(moment, style)
        )
    if isinstance(value, datetime.date):
        return format_html('<time datetime="{}">{}</time>', value.isoformat(), geneva_text(value, style))
    return value
