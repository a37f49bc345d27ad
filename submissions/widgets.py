"""The section editor widget: django-prose-editor's "configurable" preset plus the portal's own extensions.

The editor may only produce markup that submissions/sanitize.py keeps (h2-h4, p, lists, strong, em,
links, blockquote, simple tables, sup/sub and the footnote span). It never cleans text itself: the
save service runs the portal's one cleaner on every save.

static/js/editor-extensions.js adds five Tiptap extensions through the preset's ``js_modules``:
``Footnote`` (the footnote node and its dialog), ``PasteCleanup`` (Word and Google Docs paste),
``StaticStyles`` (stops Tiptap injecting a <style> element, which the site's CSP blocks; the same
rules ship in static/css/editor.css), ``MenuStates`` (the menu buttons' states for screen readers)
and ``MenuLabels`` (the buttons' names in the page's language, static/js/menu-labels.js). Its bare
module names resolve through the import map, which the page renders with the request's CSP nonce.

The package's own dialogs translate through Django's JavaScript catalogue; prose-editor-strings.js
beside this file lists their strings for the portal's catalogues (the package ships no Spanish).
"""

from django_prose_editor.widgets import ProseEditorWidget
from js_asset import ImportMap, Media

EXTENSIONS_MODULE = "upr/editor-extensions"

MENU_GROUPS = [
    {"group": "blockType -lists"},  # paragraph and headings 2-4, as plain buttons (no pop-over)
    {"group": "lists"},
    {"group": "nodes -blockType -lists"},  # block quote
    {"group": "marks"},
    {"group": "link"},
    {"group": "footnote"},
    {"group": "table"},
    {"group": "history"},
]

EDITOR_EXTENSIONS = {
    "Heading": {"levels": [2, 3, 4]},
    "Bold": True,
    "Italic": True,
    "Superscript": True,
    "Subscript": True,
    "HardBreak": True,
    "BulletList": True,
    "OrderedList": {"enableListAttributes": False},
    "ListItem": True,
    "Blockquote": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "Menu": {"groups": MENU_GROUPS},
    # The portal's own, from EXTENSIONS_MODULE.
    "Footnote": True,
    "PasteCleanup": True,
    "StaticStyles": True,
    "MenuStates": True,
    "MenuLabels": True,
}

importmap = ImportMap(
    {
        EXTENSIONS_MODULE: "js/editor-extensions.js",
        "upr/wordcount": "js/wordcount.js",
    }
)


class SectionTextWidget(ProseEditorWidget):
    """A textarea without JavaScript; with it, the WYSIWYG editor of the section page."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"rows": 20, **(attrs or {})},
            config={"extensions": EDITOR_EXTENSIONS},
            preset="configurable",
        )

    @property
    def media(self):
        return super().media + Media(importmap=importmap, css={"all": ["css/editor.css"]})

    def get_config(self):
        config = super().get_config()
        # Instead of the DJANGO_PROSE_EDITOR_EXTENSIONS setting: these extensions belong to this widget.
        config["js_modules"] = [*config.get("js_modules", []), EXTENSIONS_MODULE]
        return config
