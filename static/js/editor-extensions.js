// The portal's Tiptap extensions for django-prose-editor's "configurable" preset. The preset imports
// this module (the widget lists it in `js_modules`) and uses each export the widget's `extensions`
// config names: see submissions/widgets.py.

import { Extension } from "django-prose-editor/editor"

export { Footnote } from "./footnote-extension.js"
export { PasteCleanup } from "./paste-cleanup.js"
export { MenuLabels } from "./menu-labels.js"

// Tiptap injects a <style> element with its base rules, which the site's Content Security Policy
// (style-src 'self', no 'unsafe-inline') blocks. This turns that off before the view is created
// (Tiptap injects in createView, after "beforeCreate"); static/css/editor.css carries the rules.
export const StaticStyles = Extension.create({
  name: "staticStyles",

  onBeforeCreate() {
    this.editor.options.injectCSS = false
  },
})

// The menu tells a button that does nothing here (undo with nothing to undo) or that is on (bold in
// bold text) by a class only: screen readers hear neither, and a dimmed button reads as text of too
// little contrast (axe) instead of as a disabled one. The classes are mirrored into aria-disabled and
// aria-pressed whenever the menu changes them, whichever of its listeners runs first.
export const MenuStates = Extension.create({
  name: "menuStates",

  onCreate() {
    const wrapper = this.editor.view.dom.closest(".prose-editor")
    if (!wrapper) return
    const mirror = () => {
      for (const button of wrapper.querySelectorAll(".prose-menubar__button")) {
        button.setAttribute("aria-disabled", String(button.classList.contains("disabled")))
        button.setAttribute("aria-pressed", String(button.classList.contains("active")))
      }
    }
    this.observer = new MutationObserver(mirror)
    // Only classes and added buttons are watched, so the attributes set here never wake it.
    this.observer.observe(wrapper, { subtree: true, childList: true, attributes: true, attributeFilter: ["class"] })
    mirror()
  },

  onDestroy() {
    this.observer?.disconnect()
  },
})
