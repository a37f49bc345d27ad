// The section editor's "Insert a previous recommendation" (issue 12): a dialog that searches the
// recommendations made to the submission's State at its earlier reviews
// (submissions/views/previous_recommendations.py) and inserts the chosen one's citation at the cursor,
// as a text node through Tiptap's API, never as HTML.
//
// Keyboard: the search box is a combobox over the results' listbox: arrows move, Enter inserts,
// Escape closes the dialog (the browser's own <dialog> behaviour) and focus goes back to the button.

const gettext = window.gettext || ((text) => text)
const ngettext = window.ngettext || ((one, many, count) => (count === 1 ? one : many))
const interpolate = window.interpolate
  ? (text, values) => window.interpolate(text, values, true)
  : (text, values) => text.replace(/%\((\w+)\)s/g, (_, name) => values[name])
const numberFormat = new Intl.NumberFormat(document.documentElement.lang || undefined, { useGrouping: "always" })

const SEARCH_DELAY = 250 // ms after typing stops

const root = document.getElementById("previous-recommendation-picker")
const textarea = document.querySelector("#section-form textarea[name=body]")
if (root && textarea) {
  waitForEditor(textarea).then((editor) => {
    if (editor) new RecommendationPicker(root, editor)
  })
}

// As static/js/section-editor.js waits for it: the editor may be ready before this module runs.
function waitForEditor(textarea) {
  return new Promise((resolve) => {
    const existing = textarea.closest(".prose-editor")?.querySelector(".ProseMirror[contenteditable]")
    if (existing?.editor) {
      resolve(existing.editor)
      return
    }
    document.addEventListener("prose-editor:ready", function ready(event) {
      if (event.detail.textarea !== textarea) return
      document.removeEventListener("prose-editor:ready", ready)
      resolve(event.detail.editor)
    })
  })
}

class RecommendationPicker {
  constructor(root, editor) {
    this.editor = editor
    this.url = root.dataset.url
    this.opener = root.querySelector("[data-picker-open]")
    this.dialog = root.querySelector("dialog")
    this.input = this.dialog.querySelector("#picker-search")
    this.list = this.dialog.querySelector("#picker-results")
    this.status = this.dialog.querySelector("#picker-status")
    this.announce = root.querySelector("#picker-announce")
    this.results = []
    this.active = -1
    this.requestNumber = 0
    this.timer = null

    this.opener.hidden = false
    this.opener.addEventListener("click", () => this.open())
    this.dialog.querySelector("[data-picker-close]").addEventListener("click", () => this.dialog.close())
    this.dialog.addEventListener("close", () => {
      clearTimeout(this.timer)
      if (!this.inserted) this.opener.focus()
    })
    this.input.addEventListener("input", () => {
      clearTimeout(this.timer)
      this.timer = setTimeout(() => this.search(), SEARCH_DELAY)
    })
    this.input.addEventListener("keydown", (event) => this.keydown(event))
    this.list.addEventListener("click", (event) => {
      const option = event.target.closest("[role=option]")
      if (option) this.insert(Number(option.dataset.index))
    })
  }

  open() {
    this.inserted = false
    this.dialog.showModal()
    this.input.focus()
    this.input.select()
    this.search()
  }

  keydown(event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault()
      if (!this.results.length) return
      const step = event.key === "ArrowDown" ? 1 : -1
      this.select((this.active + step + this.results.length) % this.results.length)
    } else if (event.key === "Escape") {
      // A search box would take the first Escape to clear itself: here Escape always closes.
      event.preventDefault()
      this.dialog.close()
    } else if (event.key === "Enter") {
      // Enter never submits anything here: it inserts the highlighted recommendation, if any.
      event.preventDefault()
      if (this.active >= 0) this.insert(this.active)
    }
  }

  async search() {
    const number = ++this.requestNumber
    this.status.textContent = gettext("Searching…")
    const url = `${this.url}?${new URLSearchParams({ q: this.input.value.trim() })}`
    let payload
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      payload = await response.json()
      if (!response.ok) throw new Error(payload.message || response.statusText)
    } catch (error) {
      if (number !== this.requestNumber) return
      this.show([])
      this.status.textContent = interpolate(gettext("The search failed: %(reason)s"), { reason: error.message })
      return
    }
    if (number !== this.requestNumber) return // an older answer, arriving after a newer one
    this.show(payload.results)
  }

  show(results) {
    this.results = results
    this.list.replaceChildren(
      ...results.map((result, index) => {
        const option = document.createElement("li")
        option.className = "list-group-item list-group-item-action"
        option.id = `picker-option-${result.id}`
        option.setAttribute("role", "option")
        option.setAttribute("aria-selected", "false")
        option.dataset.index = String(index)
        const heading = document.createElement("span")
        heading.className = "fw-bold d-block"
        heading.textContent = interpolate(gettext("%(citation)s, %(position)s"), {
          citation: result.citation,
          position: result.position,
        })
        const text = document.createElement("span")
        text.className = "d-block"
        text.textContent = result.text
        const source = document.createElement("span")
        source.className = "d-block small"
        source.textContent = result.states
          ? interpolate(gettext("%(review)s · recommended by %(states)s"), { review: result.review, states: result.states })
          : result.review
        option.append(heading, text, source)
        return option
      }),
    )
    this.input.setAttribute("aria-expanded", String(results.length > 0))
    this.status.textContent = results.length
      ? interpolate(ngettext("%(count)s recommendation found.", "%(count)s recommendations found.", results.length), {
          count: numberFormat.format(results.length),
        })
      : gettext("No recommendation of this State's earlier reviews matches.")
    this.select(results.length ? 0 : -1)
  }

  select(index) {
    this.active = index
    for (const option of this.list.children) {
      const on = Number(option.dataset.index) === index
      option.setAttribute("aria-selected", String(on))
      option.classList.toggle("active", on)
      if (on) option.scrollIntoView({ block: "nearest" })
    }
    if (index >= 0) this.input.setAttribute("aria-activedescendant", `picker-option-${this.results[index].id}`)
    else this.input.removeAttribute("aria-activedescendant")
  }

  insert(index) {
    const result = this.results[index]
    if (!result) return
    this.inserted = true
    this.dialog.close()
    // Tiptap keeps the editor's selection while the dialog has the focus: the text goes at the cursor.
    this.editor.chain().focus().insertContent({ type: "text", text: result.insert }).run()
    this.announce.textContent = interpolate(gettext("Inserted %(citation)s."), { citation: result.citation })
  }
}
