// The portal's Tiptap extensions for django-prose-editor's "configurable" preset. The preset imports
// this module (the widget lists it in `js_modules`) and uses each export the widget's `extensions`
// config names: see submissions/widgets.py.

import { Extension } from "django-prose-editor/editor"

export { Footnote } from "./footnote-extension.js"
export { PasteCleanup } from "./paste-cleanup.js"

// Tiptap injects a <style> element with its base rules, which the site's Content Security Policy
// (style-src 'self', no 'unsafe-inline') blocks. This turns that off before the view is created
// (Tiptap injects in createView, after "beforeCreate"); static/css/editor.css carries the rules.
export const StaticStyles = Extension.create({
  name: "staticStyles",

  onBeforeCreate() {
    this.editor.options.injectCSS = false
  },
})
