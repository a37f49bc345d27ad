"""The import's steps for a person (upload, column mapping when needed, preview, confirm), shared by the
admin's page and the coalition coordinators' page: one flow, two skins.

Between the steps the uploaded bytes wait in the cache under a random token that is also kept in the
person's session; a token the session does not hold is refused, so a client cannot name another's file.
They are deleted on confirm and expire after an hour.
"""

import secrets
from dataclasses import dataclass, field

from django import forms
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reviews.models import Review
from reviews.recommendation_import.rows import MAX_FILE_BYTES, ImportFileError
from reviews.recommendation_import.service import ImportSummary, import_recommendations
from reviews.recommendation_import.states import StateMatcher
from reviews.recommendation_import.tables import COLUMNS, ParsedFile, read_recommendations

PENDING_MAX_AGE_SECONDS = 60 * 60
SESSION_KEY = "recommendation_import_tokens"
PREVIEW_ROWS = 50


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File of recommendations"),
        help_text=gettext_lazy(
            "OHCHR's thematic list of recommendations (.docx) or UHRI's export (CSV or XLSX); at most 10 MB "
            "and 5,000 rows. Nothing is saved before you confirm."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.csv,.xlsx"}),
    )
    report = forms.CharField(
        label=gettext_lazy("Working Group report (optional)"),
        required=False,
        max_length=50,
        help_text=gettext_lazy("For example A/HRC/44/9; when empty, the symbol is taken from the file."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB; a review's recommendations take far less."))
        return upload


class MappingForm(forms.Form):
    """Which of the file's columns holds each of UHRI's columns."""

    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("(none)")), *((header, header) for header in headers)]
        for column in COLUMNS:
            self.fields[f"column_{column.key}"] = forms.ChoiceField(
                label=f"{column.label} ({column.description})", choices=choices, required=column.required
            )

    def mapping(self) -> dict[str, str]:
        return {column.key: self.cleaned_data.get(f"column_{column.key}", "") for column in COLUMNS}


@dataclass
class Step:
    """What the page shows: which step, its form, and what the file holds or would change."""

    name: str  # "upload", "mapping", "preview" or "done"
    upload_form: UploadForm | None = None
    mapping_form: MappingForm | None = None
    parsed: ParsedFile | None = None
    summary: ImportSummary | None = None
    token: str = ""
    file_name: str = ""
    error: str = ""
    preview: list = field(default_factory=list)


def _key(token: str) -> str:
    return f"recommendation-import:{token}"


def _stash(request, data: dict) -> str:
    token = secrets.token_urlsafe(24)
    cache.set(_key(token), data, PENDING_MAX_AGE_SECONDS)
    tokens = [*request.session.get(SESSION_KEY, [])[-4:], token]
    request.session[SESSION_KEY] = tokens
    return token


def _pending(request, token: str, review: Review) -> dict | None:
    if not token or token not in request.session.get(SESSION_KEY, []):
        return None
    data = cache.get(_key(token))
    if data is None or data.get("review") != review.pk:
        return None
    return data


def _forget(request, token: str) -> None:
    cache.delete(_key(token))
    request.session[SESSION_KEY] = [t for t in request.session.get(SESSION_KEY, []) if t != token]


def _read(data: dict, matcher: StateMatcher) -> ParsedFile:
    return read_recommendations(
        data["content"],
        file_name=data["name"],
        matcher=matcher,
        mapping=data.get("mapping"),
        report_symbol=data.get("report", ""),
    )


def _preview(request, review: Review, token: str, data: dict) -> Step:
    matcher = StateMatcher()
    try:
        parsed = _read(data, matcher)
    except ImportFileError as exc:
        _forget(request, token)
        return Step("upload", upload_form=UploadForm(), error=str(exc), file_name=data["name"])
    if parsed.needs_mapping:
        initial = {"token": token, **{f"column_{key}": header for key, header in parsed.mapping.items()}}
        return Step(
            "mapping",
            mapping_form=MappingForm(initial=initial, headers=parsed.headers),
            parsed=parsed,
            token=token,
            file_name=data["name"],
        )
    summary = None
    if not parsed.problems:
        summary = import_recommendations(review=review, rows=parsed.rows, dry_run=True, matcher=matcher)
    rows = [(row, summary.outcome.get(row.paragraph, "") if summary else "") for row in parsed.rows[:PREVIEW_ROWS]]
    return Step("preview", parsed=parsed, summary=summary, token=token, file_name=data["name"], preview=rows)


def recommendation_import_step(request, *, review: Review) -> Step:
    """Run the step the request asks for; "done" once the import is saved (the summary says what changed)."""
    if request.method != "POST":
        return Step("upload", upload_form=UploadForm())
    token = request.POST.get("token", "")
    if "upload" in request.POST:
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return Step("upload", upload_form=form)
        upload = form.cleaned_data["file"]
        data = {
            "content": upload.read(MAX_FILE_BYTES + 1),
            "name": upload.name,
            "report": form.cleaned_data["report"],
            "mapping": None,
            "review": review.pk,
        }
        return _preview(request, review, _stash(request, data), data)
    data = _pending(request, token, review)
    if data is None:
        return Step(
            "upload",
            upload_form=UploadForm(),
            error=_("The uploaded file is no longer here (after an hour it is deleted): upload it again."),
        )
    if "cancel" in request.POST:
        _forget(request, token)
        return Step("upload", upload_form=UploadForm())
    if "map" in request.POST:
        parsed_headers = _read({**data, "mapping": None}, StateMatcher()).headers
        form = MappingForm(request.POST, headers=parsed_headers)
        if not form.is_valid():
            return Step("mapping", mapping_form=form, token=token, file_name=data["name"])
        data["mapping"] = form.mapping()
        cache.set(_key(token), data, PENDING_MAX_AGE_SECONDS)
        return _preview(request, review, token, data)
    if "confirm" in request.POST:
        matcher = StateMatcher()
        parsed = _read(data, matcher)
        if parsed.needs_mapping or parsed.problems:
            return _preview(request, review, token, data)
        summary = import_recommendations(
            review=review,
            rows=parsed.rows,
            actor=request.user,
            dry_run=False,
            file_name=data["name"],
            file_format=parsed.file_format,
            matcher=matcher,
        )
        _forget(request, token)
        return Step("done", summary=summary, file_name=data["name"])
    return _preview(request, review, token, data)


def done_message(step: Step) -> str:
    return _("%(file)s was imported: %(summary)s") % {"file": step.file_name, "summary": step.summary.line()}
