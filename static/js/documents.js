// The documents panel of the submission page: while a job is queued or running, asks the server for
// its state every 1.5 seconds and shows it without a reload (the panel is an aria-live region, so the
// change is announced). The server renders the panel's HTML; this only swaps it in. Without
// JavaScript, the panel's "Refresh" link shows the same.

const INTERVAL = 1500
const STOP_ON = new Set([401, 403, 404])

const panel = document.getElementById("documents")
const status = document.getElementById("documents-status")
if (panel && status && panel.dataset.running === "true") poll()

function poll() {
  let shown = status.querySelector("[data-status]")?.dataset.status
  const timer = setInterval(async () => {
    let data
    try {
      const response = await fetch(panel.dataset.statusUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
      if (STOP_ON.has(response.status)) clearInterval(timer)
      if (!response.ok) return
      data = await response.json()
    } catch {
      return // the network came and went: the next tick asks again
    }
    if (data.status !== shown) {
      shown = data.status
      status.innerHTML = data.html
    }
    if (!data.running) {
      clearInterval(timer)
      panel.dataset.running = "false"
      const history = document.getElementById("documents-history")
      if (history && data.history_html) history.outerHTML = data.history_html
    }
  }, INTERVAL)
}
