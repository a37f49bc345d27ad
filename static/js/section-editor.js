// The section editor page: live word counts, autosave through the JSON API, unsaved text kept in
// this browser, conflicts shown side by side, and who else has the section open.
//
// Without JavaScript the page's form still saves (same version check on the server); with it, this
// module takes over the Save button. The editor itself is django-prose-editor (see
// submissions/widgets.py); this module waits for it and talks to it through Tiptap's API.

import { countHtml, wordsCounted } from "./wordcount.js"

const AUTOSAVE_DELAY = 3000 // ms after typing stops
const PRESENCE_INTERVAL = 20000
const RETRY_MIN = 2000
const RETRY_MAX = 60000
const KEEPALIVE_LIMIT = 60000 // bytes: browsers refuse larger keepalive requests
const DRAFT_PREFIX = "upr-portal:section-draft:"

// Django's JavaScriptCatalog (templates/base.html loads it before this module); the fallbacks keep
// the English text if it failed to load.
const gettext = window.gettext || ((text) => text)
const ngettext = window.ngettext || ((one, many, count) => (count === 1 ? one : many))
const interpolate = window.interpolate
  ? (text, values) => window.interpolate(text, values, true)
  : (text, values) => text.replace(/%\((\w+)\)s/g, (_, name) => values[name])

const form = document.getElementById("section-form")
const textarea = form?.querySelector("textarea[name=body]")
if (form && textarea) start()

function start() {
  waitForEditor(textarea).then((editor) => {
    if (editor) new SectionEditor(form, editor)
  })
}

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

const LANGUAGE = document.documentElement.lang || undefined
// Counts as every page shows them, in the page's language: 4,712 in English, 4 712 in French, 4.712 in
// Spanish ("always": Spanish leaves four-digit numbers ungrouped by default).
const numberFormat = new Intl.NumberFormat(LANGUAGE, { useGrouping: "always" })
const n = (value) => numberFormat.format(value)
// Every time the portal shows is Geneva time, and says so (upr_portal/templatetags/geneva_time.py).
const GENEVA = "Europe/Zurich"
const clock = new Intl.DateTimeFormat(LANGUAGE, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: GENEVA })
const calendar = new Intl.DateTimeFormat(LANGUAGE, {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZone: GENEVA,
})
const inGeneva = (text) => interpolate(gettext("%(when)s Geneva time"), { when: text })
const wordsOver = (over, what) =>
  interpolate(
    what === "budget"
      ? ngettext("%(over)s word over the budget", "%(over)s words over the budget", over)
      : ngettext("%(over)s word over the limit", "%(over)s words over the limit", over),
    { over: n(over) },
  )
const timeOf = (iso) => (iso ? inGeneva(clock.format(new Date(iso))) : "")
const dateTimeOf = (when) => inGeneva(calendar.format(new Date(when)))

// The editor's HTML as the textarea holds it: an empty document is an empty string.
function editorHtml(editor) {
  const html = editor.getHTML()
  return /^<(\w+)(\s[^>]*)?><\/\1>$/i.test(html) ? "" : html
}

