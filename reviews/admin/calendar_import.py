"""Import a calendar (CSV) from the admin's list of sessions: upload, preview, confirm.

The file goes through the reference data loader (``reviews.services.reference_data.calendar_import``):
first in a transaction that is rolled back, whose report the page shows (sessions and reviews created,
fields filled, lines refused); then, on "Confirm the import", for real. Between the two the file's text
travels in the form as a signed, compressed hidden field (nothing is kept on disk or in the session),
so what is imported is exactly what was previewed, or refused again if the calendar changed meanwhile.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from reviews.services.reference_data import CALENDAR_FILE_MAX_BYTES, calendar_import

FORMAT_DOCUMENT = settings.BASE_DIR / "docs" / "calendar-csv.md"
# A preview older than this must be uploaded again before it is imported.
PREVIEW_MAX_AGE_SECONDS = 60 * 60
SIGNING_SALT = "reviews.admin.calendar_import"


class CalendarUploadForm(forms.Form):
    file = forms.FileField(label=_("Calendar file (CSV)"))

    def __init__(self, *args, format_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = format_html(
            '{} <a href="{}">{}</a>',
            gettext(
                "One line per Working Group session, with its States in the order of review, as in the portal's "
                "own reviews/data/sessions-cycle4.csv; UTF-8, at most 1 MB. Nothing is saved before you confirm."
            ),
            format_url,
            gettext("The columns and an example (docs/calendar-csv.md)"),
        )
        self.fields["file"].widget.attrs["accept"] = ".csv,text/csv"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > CALENDAR_FILE_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 1 MB; a calendar file is much smaller. Is it the right file?")
            )
        return upload


class CalendarConfirmForm(forms.Form):
    """The previewed file, signed: its name and text."""

    calendar = forms.CharField(widget=forms.HiddenInput)

    @staticmethod
    def signed(*, file_name: str, text: str) -> str:
        return signing.dumps({"name": file_name, "text": text}, salt=SIGNING_SALT, compress=True)

    def clean_calendar(self):
        try:
            return signing.loads(self.cleaned_data["calendar"], salt=SIGNING_SALT, max_age=PREVIEW_MAX_AGE_SECONDS)
        except signing.SignatureExpired as exc:
            raise forms.ValidationError(_("The preview is more than an hour old: upload the file again.")) from exc
        except signing.BadSignature as exc:
            raise forms.ValidationError(_("The previewed file could not be read back: upload it again.")) from exc


class CalendarImportMixin:
    """Adds "Import a calendar (CSV)" to the sessions' list (a mixin of SessionAdmin, before ModelAdmin)."""

    calendar_import_template = "admin/reviews/session/calendar_import.html"
    calendar_format_template = "admin/reviews/session/calendar_format.html"

    def get_urls(self):
        opts = self.opts
        urls = [
            path(
                "import-calendar/",
                self.admin_site.admin_view(self.calendar_import_view),
                name=f"{opts.app_label}_{opts.model_name}_import_calendar",
            ),
            path(
                "import-calendar/format/",
                self.admin_site.admin_view(self.calendar_format_view),
                name=f"{opts.app_label}_{opts.model_name}_calendar_format",
            ),
        ]
        # Before the admin's own, whose "<object_id>/" would take the addresses.
        return [*urls, *super().get_urls()]

    def has_calendar_import_permission(self, request) -> bool:
        """An import creates and fills in sessions and reviews."""
        return (
            self.has_add_permission(request)
            and self.has_change_permission(request)
            and request.user.has_perms(["reviews.add_review", "reviews.change_review"])
        )

    def changelist_view(self, request, extra_context=None):
        if self.has_calendar_import_permission(request):
            extra_context = {**(extra_context or {}), "calendar_import_url": self._calendar_url("import_calendar")}
        return super().changelist_view(request, extra_context=extra_context)

    def _calendar_url(self, name: str) -> str:
        opts = self.opts
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{name}", current_app=self.admin_site.name)

    def calendar_import_view(self, request):
        if not self.has_calendar_import_permission(request):
            raise PermissionDenied
        format_url = self._calendar_url("calendar_format")
        upload_form = CalendarUploadForm(format_url=format_url)
        report, confirm_form = None, None
        if request.method == "POST" and "confirm" in request.POST:
            posted = CalendarConfirmForm(request.POST)
            if posted.is_valid():
                calendar = posted.cleaned_data["calendar"]
                report = calendar_import(
                    content=calendar["text"].encode("utf-8"), file_name=calendar["name"], dry_run=False
                )
                if report.saved:
                    messages.success(request, self._imported_message(report))
                    return HttpResponseRedirect(self._changelist_url())
            else:
                for error in posted.errors.get("calendar", []):
                    messages.error(request, error)
        elif request.method == "POST":
            upload_form = CalendarUploadForm(request.POST, request.FILES, format_url=format_url)
            if upload_form.is_valid():
                upload = upload_form.cleaned_data["file"]
                content = upload.read(CALENDAR_FILE_MAX_BYTES + 1)
                report = calendar_import(content=content, file_name=upload.name, dry_run=True)
                if not report.refused:
                    confirm_form = CalendarConfirmForm(
                        initial={
                            # The preview read the bytes as UTF-8 (with or without a byte order mark).
                            "calendar": CalendarConfirmForm.signed(
                                file_name=report.file_name, text=content.decode("utf-8-sig")
                            )
                        }
                    )
                    upload_form = CalendarUploadForm(format_url=format_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import a calendar (CSV)"),
            "upload_form": upload_form,
            "confirm_form": confirm_form,
            "report": report,
            "format_url": format_url,
            "changelist_url": self._changelist_url(),
        }
        return TemplateResponse(request, self.calendar_import_template, context)

    def calendar_format_view(self, request):
        """docs/calendar-csv.md as the page's text (the document ships with the portal)."""
        if not self.has_calendar_import_permission(request):
            raise PermissionDenied
        try:
            document = FORMAT_DOCUMENT.read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise Http404(gettext("The description of the calendar format is not installed.")) from exc
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("The calendar file (CSV)"),
            "document": document,
            "import_url": self._calendar_url("import_calendar"),
            "changelist_url": self._changelist_url(),
        }
        return TemplateResponse(request, self.calendar_format_template, context)

    def _changelist_url(self) -> str:
        return self._calendar_url("changelist")

    @staticmethod
    def _imported_message(report) -> str:
        sentences = [
            gettext("The calendar in %(file)s was imported.") % {"file": report.file_name},
            ngettext("%(count)s session created.", "%(count)s sessions created.", len(report.sessions_created))
            % {"count": len(report.sessions_created)},
            ngettext("%(count)s review created.", "%(count)s reviews created.", len(report.reviews_created))
            % {"count": len(report.reviews_created)},
            ngettext("%(count)s field changed.", "%(count)s fields changed.", len(report.changes))
            % {"count": len(report.changes)},
        ]
        return " ".join(sentences)
