// Paste from Word, LibreOffice and Google Docs: keeps headings, lists, links, bold/italic and
// footnote text; drops fonts, colours, sizes and Office's private markup. No text is dropped but
// list labels that Word writes as text ("·", "1.") and a note's own back-reference number.
//
// Footnotes: Word marks a call `<a href="#_ftn1" name="_ftnref1">` and puts the note in
// `<div id="ftn1">` at the end; LibreOffice uses `<a href="#sdfootnote1sym">` and
// `<div id="sdfootnote1">`. Both become `<span data-footnote="">note text</span>` at the call.

import { Extension } from "django-prose-editor/editor"

const DROPPED_ELEMENTS = "meta, link, style, script, title, xml, template, head, img, object, embed, iframe, svg, math"
const RENAMED_HEADINGS = { H1: "h2", H5: "h4", H6: "h4" }
const SAFE_HREF = /^(https?:\/\/|mailto:|#)/i
const ORDERED_LABEL = /^\(?([0-9]+|[a-z]|[ivxlcdm]+)[.)]/i

function unwrap(element) {
  element.replaceWith(...element.childNodes)
}

function rename(element, tag) {
  const renamed = element.ownerDocument.createElement(tag)
  renamed.append(...element.childNodes)
  element.replaceWith(renamed)
  return renamed
}

function noteText(element) {
  return (element.textContent || "").replace(/[\s\u00a0]+/g, " ").trim()
}

function footnoteSpan(doc, text) {
  const span = doc.createElement("span")
  span.setAttribute("data-footnote", "")
  span.textContent = text
  return span
}

// Word (`_ftn`, `_edn`) and LibreOffice (`sdfootnote`, `sdendnote`) notes become footnote spans.
function convertFootnotes(doc) {
  for (const call of doc.querySelectorAll("a[href]")) {
    const href = call.getAttribute("href") || ""
    let note = null
    let match
    if ((match = href.match(/^#_(ftn|edn)([0-9]+)$/))) {
      note = doc.getElementById(`${match[1]}${match[2]}`)
    } else if ((match = href.match(/^#(sdfootnote|sdendnote)([0-9]+)sym$/))) {
      note = doc.getElementById(`${match[1]}${match[2]}`)
    }
    if (!note) continue
    const copy = note.cloneNode(true)
    // The note's own number links back to the call.
    for (const back of copy.querySelectorAll('a[href^="#_ftnref"], a[href^="#_ednref"], a[href$="anc"]')) back.remove()
    call.replaceWith(footnoteSpan(doc, noteText(copy)))
    note.remove()
  }
  // Word's footnote list container and its separator line.
  for (const list of doc.querySelectorAll(`div[${PASTE_STYLE}*='mso-element:footnote-list'], div[${PASTE_STYLE}*='mso-element:endnote-list']`)) {
    if (!noteText(list)) list.remove()
  }
}

function msoListLevel(element) {
  const match = (element.getAttribute(PASTE_STYLE) || "").match(/mso-list:\s*\S+\s+level([0-9]+)/)
  return match ? Number(match[1]) : 0
}

// Word writes list items as paragraphs with `mso-list: l0 level1` and the label as text in a
// `mso-list:Ignore` span. They become real nested lists; the labels go (lists number themselves).
function convertWordLists(doc) {
  const paragraphs = [...doc.querySelectorAll("p")].filter((p) => msoListLevel(p) > 0)
  const done = new Set()
  for (const first of paragraphs) {
    if (done.has(first)) continue
    // A run of list paragraphs that follow each other (whitespace between them is fine).
    const run = [first]
    let next = first.nextSibling
    while (next) {
      if (next.nodeType === 3 && !next.textContent.trim()) next = next.nextSibling
      else if (next.nodeType === 8) next = next.nextSibling
      else if (next.nodeType === 1 && next.tagName === "P" && msoListLevel(next) > 0) {
        run.push(next)
        next = next.nextSibling
      } else break
    }
    const stack = [] // [{level, list}]
    const root = { list: null }
    for (const p of run) {
      done.add(p)
      const level = msoListLevel(p)
      const labelElement = p.querySelector(`span[${PASTE_STYLE}*='mso-list:Ignore'], span[${PASTE_STYLE}*='mso-list: Ignore']`)
      const label = labelElement ? noteText(labelElement) : ""
      labelElement?.remove()
      const tag = ORDERED_LABEL.test(label) ? "ol" : "ul"
      while (stack.length && stack[stack.length - 1].level > level) stack.pop()
      let top = stack[stack.length - 1]
      if (!top || top.level < level) {
        const list = doc.createElement(tag)
        if (top) {
          const parentItem = top.list.lastElementChild || top.list.appendChild(doc.createElement("li"))
          parentItem.append(list)
        } else {
          root.list = list
        }
        top = { level, list }
        stack.push(top)
      }
      const item = doc.createElement("li")
      const paragraph = doc.createElement("p")
      paragraph.append(...p.childNodes)
      item.append(paragraph)
      top.list.append(item)
    }
    run[0].before(root.list)
    for (const p of run) p.remove()
  }
}

// Style attributes are renamed, and style elements dropped, before parsing: the page's CSP (no
// inline styles) would refuse them in the parsed document, and then the editor could not tell bold from not bold. Only inside tags:
// text that reads "style=" stays as it is.
const PASTE_STYLE = "data-paste-style"

function renameStyles(html) {
  return html
    .replace(/<style\b[^>]*>[\s\S]*?<\/style\s*>/gi, "") // style sheets (Word's), no text in them
    .replace(/<[A-Za-z][^>]*>/g, (tag) => tag.replace(/(\s)style(\s*=)/gi, `$1${PASTE_STYLE}$2`))
}

function declarations(style) {
  const result = {}
  for (const item of (style || "").split(";")) {
    const colon = item.indexOf(":")
    if (colon > 0) result[item.slice(0, colon).trim().toLowerCase()] = item.slice(colon + 1).trim().toLowerCase()
  }
  return result
}

// What a b, i or span means as its tag and style say it (Word, LibreOffice, Google Docs): strong,
// em, sup, sub. Fonts, sizes and colours go. Like submissions/sanitize.py's _formatting.
function formattingOf(element) {
  const style = declarations(element.getAttribute(PASTE_STYLE))
  const tag = element.tagName
  const weight = style["font-weight"] ?? (tag === "B" || tag === "STRONG" ? "bold" : "normal")
  const slant = style["font-style"] ?? (tag === "I" || tag === "EM" ? "italic" : "normal")
  const position = style["vertical-align"] ?? (tag === "SUP" ? "super" : tag === "SUB" ? "sub" : "")
  const wrappers = []
  if (/^(bold|bolder)$/.test(weight) || (/^[0-9]+$/.test(weight) && Number(weight) >= 600)) wrappers.push("strong")
  if (/^(italic|oblique)/.test(slant)) wrappers.push("em")
  if (position === "super" || position === "sub") wrappers.push(position === "super" ? "sup" : "sub")
  return wrappers
}

// Nested elements for the tags, outermost first: [outermost, innermost].
function nest(doc, tags) {
  const elements = tags.map((tag) => doc.createElement(tag))
  elements.slice(1).forEach((element, index) => elements[index].append(element))
  return [elements[0], elements[elements.length - 1]]
}

const INLINE_FORMATTING = new Set(["B", "I", "SPAN", "STRONG", "EM", "SUP", "SUB", "FONT", "U"])

function convertFormatting(doc) {
  // Innermost first, so that replacing an element never detaches one still to visit.
  for (const element of [...doc.body.querySelectorAll("*")].reverse()) {
    if (element.hasAttribute("data-footnote")) continue
    if (INLINE_FORMATTING.has(element.tagName)) {
      const wrappers = formattingOf(element)
      if (wrappers.length) {
        const [outer, inner] = nest(doc, wrappers)
        inner.append(...element.childNodes)
        element.replaceWith(outer)
      } else {
        unwrap(element)
      }
    } else if (element.hasAttribute(PASTE_STYLE)) {
      // A block with a font style (a Google Docs heading at 400 weight) keeps none of it.
      const wrappers = formattingOf(element).filter((tag) => tag !== "strong" || !/^H[1-6]$/.test(element.tagName))
      if (wrappers.length && !element.querySelector("p, li, table, ul, ol, div, h1, h2, h3, h4, h5, h6")) {
        const [outer, inner] = nest(doc, wrappers)
        inner.append(...element.childNodes)
        element.append(outer)
      }
    }
  }
}

function cleanAttributes(element) {
  for (const name of [...element.getAttributeNames()]) {
    if (name === "data-footnote") continue
    if (name === "href" && element.tagName === "A") continue
    if ((name === "colspan" || name === "rowspan") && /^T[DH]$/.test(element.tagName)) continue
    element.removeAttribute(name)
  }
}

export function cleanPastedHtml(html) {
  const doc = new DOMParser().parseFromString(renameStyles(html), "text/html")
  const body = doc.body
  if (!body) return html

  // Comments (Word's conditional ones among them) and non-text elements.
  const walker = doc.createTreeWalker(body, NodeFilter.SHOW_COMMENT)
  const comments = []
  while (walker.nextNode()) comments.push(walker.currentNode)
  for (const comment of comments) comment.remove()
  for (const element of body.querySelectorAll(DROPPED_ELEMENTS)) element.remove()
  for (const br of body.querySelectorAll("br.Apple-interchange-newline")) br.remove()

  convertFootnotes(doc)
  convertWordLists(doc)

  // Google Docs wraps everything in <b style="font-weight:normal" id="docs-internal-guid-...">.
  for (const wrapper of body.querySelectorAll("b[id^='docs-internal-guid']")) unwrap(wrapper)
  // Google Docs nests a sub-list directly in its list: move it into the previous item.
  for (const list of body.querySelectorAll("ol > ol, ol > ul, ul > ol, ul > ul")) {
    const previous = list.previousElementSibling
    if (previous && previous.tagName === "LI") previous.append(list)
  }
  // Office namespaced elements (o:p, w:sdt, v:shape...) keep their text.
  for (const element of [...body.querySelectorAll("*")]) {
    if (element.tagName.includes(":")) unwrap(element)
  }
  for (const element of [...body.querySelectorAll("h1, h5, h6")]) rename(element, RENAMED_HEADINGS[element.tagName])
  // Links the portal cannot keep (Word bookmarks, file:// paths) keep their text.
  for (const link of [...body.querySelectorAll("a")]) {
    const href = (link.getAttribute("href") || "").trim()
    if (!SAFE_HREF.test(href) || href.startsWith("#_") || link.closest("span[data-footnote]")) unwrap(link)
  }
  convertFormatting(doc)
  for (const element of body.querySelectorAll("*")) cleanAttributes(element)
  return body.innerHTML
}

export const PasteCleanup = Extension.create({
  name: "pasteCleanup",

  transformPastedHTML(html) {
    try {
      return cleanPastedHtml(html)
    } catch (error) {
      // Never lose a paste to a bug here: the editor's own parser still drops what it cannot keep.
      console.error("Paste clean-up failed", error)
      return html
    }
  },
})
