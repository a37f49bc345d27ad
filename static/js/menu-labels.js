// The editor toolbar in the page's language. django-prose-editor writes its buttons' names in English
// (title="bold", and for the icon buttons the icon's ligature as text); this names each button in the
// portal's catalogue (title and aria-label), including buttons the menu adds later (the table's).
// The English names are the package's own, so an unknown one is left as it is.

import { Extension } from "django-prose-editor/editor"

const LABELS = {
  "paragraph": () => pgettext("editor toolbar", "Paragraph"),
  "bold": () => pgettext("editor toolbar", "Bold"),
  "italic": () => pgettext("editor toolbar", "Italic"),
  "underline": () => pgettext("editor toolbar", "Underline"),
  "strike": () => pgettext("editor toolbar", "Strikethrough"),
  "subscript": () => pgettext("editor toolbar", "Subscript"),
  "superscript": () => pgettext("editor toolbar", "Superscript"),
  "unordered list": () => pgettext("editor toolbar", "Bulleted list"),
  "ordered list": () => pgettext("editor toolbar", "Numbered list"),
  "blockquote": () => pgettext("editor toolbar", "Block quote"),
  "horizontal rule": () => pgettext("editor toolbar", "Horizontal line"),
  "insert link": () => pgettext("editor toolbar", "Insert a link"),
  "remove link": () => pgettext("editor toolbar", "Remove the link"),
  "undo": () => pgettext("editor toolbar", "Undo"),
  "redo": () => pgettext("editor toolbar", "Redo"),
  "Insert table": () => pgettext("editor toolbar", "Insert a table"),
  "Add column": () => pgettext("editor toolbar", "Add a column"),
  "Delete column": () => pgettext("editor toolbar", "Delete the column"),
  "Add row": () => pgettext("editor toolbar", "Add a row"),
  "Delete row": () => pgettext("editor toolbar", "Delete the row"),
  "Delete table": () => pgettext("editor toolbar", "Delete the table"),
  "Merge cells": () => pgettext("editor toolbar", "Merge cells"),
  "Split cell": () => pgettext("editor toolbar", "Split the cell"),
  "Toggle header cell": () => pgettext("editor toolbar", "Header cell on or off"),
  "Code": () => pgettext("editor toolbar", "Code"),
  "Code block": () => pgettext("editor toolbar", "Code block"),
}
const HEADING = /^heading (\d)$/

function labelFor(english) {
  const heading = HEADING.exec(english)
  if (heading) return interpolate(pgettext("editor toolbar", "Heading %(level)s"), { level: heading[1] }, true)
  return LABELS[english]?.()
}

export const MenuLabels = Extension.create({
  name: "menuLabels",

  onCreate() {
    const wrapper = this.editor.view.dom.closest(".prose-editor")
    if (!wrapper || typeof pgettext !== "function") return
    const name = () => {
      for (const button of wrapper.querySelectorAll(".prose-menubar__button[title]")) {
        const english = button.dataset.englishTitle ?? button.getAttribute("title")
        const label = labelFor(english)
        if (!label || button.getAttribute("title") === label) continue
        button.dataset.englishTitle = english
        button.setAttribute("title", label)
        button.setAttribute("aria-label", label)
      }
    }
    this.observer = new MutationObserver(name)
    // Added buttons only: the attributes set here never wake it.
    this.observer.observe(wrapper, { subtree: true, childList: true })
    name()
  },

  onDestroy() {
    this.observer?.disconnect()
  },
})
