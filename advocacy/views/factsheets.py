"""The coalition's one-page factsheets per theme, and their PDF made by the document job."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from advocacy import lobbying_selectors as selectors
from advocacy.lobbying_forms import FACTSHEET_THEME_LIST_ID, KEY_FACTS_MAX_LENGTH, FactsheetForm, FactsheetStartForm
from advocacy.models import Factsheet
from advocacy.services import factsheets as services
from coalitions.rules import can
from coalitions.selectors import coalition_reviews
from coalitions.views.coalitions import coalition_for
from submissions.models import GeneratedDocument
from submissions.selectors import latest_kind_document
from submissions.services.documents import document_queue_kind


def _list_url(coalition) -> str:
    return reverse("advocacy:factsheets", args=[coalition.pk])


def _edit_url(factsheet) -> str:
    return reverse("advocacy:factsheet_edit", args=[factsheet.coalition_id, factsheet.pk])


def _factsheet_for(request, pk: int, factsheet_pk: int, rule: str):
    coalition = coalition_for(request, pk, rule)
    factsheet = (
        Factsheet.objects.filter(coalition=coalition, pk=factsheet_pk)
        .select_related("review__state", "review__session", "coalition")
        .first()
    )
    if factsheet is None:
        raise Http404
    return coalition, factsheet


@login_required
@require_GET
def factsheet_list(request, pk: int):
    coalition = coalition_for(request, pk, "advocacy.view_factsheets")
    return render(
        request,
        "advocacy/factsheet_list.html",
        {
            "coalition": coalition,
            "rows": selectors.factsheets_with_documents(coalition=coalition),
            "can_change": can(request.user, "advocacy.change_factsheet", coalition),
        },
    )


def _choices(coalition, review, theme: str, chosen_previous=(), chosen_asks=()):
    """The previous recommendations (the theme's when it is a UHRI theme, plus those already chosen)
    and the coalition's asks for the review, SMART-confirmed first, as checkbox choices."""
    previous = list(selectors.previous_recommendations(review=review, theme=theme))
    known = {r.pk for r in previous}
    missing = set(chosen_previous) - known
    if missing:
        previous += list(selectors.previous_recommendations(review=review).filter(pk__in=missing))
    levels = selectors.assessment_levels(coalition=coalition, recommendation_ids=[r.pk for r in previous])
    previous_choices = []
    for row in previous:
        assessment = levels.get(row.pk)
        values = {
            "citation": row.citation,
            "session": row.review.session.number,
            "position": row.get_position_display(),
            "text": row.text,
        }
        if assessment is not None:
            label = _("%(citation)s (session %(session)s, %(position)s; %(level)s): %(text)s") % {
                **values,
                "level": assessment.get_level_display(),
            }
        else:
            label = _("%(citation)s (session %(session)s, %(position)s): %(text)s") % values
        previous_choices.append((row.pk, label))
    asks = selectors.smart_confirmed_first(
        selectors.coalition_recommendations(coalition=coalition, review_id=review.pk)
    )
    ask_choices = [
        (
            r.pk,
            (_("%(text)s (SMART confirmed)") if r.smart_confirmed_at else "%(text)s") % {"text": r.text},
        )
        for r in asks
    ]
    return previous_choices, ask_choices


def _form_page(request, coalition, review, form, factsheet=None, document=None):
    return render(
        request,
        "advocacy/factsheet_form.html",
        {
            "coalition": coalition,
            "review": review,
            "form": form,
            "factsheet": factsheet,
            "document": document,
            "themes": selectors.theme_suggestions(coalition=coalition, review=review),
            "theme_list_id": FACTSHEET_THEME_LIST_ID,
            "max_length": KEY_FACTS_MAX_LENGTH,
            "can_change": can(request.user, "advocacy.change_factsheet", coalition),
            "can_generate": factsheet is not None and can(request.user, "advocacy.generate_documents", coalition),
            "over_one_page": bool(document and (document.report or {}).get("pages", 0) > 1),
        },
    )


def _fields(form: FactsheetForm) -> dict:
    data = form.cleaned_data
    return {k: data[k] for k in ("theme", "key_facts", "previous", "asks")}


@login_required
@require_http_methods(["GET", "POST"])
def factsheet_add(request, pk: int):
    coalition = coalition_for(request, pk, "advocacy.change_factsheet")
    reviews = list(coalition_reviews(coalition=coalition))
    start = FactsheetStartForm(request.GET or None, review_choices=[(r.pk, str(r)) for r in reviews])
    if not start.is_bound or not start.is_valid():
        return render(
            request,
            "advocacy/factsheet_start.html",
            {
                "coalition": coalition,
                "form": start,
                "themes": selectors.theme_suggestions(coalition=coalition, review=reviews[-1] if reviews else None),
                "theme_list_id": FACTSHEET_THEME_LIST_ID,
            },
        )
    review = next(r for r in reviews if r.pk == start.cleaned_data["review"])
    theme = start.cleaned_data["theme"]
    previous_choices, ask_choices = _choices(coalition, review, theme)
    form = FactsheetForm(
        request.POST or None,
        initial={"theme": theme, "version": 0},
        previous_choices=previous_choices,
        ask_choices=ask_choices,
        submit_label=_("Create the factsheet"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            factsheet = services.factsheet_create(
                coalition=coalition, review=review, actor=request.user, **_fields(form)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The factsheet “%(theme)s” is created.") % {"theme": factsheet.theme})
            return redirect(_edit_url(factsheet))
    return _form_page(request, coalition, review, form)


@login_required
@require_http_methods(["GET", "POST"])
def factsheet_edit(request, pk: int, factsheet_pk: int):
    rule = "advocacy.change_factsheet" if request.method == "POST" else "advocacy.view_factsheets"
    coalition, factsheet = _factsheet_for(request, pk, factsheet_pk, rule)
    initial = {
        "theme": factsheet.theme,
        "key_facts": factsheet.key_facts,
        "previous": list(factsheet.previous.values_list("pk", flat=True)),
        "asks": list(factsheet.asks.values_list("pk", flat=True)),
        "version": factsheet.version,
    }
    previous_choices, ask_choices = _choices(coalition, factsheet.review, factsheet.theme, initial["previous"])
    form = FactsheetForm(
        request.POST or None,
        initial=initial,
        previous_choices=previous_choices,
        ask_choices=ask_choices,
        submit_label=_("Save"),
    )
    if not can(request.user, "advocacy.change_factsheet", coalition):
        form.helper.inputs = []
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.factsheet_update(
                factsheet=factsheet, actor=request.user, version=form.cleaned_data["version"], **_fields(form)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The factsheet is saved."))
            return redirect(_edit_url(factsheet))
    document = latest_kind_document(kind=GeneratedDocument.Kind.FACTSHEET, coalition=coalition, subject_id=factsheet.pk)
    return _form_page(request, coalition, factsheet.review, form, factsheet, document)


@login_required
@require_http_methods(["GET", "POST"])
def factsheet_delete(request, pk: int, factsheet_pk: int):
    coalition, factsheet = _factsheet_for(request, pk, factsheet_pk, "advocacy.change_factsheet")
    if request.method == "POST":
        services.factsheet_delete(factsheet=factsheet, actor=request.user)
        messages.success(request, _("The factsheet “%(theme)s” is deleted.") % {"theme": factsheet.theme})
        return redirect(_list_url(coalition))
    return render(
        request,
        "confirm.html",
        {
            "coalition": coalition,
            "title": _("Delete the factsheet “%(theme)s”?") % {"theme": factsheet.theme},
            "explanation": _("Its key facts and choices are deleted. This cannot be undone."),
            "confirm_label": _("Delete"),
            "cancel_url": _edit_url(factsheet),
        },
    )


@login_required
@require_POST
def factsheet_generate(request, pk: int, factsheet_pk: int):
    coalition, factsheet = _factsheet_for(request, pk, factsheet_pk, "advocacy.view_factsheets")
    coalition_for(request, pk, "advocacy.generate_documents")
    document_queue_kind(
        kind=GeneratedDocument.Kind.FACTSHEET, coalition=coalition, subject_id=factsheet.pk, actor=request.user
    )
    messages.info(request, _("The PDF is being made: it appears here in a few seconds."))
    return redirect(_edit_url(factsheet) + "#documents")
