"""The Word import's parts of the section pages (submissions/views/imports.py has the pages themselves)."""

from django import template

from coalitions.rules import can
from submissions.rendering import render_with_notes
from submissions.services.imports import word_import_pending

register = template.Library()


@register.simple_tag(takes_context=True)
def word_import_allowed(context, section) -> bool:
    return can(context["request"].user, "submissions.import_docx", section)


@register.inclusion_tag("submissions/_word_import_beside_panel.html", takes_context=True)
def word_import_beside(context) -> dict:
    """The person's pending import of this section, when the editor was opened to merge it."""
    request, section = context["request"], context["section"]
    if request.GET.get("import") != "beside":
        return {"pending": None}
    pending = word_import_pending(section=section, user=request.user)
    return {
        "pending": pending,
        "rendered": render_with_notes(pending.html) if pending else None,
        "submission": context["submission"],
        "section": section,
        "csrf_token": context.get("csrf_token"),
    }
