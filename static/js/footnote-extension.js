// The footnote of a submission, for django-prose-editor (Tiptap).
//
// A footnote is typed where its call goes. It is an inline atom node whose note text is an
// attribute, stored as `<span data-footnote="">note text</span>` (the format submissions/sanitize.py
// keeps and upr_portal/wordcount.py counts as notes). In the editor the call shows as a superscript
// number from a CSS counter (static/css/editor.css); its accessible name carries the number and the
// note. The "Footnote" toolbar button, or Enter or a click on a call, opens a dialog to write the note.

import { Node, Plugin } from "django-prose-editor/editor"

const gettext = window.gettext || ((text) => text)
const interpolate = window.interpolate
  ? (text, values) => window.interpolate(text, values, true)
  : (text, values) => text.replace(/%\((\w+)\)s/g, (_, name) => values[name])
const numberFormat = new Intl.NumberFormat(document.documentElement.lang || undefined, { useGrouping: "always" })
let dialogCount = 0

// Collapses the whitespace of a note, as a reader sees it.
export function noteText(element) {
  return (element.textContent || "").replace(/[\t\n\r ]+/g, " ").trim()
}

function el(tag, attributes = {}, children = []) {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "text") element.textContent = value
    else element.setAttribute(name, value)
  }
  element.append(...children)
  return element
}

// An accessible modal dialog with a label and a textarea. Resolves with the text, or null when
// cancelled (Cancel or Escape). Focus goes back to the editor when it closes.
export function footnoteDialog(editor, { text = "", editing = false } = {}) {
  return new Promise((resolve) => {
    const id = `footnote-dialog-${++dialogCount}`
    const textarea = el("textarea", { id: `${id}-text`, rows: "4", class: "form-control" })
    textarea.value = text
    const submit = el("button", { type: "submit", class: "btn btn-primary", text: editing ? gettext("Update") : gettext("Insert") })
    const cancel = el("button", { type: "button", class: "btn btn-outline-secondary", text: gettext("Cancel") })
    const help = editing
      ? [el("p", { id: `${id}-help`, class: "form-text", text: gettext("Empty the text and press Update to remove the footnote.") })]
      : []
    const form = el("form", { method: "dialog" }, [
      el("h2", { id: `${id}-title`, class: "h5", text: editing ? gettext("Edit the footnote") : gettext("Insert a footnote") }),
      el("label", { for: textarea.id, class: "form-label", text: gettext("Footnote text") }),
      textarea,
      ...help,
      el("div", { class: "footnote-dialog__buttons" }, [submit, cancel]),
    ])
    if (editing) textarea.setAttribute("aria-describedby", `${id}-help`)
    const dialog = el("dialog", { class: "footnote-dialog", "aria-labelledby": `${id}-title` }, [form])
    let result = null

    form.addEventListener("submit", (event) => {
      event.preventDefault()
      result = textarea.value.replace(/\s+/g, " ").trim()
      dialog.close()
    })
    textarea.addEventListener("keydown", (event) => {
      // Ctrl/Cmd+Enter inserts; a plain Enter stays a line in the textarea.
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault()
        form.requestSubmit()
      }
    })
    cancel.addEventListener("click", () => dialog.close())
    // Escape fires "cancel" then "close" on a modal dialog.
    dialog.addEventListener("close", () => {
      dialog.remove()
      editor.view.focus()
      resolve(result)
    })
    document.body.append(dialog)
    dialog.showModal()
    textarea.focus()
  })
}

function selectedFootnote(state) {
  const node = state.selection.node
  return node && node.type.name === "footnote" ? { node, pos: state.selection.from } : null
}

// Numbers the calls in document order: the number is shown by a CSS counter, and repeated here in
// the accessible name, which also carries the note.
function labelCalls(root) {
  root.querySelectorAll("span.footnote-call").forEach((call, index) => {
    const number = index + 1
    call.dataset.number = String(number)
    call.setAttribute(
      "aria-label",
      interpolate(gettext("Footnote %(number)s: %(note)s"), { number: numberFormat.format(number), note: call.dataset.note || "" }),
    )
  })
}

export const Footnote = Node.create({
  name: "footnote",
  group: "inline",
  inline: true,
  atom: true,
  selectable: true,
  draggable: false,

  addAttributes() {
    return {
      text: {
        default: "",
        parseHTML: (element) => noteText(element),
        renderHTML: () => ({}), // the text is the element's content, not an attribute
      },
    }
  },

  parseHTML() {
    return [{ tag: "span[data-footnote]", priority: 1000 }]
  },

  renderHTML({ node }) {
    return ["span", { "data-footnote": "" }, node.attrs.text]
  },

  renderText({ node }) {
    return ` [${node.attrs.text}] `
  },

  addNodeView() {
    return ({ node }) => {
      const dom = el("span", { class: "footnote-call", "data-footnote": "", role: "img" })
      dom.contentEditable = "false"
      const show = (current) => {
        dom.dataset.note = current.attrs.text
        dom.title = current.attrs.text
      }
      show(node)
      return {
        dom,
        update(updated) {
          if (updated.type !== node.type) return false
          node = updated
          show(updated)
          return true
        },
        ignoreMutation: () => true,
      }
    }
  },

  addCommands() {
    return {
      insertFootnote:
        (text) =>
        ({ commands }) =>
          text ? commands.insertContent({ type: this.name, attrs: { text } }) : false,
      // Opens the dialog for a new footnote at the cursor, or for the selected one.
      footnoteDialog:
        () =>
        ({ editor }) => {
          const selected = selectedFootnote(editor.state)
          footnoteDialog(editor, { text: selected?.node.attrs.text || "", editing: !!selected }).then((text) => {
            if (text === null) return
            if (!selected) {
              editor.chain().focus().insertFootnote(text).run()
              return
            }
            const current = editor.state.doc.nodeAt(selected.pos)
            if (!current || current.type.name !== this.name) return
            const tr = editor.state.tr
            if (text) tr.setNodeMarkup(selected.pos, undefined, { ...current.attrs, text })
            else tr.delete(selected.pos, selected.pos + current.nodeSize)
            editor.view.dispatch(tr)
            editor.commands.focus()
          })
          return true
        },
    }
  },

  addKeyboardShortcuts() {
    return {
      Enter: ({ editor }) => (selectedFootnote(editor.state) ? editor.commands.footnoteDialog() : false),
      "Mod-Alt-f": ({ editor }) => editor.commands.footnoteDialog(),
    }
  },

  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "footnote",
      groups: "footnote",
      button: buttons.text(gettext("Footnote"), gettext("Footnote")),
      command(editor) {
        editor.commands.footnoteDialog()
      },
      active: (editor) => !!selectedFootnote(editor.state),
    })
  },

  addProseMirrorPlugins() {
    const editor = this.editor
    return [
      new Plugin({
        props: {
          handleClickOn(view, pos, node, nodePos, event, direct) {
            if (!direct || node.type.name !== "footnote") return false
            editor.chain().setNodeSelection(nodePos).footnoteDialog().run()
            return true
          },
        },
        view(view) {
          labelCalls(view.dom)
          return { update: (updated) => labelCalls(updated.dom) }
        },
      }),
    ]
  },
})
