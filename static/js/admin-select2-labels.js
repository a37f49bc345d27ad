// Names for what Select2 draws in the admin's autocomplete fields (templates/admin/base_site.html).
//
// Select2 4.0 hides the real <select> and draws its own controls, none of them named after the field:
// the single choice's combobox is named by its current value alone and holds an unnamed "textbox",
// the multiple choice's search box has no name, and its "clear" cross sits directly in a list. Screen
// readers then announce "combobox, Kenya" with no word of which field it is. Here each control takes
// the field's label (or, in a tabular inline, the name upr_portal/admin_labels.py gives the <select>).
// Select2 redraws parts of its controls on every change and draws new ones for added inline rows, so
// the names are given again after every change to the page.
"use strict"
{
  const labelOf = (select) => {
    const label = select.id ? document.querySelector(`label[for="${CSS.escape(select.id)}"]`) : null
    if (label) {
      if (!label.id) label.id = `${select.id}-label`
      return { id: label.id, text: label.textContent.replace(/:\s*$/, "").trim() }
    }
    // A tabular inline's <select> has its name in aria-label only, which a reference to the <select>
    // would not give (a referenced <select> is named by its chosen option): a hidden copy is referred to.
    const text = select.getAttribute("aria-label")
    if (!text || !select.id) return null
    const id = `${select.id}-name`
    if (!document.getElementById(id)) {
      const name = document.createElement("span")
      name.id = id
      name.hidden = true
      name.textContent = text
      select.before(name)
    }
    return { id, text }
  }

  const nameControls = (container) => {
    const select = container.previousElementSibling
    if (!select || select.tagName !== "SELECT") return
    const label = labelOf(select)
    if (!label) return
    const selection = container.querySelector(".select2-selection")
    const rendered = container.querySelector(".select2-selection__rendered")
    if (selection?.classList.contains("select2-selection--single") && rendered) {
      // The shown value is no input of its own (Select2 4.1 dropped this role too).
      rendered.removeAttribute("role")
      rendered.removeAttribute("aria-readonly")
      if (rendered.id) selection.setAttribute("aria-labelledby", `${label.id} ${rendered.id}`)
    } else if (selection) {
      selection.setAttribute("aria-label", label.text)
      container.querySelector(".select2-search__field")?.setAttribute("aria-label", label.text)
    }
    // The cross that clears the field is for the mouse: the keyboard clears with Backspace or Delete.
    for (const cross of container.querySelectorAll(".select2-selection__clear")) {
      cross.setAttribute("aria-hidden", "true")
    }
  }

  // The search box of an open single choice's list, drawn at the end of the page.
  const nameDropdownSearch = (field) => {
    const results = field.getAttribute("aria-controls") || ""
    const select = document.getElementById(results.replace(/^select2-/, "").replace(/-results$/, ""))
    const label = select ? labelOf(select) : null
    if (label) field.setAttribute("aria-label", label.text)
  }

  const nameAll = () => {
    document.querySelectorAll("select + .select2-container").forEach(nameControls)
    document.querySelectorAll(".select2-search--dropdown .select2-search__field").forEach(nameDropdownSearch)
  }

  // Only additions and removals are watched, so the attributes set here never wake the observer.
  new MutationObserver(nameAll).observe(document.documentElement, { childList: true, subtree: true })
  nameAll()
}