class SectionEditor {
  constructor(form, editor) {
    this.form = form
    this.editor = editor
    const data = form.dataset
    this.sectionId = data.sectionId
    this.saveUrl = data.saveUrl
    this.presenceUrl = data.presenceUrl
    this.otherWords = Number(data.otherWords || 0)
    this.notesCount = data.notesCount === "true"
    this.budget = data.budget ? Number(data.budget) : null
    this.limit = data.limit ? Number(data.limit) : null
    this.baseInput = form.querySelector("input[name=base_version]")
    this.titleInput = form.querySelector("input[name=title]")
    this.status = document.getElementById("save-status")
    this.presence = document.getElementById("presence")
    this.tabId = Math.random().toString(36).slice(2, 10)

    this.baseVersion = Number(this.baseInput.value || 0)
    this.savedBody = editorHtml(editor)
    this.savedTitle = this.titleInput.value
    this.saving = false
    this.queued = false
    this.force = false
    this.conflict = null
    this.blocked = null
    this.retryDelay = 0
    this.timers = {}
    this.ownDraftKeys = new Set()
    this.overState = ""
    this.savedAt = null // when this page last saved, from the server's answer
    this.draftKept = true // whether this browser could keep the latest unsaved text

    document.getElementById("editor-bar").hidden = false
    this.status.hidden = false
    document.getElementById("word-counts-static").hidden = true
    // The editable area takes the field's label as its accessible name.
    editor.view.dom.setAttribute("aria-labelledby", "body-label")
    editor.view.dom.setAttribute("aria-multiline", "true")

    editor.on("update", () => this.changed())
    this.titleInput.addEventListener("input", () => this.changed())
    form.addEventListener("submit", (event) => {
      event.preventDefault()
      this.blocked = null
      this.save({ autosave: false })
    })
    // Back online: save at once rather than at the next retry, up to a minute away.
    window.addEventListener("online", () => {
      if (this.timers.retry && !this.saving) {
        clearTimeout(this.timers.retry)
        this.timers.retry = null
        this.save({ autosave: true })
      }
    })
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") this.flush()
    })
    window.addEventListener("pagehide", () => {
      this.flush()
      this.heartbeat({ leaving: true })
    })
    window.addEventListener("beforeunload", (event) => {
      if (this.isDirty() || this.saving) {
        this.storeDraft()
        event.preventDefault()
        event.returnValue = ""
      }
    })
    document.getElementById("conflict-keep-mine").addEventListener("click", () => this.keepMine())
    document.getElementById("conflict-take-theirs").addEventListener("click", () => this.takeTheirs())

    this.updateCounts()
    this.setStatus("saved")
    this.offerRestore()
    this.heartbeat()
    this.timers.presence = setInterval(() => this.heartbeat(), PRESENCE_INTERVAL)
  }

  // --- Changes, counts ----------------------------------------------------------------------

  body() {
    return editorHtml(this.editor)
  }

  isDirty() {
    return this.force || this.body() !== this.savedBody || this.titleInput.value !== this.savedTitle
  }

  changed() {
    this.updateCounts()
    clearTimeout(this.timers.draft)
    this.timers.draft = setTimeout(() => this.storeDraft(), 300)
    if (!this.isDirty()) return
    if (!this.conflict && !this.saving && !this.timers.retry) this.setStatus(this.blocked ? "error" : "dirty")
    clearTimeout(this.timers.autosave)
    this.timers.autosave = setTimeout(() => this.save({ autosave: true }), AUTOSAVE_DELAY)
  }

  updateCounts() {
    const count = countHtml(this.editor.getHTML())
    const counted = wordsCounted(count, { notesCount: this.notesCount })
    const section = document.getElementById("section-count")
    const submission = document.getElementById("submission-count")
    const over = []

    // Each part is one whole sentence for the translators; only the parts are joined by " · ".
    const sectionTotal = count.body + count.notes
    const words = { total: n(sectionTotal), body: n(count.body), notes: n(count.notes) }
    const parts = [
      interpolate(
        this.notesCount
          ? ngettext(
              "This section: %(total)s word (%(body)s in the text, %(notes)s in notes)",
              "This section: %(total)s words (%(body)s in the text, %(notes)s in notes)",
              sectionTotal,
            )
          : ngettext(
              "This section: %(total)s word (%(body)s in the text, %(notes)s in notes) – notes are not counted against the limit",
              "This section: %(total)s words (%(body)s in the text, %(notes)s in notes) – notes are not counted against the limit",
              sectionTotal,
            ),
        words,
      ),
    ]
    const sectionOver = this.budget !== null && counted > this.budget
    if (this.budget !== null) {
      const excess = counted - this.budget
      const left = this.budget - counted
      parts.push(
        sectionOver
          ? interpolate(
              ngettext(
                "budget %(budget)s: %(over)s word over the budget",
                "budget %(budget)s: %(over)s words over the budget",
                excess,
              ),
              { budget: n(this.budget), over: n(excess) },
            )
          : interpolate(ngettext("budget %(budget)s: %(left)s word left", "budget %(budget)s: %(left)s words left", left), {
              budget: n(this.budget),
              left: n(left),
            }),
      )
      if (sectionOver) over.push(wordsOver(excess, "budget"))
    }
    section.textContent = parts.join(" · ")
    section.dataset.body = count.body
    section.dataset.notes = count.notes
    section.classList.toggle("is-over", sectionOver)
    section.hidden = false

    const total = this.otherWords + counted
    const limitOver = this.limit !== null && total > this.limit
    submission.textContent =
      this.limit === null
        ? interpolate(ngettext("Submission: %(total)s word", "Submission: %(total)s words", total), { total: n(total) })
        : limitOver
          ? interpolate(
              ngettext(
                "Submission: %(total)s of %(limit)s words: %(over)s word over the limit",
                "Submission: %(total)s of %(limit)s words: %(over)s words over the limit",
                total - this.limit,
              ),
              { total: n(total), limit: n(this.limit), over: n(total - this.limit) },
            )
          : interpolate(
              ngettext(
                "Submission: %(total)s of %(limit)s words (%(left)s left)",
                "Submission: %(total)s of %(limit)s words (%(left)s left)",
                this.limit - total,
              ),
              { total: n(total), limit: n(this.limit), left: n(this.limit - total) },
            )
    submission.dataset.total = total
    submission.classList.toggle("is-over", limitOver)
    submission.hidden = false
    if (limitOver) over.push(wordsOver(total - this.limit, "limit"))

    // Announce crossing a budget or the limit, not every word typed.
    const overState = `${sectionOver}/${limitOver}`
    if (overState !== this.overState) {
      this.overState = overState
      document.getElementById("count-alert").textContent = over.length
        ? over.join("; ")
        : this.budget !== null || this.limit !== null
          ? gettext("Within the budget and the limit.")
          : ""
    }
  }

  // --- Status ---------------------------------------------------------------------------------

  // The status is a polite live region: it is announced when its words change, never while typing.
  setStatus(state, message = "") {
    const texts = {
      saved: this.savedAt ? interpolate(gettext("Saved at %(time)s"), { time: timeOf(this.savedAt) }) : pgettext("the editor's save status", "Saved"),
      dirty: gettext("Unsaved changes"),
      saving: gettext("Saving…"),
      retrying: gettext("Not saved – retrying"),
      offline: this.draftKept
        ? gettext("Offline, kept in this browser")
        : gettext("Offline and not saved: keep this page open until it is saved"),
      conflict: gettext("Conflict"),
      error: interpolate(gettext("Not saved: %(message)s"), { message }),
    }
    this.status.dataset.state = state
    if (this.status.textContent !== texts[state]) this.status.textContent = texts[state]
  }

  // --- Drafts in this browser ----------------------------------------------------------------

  draftKey() {
    return `${DRAFT_PREFIX}${this.sectionId}:v${this.baseVersion}:${this.tabId}`
  }

  storeDraft() {
    clearTimeout(this.timers.draft)
    if (!this.isDirty()) return
    const key = this.draftKey()
    try {
      localStorage.setItem(
        key,
        JSON.stringify({
          body: this.body(),
          title: this.titleInput.value,
          baseVersion: this.baseVersion,
          savedAt: Date.now(),
        }),
      )
      this.ownDraftKeys.add(key)
      this.draftKept = true
    } catch (error) {
      this.draftKept = false
      console.warn("The browser did not keep the draft", error)
    }
  }

  // After the server confirmed the text: the drafts this page wrote are no longer needed.
  dropOwnDrafts() {
    for (const key of this.ownDraftKeys) localStorage.removeItem(key)
    this.ownDraftKeys.clear()
  }

  drafts() {
    const prefix = `${DRAFT_PREFIX}${this.sectionId}:`
    const found = []
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i)
      if (!key?.startsWith(prefix) || this.ownDraftKeys.has(key)) continue
      try {
        found.push({ key, ...JSON.parse(localStorage.getItem(key)) })
      } catch {
        // not ours to read; leave it
      }
    }
    return found.sort((a, b) => b.savedAt - a.savedAt)
  }

  offerRestore() {
    let drafts
    try {
      drafts = this.drafts()
    } catch {
      return
    }
    const body = this.body()
    const same = drafts.filter((draft) => draft.body === body && draft.title === this.titleInput.value)
    for (const draft of same) localStorage.removeItem(draft.key) // the server already has exactly this
    const different = drafts.filter((draft) => !same.includes(draft))
    if (!different.length) return
    const draft = different[0]
    const panel = document.getElementById("restore-offer")
    const when = dateTimeOf(draft.savedAt)
    // Whole sentences, one after the other.
    const sentences = [
      interpolate(gettext("Written at %(when)s, based on version %(version)s."), { when, version: draft.baseVersion }),
    ]
    if (draft.baseVersion !== this.baseVersion)
      sentences.push(
        interpolate(
          gettext("The section is now at version %(version)s: after restoring, saving will show both texts for you to merge."),
          { version: this.baseVersion },
        ),
      )
    const counts = countHtml(draft.body)
    const words = counts.body + counts.notes
    sentences.push(interpolate(ngettext("It has %(words)s word.", "It has %(words)s words.", words), { words: n(words) }))
    document.getElementById("restore-detail").textContent = sentences.join(" ")
    panel.hidden = false
    const close = () => {
      panel.hidden = true
      this.editor.commands.focus()
    }
    document.getElementById("restore-accept").onclick = () => {
      // Saved under this page's key from now on, and against the version it was written on: if that
      // is older, the server refuses the save and the conflict panel shows both texts.
      this.baseVersion = draft.baseVersion
      this.baseInput.value = draft.baseVersion
      this.editor.commands.setContent(draft.body, { emitUpdate: false })
      this.titleInput.value = draft.title
      localStorage.removeItem(draft.key)
      close()
      this.changed()
      this.storeDraft()
      this.save({ autosave: true })
    }
    document.getElementById("restore-discard").onclick = () => {
      if (!window.confirm(gettext("Discard the unsaved text kept in this browser? It cannot be brought back."))) return
      for (const other of different) localStorage.removeItem(other.key)
      close()
    }
  }

  // --- Saving ---------------------------------------------------------------------------------

  csrfToken() {
    const cookie = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/)
    return cookie ? decodeURIComponent(cookie[1]) : this.form.querySelector("input[name=csrfmiddlewaretoken]").value
  }

  // The page is hidden or left: save now, with a request that outlives the page.
  flush() {
    if (!this.isDirty()) return
    this.storeDraft()
    if (!this.conflict && !this.saving) this.save({ autosave: true, keepalive: true })
  }

  // state: "offline" when the request never reached the server, "retrying" when the server failed.
  scheduleRetry(state = "retrying") {
    this.retryDelay = Math.min(RETRY_MAX, Math.max(RETRY_MIN, this.retryDelay * 2))
    this.setStatus(state)
    clearTimeout(this.timers.retry)
    this.timers.retry = setTimeout(() => {
      this.timers.retry = null
      this.save({ autosave: true })
    }, this.retryDelay)
  }

  async save({ autosave = true, keepalive = false } = {}) {
    clearTimeout(this.timers.autosave)
    if (this.conflict || (autosave && this.blocked)) return
    if (this.saving) {
      this.queued = true
      return
    }
    if (!this.isDirty()) {
      if (!this.timers.retry) this.setStatus("saved")
      return
    }
    clearTimeout(this.timers.retry)
    this.timers.retry = null
    const body = this.body()
    const title = this.titleInput.value
    const payload = JSON.stringify({ body, title, base_version: this.baseVersion, autosave })
    this.saving = true
    this.setStatus("saving")
    let response
    let data = {}
    try {
      response = await fetch(this.saveUrl, {
        method: "POST",
        credentials: "same-origin",
        keepalive: keepalive && new Blob([payload]).size < KEEPALIVE_LIMIT,
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRFToken": this.csrfToken(),
        },
        body: payload,
      })
      data = await response.json().catch(() => ({}))
    } catch {
      response = null
    }
    this.saving = false

    if (response?.ok) {
      this.retryDelay = 0
      this.blocked = null
      this.force = false
      this.baseVersion = data.version
      this.baseInput.value = data.version
      this.savedAt = data.saved_at || new Date().toISOString()
      this.savedBody = body
      this.savedTitle = title
      if (this.isDirty()) {
        // Typed while the save was on its way: keep that under the new version, save it later.
        this.dropOwnDrafts()
        this.storeDraft()
        this.setStatus("dirty")
        this.timers.autosave = setTimeout(() => this.save({ autosave: true }), this.queued ? 0 : AUTOSAVE_DELAY)
      } else {
        this.dropOwnDrafts()
        this.setStatus("saved")
      }
      this.queued = false
      this.hideNewerNotice()
      return
    }
    this.queued = false
    if (response?.status === 409) {
      this.showConflict(data)
    } else if (response && [400, 401, 403, 404].includes(response.status)) {
      // Retrying would not help: say why; the text stays in the editor and in this browser.
      this.blocked = data.message || `${response.status} ${response.statusText}`
      this.storeDraft()
      this.setStatus("error", this.blocked)
    } else {
      this.storeDraft()
      // No answer at all: the network is down (or the browser knows it is offline).
      this.scheduleRetry(!response || navigator.onLine === false ? "offline" : "retrying")
    }
  }

  // --- Conflicts ------------------------------------------------------------------------------

  showConflict(data) {
    this.conflict = data
    this.storeDraft()
    this.setStatus("conflict")
    const panel = document.getElementById("conflict-panel")
    document.getElementById("conflict-message").textContent = data.message || ""
    document.getElementById("conflict-theirs-heading").textContent = interpolate(
      gettext("Their text: version %(version)s, saved by %(name)s at %(time)s"),
      { version: data.version, name: data.saved_by || gettext("someone"), time: timeOf(data.saved_at) },
    )
    // The stored text was cleaned by the server's allowlist when it was saved.
    const theirs = new DOMParser().parseFromString(data.body || "", "text/html")
    document.getElementById("conflict-theirs").replaceChildren(...theirs.body.childNodes)
    // The differences as the server's diff drew them (submissions/diff.py, templates/submissions/_diff.html):
    // from their text to the one it refused, folded where nothing changed. Escaped by the template.
    const diff = new DOMParser().parseFromString(data.diff_html || "", "text/html")
    document.getElementById("conflict-diff").replaceChildren(...diff.body.childNodes)
    panel.hidden = false
    panel.focus()
  }

  closeConflict() {
    this.conflict = null
    document.getElementById("conflict-panel").hidden = true
  }

  keepMine() {
    // An explicit decision: the text in the editor replaces the stored version, which stays in the
    // section's history.
    this.baseVersion = this.conflict.version
    this.baseInput.value = this.conflict.version
    this.closeConflict()
    this.force = true
    this.editor.commands.focus()
    this.save({ autosave: false })
  }

  takeTheirs() {
    if (!window.confirm(gettext("Replace the text in the editor with their text? Your unsaved changes will be lost.")))
      return
    const theirs = this.conflict
    this.editor.commands.setContent(theirs.body || "", { emitUpdate: false })
    this.titleInput.value = theirs.title
    this.baseVersion = theirs.version
    this.baseInput.value = theirs.version
    this.savedBody = this.body()
    this.savedTitle = this.titleInput.value
    this.closeConflict()
    this.dropOwnDrafts()
    this.updateCounts()
    this.setStatus("saved")
    this.editor.commands.focus()
  }

  // --- Presence -------------------------------------------------------------------------------

  async heartbeat({ leaving = false } = {}) {
    const body = new URLSearchParams({ csrfmiddlewaretoken: this.csrfToken() })
    if (leaving) body.set("leaving", "1")
    let data
    try {
      const response = await fetch(this.presenceUrl, {
        method: "POST",
        credentials: "same-origin",
        keepalive: leaving,
        headers: { "X-CSRFToken": this.csrfToken(), Accept: "application/json" },
        body,
      })
      if (leaving || !response.ok) return
      data = await response.json()
    } catch {
      return
    }
    const parts = []
    if (data.others?.length)
      parts.push(interpolate(gettext("Also open by: %(names)s."), { names: data.others.join(", ") }))
    this.presence.textContent = parts.join(" ")
    if (data.version > this.baseVersion && !this.saving && !this.conflict) this.showNewerNotice(data)
  }

  showNewerNotice(data) {
    let notice = document.getElementById("newer-version")
    if (!notice) {
      notice = document.createElement("p")
      notice.id = "newer-version"
      notice.className = "mb-0 text-warning-emphasis fw-semibold"
      notice.setAttribute("role", "status")
      this.presence.after(notice)
    }
    const message = interpolate(gettext("%(name)s saved a newer version at %(time)s."), {
      name: data.saved_by || gettext("Someone"),
      time: timeOf(data.saved_at),
    })
    const advice = this.isDirty()
      ? gettext("Your next save will show both texts for you to merge.")
      : gettext("Reload the page to edit it.")
    notice.textContent = `${message} ${advice}`
    if (!this.isDirty()) {
      const reload = document.createElement("button")
      reload.type = "button"
      reload.className = "btn btn-link btn-sm p-0 ms-1 align-baseline"
      reload.textContent = gettext("Reload")
      reload.addEventListener("click", () => window.location.reload())
      notice.append(reload)
    }
  }

  hideNewerNotice() {
    document.getElementById("newer-version")?.remove()
  }
}
