// The pre-session statement's spoken-length estimate, kept up to date while the person types. The
// server counts the words (the portal's one word-count rule, upr_portal/wordcount.py) and writes the
// sentences; this only asks it, at most once every 600 ms of typing, and shows the answer in the
// page's status region (aria-live, so a screen reader hears the new estimate).

const DELAY = 600

const form = document.getElementById("statement-form")
const region = document.getElementById("statement-estimate")
const textarea = form?.querySelector("textarea[name=text]")
if (form && region && textarea) {
  let timer = null
  let asked = 0
  textarea.addEventListener("input", () => {
    clearTimeout(timer)
    timer = setTimeout(ask, DELAY)
  })

  async function ask() {
    const number = ++asked
    const body = new FormData()
    body.append("text", textarea.value)
    let data
    try {
      const response = await fetch(form.dataset.estimateUrl, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: {
          Accept: "application/json",
          "X-CSRFToken": form.querySelector("[name=csrfmiddlewaretoken]").value,
        },
      })
      if (!response.ok) return
      data = await response.json()
    } catch {
      region.querySelector("[data-estimate-warning]").textContent = gettext(
        "The estimate could not be updated; it is updated when you save.",
      )
      return
    }
    if (number !== asked) return // a later answer is on its way
    region.querySelector("[data-estimate-message]").textContent = data.message
    region.querySelector("[data-estimate-words]").textContent = data.words_message
    region.querySelector("[data-estimate-warning]").textContent = data.warning
    region.classList.toggle("alert-warning", data.over)
    region.classList.toggle("alert-light", !data.over)
    region.classList.toggle("border", !data.over)
  }
}
